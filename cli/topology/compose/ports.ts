// Compose `ports` in short ("127.0.0.1:2101:2001/tcp", "8000-8001:80-81",
// "9090") and long ({target, published, host_ip, protocol}) syntax, expanded to
// one entry per container port.

export interface PortSpec {
  target: number;
  published: number | null;
  hostIp?: string;
  protocol: 'tcp' | 'udp' | 'sctp';
}

function range(text: string): number[] | null {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) return null;
  const a = Number(m[1]);
  const b = m[2] === undefined ? a : Number(m[2]);
  if (b < a || b - a > 1000 || a < 1 || b > 65535) return null;
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

function protocolOf(p: string | undefined): PortSpec['protocol'] | null {
  const v = (p ?? 'tcp').toLowerCase();
  return v === 'tcp' || v === 'udp' || v === 'sctp' ? v : null;
}

/** Returns the expanded ports, or an error message describing the syntax problem. */
export function parseShortPort(spec: string): PortSpec[] | string {
  let rest = spec.trim();
  let proto: string | undefined;
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    proto = rest.slice(slash + 1);
    rest = rest.slice(0, slash);
  }
  const protocol = protocolOf(proto);
  if (!protocol) return `unknown protocol "${proto}"`;
  let hostIp: string | undefined;
  const v6 = /^\[([^\]]+)\]:(.*)$/.exec(rest);
  if (v6) {
    hostIp = v6[1];
    rest = v6[2];
  }
  const parts = rest.split(':');
  if (!hostIp && parts.length === 3) hostIp = parts.shift();
  if (parts.length > 2) return 'too many ":" separators';
  const targetText = parts.pop()!;
  const publishedText = parts.pop();
  const targets = range(targetText);
  if (!targets) return `"${targetText}" is not a container port or range`;
  if (publishedText === undefined || publishedText === '') {
    return targets.map((t) => ({ target: t, published: null, hostIp, protocol }));
  }
  const published = range(publishedText);
  if (!published) return `"${publishedText}" is not a host port or range`;
  if (published.length !== targets.length) return 'host and container port ranges differ in length';
  return targets.map((t, i) => ({ target: t, published: published[i], hostIp, protocol }));
}

export function parseLongPort(p: { target?: unknown; published?: unknown; host_ip?: unknown; protocol?: unknown }): PortSpec[] | string {
  const target = Number(p.target);
  if (!Number.isInteger(target) || target < 1 || target > 65535) return '`target` must be a port number';
  const protocol = protocolOf(p.protocol === undefined ? undefined : String(p.protocol));
  if (!protocol) return `unknown protocol "${String(p.protocol)}"`;
  let published: number | null = null;
  if (p.published !== undefined && p.published !== null && p.published !== '') {
    const r = range(String(p.published));
    if (!r) return `"${String(p.published)}" is not a host port`;
    published = r[0];
  }
  return [{ target, published, hostIp: p.host_ip === undefined ? undefined : String(p.host_ip), protocol }];
}
