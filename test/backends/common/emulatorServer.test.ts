import { afterEach, describe, expect, it } from 'vitest';
import { EmulatorServer } from '../../../backends/common/emulatorServer.js';
import { FaultPlan, parseFaults } from '../../../backends/common/faults.js';
import { HttpClient } from '../../../backends/common/http.js';

let server: EmulatorServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(faults?: string): Promise<HttpClient> {
  let jobs = 0;
  server = new EmulatorServer({
    provider: 'toy',
    faults,
    authorize: (r) => (r.headers['authorization'] === 'Bearer ok-token' ? undefined : { status: 401, body: { message: 'bad token' } }),
    routes: [
      {
        method: 'POST',
        path: '/jobs',
        name: 'submit',
        handle: (r) => {
          server!.countSubmission((r.json as { token?: string }).token);
          return { status: 201, body: { id: `job-${++jobs}` } };
        },
      },
      { method: 'GET', path: '/jobs/:id', name: 'status', handle: (r) => ({ status: 200, body: { id: r.params['id'], status: 'done' } }) },
      {
        method: 'GET',
        path: '/files/:rest*',
        name: 'result',
        auth: false,
        handle: (r) => ({ status: 200, body: { path: r.params['rest'] } }),
      },
    ],
  });
  const url = await server.listen();
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  return new HttpClient({
    provider: 'toy',
    baseURL: url,
    minDelayMs: 1,
    maxDelayMs: 5,
    timeoutMs: 2000,
    headers: () => ({ Authorization: 'Bearer ok-token' }),
  });
}

describe('fault specs', () => {
  it('parse KIND[=ARG][xCOUNT][@ROUTE] and reject nonsense with the item named', () => {
    expect(parseFaults('429=2x3@submit,reset,slow=100@status')).toEqual([
      { kind: '429', arg: 2, remaining: 3, route: 'submit' },
      { kind: 'reset', remaining: 1, route: '*' },
      { kind: 'slow', arg: 100, remaining: 1, route: 'status' },
    ]);
    expect(() => parseFaults('429,boom')).toThrow(/item 2: unknown fault "boom"/);
    expect(() => parseFaults('500@nowhere')).toThrow(/unknown route "nowhere"/);
    const p = FaultPlan.from('failx2');
    expect(p.takeHttp('submit')).toBeUndefined();
    expect(p.takeJob()?.kind).toBe('fail');
    expect(p.pending()).toBe(1);
  });
});

describe('EmulatorServer', () => {
  it('routes with params, checks auth, counts submissions and duplicate tokens', async () => {
    const c = await start();
    expect((await c.request<{ id: string }>({ method: 'POST', url: '/jobs', body: { token: 't1' } })).data.id).toBe('job-1');
    await c.request({ method: 'POST', url: '/jobs', body: { token: 't1' } });
    expect(server!.stats).toMatchObject({ submissions: 2, duplicateSubmissions: 1 });
    expect((await c.request<{ path: string }>({ method: 'GET', url: '/files/a/b.json' })).data.path).toBe('a/b.json');
    const anon = new HttpClient({ provider: 'toy', baseURL: server!.baseUrl, retries: 0 });
    await expect(anon.request({ method: 'GET', url: '/jobs/1' })).rejects.toMatchObject({ code: 'AUTH' });
    await expect(c.request({ method: 'GET', url: '/nope' })).rejects.toMatchObject({ details: { status: 404 } });
  });

  it('injects 429 with Retry-After, 503 and malformed replies that a GET survives', async () => {
    const c = await start('429=0x1@status,503x2@status,malformed@status');
    const res = await c.request<{ status: string }>({ method: 'GET', url: '/jobs/9' });
    expect(res.data.status).toBe('done');
    expect(server!.faults.injected).toBe(4);
    expect(c.stats.retries).toBe(4);
  });

  it('a reset on submit is processed server-side but ambiguous to the client (no blind retry)', async () => {
    const c = await start('reset@submit');
    await expect(c.request({ method: 'POST', url: '/jobs', body: { token: 'x' } })).rejects.toMatchObject({ details: { ambiguous: true } });
    expect(server!.stats.submissions).toBe(1);
  });

  it('a slow reply trips the client timeout', async () => {
    const c = await start('slow=400x3@status');
    const quick = new HttpClient({
      provider: 'toy',
      baseURL: server!.baseUrl,
      timeoutMs: 100,
      retries: 1,
      minDelayMs: 1,
      headers: () => ({ Authorization: 'Bearer ok-token' }),
    });
    await expect(quick.request({ method: 'GET', url: '/jobs/1' })).rejects.toMatchObject({ code: 'TIMEOUT' });
    void c;
  });
});
