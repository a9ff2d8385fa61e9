// The fast path of the located-YAML reader (located-yaml.ts). Manifests,
// kustomizations, Compose files and `kubectl kustomize` output are nearly all
// written in a small part of YAML: block mappings and sequences, one-line
// plain and quoted scalars, `|` blocks, one-line flow collections. This reads that
// part line by line, several times faster than the general parser on a cold
// start (issue 11: validate and migrate-check spent most of their time in
// YAML). It builds the same tree the general parser builds (values, lines,
// key lines; checked against it in test/unit/block-yaml.test.ts), and at the
// first thing outside that part (an anchor, a tag, a multi-line plain or
// quoted scalar, a folded block, a tab, a duplicate key, anything it does not
// read exactly) it returns null and the general parser reads the whole text,
// so errors and rare syntax keep its exact behaviour. Pure.
import type { Location as Loc } from '../errors.ts';
import type { LMap, LNode, LScalar, LSeq } from './located-node.ts';

type Version = '1.1' | '1.2';

/** Thrown inside the reader only: the text is outside the fast subset. */
const OUTSIDE = Symbol('outside the fast YAML subset');
function outside(): never {
  throw OUTSIDE;
}

/** Every document of `text`, or null when the general parser must read it. */
export function parseBlockYaml(text: string, file: string, version: Version): LNode[] | null {
  // Tabs, carriage returns, a byte-order mark and control characters: the general parser.
  if (/[\t\r\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\ufeff]/.test(text)) return null;
  try {
    return new BlockReader(text, file, version).documents();
  } catch (err) {
    if (err === OUTSIDE) return null;
    throw err;
  }
}

const BLANK_OR_COMMENT = /^ *(#.*)?$/;
const SAFE_KEY = /^[A-Za-z0-9_$][A-Za-z0-9_.\/$ -]*$/;
/** Plain scalars a schema reads as something other than a string (yaml's tag tests): the general parser decides. */
const CORE_NUMERIC = [
  /^0o[0-7]+$/, /^[-+]?[0-9]+$/, /^0x[0-9a-fA-F]+$/, /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
];
const YAML11_NUMERIC = [
  /^[-+]?0b[0-1_]+$/, /^[-+]?0[0-7_]+$/, /^[-+]?[0-9][0-9_]*$/, /^[-+]?0x[0-9a-fA-F_]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/, /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
  // Sexagesimal numbers and timestamps (checked by prefix: wider than yaml's tests).
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+/, /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/,
];

function indentOf(line: string): number {
  let n = 0;
  while (line.charCodeAt(n) === 32) n++;
  return n;
}

function isDash(line: string, col: number): boolean {
  return line.charCodeAt(col) === 45 && (line.length === col + 1 || line.charCodeAt(col + 1) === 32);
}

/** What a plain scalar means, as yaml's YAML 1.1 or core (1.2) schema reads it, or outside() when unsure. */
function resolvePlain(s: string, version: Version): string | number | boolean | null {
  if (s === '~' || s === 'null' || s === 'Null' || s === 'NULL') return null;
  if (s === 'true' || s === 'True' || s === 'TRUE') return true;
  if (s === 'false' || s === 'False' || s === 'FALSE') return false;
  if (version === '1.1') {
    if (/^(?:Y|y|[Yy]es|YES|[Oo]n|ON)$/.test(s)) return true;
    if (/^(?:N|n|[Nn]o|NO|[Oo]ff|OFF)$/.test(s)) return false;
  }
  const c = s.charCodeAt(0);
  // Digits, signs, dots: numbers only in their plainest forms; the rest is for the general parser.
  if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46) {
    if (/^(?:0|-?[1-9][0-9]{0,14})$/.test(s)) return Number(s);
    if (/^-?(?:0|[1-9][0-9]{0,14})\.[0-9]{1,15}$/.test(s)) return parseFloat(s);
    for (const re of version === '1.1' ? YAML11_NUMERIC : CORE_NUMERIC) if (re.test(s)) outside();
  }
  if (s === '<<') outside();
  return s;
}

