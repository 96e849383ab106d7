import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  IbmBackend,
  IbmClient,
  TOKEN_TAG,
  ibmBackendFor,
  listIbmDevices,
  regionFromCrn,
  runtimeUrlForRegion,
  toIsaQasm,
} from '../../../backends/ibm/index.js';
import { CircuitBuilder, clearSecrets, isQError, targetFromIbm, type IbmConfiguration, type IbmProperties } from '../../../src/index.js';
import { OpenApiSpec, type Schema } from '../../helpers/openapi.js';

/**
 * Every exchange of the IBM adapter against nock, with the request and response bodies in the
 * documented shapes (research/providers.md §1; IBM's sampler_v2_schema.json for `params`).
 */
const IAM = 'https://iam.cloud.ibm.com';
const API = 'https://quantum.cloud.ibm.com';
const CRN = 'crn:v1:bluemix:public:quantum-computing:us-east:a/abc123:inst-9f::';
const KEY = 'ibm-test-api-key-0123456789';
const FIX = join(__dirname, '../../fixtures/devices');
const conf = JSON.parse(readFileSync(join(FIX, 'ibm_fez_q0-15.configuration.json'), 'utf8')) as IbmConfiguration & { max_shots?: number };
const props = JSON.parse(readFileSync(join(FIX, 'ibm_fez_q0-15.properties.json'), 'utf8')) as IbmProperties;
const target = targetFromIbm(conf, props);

/** The job body: IBM's `POST /jobs` fields and sampler_v2_schema's `params` (PUB items are checked by hand). */
const JOB_SCHEMA: Schema = {
  type: 'object',
  required: ['program_id', 'backend', 'params'],
  additionalProperties: false,
  properties: {
    program_id: { type: 'string', enum: ['sampler'] },
    backend: { type: 'string' },
    tags: { type: 'array', items: { type: 'string' } },
    session_id: { type: 'string' },
    params: {
      type: 'object',
      required: ['pubs', 'version'],
      additionalProperties: false,
      properties: {
        pubs: { type: 'array', minItems: 1, items: { type: 'array', minItems: 1, maxItems: 3 } },
        version: { enum: [2] },
        options: { type: 'object', properties: { default_shots: { type: 'integer', minimum: 1 } } },
        shots: { type: 'integer' },
        support_qiskit: { type: 'boolean' },
      },
    },
  },
};
const validator = new OpenApiSpec({});

let clock = 1_700_000_000_000;
const now = (): number => clock;

