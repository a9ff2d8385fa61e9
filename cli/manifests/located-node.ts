// The located tree both YAML readers build (cli/manifests/located-yaml.ts and
// its fast path, block-yaml.ts): every value with the file and line where it
// was written.
import type { Location as Loc } from '../errors.ts';

export type FieldPath = Array<string | number>;

export type LNode = LMap | LSeq | LScalar;

export interface LMap {
  kind: 'map';
  entries: Map<string, LNode>;
  keyLocs: Map<string, Loc>;
  loc: Loc;
}
export interface LSeq {
  kind: 'seq';
  items: LNode[];
  loc: Loc;
}
export interface LScalar {
  kind: 'scalar';
  value: string | number | boolean | null;
  loc: Loc;
  /** Line of the scalar's first content line (the line after `|` for block scalars). */
  contentLine: number;
  tag?: string;
  /** Compose: what the value was written as before ${VAR} interpolation. */
  interpolation?: { raw: string; vars: InterpolatedVar[]; missing: string | null };
}

/** A Compose `${VAR}` that a located scalar's value was interpolated from, and where its value came from. */
export interface InterpolatedVar {
  name: string;
  source: 'environment' | 'env-file' | 'default' | 'unset';
  required: boolean;
}