class BlockReader {
  private readonly lines: string[];
  /** End (exclusive) of the current document's lines. */
  private end = 0;
  /** Anchors defined so far in the document (an alias names the latest one before it). */
  private anchors = new Map<string, LNode>();
  /** Anchors whose node is being read: an alias to one is a cycle, for the general parser. */
  private readonly open = new Set<string>();

  constructor(
    text: string,
    private readonly file: string,
    private readonly version: Version,
  ) {
    this.lines = text.split('\n');
  }

  private loc(i: number): Loc {
    return { file: this.file, line: i + 1 };
  }

  private scalar(value: string | number | boolean | null, i: number): LScalar {
    return { kind: 'scalar', value, loc: this.loc(i), contentLine: i + 1, tag: undefined };
  }

  /** The next line from `i` that holds something (not blank, not only a comment). */
  private sig(i: number): number {
    while (i < this.end && BLANK_OR_COMMENT.test(this.lines[i])) i++;
    return i;
  }

  documents(): LNode[] {
    const out: LNode[] = [];
    const lines = this.lines;
    let start = 0;
    for (let i = 0; i <= lines.length; i++) {
      const line = lines[i];
      const marker = i < lines.length && line.startsWith('---') && (line.length === 3 || line[3] === ' ');
      if (i < lines.length && !marker) {
        if (line.startsWith('...') || line.startsWith('%')) outside();
        continue;
      }
      if (marker && !BLANK_OR_COMMENT.test(line.slice(3))) outside();
      this.end = i;
      this.anchors = new Map();
      const first = this.sig(start);
      if (first < this.end) {
        const [node, next] = this.block(first, indentOf(lines[first]));
        if (this.sig(next) < this.end) outside();
        out.push(node);
      }
      start = i + 1;
    }
    return out;
  }

  /** The block node (sequence or mapping) whose first line is `i`, at column `col`. */
  private block(i: number, col: number): [LNode, number] {
    if (isDash(this.lines[i], col)) return this.seq(i, col);
    if (this.keyAt(this.lines[i], col) === null) outside();
    return this.map(i, col);
  }

  private seq(i: number, col: number): [LSeq, number] {
    const seq: LSeq = { kind: 'seq', items: [], loc: this.loc(i) };
    for (;;) {
      const line = this.lines[i];
      let p = col + 1;
      while (line.charCodeAt(p) === 32) p++;
      let item: LNode;
      [item, i] = this.value(i, p, col, 'seq');
      seq.items.push(item);
      i = this.sig(i);
      if (i >= this.end) break;
      const ind = indentOf(this.lines[i]);
      if (ind < col) break;
      if (ind > col) outside();
      if (!isDash(this.lines[i], col)) break;
    }
    return [seq, i];
  }

  private map(i: number, col: number): [LMap, number] {
    const map: LMap = { kind: 'map', entries: new Map(), keyLocs: new Map(), loc: this.loc(i) };
    const merged: Array<[string, LNode, Loc]> = [];
    let merges = 0;
    for (;;) {
      const line = this.lines[i];
      const k = this.keyAt(line, col);
      if (k === null) outside();
      const [key, after, mergeKey] = k;
      if (map.entries.has(key)) outside();
      const keyLoc = this.loc(i);
      let p = after;
      while (line.charCodeAt(p) === 32) p++;
      if (mergeKey) {
        // `<<: *a` or `<<: [*a, *b]`: the merged keys come after the written ones; a written key wins, then earlier sources.
        if (++merges > 1) outside();
        for (const source of this.mergeSources(line, p)) {
          for (const [mk, mv] of source.entries) if (!merged.some(([ek]) => ek === mk)) merged.push([mk, mv, source.keyLocs.get(mk) ?? mv.loc]);
        }
        i = this.afterInline(i + 1, col);
      } else {
        let value: LNode;
        [value, i] = this.value(i, p, col, 'map');
        map.entries.set(key, value);
        map.keyLocs.set(key, keyLoc);
      }
      i = this.sig(i);
      if (i >= this.end) break;
      const ind = indentOf(this.lines[i]);
      if (ind < col) break;
      if (ind > col || isDash(this.lines[i], col)) {
        // A sequence at the key's own column belongs to the key before it (handled above); anything else here is not block YAML we read.
        if (ind === col) break;
        outside();
      }
    }
    for (const [k, v, l] of merged) {
      if (map.entries.has(k)) continue;
      map.entries.set(k, v);
      map.keyLocs.set(k, l);
    }
    return [map, i];
  }