function client(extra: Partial<ConstructorParameters<typeof IbmClient>[0]> = {}): IbmClient {
  return new IbmClient({ apiKey: KEY, crn: CRN, env: {}, retries: 3, minDelayMs: 1, now, ...extra });
}
function backend(c = client()): IbmBackend {
  return new IbmBackend({ backend: 'ibm_fez', target, client: c, pollMs: 1 });
}
function iamReply(token: string, lifeS = 3600): nock.Scope {
  return nock(IAM, { reqheaders: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' } })
    .post('/identity/token', `grant_type=urn%3Aibm%3Aparams%3Aoauth%3Agrant-type%3Aapikey&apikey=${KEY}`)
    .reply(200, {
      access_token: token,
      refresh_token: 'not_supported',
      ims_user_id: 42,
      token_type: 'Bearer',
      expires_in: lifeS,
      expiration: Math.floor(clock / 1000) + lifeS,
      scope: 'ibm openid',
    });
}
/** The Runtime API expecting the three auth/version headers with `token`. */
function api(token: string): nock.Scope {
  return nock(API, {
    reqheaders: { authorization: `Bearer ${token}`, 'service-crn': CRN, 'ibm-api-version': '2026-04-15', accept: 'application/json' },
  });
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

describe('IBM endpoints and auth', () => {
  it('derives the Runtime URL from the CRN region (us-east bare host, eu-de prefixed)', () => {
    expect(regionFromCrn(CRN)).toBe('us-east');
    expect(runtimeUrlForRegion('us-east')).toBe('https://quantum.cloud.ibm.com/api/v1');
    expect(client({ crn: CRN.replace('us-east', 'eu-de') }).url).toBe('https://eu-de.quantum.cloud.ibm.com/api/v1');
    expect(client({ env: { QBRIDGE_IBM_URL: 'http://127.0.0.1:9/api/v1/' } }).url).toBe('http://127.0.0.1:9/api/v1');
    expect(() => client({ crn: 'not-a-crn' })).toThrow(/QBRIDGE_IBM_CRN is not an instance CRN/);
    expect(() => new IbmClient({ env: {} })).toThrow(/set QBRIDGE_IBM_API_KEY/);
  });

  it('exchanges the API key once (form body), reuses the token, and refreshes it at 80% of its life', async () => {
    clock = 1_700_000_000_000;
    const c = client();
    const iam1 = iamReply('tok-A');
    const calls = api('tok-A')
      .get('/api/v1/backends')
      .times(2)
      .reply(200, { devices: [{ name: 'ibm_fez', status: { name: 'online' }, qubits: 156, queue_length: 3 }] });
    await listIbmDevices({ client: c });
    const devices = await listIbmDevices({ client: c });
    expect(devices).toEqual([{ provider: 'ibm', name: 'ibm_fez', numQubits: 156, status: 'online', queue: 3, simulator: false }]);
    expect(c.tokens.exchanges).toBe(1);
    iam1.done();
    calls.done();
    // 50 minutes later (past 80% of 60): a new exchange happens before the call, not after a 401.
    clock += 50 * 60_000;
    const iam2 = iamReply('tok-B');
    const after = api('tok-B').get('/api/v1/backends').reply(200, { devices: [] });
    expect(await listIbmDevices({ client: c })).toEqual([]);
    expect(c.tokens.exchanges).toBe(2);
    iam2.done();
    after.done();
  });

  it('refreshes the token once on a 401 and repeats the request', async () => {
    const c = client();
    iamReply('tok-old');
    api('tok-old')
      .get('/api/v1/jobs/j-1')
      .query({ exclude_params: 'true' })
      .reply(401, { errors: [{ code: '1001', message: 'token expired' }] });
    iamReply('tok-new');
    const ok = api('tok-new')
      .get('/api/v1/jobs/j-1')
      .query({ exclude_params: 'true' })
      .reply(200, { id: 'j-1', backend: 'ibm_fez', state: { status: 'Running' }, status: 'Running' });
    const info = await c.job('j-1');
    expect(info.state?.status).toBe('Running');
    expect(c.tokens.exchanges).toBe(2);
    ok.done();
  });

  it('maps a refused API key (IAM 400 BXNIM0415E) to AUTH without leaking the key', async () => {
    nock(IAM).post('/identity/token').reply(400, { errorCode: 'BXNIM0415E', errorMessage: 'Provided API key could not be found.' });
    const e = await client()
      .listBackends()
      .catch((x: unknown) => x);
    expect(isQError(e) && e.code).toBe('AUTH');
    expect(String((e as Error).message)).toMatch(/QBRIDGE_IBM_API_KEY/);
    expect(String((e as Error).message)).not.toContain(KEY);
  });

  it('builds the Target from configuration and properties (targetFromIbm) with max_shots as the limit', async () => {
    iamReply('tok');
    api('tok')
      .get('/api/v1/backends/ibm_fez/configuration')
      .reply(200, { ...conf, max_shots: 50_000 });
    api('tok').get('/api/v1/backends/ibm_fez/properties').reply(200, props);
    const b = await ibmBackendFor('ibm_fez', { client: client() });
    expect(b.numQubits).toBe(16);
    expect(b.capabilities).toMatchObject({ maxShots: 50_000, parametric: true, exact: false, noise: 'device', paid: true });
    expect([...b.target.instructions.keys()].sort()).toEqual(['cz', 'id', 'measure', 'rz', 'sx', 'x']);
    expect(b.target.instructions.get('cz')?.get('0,1')?.error).toBeGreaterThan(0);
  });

  it('says which backend is missing on a 404', async () => {
    iamReply('tok');
    api('tok')
      .get('/api/v1/backends/ibm_nowhere/configuration')
      .reply(404, { errors: [{ code: '1216', message: 'Backend not found' }] });
    api('tok')
      .get('/api/v1/backends/ibm_nowhere/properties')
      .reply(404, { errors: [{ code: '1216', message: 'Backend not found' }] });
    await expect(ibmBackendFor('ibm_nowhere', { client: client() })).rejects.toMatchObject({
      code: 'VALIDATION',
      message: /no backend 'ibm_nowhere'/,
    });
  });
});

describe('IBM jobs', () => {
  const ansatz = new CircuitBuilder(2).ry('theta', 0).rx('phi', 1).cx(0, 1).measureAll().build();

  it('submits ONE sampler job: ISA OpenQASM 3 with sorted inputs, a value row per binding, shots, and the token tag', async () => {
    let body: Record<string, unknown> | undefined;
    iamReply('tok');
    const post = api('tok')
      .matchHeader('content-type', 'application/json')
      .post('/api/v1/jobs', (b: Record<string, unknown>) => ((body = b), true))
      .reply(200, { id: 'd1k2j3', backend: 'ibm_fez' });
    const bindings = [
      { theta: 0.1, phi: 1.5 },
      { theta: 0.2, phi: 2.5 },
      { theta: 0.3, phi: 3.5 },
    ];
    const job = await backend().submit({ runs: [{ circuit: ansatz, bindings }], shots: 1000 }, { clientToken: 'ct-77' });
    post.done();
    expect(job.id).toBe('d1k2j3');
    expect(job.status).toBe('submitted');
    expect(validator.validate(body, JOB_SCHEMA)).toEqual([]);
    const params = body!['params'] as { pubs: [string, number[][], number][]; options: { default_shots: number } };
    expect(body!['program_id']).toBe('sampler');
    expect(body!['backend']).toBe('ibm_fez');
    expect(body!['tags']).toEqual(['qbridge', `${TOKEN_TAG}ct-77`]);
    expect(params.options).toEqual({ default_shots: 1000 });
    expect(params.pubs).toHaveLength(1);
    const [qasm, values, shots] = params.pubs[0]!;
    expect(shots).toBe(1000);
    // Inputs declared in name order (phi before theta); the value columns follow it.
    expect(qasm.indexOf('input float[64] phi;')).toBeGreaterThan(0);
    expect(qasm.indexOf('input float[64] phi;')).toBeLessThan(qasm.indexOf('input float[64] theta;'));
    expect(values).toEqual([
      [1.5, 0.1],
      [2.5, 0.2],
      [3.5, 0.3],
    ]);
    // ISA: physical qubits, only basis gates, no qubit register; the same text the translator makes.
    expect(qasm).toMatch(/\$\d+/);
    expect(qasm).not.toMatch(/qubit\[|\bcx\b|\bry\b|\brx\b/);
    expect(qasm).toBe(toIsaQasm(ansatz, { target }).qasm);
  });

  it('polls Queued -> Running -> Completed, then decodes hex samples (asymmetric state, two registers)', async () => {
    // Register a (2 bits) then b (1 bit): classical bits a[0] a[1] b[0]; state a=01 (a[0]=1), b=1.
    const c = new CircuitBuilder(3).clbitRegister('a', 2).clbitRegister('b', 1).x(0).x(2).measureAll().build();
    iamReply('tok');
    const s = api('tok');
    s.post('/api/v1/jobs').reply(200, { id: 'job-2', backend: 'ibm_fez' });
    for (const st of ['Queued', 'Running', 'Completed'])
      s.get('/api/v1/jobs/job-2')
        .query({ exclude_params: 'true' })
        .reply(200, { id: 'job-2', backend: 'ibm_fez', status: st, state: { status: st } });
    s.get('/api/v1/jobs/job-2/results').reply(200, {
      results: [
        {
          data: {
            a: { samples: ['0x1', '0x1', '0x3', '0x1'], num_bits: 2 },
            b: { samples: ['0x1', '0x0', '0x1', '0x1'], num_bits: 1 },
          },
          metadata: { circuit_metadata: {} },
        },
      ],
      metadata: { execution: { execution_spans: [] }, version: 2 },
    });
    const job = await backend().submit({ runs: [{ circuit: c }], shots: 4 });
    const seen: string[] = [];
    for (let k = 0; k < 3; k++) seen.push(await job.refresh());
    expect(seen).toEqual(['queued', 'running', 'done']);
    const res = await job.wait({ pollMs: 1 });
    // key = b[0] a[1] a[0]
    expect(res.results[0]![0]).toEqual({ counts: { '101': 2, '001': 1, '111': 1 }, shots: 4 });
    expect(res.metadata).toMatchObject({ provider: 'ibm', device: 'ibm_fez', ibm: { version: 2 } });
    s.done();
  });

  it('decodes per-binding sample arrays in order', async () => {
    const c = new CircuitBuilder(1).ry('theta', 0).measureAll().build();
    iamReply('tok');
    const s = api('tok');
    s.post('/api/v1/jobs').reply(200, { id: 'job-3' });
    s.get('/api/v1/jobs/job-3')
      .query({ exclude_params: 'true' })
      .reply(200, { id: 'job-3', state: { status: 'Completed' } });
    s.get('/api/v1/jobs/job-3/results').reply(200, {
      results: [
        {
          data: {
            c: {
              samples: [
                ['0x0', '0x0', '0x0'],
                ['0x1', '0x1', '0x0'],
              ],
            },
          },
          metadata: {},
        },
      ],
      metadata: { version: 2 },
    });
    const job = await backend().submit({ runs: [{ circuit: c, bindings: [{ theta: 0 }, { theta: 3 }] }], shots: 3 });
    const res = await job.wait({ pollMs: 1 });
    expect(res.results[0]!.map((r) => r.counts)).toEqual([{ '0': 3 }, { '1': 2, '0': 1 }]);
  });

  it('reports a failed job with its reason and code, and a cancelled one as CANCELLED', async () => {
    const c = new CircuitBuilder(1).h(0).measureAll().build();
    iamReply('tok');
    const s = api('tok');
    s.post('/api/v1/jobs').reply(200, { id: 'job-4' });
    s.post('/api/v1/jobs').reply(200, { id: 'job-5' });
    s.get('/api/v1/jobs/job-4')
      .query(true)
      .reply(200, { id: 'job-4', state: { status: 'Failed', reason: 'Instruction not in target', reason_code: 1517 } });
    s.get('/api/v1/jobs/job-5')
      .query(true)
      .reply(200, { id: 'job-5', state: { status: 'Cancelled', reason_code: 1305 } });
    const b = backend();
    const failed = await b.submit({ runs: [{ circuit: c }], shots: 10 });
    await expect(failed.wait({ pollMs: 1 })).rejects.toMatchObject({
      code: 'JOB_FAILED',
      message: /error code 1517; Instruction not in target/,
    });
    const cancelled = await b.submit({ runs: [{ circuit: c }], shots: 10 });
    await expect(cancelled.wait({ pollMs: 1 })).rejects.toMatchObject({ code: 'CANCELLED', message: /maximum execution time/ });
  });

  it('cancels with POST /jobs/{id}/cancel (204) and reads the final state', async () => {
    const c = new CircuitBuilder(1).h(0).measureAll().build();
    iamReply('tok');
    const s = api('tok');
    s.post('/api/v1/jobs').reply(200, { id: 'job-6' });
    s.post('/api/v1/jobs/job-6/cancel').reply(204);
    s.get('/api/v1/jobs/job-6')
      .query(true)
      .reply(200, { id: 'job-6', state: { status: 'Cancelled' } });
    const job = await backend().submit({ runs: [{ circuit: c }], shots: 10 });
    await job.cancel();
    expect(job.status).toBe('cancelled');
    s.done();
  });

  it('finds a job by its token tag (GET /jobs?tags=...) and attaches with the job params', async () => {
    const c = new CircuitBuilder(2).x(1).measureAll().build();
    const qasm = toIsaQasm(c, { target }).qasm;
    iamReply('tok');
    const s = api('tok');
    s.get('/api/v1/jobs')
      .query({ limit: '5', exclude_params: 'true', tags: `${TOKEN_TAG}tok-1`, backend: 'ibm_fez' })
      .reply(200, {
        jobs: [{ id: 'job-7', backend: 'ibm_fez', state: { status: 'Running' }, tags: ['qbridge', `${TOKEN_TAG}tok-1`] }],
        count: 1,
        limit: 5,
        offset: 0,
      });
    s.get('/api/v1/jobs/job-7').reply(200, {
      id: 'job-7',
      state: { status: 'Completed' },
      tags: ['qbridge'],
      params: { pubs: [[qasm, null, 2]], version: 2 },
    });
    s.get('/api/v1/jobs/job-7/results').reply(200, { results: [{ data: { c: { samples: ['0x2', '0x2'] } } }] });
    s.get('/api/v1/jobs').query(true).reply(200, { jobs: [], count: 0, limit: 5, offset: 0 });
    const b = backend();
    const found = await b.find('tok-1');
    expect(found?.id).toBe('job-7');
    expect(found?.status).toBe('done');
    expect((await found!.wait({ pollMs: 1 })).results[0]![0]!.counts).toEqual({ '10': 2 });
    expect(await b.find('tok-unknown')).toBeUndefined();
    s.done();
  });
});

describe('IBM attach and sessions', () => {
  it('attaches with the original request when the job record carries no params', async () => {
    const c = new CircuitBuilder(2).x(0).measureAll().build();
    iamReply('tok');
    const s = api('tok');
    s.get('/api/v1/jobs/job-9').reply(200, { id: 'job-9', state: { status: 'Completed' } });
    s.get('/api/v1/jobs/job-9/results').reply(200, {
      results: [{ data: { c: { samples: ['0x1'] } } }, { data: { c: { samples: ['0x1', '0x1'] } } }],
    });
    const job = await backend().attach('job-9', { request: { runs: [{ circuit: c, bindings: [{}, {}] }], shots: 1 } });
    const res = await job.wait({ pollMs: 1 });
    expect(res.results[0]!.map((r) => r.counts)).toEqual([{ '01': 1 }, { '01': 2 }]);
    s.done();
  });

  it('opens a batch (POST /sessions mode batch), sends session_id with each job, and closes it with PATCH', async () => {
    const bodies: unknown[] = [];
    iamReply('tok');
    const s = api('tok');
    s.post('/api/v1/sessions', (b: unknown) => (bodies.push(b), true)).reply(200, { id: 'sess-1', mode: 'batch' });
    s.post('/api/v1/jobs', (b: Record<string, unknown>) => b['session_id'] === 'sess-1')
      .times(2)
      .reply(200, { id: 'job-10' });
    s.patch('/api/v1/sessions/sess-1', { accepting_jobs: false }).reply(204);
    const b = new IbmBackend({ backend: 'ibm_fez', target, client: client(), mode: 'batch' });
    const c = new CircuitBuilder(1).h(0).measureAll().build();
    await b.submit({ runs: [{ circuit: c }], shots: 5 });
    await b.submit({ runs: [{ circuit: c }], shots: 5 });
    await b.closeSession();
    expect(bodies).toEqual([{ backend: 'ibm_fez', mode: 'batch' }]);
    s.done();
  });
});

describe('IBM error mapping', () => {
  const c = new CircuitBuilder(1).h(0).measureAll().build();
  const req = { runs: [{ circuit: c }], shots: 10 };

  it.each([
    [401, 'AUTH'],
    [403, 'AUTH'],
    [400, 'VALIDATION'],
    [409, 'BUDGET'],
  ])('maps a %i on submit to %s', async (status, code) => {
    iamReply('tok');
    if (status === 401) iamReply('tok'); // the one refresh after a 401
    api('tok')
      .post('/api/v1/jobs')
      .times(status === 401 ? 2 : 1)
      .reply(status, { errors: [{ code: String(status), message: status === 409 ? 'Usage exceeds instance limit' : 'refused' }] });
    const e = await backend()
      .submit(req)
      .catch((x: unknown) => x);
    expect(isQError(e) && e.code).toBe(code);
    if (status === 409) expect((e as Error).message).toMatch(/Usage exceeds instance limit/);
  });

  it('maps a 404 on a job read to a PROVIDER error naming the status', async () => {
    iamReply('tok');
    api('tok')
      .get('/api/v1/jobs/nope')
      .query(true)
      .reply(404, { errors: [{ code: '1291', message: 'Job not found' }] });
    await expect(client().job('nope')).rejects.toMatchObject({ code: 'PROVIDER', details: { status: 404 }, message: /Job not found/ });
  });

  it('honours Retry-After on a 429 to the submit POST and sends it again (a 429 is a refusal)', async () => {
    iamReply('tok');
    const s = api('tok');
    s.post('/api/v1/jobs').reply(429, { errors: [{ message: 'Too many requests' }] }, { 'Retry-After': '0' });
    s.post('/api/v1/jobs').reply(200, { id: 'job-8' });
    const c0 = client();
    const job = await backend(c0).submit(req);
    expect(job.id).toBe('job-8');
    expect(c0.http.stats.rateLimited).toBe(1);
    s.done();
  });

  it('retries a GET on 503 and 500', async () => {
    iamReply('tok');
    const s = api('tok');
    s.get('/api/v1/jobs/j').query(true).reply(503, 'maintenance');
    s.get('/api/v1/jobs/j')
      .query(true)
      .reply(500, { errors: [{ message: 'oops' }] });
    s.get('/api/v1/jobs/j')
      .query(true)
      .reply(200, { id: 'j', state: { status: 'Queued' } });
    expect((await client().job('j')).state?.status).toBe('Queued');
    s.done();
  });

  it('never re-sends the submit POST after a 502: one POST, an ambiguous PROVIDER error', async () => {
    iamReply('tok');
    let posts = 0;
    api('tok')
      .post('/api/v1/jobs')
      .times(3)
      .reply(() => {
        posts++;
        return [502, { errors: [{ message: 'bad gateway' }] }];
      });
    const e = await backend()
      .submit(req, { clientToken: 'ct-1' })
      .catch((x: unknown) => x);
    expect(posts).toBe(1);
    expect(isQError(e) && e.code).toBe('PROVIDER');
    expect((e as { details: Record<string, unknown> }).details).toMatchObject({ status: 502, ambiguous: true });
  });

  it('refuses requests over IBM limits before sending anything', async () => {
    const b = backend();
    await expect(b.submit({ runs: [{ circuit: c }], shots: 100_001 })).rejects.toMatchObject({ code: 'VALIDATION' });
    const many = Array.from({ length: 60 }, () => ({}));
    await expect(b.submit({ runs: [{ circuit: c, bindings: many }], shots: 100_000 })).rejects.toMatchObject({
      code: 'VALIDATION',
      message: /exceed IBM's limit of 5000000/,
    });
    const unmeasured = new CircuitBuilder(1).h(0).build();
    await expect(b.submit({ runs: [{ circuit: unmeasured }], shots: 10 })).rejects.toMatchObject({
      code: 'VALIDATION',
      message: /measures nothing/,
    });
    expect(nock.pendingMocks()).toEqual([]);
  });
});
