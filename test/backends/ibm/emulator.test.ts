import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeBackendConformance } from '../../../backends/conformance.js';
import {
  IbmBackend,
  IbmClient,
  TOKEN_TAG,
  ibmBackendFor,
  ibmDocumentsFromTarget,
  listIbmDevices,
  startIbmEmulator,
  type IbmEmulator,
} from '../../../backends/ibm/index.js';
import { CircuitBuilder, isQError, presetTarget, targetFromIbm, type RunRequest } from '../../../src/index.js';

/**
 * The IBM adapter against its emulator over real HTTP on 127.0.0.1: the conformance suite, the
 * one-job training step, find-by-tag, batches/sessions, and the emulator's own fidelity (auth checks,
 * ISA checks, IBM-format device documents, fault injection).
 */
const fast = { retries: 4, minDelayMs: 5 };

function clientFor(emu: IbmEmulator, extra: Partial<ConstructorParameters<typeof IbmClient>[0]> = {}): IbmClient {
  return new IbmClient({ env: { ...emu.env }, ...fast, ...extra });
}

describeBackendConformance(
  'ibm (emulator)',
  async () => {
    const emu = await startIbmEmulator({ apiKey: 'emulator-key', seed: 5 });
    const make = (apiKey = 'emulator-key'): Promise<IbmBackend> =>
      ibmBackendFor('ibm_heron', { client: clientFor(emu, { apiKey }), pollMs: 10 });
    return {
      backend: await make(),
      restart: () => make(),
      // IAM refuses the key before any job call: the adapter reports AUTH.
      badCredential: () =>
        new IbmBackend({ backend: 'ibm_heron', target: presetTarget('ibm_heron'), client: clientFor(emu, { apiKey: 'wrong-key' }) }),
      injectFaults: (spec) => emu.server.faults.add(spec),
      submissions: () => emu.server.stats.submissions,
      cleanup: () => emu.close(),
    };
  },
  { shots: 400, pollMs: 10 },
);

