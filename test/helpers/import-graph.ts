// The import graph of cli/, read from the sources (static imports, re-exports
// and dynamic import() of relative paths), for the structure test.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

export type Graph = Map<string, Set<string>>;

const IMPORT = /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : name.endsWith('.ts') ? [p] : [];
  });
}

/** Relative imports of one source text, resolved against its file (paths relative to root). */
export function importsOf(text: string, file: string, root: string): string[] {
  return [...text.matchAll(IMPORT)].map((m) => relative(root, resolve(dirname(join(root, file)), m[1] ?? m[2])));
}

/** File -> the files it imports, for every .ts file under `dir` (paths relative to root, '/' separated). */
export function fileGraph(root: string, dir = 'cli'): Graph {
  const g: Graph = new Map();
  for (const abs of sourceFiles(join(root, dir))) {
    const file = relative(root, abs).split(sep).join('/');
    g.set(file, new Set(importsOf(readFileSync(abs, 'utf8'), file, root).map((p) => p.split(sep).join('/'))));
  }
  return g;
}

/**
 * The folder graph: a file's unit is its top-level folder under `dir`
 * (cli/pipelines/steps/x.ts is in `pipelines`); a file directly in `dir`
 * (main.ts, errors.ts, context.ts) is a unit of its own.
 */
export function folderGraph(files: Graph, dir = 'cli'): Graph {
  const unit = (f: string) => {
    const parts = f.slice(dir.length + 1).split('/');
    return parts.length === 1 ? parts[0] : `${parts[0]}/`;
  };
  const g: Graph = new Map();
  for (const [from, tos] of files) {
    const u = unit(from);
    if (!g.has(u)) g.set(u, new Set());
    for (const to of tos) if (to.startsWith(`${dir}/`) && unit(to) !== u) g.get(u)!.add(unit(to));
  }
  return g;
}

/** Every cycle's nodes (strongly connected components of more than one node), each sorted. */
export function cycles(g: Graph): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of g.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of [...g.keys()].sort()) if (!idx.has(v)) visit(v);
  return out;
}

/** The edges inside one cycle, for a message that says which imports to cut. */
export function cycleEdges(g: Graph, nodes: string[]): string[] {
  return nodes.flatMap((a) => [...(g.get(a) ?? [])].filter((b) => nodes.includes(b)).map((b) => `${a} -> ${b}`));
}
