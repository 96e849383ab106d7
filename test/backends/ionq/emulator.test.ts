import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CircuitBuilder, isQError, presetTarget } from '../../../src/index.js';
import { describeBackendConformance } from '../../../backends/conformance.js';
import { IonqBackend, ionqBackendFor, startIonqEmulator, type IonqEmulator } from '../../../backends/ionq/index.js';
import { OpenApiSpec } from '../../helpers/openapi.js';

/** The adapter over real HTTP against the IonQ emulator on 127.0.0.1. */
const SPEC = OpenApiSpec.load('/work/shared/providers/ionq/openapi-v0.4.json');
const KEY = 'emulator-key-42';

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(() => nock.enableNetConnect());

// QPU path: the noisy forte preset, native gates compiled here.
let emuQpu: IonqEmulator | undefined;
describeBackendConformance(
  'ionq:qpu.forte-1 (emulator, native gateset)',
  async () => {
    const emu = (emuQpu = await startIonqEmulator({ apiKeys: [KEY] }));
    const make = (apiKey = KEY) => ionqBackendFor('qpu.forte-1:input=native', { baseUrl: emu.url, apiKey, minDelayMs: 1 });
    return {
      backend: await make(),
      restart: () => make(),
      badCredential: () => make('not-the-key'),
      injectFaults: (spec: string) => emu.server.faults.add(spec),
      submissions: () => emu.server.stats.submissions,
      cleanup: () => emu.close(),
    };
  },
  { shots: 300 },
);

// Simulator path: QIS gates, ideal probabilities.
describeBackendConformance('ionq:simulator (emulator, QIS gateset)', async () => {
  const emu = await startIonqEmulator({ apiKeys: [KEY] });
  const make = (apiKey = KEY) => ionqBackendFor('simulator', { baseUrl: emu.url, apiKey, minDelayMs: 1 });
  return {
    backend: await make(),
    restart: () => make(),
    badCredential: () => make('not-the-key'),
    injectFaults: (spec: string) => emu.server.faults.add(spec),
    submissions: () => emu.server.stats.submissions,
    cleanup: () => emu.close(),
  };
});