describe('IBM adapter on its emulator', () => {
  let emu: IbmEmulator;
  let backend: IbmBackend;

  beforeAll(async () => {
    emu = await startIbmEmulator({ seed: 11 });
    backend = await ibmBackendFor('ibm_heron', { client: clientFor(emu), pollMs: 5 });
  });
  afterAll(async () => {
    await emu.close();
  });

  it('serves ibm_fez calibration in IBM format: the Target round-trips through targetFromIbm', async () => {
    const snap = presetTarget('ibm_heron');
    const docs = ibmDocumentsFromTarget(snap, { name: 'ibm_fez' });
    const back = targetFromIbm(docs.configuration, docs.properties);
    expect(back.numQubits).toBe(156);
    expect([...back.instructions.keys()].sort()).toEqual([...snap.instructions.keys()].sort());
    for (const [gate, sites] of snap.instructions) {
      expect(back.instructions.get(gate)!.size).toBe(sites.size);
      for (const [k, p] of sites) {
        const q = back.instructions.get(gate)!.get(k)!;
        if (p.error !== undefined) expect(q.error).toBeCloseTo(p.error, 12);
        if (p.durationS !== undefined) expect(q.durationS! * 1e9).toBeCloseTo(p.durationS * 1e9, 9);
      }
    }
    snap.readout!.forEach((r, i) => expect(back.readout![i]).toEqual(r));
    snap.t1S!.forEach((t, i) => expect(back.t1S![i]! / t).toBeCloseTo(1, 12));
    // What the adapter built from the emulator's answers is the same device.
    expect(backend.target.instructions.get('cz')!.size).toBe(snap.instructions.get('cz')!.size);
    const devices = await listIbmDevices({ client: clientFor(emu) });
    expect(devices.map((d) => [d.name, d.numQubits, d.status, d.simulator])).toEqual([
      ['ibm_heron', 156, 'online', false],
      ['ibm_fez', 156, 'online', false],
    ]);
  });

  it('runs a 200-binding training step as ONE provider job, results in binding order', async () => {
    const c = new CircuitBuilder(2).ry('w0', 0).ry('x', 1).cz(0, 1).measureAll().build();
    const bindings = Array.from({ length: 200 }, (_, k) => ({ w0: k % 2 === 0 ? 0 : Math.PI, x: k % 4 < 2 ? 0 : Math.PI }));
    const before = emu.server.stats.submissions;
    const res = await (await backend.submit({ runs: [{ circuit: c, bindings }], shots: 200 })).wait({ pollMs: 5 });
    expect(emu.server.stats.submissions - before).toBe(1);
    expect(emu.server.stats.duplicateSubmissions).toBe(0);
    expect(res.results[0]).toHaveLength(200);
    // w0 flips qubit 0 (bit 0, rightmost) on odd k; x flips qubit 1 when k % 4 >= 2.
    const expected = (k: number): string => `${k % 4 < 2 ? 0 : 1}${k % 2}`;
    const hits = res.results[0]!.filter((r, k) => (r.counts?.[expected(k)] ?? 0) > 0.8 * r.shots).length;
    expect(hits).toBe(200);
  });

  it('keeps two classical registers apart and in bit order', async () => {
    const c = new CircuitBuilder(3).clbitRegister('a', 1).clbitRegister('b', 2).x(1).measureAll().build();
    const res = await (await backend.submit({ runs: [{ circuit: c }], shots: 300 })).wait({ pollMs: 5 });
    const counts = res.results[0]![0]!.counts!;
    const top = Object.entries(counts).sort((p, q) => q[1] - p[1])[0]![0];
    expect(top).toBe('010');
  });

  it('tags jobs with the clientToken so find() locates them, and finds nothing for an unknown token', async () => {
    const c = new CircuitBuilder(1).x(0).measureAll().build();
    const job = await backend.submit({ runs: [{ circuit: c }], shots: 100 }, { clientToken: 'ct-find-1' });
    const found = await backend.find('ct-find-1');
    expect(found?.id).toBe(job.id);
    expect((await found!.wait({ pollMs: 5 })).results[0]![0]!.counts?.['1']).toBeGreaterThan(80);
    expect(await backend.find('ct-never-sent')).toBeUndefined();
    expect(emu.jobs.get(job.id)!.meta.tags).toContain(`${TOKEN_TAG}ct-find-1`);
  });

  it('re-attaches without the request and still groups non-parametric bindings by circuit (layout tag)', async () => {
    const fixed = new CircuitBuilder(2).x(0).measureAll().build();
    const request: RunRequest = { runs: [{ circuit: fixed, bindings: [{}, {}, {}] }], shots: 50 };
    const job = await backend.submit(request);
    const fresh = await ibmBackendFor('ibm_heron', { client: clientFor(emu), pollMs: 5 });
    const res = await (await fresh.attach(job.id)).wait({ pollMs: 5 });
    expect(res.results).toHaveLength(1);
    expect(res.results[0]!.map((r) => r.shots)).toEqual([50, 50, 50]);
  });

  it('sends jobs of a batch with its session_id and closes it', async () => {
    const batch = await ibmBackendFor('ibm_heron', { client: clientFor(emu), mode: 'batch', pollMs: 5 });
    const c = new CircuitBuilder(1).x(0).measureAll().build();
    const j1 = await batch.submit({ runs: [{ circuit: c }], shots: 20 });
    const j2 = await batch.submit({ runs: [{ circuit: c }], shots: 20 });
    const sid = await batch.sessionId();
    expect(sid).toBeTruthy();
    expect(emu.jobs.get(j1.id)!.meta.sessionId).toBe(sid);
    expect(emu.jobs.get(j2.id)!.meta.sessionId).toBe(sid);
    expect((await j2.wait({ pollMs: 5 })).metadata['sessionId']).toBe(sid);
    await batch.closeSession();
    // A closed batch accepts no new jobs (a new one is opened on the next submit).
    const res = await batch.submit({ runs: [{ circuit: c }], shots: 20 });
    expect(emu.jobs.get(res.id)!.meta.sessionId).not.toBe(sid);
  });

  it('refreshes an expired token mid-run (expire-token fault) without failing the job', async () => {
    const c0 = clientFor(emu);
    const b = await ibmBackendFor('ibm_heron', { client: c0, pollMs: 5 });
    const exchanges = c0.tokens.exchanges;
    emu.server.faults.add('expire-token@status');
    const res = await (
      await b.submit({ runs: [{ circuit: new CircuitBuilder(1).x(0).measureAll().build() }], shots: 50 })
    ).wait({ pollMs: 5 });
    expect(res.results[0]![0]!.counts?.['1']).toBeGreaterThan(40);
    expect(c0.tokens.exchanges).toBe(exchanges + 1);
  });

  it('surfaces injected job failures, missing registers and a dropped submit reply', async () => {
    const c = new CircuitBuilder(1).x(0).measureAll().build();
    emu.server.faults.add('fail');
    await expect((await backend.submit({ runs: [{ circuit: c }], shots: 10 })).wait({ pollMs: 5 })).rejects.toMatchObject({
      code: 'JOB_FAILED',
      message: /injected failure/,
    });
    emu.server.faults.add('missing-register');
    await expect((await backend.submit({ runs: [{ circuit: c }], shots: 10 })).wait({ pollMs: 5 })).rejects.toMatchObject({
      code: 'PROVIDER',
      message: /lacks classical register 'c'/,
    });
    // The job is created but the reply is lost: one submission, an ambiguous error, and find() recovers it.
    const before = emu.server.stats.submissions;
    emu.server.faults.add('reset@submit');
    const e = await backend.submit({ runs: [{ circuit: c }], shots: 10 }, { clientToken: 'ct-reset' }).catch((x: unknown) => x);
    expect(isQError(e) && e.details['ambiguous']).toBe(true);
    expect(emu.server.stats.submissions - before).toBe(1);
    expect((await backend.find('ct-reset'))?.id).toBeTruthy();
  });

  it('refuses what the real service refuses: non-ISA circuits, a bad Service-CRN, an unknown backend', async () => {
    const client = clientFor(emu);
    const raw = await client.http
      .request({
        method: 'POST',
        url: '/jobs',
        body: {
          program_id: 'sampler',
          backend: 'ibm_heron',
          params: {
            version: 2,
            pubs: [
              ['OPENQASM 3.0;\ninclude "stdgates.inc";\nbit[2] c;\nh $0;\ncx $0, $1;\nc[0] = measure $0;\nc[1] = measure $1;\n', null, 10],
            ],
          },
        },
      })
      .catch((x: unknown) => x);
    expect(isQError(raw) && raw.code).toBe('VALIDATION');
    expect(String((raw as Error).message)).toMatch(/not ISA/);
    const badCrn = new IbmClient({ env: { ...emu.env, QBRIDGE_IBM_CRN: 'crn:v1:bluemix:public:other-service:us-east:a/x:y::' }, ...fast });
    await expect(badCrn.listBackends()).rejects.toMatchObject({ code: 'AUTH', details: { status: 403 } });
    await expect(ibmBackendFor('ibm_nowhere', { client })).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});

describe('IBM secrets', () => {
  it('keeps the API key and the IAM token out of --verbose traces and error messages', async () => {
    const key = 'secret-ibm-key-Zq81xR4';
    const emu = await startIbmEmulator({ apiKey: key, seed: 2 });
    try {
      const lines: string[] = [];
      const trace = (l: string): void => void lines.push(l);
      const client = clientFor(emu, { apiKey: key, trace });
      const b = await ibmBackendFor('ibm_heron', { client, pollMs: 5 });
      await (await b.submit({ runs: [{ circuit: new CircuitBuilder(1).x(0).measureAll().build() }], shots: 10 })).wait({ pollMs: 5 });
      const token = await client.tokens.get();
      const bad = await clientFor(emu, { apiKey: `${key}-wrong`, trace })
        .listBackends()
        .catch((e: Error) => e.message);
      expect(lines.length).toBeGreaterThan(4);
      for (const text of [...lines, String(bad)]) {
        expect(text).not.toContain(key);
        expect(text).not.toContain(token);
      }
    } finally {
      await emu.close();
    }
  });
});

describe('IBM rate limit on the emulator (5 submissions per window)', () => {
  it('answers the 6th submission 429 with Retry-After; the adapter waits and sends it once', async () => {
    const emu = await startIbmEmulator({ submitRateLimit: { count: 5, windowMs: 1500 }, seed: 3 });
    try {
      const client = clientFor(emu);
      const b = await ibmBackendFor('ibm_heron', { client, pollMs: 5 });
      const c = new CircuitBuilder(1).x(0).measureAll().build();
      const t0 = Date.now();
      for (let k = 0; k < 6; k++) await b.submit({ runs: [{ circuit: c }], shots: 10 });
      expect(client.http.stats.rateLimited).toBe(1);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
      expect(emu.server.stats.submissions).toBe(6);
    } finally {
      await emu.close();
    }
  });
});
