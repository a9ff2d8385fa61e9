// Secret values must never reach a log line, a plan or an error. The redactor
// knows two kinds of secret: values registered explicitly (generated API keys,
// Secret data) and the values of environment variables whose *name* says they
// are secret (BITCOIN_API_ADMIN_KEY, *_TOKEN, *_PASSWORD, ...).

export const SECRET_NAME_PATTERN = /(API[_-]?KEY|_KEY$|SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIAL)/i;
const MASK = '***';
// Values this short would mask ordinary words ("yes", "1"); nobody uses them as keys.
const MIN_SECRET_LENGTH = 4;

/** The redactor of the running command, for the entry point's error printer. */
let session: Redactor | undefined;
export function setSessionRedactor(r: Redactor): void {
  session = r;
}
export function sessionRedactor(env: NodeJS.ProcessEnv): Redactor {
  return session ?? new Redactor(env);
}

export class Redactor {
  private readonly values = new Set<string>();

  constructor(env: NodeJS.ProcessEnv = {}, extraNames: string[] = []) {
    this.addFromEnv(env, extraNames);
  }

  add(...values: Array<string | undefined | null>): this {
    for (const v of values) if (v && v.length >= MIN_SECRET_LENGTH) this.values.add(v);
    return this;
  }

  addFromEnv(env: NodeJS.ProcessEnv, extraNames: string[] = []): this {
    for (const [name, value] of Object.entries(env)) {
      if (SECRET_NAME_PATTERN.test(name) || extraNames.includes(name)) this.add(value);
    }
    return this;
  }

  get size(): number {
    return this.values.size;
  }

  redact(text: string): string {
    if (!text || this.values.size === 0) return text;
    // Longest first, so a secret containing another secret is masked whole.
    let out = text;
    for (const v of [...this.values].sort((a, b) => b.length - a.length)) out = out.split(v).join(MASK);
    return out;
  }

  /** `NAME=value` arguments and env entries whose name is secret are masked even if the value is new. */
  redactAssignment(arg: string): string {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(arg);
    if (m && SECRET_NAME_PATTERN.test(m[1]) && m[2]) return `${m[1]}=${MASK}`;
    return this.redact(arg);
  }
}
