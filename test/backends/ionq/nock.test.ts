import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CircuitBuilder, clearSecrets, isQError, presetTarget, targetFromIonq, type Target } from '../../../src/index.js';
import { IonqBackend, IonqClient, ionqBackendFor, listIonqDevices, type IonqBackendOptions } from '../../../backends/ionq/index.js';
import { OpenApiSpec, type Schema } from '../../helpers/openapi.js';

/**
 * The adapter against IonQ's documented v0.4 API, with nock: every request body the adapter sends
 * and every response body served here is validated against the official OpenAPI document.
 */
const SPEC = OpenApiSpec.load('/work/shared/providers/ionq/openapi-v0.4.json');
const BASE = 'https://api.ionq.co/v0.4';
const KEY = 'ionq-test-key-0123456789';
const JOB = '617a1f8b-59d4-435d-aa33-695433d7155e';
const simTarget: Target = targetFromIonq({ backend: 'simulator', qubits: 29, fidelity: {} });

function must(value: unknown, schema: Schema | undefined, ignore: string[] = []): void {
  expect(schema, 'the spec documents this body').toBeDefined();
  expect(SPEC.validate(value, schema as Schema, { ignore })).toEqual([]);
}
const requestSchema = SPEC.requestSchema('POST', '/jobs');
const createdSchema = SPEC.responseSchema('POST', '/jobs', 201);
const jobSchema = SPEC.responseSchema('GET', '/jobs/{UUID}', 200);
const cancelSchema = SPEC.responseSchema('PUT', '/jobs/{UUID}/status/cancel', 200);
const probsSchema = SPEC.responseSchema('GET', '/jobs/{UUID}/results/probabilities', 200);
const errorSchema = SPEC.schema('Error');

/** A reply body checked against the spec before it is served. */
function served<T>(body: T, schema: Schema | undefined): T {
  must(body, schema);
  return body;
}

function backend(extra: Partial<IonqBackendOptions> = {}): IonqBackend {
  return new IonqBackend({ backend: 'simulator', target: simTarget, apiKey: KEY, baseUrl: BASE, retries: 3, minDelayMs: 1, ...extra });
}

function jobDoc(status: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: JOB,
    status,
    type: 'ionq.circuit.v1',
    backend: 'simulator',
    dry_run: false,
    submitter_id: '64b03577072d45001c85e9c4',
    project_id: null,
    parent_job_id: null,
    child_job_ids: null,
    session_id: null,
    metadata: null,
    name: 'qbridge',
    submitted_at: '2026-06-11T20:47:05.440Z',
    started_at: status === 'submitted' || status === 'ready' ? null : '2026-06-11T20:47:10.000Z',
    completed_at: status === 'completed' ? '2026-06-11T20:47:15.000Z' : null,
    predicted_wait_time_ms: null,
    predicted_execution_duration_ms: null,
    execution_duration_ms: status === 'completed' ? 4200 : null,
    failure: null,
    output: {},
    settings: {},
    stats: { qubits: 3, circuits: 1, gate_counts: { '1q': 2, '2q': 1 } },
    results:
      status === 'completed'
        ? {
            'ionq.result.probabilities.json.v1': {
              id: 'probabilities',
              format: 'ionq.result.probabilities.json.v1',
              media_type: 'application/json',
            },
          }
        : null,
    ...extra,
  };
}

let posted: unknown[] = [];
function capture(body: unknown): boolean {
  posted.push(body);
  return true;
}

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => {
  nock.cleanAll();
  clearSecrets();
  posted = [];
});
afterAll(() => nock.enableNetConnect());

// Asymmetric: X on qubit 2, Bell pair on 0,1; qubit 1 measured into clbit 0, qubit 0 into clbit 1.
const asym = new CircuitBuilder(3).h(0).cx(0, 1).x(2).measure(1, 0).measure(0, 1).measure(2, 2).build();

