import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, parseRetryAfter } from '../../../backends/common/http.js';
import { clearSecrets, registerSecret } from '../../../src/index.js';

const BASE = 'https://api.example.test';

function client(extra: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}): HttpClient {
  return new HttpClient({ provider: 'Example', baseURL: BASE, minDelayMs: 1, maxDelayMs: 5, retries: 4, ...extra });
}

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => {
  nock.cleanAll();
  clearSecrets();
});
afterAll(() => nock.enableNetConnect());

describe('HttpClient', () => {
  it('sends JSON with auth headers and parses JSON replies', async () => {
    const scope = nock(BASE, { reqheaders: { authorization: 'apiKey k-123456', 'content-type': 'application/json' } })
      .post('/jobs', { a: 1 })
      .reply(200, { id: 'j1' });
    const res = await client({ headers: () => ({ Authorization: 'apiKey k-123456' }) }).request<{ id: string }>({
      method: 'POST',
      url: '/jobs',
      body: { a: 1 },
    });
    expect(res.data.id).toBe('j1');
    scope.done();
  });

  it('retries a GET on 503 and on a dropped connection, then succeeds', async () => {
    // A real socket drop (nock 14's replyWithError stalls axios until its timeout).
    let n = 0;
    const server = createServer((req, res) => {
      n++;
      if (n === 1) {
        res.writeHead(503).end('{"message":"busy"}');
      } else if (n === 2) {
        res.socket?.destroy();
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"done"}');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const c = new HttpClient({
        provider: 'Example',
        baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        minDelayMs: 1,
        maxDelayMs: 5,
      });
      const res = await c.request<{ status: string }>({ method: 'GET', url: '/jobs/1' });
      expect(res.data.status).toBe('done');
      expect(c.stats.retries).toBe(2);
      expect(n).toBe(3);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('honours Retry-After on 429, even for a POST (a rate-limited request was refused, not queued)', async () => {
    const scope = nock(BASE)
      .post('/jobs')
      .reply(429, { message: 'slow down' }, { 'Retry-After': '0.05' })
      .post('/jobs')
      .reply(201, { id: 'j' });
    const c = client({ minDelayMs: 1 });
    const t0 = Date.now();
    const res = await c.request({ method: 'POST', url: '/jobs', body: {} });
    expect(res.status).toBe(201);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(45);
    expect(c.stats.rateLimited).toBe(1);
    scope.done();
  });

  it('never blindly repeats a POST that may have created a job: 502 comes back as an ambiguous PROVIDER error', async () => {
    const scope = nock(BASE).post('/jobs').reply(502, 'bad gateway');
    const err = await client()
      .request({ method: 'POST', url: '/jobs', body: {}, what: 'submit job' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PROVIDER', retriable: false, details: { status: 502, ambiguous: true } });
    expect((err as Error).message).toContain('submit job');
    scope.done();
    expect(nock.pendingMocks()).toHaveLength(0);
  });

  it('retries a POST that carries an idempotency token like a GET', async () => {
    const scope = nock(BASE).post('/task').reply(500).post('/task').reply(201, { arn: 'a' });
    const res = await client().request({ method: 'POST', url: '/task', body: { clientToken: 't' }, idempotent: true });
    expect(res.status).toBe(201);
    scope.done();
  });

  it('maps 400/401/403/404/409 to typed errors without retrying', async () => {
    const cases: [number, string][] = [
      [400, 'VALIDATION'],
      [401, 'AUTH'],
      [403, 'AUTH'],
      [404, 'PROVIDER'],
      [409, 'PROVIDER'],
    ];
    for (const [status, code] of cases) {
      const scope = nock(BASE)
        .get('/x')
        .reply(status, { error: { message: `reason ${status}` } });
      const err = await client()
        .request({ method: 'GET', url: '/x' })
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ code, retriable: false, details: { status } });
      expect((err as Error).message).toContain(`reason ${status}`);
      scope.done();
    }
  });

  it('refreshes credentials once on a 401 and repeats the request', async () => {
    let token = 'old-token-1';
    const scope = nock(BASE)
      .get('/me')
      .matchHeader('authorization', 'Bearer old-token-1')
      .reply(401, { message: 'expired' })
      .get('/me')
      .matchHeader('authorization', 'Bearer new-token-2')
      .reply(200, { ok: true });
    const c = client({ headers: () => ({ Authorization: `Bearer ${token}` }), onUnauthorized: () => void (token = 'new-token-2') });
    const res = await c.request<{ ok: boolean }>({ method: 'GET', url: '/me' });
    expect(res.data.ok).toBe(true);
    scope.done();
  });

  it('treats malformed JSON from a GET as transient and retries', async () => {
    const scope = nock(BASE).get('/r').reply(200, '{"status": "comp').get('/r').reply(200, { status: 'completed' });
    const res = await client().request<{ status: string }>({ method: 'GET', url: '/r' });
    expect(res.data.status).toBe('completed');
    scope.done();
  });

  it('times out slow replies with a TIMEOUT error', async () => {
    nock(BASE).get('/slow').times(2).delay(200).reply(200, {});
    const err = await client({ timeoutMs: 50, retries: 1 })
      .request({ method: 'GET', url: '/slow' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'TIMEOUT' });
  });

  it('keeps secrets out of errors and traces, even when the provider echoes them', async () => {
    registerSecret('sk-very-secret-value');
    const lines: string[] = [];
    nock(BASE).get('/q').query(true).reply(403, { message: 'key sk-very-secret-value is not allowed' });
    const err = await client({ trace: (l) => lines.push(l) })
      .request({ method: 'GET', url: '/q', query: { apikey: 'sk-very-secret-value' } })
      .catch((e: unknown) => e as Error);
    expect((err as Error).message).not.toContain('sk-very-secret-value');
    expect(lines.join('\n')).not.toContain('sk-very-secret-value');
    expect(lines.length).toBeGreaterThan(0);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('0.5')).toBe(500);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
