import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultPlan, type Fault, type RouteName } from './faults.js';

/**
 * The shared machinery of the provider emulators: a node:http server on 127.0.0.1 with a route
 * table, credential checks, fault injection and counters. Each provider's emulator (in
 * `backends/<vendor>/emulator.ts`) supplies routes that speak its documented REST subset.
 */
export interface EmulatorRequest {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  /** Raw body text. */
  readonly text: string;
  /** Parsed JSON body, or undefined when the body is empty or not JSON. */
  readonly json: unknown;
}

export interface EmulatorReply {
  readonly status: number;
  /** JSON-serialised unless `raw` is set. */
  readonly body?: unknown;
  readonly raw?: string | Buffer;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface EmulatorRoute {
  readonly method: string;
  /** Path with `:name` segments (a `:name*` segment matches the rest, slashes included). */
  readonly path: string;
  /** Which fault route this is (for `@ROUTE` in fault specs). */
  readonly name: RouteName;
  /** Whether the route checks credentials with `authorize` (default true). */
  readonly auth?: boolean;
  handle(req: EmulatorRequest): EmulatorReply | Promise<EmulatorReply>;
}

export interface EmulatorStats {
  requests: number;
  /** Job submissions accepted (each creates a job). */
  submissions: number;
  /** Submissions that repeated an idempotency token already seen (must stay 0 for well-behaved clients). */
  duplicateSubmissions: number;
  byRoute: Record<string, number>;
}

export interface EmulatorServerOptions {
  readonly provider: string;
  readonly routes: readonly EmulatorRoute[];
  /** Returns an error reply when the request's credentials are missing or wrong, else undefined. */
  readonly authorize?: (req: EmulatorRequest) => EmulatorReply | undefined;
  readonly faults?: FaultPlan | string;
}

interface CompiledRoute {
  readonly route: EmulatorRoute;
  readonly re: RegExp;
  readonly names: string[];
}

function compile(route: EmulatorRoute): CompiledRoute {
  const names: string[] = [];
  const src = route.path
    .split('/')
    .map((seg) => {
      const m = /^:([A-Za-z_]+)(\*)?$/.exec(seg);
      if (!m) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(m[1]!);
      return m[2] ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { route, re: new RegExp(`^${src}/?$`), names };
}

export class EmulatorServer {
  readonly stats: EmulatorStats = { requests: 0, submissions: 0, duplicateSubmissions: 0, byRoute: {} };
  readonly faults: FaultPlan;
  private readonly routes: CompiledRoute[];
  private server: Server | undefined;
  private readonly tokens = new Set<string>();
  baseUrl = '';

  constructor(private readonly options: EmulatorServerOptions) {
    this.routes = options.routes.map(compile);
    this.faults = options.faults instanceof FaultPlan ? options.faults : FaultPlan.from(options.faults);
  }

  /** Records a submission; a repeated idempotency token counts as a duplicate. */
  countSubmission(token?: string): void {
    this.stats.submissions++;
    if (token !== undefined && token !== '') {
      if (this.tokens.has(token)) this.stats.duplicateSubmissions++;
      this.tokens.add(token);
    }
  }

  /** Starts listening on 127.0.0.1 (port 0 picks a free one) and returns the base URL. */
  async listen(port = 0, basePath = ''): Promise<string> {
    const server = createServer((req, res) => {
      void this.dispatch(req, res).catch((e: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ message: `emulator error: ${(e as Error).message}` }));
        } else res.destroy();
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const addr = server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${addr.port}${basePath}`;
    return this.baseUrl;
  }

  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = undefined;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    this.stats.requests++;
    let json: unknown;
    if (text !== '') {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    const path = decodeURIComponent(url.pathname);
    let match: { route: EmulatorRoute; params: Record<string, string> } | undefined;
    for (const r of this.routes) {
      if (r.route.method !== method) continue;
      const m = r.re.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      r.names.forEach((n, i) => (params[n] = m[i + 1]!));
      match = { route: r.route, params };
      break;
    }
    if (!match) {
      send(res, { status: 404, body: { message: `no such endpoint: ${method} ${path}` } });
      return;
    }
    const { route, params } = match;
    this.stats.byRoute[route.name] = (this.stats.byRoute[route.name] ?? 0) + 1;
    const request: EmulatorRequest = { method, path, params, query: url.searchParams, headers: req.headers, text, json };

    if (route.auth !== false) {
      const denied = this.options.authorize?.(request);
      if (denied) {
        send(res, denied);
        return;
      }
    }
    const fault = this.faults.takeHttp(route.name);
    if (fault && (await this.injectBefore(fault, res))) return;
    const reply = await route.handle(request);
    if (fault?.kind === 'reset') {
      // The work is done but the client never hears back: the ambiguous case clients must survive.
      res.socket?.destroy();
      return;
    }
    if (fault?.kind === 'malformed' && reply.status < 300) {
      const whole = reply.raw ?? JSON.stringify(reply.body ?? {});
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(String(whole).slice(0, Math.max(1, Math.floor(String(whole).length / 2))));
      return;
    }
    send(res, reply);
  }

  /** Applies a fault that replaces the reply; true when the reply has been sent. */
  private async injectBefore(f: Fault, res: ServerResponse): Promise<boolean> {
    switch (f.kind) {
      case '429':
        send(res, { status: 429, body: { message: 'Too many requests' }, headers: { 'retry-after': String(f.arg ?? 1) } });
        return true;
      case '500':
      case '502':
      case '503':
        send(res, { status: Number(f.kind), body: { message: 'injected server error' } });
        return true;
      case 'slow':
        await new Promise((r) => setTimeout(r, f.arg ?? 5000));
        return false;
      case 'expire-token':
        send(res, { status: 401, body: { message: 'token expired' } });
        return true;
      default:
        return false;
    }
  }
}

function send(res: ServerResponse, reply: EmulatorReply): void {
  if (res.destroyed) return;
  const headers: Record<string, string> = { ...reply.headers };
  let payload: string | Buffer = '';
  if (reply.raw !== undefined) payload = reply.raw;
  else if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body);
    headers['content-type'] ??= 'application/json';
  }
  res.writeHead(reply.status, headers);
  res.end(payload);
}
