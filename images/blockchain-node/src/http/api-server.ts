// The HTTP API of a webserver node: routing, JSON bodies, API keys, rate
// limiting and the response envelope. Unknown routes are a JSON 404, never a
// catch-all 200 (upstream's catch-all made every probe pass).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { HostPort } from '../config/identity.ts';
import type { Logger } from '../log.ts';
import type { BlockchainNode } from '../node.ts';
import type { LimiterState, RateDecision } from '../ratelimit/rate-limiter.ts';
import { authorize, type ApiKeys } from './auth.ts';
import { errorEnvelope, HttpError, okEnvelope } from './envelope.ts';
import { routes, type Route } from './routes.ts';

const MAX_BODY_BYTES = 64 * 1024;

export interface RateLimiter {
  readonly state: LimiterState;
  check(ip: string | undefined): Promise<RateDecision>;
}

export const noRateLimiter: RateLimiter = { state: 'disabled', check: async () => ({ limited: false }) };

export class ApiServer {
  private server: Server | null = null;

  constructor(
    private readonly node: BlockchainNode,
    private readonly keys: ApiKeys,
    private readonly limiter: RateLimiter,
    private readonly log: Logger,
  ) {}

  get port(): number {
    const a = this.server?.address();
    return a && typeof a === 'object' ? a.port : 0;
  }

  async start(listen: HostPort): Promise<void> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((err: Error) => {
        this.log.error('unhandled error in HTTP handler', { path: (req.url ?? '/').split('?')[0], error: err.message });
        if (!res.headersSent) send(res, 500, errorEnvelope('internal error'));
        else res.destroy();
      });
    });
    server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(listen.port, listen.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.log.info('http api listening', { addr: `${listen.host}:${this.port}` });
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
    const matching = routes.filter((r) => r.pattern.test(url.pathname));
    const route = matching.find((r) => r.method === method);
    const started = Date.now();

    if (!route?.health) {
      const decision = await this.limiter.check(req.socket.remoteAddress);
      if (decision.headers) {
        res.setHeader('X-RateLimit-Limit', String(decision.headers.limit));
        res.setHeader('X-RateLimit-Remaining', String(decision.headers.remaining));
        res.setHeader('X-RateLimit-Reset', String(decision.headers.resetSeconds));
      }
      if (decision.limited) {
        res.setHeader('Retry-After', String(decision.headers?.resetSeconds ?? 1));
        return send(res, 429, errorEnvelope('rate limit exceeded'));
      }
    }

    let status: number;
    try {
      if (!route) {
        if (matching.length > 0) {
          res.setHeader('Allow', [...new Set(matching.map((r) => r.method))].join(', '));
          throw new HttpError(405, `method ${req.method} not allowed on ${url.pathname}`);
        }
        throw new HttpError(404, `no route ${req.method} ${url.pathname}`);
      }
      authorize(route.access, headerValue(req.headers['x-api-key']), this.keys);
      const body = route.method === 'POST' ? await readJsonBody(req) : null;
      const result = await route.handler({
        node: this.node,
        params: (route.pattern.exec(url.pathname) ?? []).slice(1),
        query: url.searchParams,
        body,
        limiterState: this.limiter.state,
      });
      status = result.status ?? 200;
      send(res, status, status < 400 ? okEnvelope(result.data) : errorEnvelope(result.error ?? 'error', result.data));
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      status = err.status;
      for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
      send(res, err.status, errorEnvelope(err.message));
    }
    this.log.debug('http request', { method: req.method, path: url.pathname, status, ms: Date.now() - started });
  }
}

const headerValue = (h: string | string[] | undefined): string | undefined => (Array.isArray(h) ? h[0] : h);

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  res.end(text);
}

async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown> | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `request body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, `malformed JSON body: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new HttpError(400, 'the JSON body must be an object');
  return parsed as Record<string, unknown>;
}

export type { Route };