describe('IonQ emulator + adapter', () => {
  let emu: IonqEmulator;
  beforeAll(async () => {
    emu = await startIonqEmulator({ pollsPerStep: 1 });
  });
  afterAll(() => emu.close());
  const get = async (path: string, auth = true): Promise<{ status: number; body: unknown }> => {
    const r = await fetch(`${emu.url}${path}`, { headers: auth ? { Authorization: `apiKey ${KEY}` } : {} });
    return { status: r.status, body: await r.json() };
  };

  it('runs a training step (1 circuit, 200 bindings) as ONE IonQ job (multi-circuit; the spec allows 5,000 circuits per job)', async () => {
    const b = await ionqBackendFor('simulator', { baseUrl: emu.url, apiKey: KEY });
    expect(b.capabilities.maxExecutions).toBe(5000);
    const c = new CircuitBuilder(2).ry('w', 0).cx(0, 1).rx('x', 1).measureAll().build();
    const bindings = Array.from({ length: 200 }, (_, i) => ({ w: (i / 199) * Math.PI, x: 0 }));
    const before = emu.server.stats.submissions;
    const res = await (await b.submit({ runs: [{ circuit: c, bindings }], shots: 1000 })).wait({ pollMs: 2 });
    expect(emu.server.stats.submissions - before).toBe(1);
    expect(res.metadata.jobType).toBe('ionq.multi-circuit.v1');
    expect(res.results[0]).toHaveLength(200);
    // P(11) = sin²(w/2) exactly (ideal simulator probabilities, rounded to 1000 shots)
    res.results[0].forEach((r, i) => {
      const p = Math.sin(bindings[i].w / 2) ** 2;
      expect(Math.abs((r.counts?.['11'] ?? 0) - p * 1000)).toBeLessThanOrEqual(1);
    });
  });

  it('serves spec-valid documents: backends, characterization, job (single and multi, parent and child), artifacts, errors', async () => {
    const backends = await get('/backends', false);
    expect(SPEC.validate(backends.body, SPEC.responseSchema('GET', '/backends', 200)!)).toEqual([]);
    const chs = await get('/backends/qpu.forte-1/characterizations', false);
    // The spec types timing fields as integers while documenting them in seconds (gate times are
    // fractions of a second); that one documented inconsistency is ignored.
    expect(
      SPEC.validate(chs.body, SPEC.responseSchema('GET', '/backends/{backend}/characterizations', 200)!, {
        ignore: ['$.characterizations[0].timing.*'],
      }),
    ).toEqual([]);
    const b = await ionqBackendFor('simulator:noise=aria-1,seed=5', { baseUrl: emu.url, apiKey: KEY, results: 'shots' });
    const c = new CircuitBuilder(2).h(0).cx(0, 1).measureAll().build();
    const job = await b.submit({ runs: [{ circuit: c }, { circuit: c }], shots: 200 });
    const jobSchema = SPEC.responseSchema('GET', '/jobs/{UUID}', 200)!;
    const statuses: string[] = [];
    for (;;) {
      const r = await get(`/jobs/${job.id}`);
      expect(SPEC.validate(r.body, jobSchema)).toEqual([]);
      const s = (r.body as { status: string }).status;
      if (statuses.at(-1) !== s) statuses.push(s);
      if (s === 'completed') break;
    }
    expect(statuses).toEqual(['ready', 'started', 'completed']);
    const parent = (await get(`/jobs/${job.id}`)).body as { child_job_ids: string[]; results: Record<string, { id: string }> };
    const agg = await get(`/jobs/${job.id}/artifacts/${parent.results['ionq.result.probabilities-aggregate.json.v1'].id}`);
    expect(SPEC.validate(agg.body, SPEC.schema('IonqResultProbabilitiesAggregateJsonV1'))).toEqual([]);
    const child = (await get(`/jobs/${parent.child_job_ids[1]}`)).body as { results: Record<string, { id: string }> };
    expect(SPEC.validate(child, jobSchema)).toEqual([]);
    const shots = await get(`/jobs/${parent.child_job_ids[1]}/artifacts/${child.results['ionq.result.shots.json.v1'].id}`);
    expect(SPEC.validate(shots.body, SPEC.schema('IonqResultShotsJsonV1'))).toEqual([]);
    expect(shots.body).toHaveLength(200);
    const probs = await get(`/jobs/${parent.child_job_ids[0]}/results/probabilities`);
    expect(SPEC.validate(probs.body, SPEC.responseSchema('GET', '/jobs/{UUID}/results/probabilities', 200)!)).toEqual([]);
    const list = await get('/jobs?target=simulator&limit=2');
    expect(SPEC.validate(list.body, SPEC.responseSchema('GET', '/jobs', 200)!)).toEqual([]);
    const res = await job.wait({ pollMs: 2 });
    expect(res.metadata.countsFrom).toEqual(['shots artifact']);
    const unauth = await get('/jobs', false);
    expect(unauth.status).toBe(401);
    expect(SPEC.validate(unauth.body, SPEC.schema('Error'))).toEqual([]);
  });

  it('fails a job whose circuit IonQ cannot run (validation after submit), as JOB_FAILED', async () => {
    const res = await fetch(`${emu.url}/jobs`, {
      method: 'POST',
      headers: { Authorization: `apiKey ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'ionq.circuit.v1',
        backend: 'simulator',
        input: { qubits: 1, gateset: 'qis', circuit: [{ gate: 'pauliexp', target: 0 }] },
      }),
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const b = await ionqBackendFor('simulator', { baseUrl: emu.url, apiKey: KEY });
    await expect((await b.attach(id)).wait({ pollMs: 2 })).rejects.toMatchObject({ code: 'JOB_FAILED' });
  });

  it('after a dropped reply to POST /jobs (reset@submit) does not re-send; find() locates the job by its token', async () => {
    const b = await ionqBackendFor('simulator', { baseUrl: emu.url, apiKey: KEY, minDelayMs: 1 });
    emu.server.faults.add('reset@submit');
    const c = new CircuitBuilder(1).x(0).measureAll().build();
    const before = emu.server.stats.submissions;
    const e = await b.submit({ runs: [{ circuit: c }], shots: 50 }, { clientToken: 'crash-token-1' }).catch((x: unknown) => x);
    expect(isQError(e) && e.details['ambiguous']).toBe(true);
    expect(emu.server.stats.submissions - before).toBe(1);
    const found = await b.find('crash-token-1');
    expect(found).toBeDefined();
    const res = await found!.wait({ pollMs: 2 });
    expect(res.results[0][0].counts).toEqual({ '1': 50 });
    expect(await b.find('never-sent')).toBeUndefined();
    expect(emu.server.stats.duplicateSubmissions).toBe(0);
  });

  it('qasm3 input: one IonQ job per execution (multi-circuit takes only JSON circuits), joined under one id', async () => {
    const b = new IonqBackend({
      backend: 'simulator',
      target: (await ionqBackendFor('simulator', { baseUrl: emu.url, apiKey: KEY })).target,
      baseUrl: emu.url,
      apiKey: KEY,
      input: 'qasm3',
    });
    const c = new CircuitBuilder(2).rx('t', 1).measure(1, 0).build();
    const before = emu.server.stats.submissions;
    const job = await b.submit({ runs: [{ circuit: c, bindings: [{ t: 0 }, { t: Math.PI }, { t: Math.PI / 2 }] }], shots: 100 });
    expect(emu.server.stats.submissions - before).toBe(3);
    expect(job.id.split(',')).toHaveLength(3);
    const res = await (await b.attach(job.id)).wait({ pollMs: 2 });
    expect(res.results[0].map((r) => r.counts)).toEqual([{ '0': 100 }, { '1': 100 }, { '0': 50, '1': 50 }]);
  });

  it('the QPU emulation is noisy (forte preset) and paid; the simulator is free', async () => {
    const qpu = await ionqBackendFor('qpu.forte-1', { baseUrl: emu.url, apiKey: KEY });
    expect(qpu.capabilities).toMatchObject({ paid: true, noise: 'device', parametric: false, maxShots: 1_000_000 });
    expect(qpu.numQubits).toBe(presetTarget('ionq_forte').numQubits);
    const sim = await ionqBackendFor('simulator', { baseUrl: emu.url, apiKey: KEY });
    expect(sim.capabilities).toMatchObject({ paid: false, noise: 'none' });
    const ghz = new CircuitBuilder(5).h(0).cx(0, 1).cx(1, 2).cx(2, 3).cx(3, 4).measureAll().build();
    const res = await (await qpu.submit({ runs: [{ circuit: ghz }], shots: 2000, seed: 3 })).wait({ pollMs: 2 });
    const counts = res.results[0][0].counts ?? {};
    const good = (counts['00000'] ?? 0) + (counts['11111'] ?? 0);
    expect(good).toBeLessThan(2000);
    expect(good).toBeGreaterThan(1600);
  });
});

afterAll(async () => {
  await emuQpu?.close();
});
