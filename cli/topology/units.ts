// The two platforms spell durations, memory and CPU differently ("1m30s" vs
// periodSeconds: 90; "512m" vs "512Mi"; cpus: "0.5" vs "500m"). Everything is
// normalised to seconds, bytes and cores before a rule compares it.

const DURATION_UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** Go-style duration ("1m30s", "500ms", "5s") in seconds; null when malformed. */
export function parseDuration(text: string | number | undefined | null): number | null {
  if (text === undefined || text === null) return null;
  if (typeof text === 'number') return text;
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g;
  let total = 0;
  let consumed = 0;
  for (const m of s.matchAll(re)) {
    total += Number(m[1]) * DURATION_UNITS[m[2]];
    consumed += m[0].length;
  }
  return consumed === s.length && consumed > 0 ? total : null;
}

const COMPOSE_BYTES: Record<string, number> = { b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4 };

/** Compose memory ("512m", "1g", "1024k", 536870912) in bytes. */
export function parseComposeBytes(v: string | number | undefined | null): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') return v;
  const m = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/.exec(v.trim());
  if (!m) return null;
  const unit = m[2].toLowerCase() || 'b';
  const f = COMPOSE_BYTES[unit];
  return f === undefined ? null : Math.round(Number(m[1]) * f);
}

const K8S_BYTES: Record<string, number> = {
  '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, Pi: 1024 ** 5, Ei: 1024 ** 6,
};

/** Kubernetes memory quantity ("512Mi", "1G", "1e9") in bytes. */
export function parseK8sBytes(v: string | number | undefined | null): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') return v;
  const s = v.trim();
  if (/^\d+(\.\d+)?[eE]\d+$/.test(s)) return Number(s);
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E|m)?$/.exec(s);
  if (!m) return null;
  if (m[2] === 'm') return Number(m[1]) / 1000;
  return Math.round(Number(m[1]) * K8S_BYTES[m[2] ?? '']);
}

/** CPU in cores: Compose "0.5" / 0.5, Kubernetes "500m" / "1" / 2. */
export function parseCpu(v: string | number | undefined | null): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') return v;
  const s = v.trim();
  const m = /^(\d+(?:\.\d+)?)(m)?$/.exec(s);
  if (!m) return null;
  return m[2] ? Number(m[1]) / 1000 : Number(m[1]);
}

export function formatBytes(n: number): string {
  for (const [unit, f] of [['Gi', 1024 ** 3], ['Mi', 1024 ** 2], ['Ki', 1024]] as const) {
    if (n >= f && n % f === 0) return `${n / f}${unit}`;
  }
  return `${n}B`;
}

export function formatCpu(n: number): string {
  return Number.isInteger(n) ? String(n) : `${Math.round(n * 1000)}m`;
}