  /** The value that starts at column `p` of line `i`, under a sequence dash or a key at column `col`. */
  private value(i: number, p: number, col: number, owner: 'seq' | 'map'): [LNode, number] {
    const line = this.lines[i];
    const anchor = this.anchorAt(line, p);
    if (anchor) {
      p = anchor.next;
      this.open.add(anchor.name);
    }
    let node: LNode;
    if (line[p] === '*') {
      node = this.alias(line, p, anchor);
      i = this.afterInline(i + 1, col);
    } else if (p >= line.length || line[p] === '#') {
      const j = this.sig(i + 1);
      const ind = j < this.end ? indentOf(this.lines[j]) : -1;
      if (ind > col) [node, i] = this.block(j, ind);
      // A sequence at a key's own column is that key's value.
      else if (owner === 'map' && ind === col && isDash(this.lines[j], col)) [node, i] = this.seq(j, col);
      else [node, i] = [this.scalar(null, i), i + 1];
    } else if (owner === 'seq' && (anchor || isDash(line, p))) {
      // An anchored mapping or scalar on the dash line, a sequence in a sequence's dash: rare, for the general parser.
      outside();
    } else if (owner === 'seq' && this.keyAt(line, p) !== null) {
      [node, i] = this.map(i, p);
    } else if (owner === 'map' && line[p] === '|') {
      [node, i] = this.literal(i, p, col);
    } else {
      node = this.inline(line, p, i);
      i = this.afterInline(i + 1, col);
    }
    if (anchor) this.define(anchor.name, node);
    return [node, i];
  }

  /** `&name ` at column `p`: the name and where the anchored value starts. */
  private anchorAt(line: string, p: number): { name: string; next: number } | undefined {
    if (line[p] !== '&') return undefined;
    const m = /^&([A-Za-z0-9_.-]+)(?= |$)/.exec(line.slice(p));
    if (!m) outside();
    let next = p + m[0].length;
    while (line.charCodeAt(next) === 32) next++;
    return { name: m[1], next };
  }

  private define(name: string, node: LNode): void {
    this.open.delete(name);
    this.anchors.set(name, node);
  }

