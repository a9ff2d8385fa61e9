// The Docker Engine API's read calls over the local socket with node:http:
// what a warm `up` asks (version, image and container inspection, the
// container list) without loading dockerode, which costs a CLI run 0.2-0.8 s
// on the 2-core machine (it brings ssh2 and its crypto with it). Only for a
// unix socket (DOCKER_HOST unset or unix://); anything else goes through
// dockerode as before.
import { request } from 'node:http';

export function dockerSocketPath(env: NodeJS.ProcessEnv): string | null {
  const host = env.DOCKER_HOST;
  if (!host) return '/var/run/docker.sock';
  return host.startsWith('unix://') ? host.slice('unix://'.length) : null;
}

/** An answer of the Engine API with a status code: what the callers test (404 = no such object). */
export class DockerApiError extends Error {
  constructor(
    message: string,
    readonly statusCode: number,
  ) {
    super(message);
  }
}

/** GET `path` on the Engine API; the parsed JSON body, or DockerApiError with the daemon's message. */
export function dockerGet<T>(socketPath: string, path: string, timeoutMs = 30_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method: 'GET', headers: { host: 'docker', accept: 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        let body: any = null;
        try {
          body = text ? JSON.parse(text) : null;
        } catch {
          body = null;
        }
        if (status >= 200 && status < 300) resolve(body as T);
        else reject(new DockerApiError(`GET ${path}: HTTP ${status}${body?.message ? `: ${body.message}` : ''}`, status));
      });
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.end();
  });
}