describe('IonQ v0.4 adapter (nock, bodies validated against openapi-v0.4.json)', () => {
  it('submits a QIS circuit with the apiKey header, polls submitted -> ready -> started -> completed, decodes little-endian decimal keys', async () => {
    const scope = nock(BASE, { reqheaders: { authorization: `apiKey ${KEY}` } })
      .post('/jobs', capture)
      .reply(201, served({ id: JOB, status: 'submitted', session_id: null }, createdSchema))
      .get(`/jobs/${JOB}`)
      .reply(200, served(jobDoc('submitted'), jobSchema))
      .get(`/jobs/${JOB}`)
      .reply(200, served(jobDoc('ready'), jobSchema))
      .get(`/jobs/${JOB}`)
      .reply(200, served(jobDoc('started'), jobSchema))
      .get(`/jobs/${JOB}`)
      .reply(200, served(jobDoc('completed'), jobSchema))
      // qubit state 4 = q2 only; 7 = all three (decimal, qubit 0 = bit 0)
      .get(`/jobs/${JOB}/results/probabilities`)
      .reply(200, served({ '4': 0.5003, '7': 0.4997 }, probsSchema));
    const b = backend();
    const job = await b.submit({ runs: [{ circuit: asym }], shots: 1001 }, { clientToken: 'tok-1' });
    const seen: string[] = [job.status];
    for (let i = 0; i < 3; i++) seen.push(await job.refresh());
    expect(seen).toEqual(['submitted', 'submitted', 'queued', 'running']);
    const res = await job.wait({ pollMs: 1 });
    expect(job.status).toBe('done');
    // largest remainder: 0.5003·1001 = 500.80 and 0.4997·1001 = 500.20 -> 501 + 500 = 1001 exactly
    expect(res.results[0][0]).toEqual({ counts: { '100': 501, '111': 500 }, shots: 1001 });
    expect(String(res.metadata.countsFrom)).toMatch(/largest remainder/);
    scope.done();

    const body = posted[0] as Record<string, unknown>;
    must(body, requestSchema);
    expect(body.type).toBe('ionq.circuit.v1');
    expect(body.backend).toBe('simulator');
    expect(body.shots).toBe(1001);
    expect(body.input).toEqual({
      qubits: 3,
      gateset: 'qis',
      circuit: [
        { gate: 'h', target: 0 },
        { gate: 'cnot', control: 0, target: 1 },
        { gate: 'x', target: 2 },
      ],
    });
    expect((body.metadata as Record<string, string>).qbridge_token).toBe('tok-1');
  });

  it('sends 200 bindings as ONE ionq.multi-circuit.v1 job and decodes the per-child aggregate', async () => {
    const c = new CircuitBuilder(1).ry('theta', 0).measureAll().build();
    const thetas = Array.from({ length: 200 }, (_, i) => (i % 2) * Math.PI);
    const children = thetas.map((_, i) => `06a2099c-f845-7208-8000-${String(i).padStart(12, '0')}`);
    const aggregate: Record<string, Record<string, number>> = {};
    children.forEach((id, i) => (aggregate[id] = i % 2 ? { '1': 1 } : { '0': 0.75, '1': 0.25 }));
    must(aggregate, SPEC.schema('IonqResultProbabilitiesAggregateJsonV1'));
    const multiDone = jobDoc('completed', {
      type: 'ionq.multi-circuit.v1',
      child_job_ids: children,
      stats: { qubits: 1, circuits: 200, gate_counts: { '1q': 200, '2q': 0 } },
      results: {
        'ionq.result.probabilities-aggregate.json.v1': {
          id: 'probabilities-aggregate',
          format: 'ionq.result.probabilities-aggregate.json.v1',
          media_type: 'application/json',
        },
      },
    });
    const scope = nock(BASE)
      .post('/jobs', capture)
      .reply(201, { id: JOB, status: 'submitted', session_id: null })
      .get(`/jobs/${JOB}`)
      .reply(200, served(multiDone, jobSchema))
      .get(`/jobs/${JOB}/artifacts/probabilities-aggregate`)
      .reply(200, aggregate);
    const res = await (
      await backend().submit({ runs: [{ circuit: c, bindings: thetas.map((t) => ({ theta: t })) }], shots: 100 })
    ).wait({ pollMs: 1 });
    scope.done();
    expect(posted).toHaveLength(1);
    const body = posted[0] as { type: string; input: { gateset: string; circuits: { circuit: unknown[] }[] } };
    must(body, requestSchema);
    expect(body.type).toBe('ionq.multi-circuit.v1');
    expect(body.input.gateset).toBe('qis');
    expect(body.input.circuits).toHaveLength(200);
    expect(body.input.circuits[1].circuit).toEqual([{ gate: 'ry', target: 0, rotation: Math.PI }]);
    expect(res.results[0]).toHaveLength(200);
    expect(res.results[0][0].counts).toEqual({ '0': 75, '1': 25 });
    expect(res.results[0][1].counts).toEqual({ '1': 100 });
  });

  it('splits a request over the per-job circuit limit into as few jobs as allowed, under one composite id', async () => {
    const c = new CircuitBuilder(1).rx('a', 0).measureAll().build();
    const ids = ['aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002', 'aaaaaaaa-0000-4000-8000-000000000003'];
    const scope = nock(BASE);
    for (const id of ids) scope.post('/jobs', capture).reply(201, { id, status: 'submitted', session_id: null });
    const job = await backend({ maxCircuitsPerJob: 4, maxExecutions: 100 }).submit({
      runs: [{ circuit: c, bindings: Array.from({ length: 10 }, (_, i) => ({ a: i })) }],
      shots: 10,
    });
    scope.done();
    expect(job.id).toBe(ids.join(','));
    expect(posted.map((p) => (p as { input: { circuits?: unknown[] } }).input.circuits?.length)).toEqual([4, 4, 2]);
    posted.forEach((p) => must(p, requestSchema));
  });

  it('compiles to the native gateset: gpi/gpi2/ms with phases and angles in turns', async () => {
    const target = presetTarget('ionq_forte');
    const scope = nock(BASE).post('/jobs', capture).reply(201, { id: JOB, status: 'submitted', session_id: null });
    await new IonqBackend({ backend: 'qpu.forte-1', target, apiKey: KEY, baseUrl: BASE, input: 'native' }).submit({
      runs: [{ circuit: asym }],
      shots: 100,
    });
    scope.done();
    const body = posted[0] as {
      input: { gateset: string; qubits: number; circuit: { gate: string; phase?: number; phases?: number[] }[] };
    };
    must(body, requestSchema);
    expect(body.input.gateset).toBe('native');
    expect(body.input.qubits).toBe(3);
    const gates = new Set(body.input.circuit.map((g) => g.gate));
    expect([...gates].every((g) => ['gpi', 'gpi2', 'ms'].includes(g))).toBe(true);
    expect(gates.has('ms')).toBe(true);
    for (const g of body.input.circuit)
      for (const p of [g.phase, ...(g.phases ?? [])]) if (p !== undefined) expect(p >= 0 && p < 1).toBe(true);
  });

  it('sends OpenQASM 3 as ionq.qasm3.v1 with {data}, plus noise model, seed and debiasing settings', async () => {
    const scope = nock(BASE).post('/jobs', capture).reply(201, { id: JOB, status: 'submitted', session_id: null });
    const b = backend({ input: 'qasm3', noise: { model: 'forte-1' }, debiasing: true });
    await expect(b.submit({ runs: [{ circuit: asym }], shots: 100 })).rejects.toMatchObject({ code: 'VALIDATION' });
    await b.submit({ runs: [{ circuit: asym }], shots: 600, seed: 7 });
    scope.done();
    const body = posted[0] as Record<string, unknown>;
    must(body, requestSchema);
    expect(body.type).toBe('ionq.qasm3.v1');
    expect(body.noise).toEqual({ model: 'forte-1', seed: 7 });
    expect(body.settings).toEqual({ error_mitigation: { debiasing: true } });
    const data = (body.input as { data: string }).data;
    expect(Object.keys(body.input as object)).toEqual(['data']);
    expect(data).toMatch(/^OPENQASM 3/);
    expect(data).not.toMatch(/\$\d/);
  });

  it('reads the histogram artifact in shots mode (v0.4 descriptors)', async () => {
    const done = jobDoc('completed', {
      backend: 'qpu.forte-1',
      shots: 10,
      results: {
        'ionq.result.probabilities.json.v1': {
          id: 'probabilities',
          format: 'ionq.result.probabilities.json.v1',
          media_type: 'application/json',
        },
        'ionq.result.histogram.json.v1': { id: '06b2aaaa-0000', format: 'ionq.result.histogram.json.v1', media_type: 'application/json' },
      },
    });
    const hist = { '4': 6, '7': 3, '5': 1 };
    must(hist, SPEC.schema('IonqResultHistogramJsonV1'));
    const scope = nock(BASE)
      .post('/jobs')
      .reply(201, { id: JOB, status: 'submitted', session_id: null })
      .get(`/jobs/${JOB}`)
      .reply(200, served(done, jobSchema))
      .get(`/jobs/${JOB}/artifacts/06b2aaaa-0000`)
      .reply(200, hist);
    const b = new IonqBackend({
      backend: 'qpu.forte-1',
      target: presetTarget('ionq_forte'),
      apiKey: KEY,
      baseUrl: BASE,
      results: 'shots',
      minDelayMs: 1,
    });
    expect(b.capabilities.paid).toBe(true);
    const res = await (await b.submit({ runs: [{ circuit: asym }], shots: 10 })).wait({ pollMs: 1 });
    scope.done();
    // 5 = q0 and q2: clbit 1 (from q0) and clbit 2 (from q2) -> "110"
    expect(res.results[0][0].counts).toEqual({ '100': 6, '111': 3, '110': 1 });
    expect(res.metadata.countsFrom).toEqual(['histogram artifact']);
  });

  it('cancels with PUT /jobs/{id}/status/cancel and reports cancelled', async () => {
    const scope = nock(BASE)
      .post('/jobs')
      .reply(201, { id: JOB, status: 'submitted', session_id: null })
      .put(`/jobs/${JOB}/status/cancel`)
      .reply(200, served({ id: JOB, status: 'canceled' }, cancelSchema))
      .get(`/jobs/${JOB}`)
      .reply(200, served(jobDoc('canceled'), jobSchema));
    const job = await backend().submit({ runs: [{ circuit: asym }], shots: 10 });
    await job.cancel();
    expect(job.status).toBe('cancelled');
    await expect(job.wait({ pollMs: 1 })).rejects.toMatchObject({ code: 'CANCELLED' });
    scope.done();
  });

  it('treats 409 on cancel as "already finished" and a failed job as JOB_FAILED with IonQ failure code', async () => {
    const failed = jobDoc('failed', { failure: { code: 'UnsupportedGate', message: 'gate pauliexp is not supported' } });
    const conflict = { statusCode: 409, error: 'Conflict', message: 'job already completed' };
    must(conflict, errorSchema);
    const scope = nock(BASE)
      .post('/jobs')
      .reply(201, { id: JOB, status: 'submitted', session_id: null })
      .put(`/jobs/${JOB}/status/cancel`)
      .reply(409, conflict)
      .get(`/jobs/${JOB}`)
      .reply(200, served(failed, jobSchema));
    const job = await backend().submit({ runs: [{ circuit: asym }], shots: 10 });
    await job.cancel();
    await expect(job.wait({ pollMs: 1 })).rejects.toMatchObject({ code: 'JOB_FAILED', details: { failure: 'UnsupportedGate' } });
    scope.done();
  });

  it('maps 401 and 403 to AUTH (IonQ error bodies), without retrying and without leaking the key', async () => {
    const e401 = { statusCode: 401, error: 'Unauthorized Error', message: 'Invalid key provided.' };
    const e403 = { statusCode: 403, error: 'Forbidden', message: 'This key cannot use qpu.forte-1.' };
    must(e401, errorSchema);
    must(e403, errorSchema);
    const scope = nock(BASE).post('/jobs').reply(401, e401).post('/jobs').reply(403, e403);
    const b = backend();
    const first = await b.submit({ runs: [{ circuit: asym }], shots: 10 }).catch((e: unknown) => e);
    expect(first).toMatchObject({ code: 'AUTH', details: { status: 401 } });
    expect(String((first as Error).message)).toContain('Invalid key provided');
    expect(String((first as Error).message)).not.toContain(KEY);
    await expect(b.submit({ runs: [{ circuit: asym }], shots: 10 })).rejects.toMatchObject({ code: 'AUTH', details: { status: 403 } });
    scope.done();
  });

  it('maps 404 on attach to a PROVIDER error naming the status, and 409/400 on submit to errors that are not retried', async () => {
    const nf = { statusCode: 404, error: 'Not Found Error', message: 'Resource not found.' };
    must(nf, errorSchema);
    const bad = { statusCode: 400, error: 'Bad Request', message: '"shots" was invalid.', validation: { keys: ['shots'], source: 'body' } };
    must(bad, SPEC.schema('BadRequestError'));
    const scope = nock(BASE)
      .get(`/jobs/${JOB}`)
      .reply(404, nf)
      .post('/jobs')
      .reply(409, { statusCode: 409, error: 'Conflict', message: 'session ended' })
      .post('/jobs')
      .reply(400, bad);
    const b = backend();
    await expect(b.attach(JOB)).rejects.toMatchObject({ code: 'PROVIDER', details: { status: 404 } });
    await expect(b.submit({ runs: [{ circuit: asym }], shots: 10 })).rejects.toMatchObject({
      code: 'PROVIDER',
      retriable: false,
      details: { status: 409 },
    });
    const e = await b.submit({ runs: [{ circuit: asym }], shots: 10 }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'VALIDATION' });
    expect(String((e as Error).message)).toContain('bad keys: shots');
    scope.done();
  });

  it('retries 429 (honouring Retry-After) on POST and GET, and 5xx on GET', async () => {
    const scope = nock(BASE)
      .post('/jobs')
      .reply(429, { statusCode: 429, error: 'Too Many Requests', message: 'slow down' }, { 'Retry-After': '0' })
      .post('/jobs')
      .reply(201, { id: JOB, status: 'submitted', session_id: null })
      .get(`/jobs/${JOB}`)
      .reply(503, { statusCode: 503, error: 'Service Unavailable', message: 'outage' })
      .get(`/jobs/${JOB}`)
      .reply(500, { statusCode: 500, error: 'Internal Server Error', message: 'oops' })
      .get(`/jobs/${JOB}`)
      .reply(429, {}, { 'Retry-After': '0' })
      .get(`/jobs/${JOB}`)
      .reply(200, jobDoc('completed'))
      .get(`/jobs/${JOB}/results/probabilities`)
      .reply(502, { statusCode: 502, error: 'Bad Gateway', message: 'proxy' })
      .get(`/jobs/${JOB}/results/probabilities`)
      .reply(200, { '4': 1 });
    const b = backend({ retries: 4 });
    const res = await (await b.submit({ runs: [{ circuit: asym }], shots: 8 })).wait({ pollMs: 1 });
    expect(res.results[0][0].counts).toEqual({ '100': 8 });
    expect(b.client.http.stats.rateLimited).toBe(2);
    scope.done();
  });

  it('never blindly re-sends a POST that failed with 502 (the job may exist): one request, an ambiguous error', async () => {
    const scope = nock(BASE).post('/jobs').reply(502, { statusCode: 502, error: 'Bad Gateway', message: 'proxy' });
    const b = backend({ retries: 5 });
    const e = await b.submit({ runs: [{ circuit: asym }], shots: 10 }).catch((x: unknown) => x);
    expect(isQError(e) && e.code).toBe('PROVIDER');
    expect(e).toMatchObject({ retriable: false, details: { status: 502, ambiguous: true } });
    expect(b.client.http.stats.requests).toBe(1);
    scope.done();
  });

  it('finds a job by its client token in the job list (metadata), reading every page', async () => {
    const meta = (token: string) => ({ qbridge_token: token });
    const page1 = {
      jobs: [jobDoc('completed', { id: 'job-a', metadata: meta('other') })].map(({ child_job_ids: _, ...j }) => j),
      next: 'cursor-2',
    };
    const page2 = {
      jobs: [jobDoc('started', { id: 'job-b', metadata: meta('tok-9') })].map(({ child_job_ids: _, ...j }) => j),
      next: null,
    };
    const listSchema = SPEC.responseSchema('GET', '/jobs', 200);
    must(page1, listSchema);
    must(page2, listSchema);
    const scope = nock(BASE)
      .get('/jobs')
      .query({ target: 'simulator', limit: 100 })
      .reply(200, page1)
      .get('/jobs')
      .query({ target: 'simulator', limit: 100, next: 'cursor-2' })
      .reply(200, page2)
      .get('/jobs/job-b')
      .reply(200, jobDoc('started', { id: 'job-b' }))
      .get('/jobs')
      .query(true)
      .reply(200, { jobs: [], next: null });
    const b = backend();
    const h = await b.find('tok-9');
    expect(h?.id).toBe('job-b');
    expect(h?.status).toBe('running');
    expect(await b.find('tok-unknown')).toBeUndefined();
    scope.done();
  });

  it('lists devices from GET /backends and builds a QPU target from its characterization (no key needed)', async () => {
    const backends = [
      { backend: 'simulator', status: 'available', qubits: 29, average_queue_time: 0, last_updated: '2026-06-16T00:00:00Z' },
      {
        backend: 'qpu.forte-1',
        status: 'available',
        qubits: 36,
        average_queue_time: 1181215,
        last_updated: '2026-06-16T00:00:00Z',
        characterization_id: '617a1f8b-0000-4000-8000-000000000000',
        degraded: false,
      },
    ];
    must(backends, SPEC.responseSchema('GET', '/backends', 200));
    const ch = {
      id: '617a1f8b-0000-4000-8000-000000000000',
      backend: 'qpu.forte-1',
      date: '2026-06-16T00:00:00Z',
      qubits: 36,
      connectivity: [],
      fidelity: { spam: { median: 0.9962 }, '1q': { median: 0.9998 }, '2q': { median: 0.996 } },
      timing: { t1: 100, t2: 1, readout: 0, reset: 0 },
    };
    must(ch, SPEC.responseSchema('GET', '/backends/{backend}/characterizations/{UUID}', 200));
    const scope = nock(BASE, { badheaders: ['authorization'] })
      .get('/backends')
      .times(2)
      .reply(200, backends)
      .get('/backends/qpu.forte-1/characterizations/617a1f8b-0000-4000-8000-000000000000')
      .reply(200, ch);
    const env = { QBRIDGE_IONQ_URL: BASE } as NodeJS.ProcessEnv;
    const devices = await listIonqDevices({ env });
    expect(devices).toEqual([
      { provider: 'ionq', name: 'simulator', numQubits: 29, status: 'available', simulator: true },
      { provider: 'ionq', name: 'qpu.forte-1', numQubits: 36, status: 'available', simulator: false },
    ]);
    const b = await ionqBackendFor('qpu.forte-1', { client: new IonqClient({ env }) });
    expect(b.numQubits).toBe(36);
    expect(b.target.instructions.get('ms')?.get('0,35')?.error).toBeCloseTo(0.004, 6);
    expect(b.target.readout?.[0].p01).toBeCloseTo(0.0038, 6);
    scope.done();
  });
});