  /** `*name` at column `p` (the rest of the line blank): a fresh copy of the anchored node, as the general parser builds it again. */
  private alias(line: string, p: number, anchor: { name: string } | undefined): LNode {
    const m = /^\*([A-Za-z0-9_.-]+) *(#.*)?$/.exec(line.slice(p));
    if (!m || anchor || this.open.has(m[1])) outside();
    const target = this.anchors.get(m[1]);
    if (!target) outside();
    return copy(target);
  }

  /** The maps a merge key names: `*a` or a one-line `[*a, *b]`. */
  private mergeSources(line: string, p: number): LMap[] {
    const rest = line.slice(p).replace(/ +(#.*)?$/, '');
    const names = rest.startsWith('[') ? /^\[ *(\*[A-Za-z0-9_.-]+(?: *, *\*[A-Za-z0-9_.-]+)*) *\]$/.exec(rest)?.[1].split(',').map((x) => x.trim()) : [rest];
    if (!names) outside();
    return names.map((n) => {
      const node = this.alias(n, 0, undefined);
      if (node.kind !== 'map') outside();
      return node;
    });
  }

  /** After a one-line value: the next line must not continue it (a multi-line scalar is for the general parser). */
  private afterInline(i: number, col: number): number {
    const j = this.sig(i);
    if (j < this.end && indentOf(this.lines[j]) > col) outside();
    return i;
  }

  /** The key of a `key: value` line at column `col` and the column after its colon, or null when the text there is no mapping entry. */
  private keyAt(line: string, col: number): [string, number, boolean] | null {
    const c = line[col];
    if (c === '{' || c === '[') return null;
    if (c === '"' || c === "'") {
      const [text, end] = c === '"' ? doubleQuoted(line, col) : singleQuoted(line, col);
      if (line[end] !== ':' || (end + 1 < line.length && line[end + 1] !== ' ')) return null;
      return [text, end + 1, false];
    }
    for (let j = col; j < line.length; j++) {
      const ch = line.charCodeAt(j);
      if (ch === 35 && line.charCodeAt(j - 1) === 32) return null;
      if (ch === 58 && (j + 1 === line.length || line.charCodeAt(j + 1) === 32)) {
        const raw = line.slice(col, j);
        // YAML 1.1 reads `<<` as its merge tag (a key the general reader keeps as written): only 1.2 merges here.
        if (raw === '<<') return this.version === '1.2' ? ['<<', j + 1, true] : outside();
        if (!SAFE_KEY.test(raw) || raw.endsWith(' ')) outside();
        return [String(resolvePlain(raw, this.version)), j + 1, false];
      }
    }
    return null;
  }

  /** A value written on one line: quoted, plain, or a flow list of such scalars. */
  private inline(line: string, p: number, i: number): LNode {
    const c = line[p];
    if (c === '"' || c === "'") {
      const [text, end] = c === '"' ? doubleQuoted(line, p) : singleQuoted(line, p);
      if (!BLANK_OR_COMMENT.test(line.slice(end))) outside();
      return this.scalar(text, i);
    }
    if (c === '[') return this.flowList(line, p, i);
    if (c === '{') return this.flowMap(line, p, i);
    // Indicators that start something else (anchors, aliases, tags, blocks, directives, reserved).
    if ('&*!|>%@`],}#'.includes(c) || ((c === '-' || c === '?' || c === ':') && (p + 1 === line.length || line[p + 1] === ' '))) outside();
    let text = line.slice(p);
    const hash = text.indexOf(' #');
    if (hash >= 0) text = text.slice(0, hash);
    text = text.trimEnd();
    if (text.includes(': ') || text.endsWith(':')) outside();
    return this.scalar(resolvePlain(text, this.version), i);
  }

  private flowList(line: string, p: number, i: number, nested = false): LSeq {
    const seq: LSeq = { kind: 'seq', items: [], loc: this.loc(i) };
    const end = this.flowItems(line, p, ']', (q) => {
      seq.items.push(this.flowNode(line, q, i, ']'));
      return this.flowEnd;
    });
    return this.flowDone(line, end, nested, seq);
  }

  /**
   * The items of a one-line flow collection opened at `p` and closed by
   * `close`: `item(q)` reads one starting at column q and returns the column
   * after it. Returns the column after the closing bracket.
   */
  private flowItems(line: string, p: number, close: string, item: (q: number) => number): number {
    let q = p + 1;
    const spaces = () => {
      while (line.charCodeAt(q) === 32) q++;
    };
    spaces();
    if (line[q] === close) return q + 1;
    for (;;) {
      q = item(q);
      spaces();
      if (line[q] === close) return q + 1;
      if (line[q] !== ',') outside();
      q++;
      spaces();
      if (line[q] === close || q >= line.length) outside();
    }
  }

  /** After a flow collection: where it ended, and (outermost) nothing but a comment after it. */
  private flowDone<T extends LNode>(line: string, end: number, nested: boolean, node: T): T {
    this.flowEnd = end;
    if (!nested && !BLANK_OR_COMMENT.test(line.slice(end))) outside();
    return node;
  }


  /** A one-line flow mapping (`{ app: web, tier: "db", ports: [80] }`). */
  private flowMap(line: string, p: number, i: number, nested = false): LMap {
    const map: LMap = { kind: 'map', entries: new Map(), keyLocs: new Map(), loc: this.loc(i) };
    const end = this.flowItems(line, p, '}', (start) => {
      let q = start;
      let key: string;
      const c = line[q];
      if (c === '"' || c === "'") {
        [key, q] = c === '"' ? doubleQuoted(line, q) : singleQuoted(line, q);
        if (line[q] !== ':') outside();
      } else {
        const colon = line.indexOf(':', q);
        if (colon < 0) outside();
        const raw = line.slice(q, colon);
        if (!SAFE_KEY.test(raw) || raw.endsWith(' ')) outside();
        key = String(resolvePlain(raw, this.version));
        q = colon;
      }
      q++;
      if (line[q] !== ' ' || map.entries.has(key)) outside();
      while (line.charCodeAt(q) === 32) q++;
      map.entries.set(key, this.flowNode(line, q, i, '}'));
      map.keyLocs.set(key, this.loc(i));
      return this.flowEnd;
    });
    return this.flowDone(line, end, nested, map);
  }


  /** Where the last flow value read ended. */
  private flowEnd = 0;

  /** A value inside a one-line flow collection closed by `close`: a nested collection, or a quoted or plain scalar. */
  private flowNode(line: string, q: number, i: number, close: string): LNode {
    const c = line[q];
    if (c === '{') return this.flowMap(line, q, i, true);
    if (c === '[') return this.flowList(line, q, i, true);
    if (c === '"' || c === "'") {
      const [text, end] = c === '"' ? doubleQuoted(line, q) : singleQuoted(line, q);
      this.flowEnd = end;
      return this.scalar(text, i);
    }
    let e = q;
    while (e < line.length && line[e] !== ',' && line[e] !== close) e++;
    const text = line.slice(q, e).trimEnd();
    if (!text || /[[\]{}#:&*!|>%@`"']/.test(text) || ((text[0] === '-' || text[0] === '?') && (text.length === 1 || text[1] === ' '))) outside();
    this.flowEnd = e;
    return this.scalar(resolvePlain(text, this.version), i);
  }

  /** A `|` or `|-` block under a key at column `col` whose header is at `p` of line `i`. */
  private literal(i: number, p: number, col: number): [LScalar, number] {
    const header = /^\|(-?) *(#.*)?$/.exec(this.lines[i].slice(p));
    if (!header) outside();
    const strip = header[1] === '-';
    let k = i + 1;
    while (k < this.end && /^ *$/.test(this.lines[k])) k++;
    if (k >= this.end) outside();
    const indent = indentOf(this.lines[k]);
    if (indent <= col) outside();
    const content: string[] = [];
    let lastText = -1;
    for (k = i + 1; k < this.end; k++) {
      const line = this.lines[k];
      const blank = /^ *$/.test(line);
      if (blank) {
        if (line.length > indent) outside();
        content.push('');
        continue;
      }
      if (indentOf(line) < indent) break;
      content.push(line.slice(indent));
      lastText = content.length;
    }
    // The last line of the text without a line break after it: chomping differs there.
    if (i + lastText === this.lines.length - 1) outside();
    const text = content.slice(0, lastText).join('\n') + (strip ? '' : '\n');
    return [{ kind: 'scalar', value: text, loc: this.loc(i), contentLine: i + 2, tag: undefined }, k];
  }
}

function copy(n: LNode): LNode {
  if (n.kind === 'scalar') return { ...n, loc: { ...n.loc } };
  if (n.kind === 'seq') return { kind: 'seq', items: n.items.map(copy), loc: { ...n.loc } };
  const m: LMap = { kind: 'map', entries: new Map(), keyLocs: new Map(), loc: { ...n.loc } };
  for (const [k, v] of n.entries) {
    m.entries.set(k, copy(v));
    m.keyLocs.set(k, { ...n.keyLocs.get(k)! });
  }
  return m;
}

/** A one-line double-quoted scalar from `p` (the quote): its text and the column after the closing quote. */
function doubleQuoted(line: string, p: number): [string, number] {
  let out = '';
  for (let j = p + 1; j < line.length; j++) {
    const c = line[j];
    if (c === '"') return [out, j + 1];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = line[++j];
    if (e === '\\' || e === '"' || e === '/') out += e;
    else if (e === 'n') out += '\n';
    else if (e === 't') out += '\t';
    else outside();
  }
  return outside();
}

function singleQuoted(line: string, p: number): [string, number] {
  let out = '';
  for (let j = p + 1; j < line.length; j++) {
    const c = line[j];
    if (c !== "'") {
      out += c;
      continue;
    }
    if (line[j + 1] === "'") {
      out += "'";
      j++;
      continue;
    }
    return [out, j + 1];
  }
  return outside();
}
