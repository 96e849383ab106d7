/**
 * The adapter author kit's conformance suite against the Braket emulator over real HTTP on
 * 127.0.0.1: SV1 (ideal, program sets) and IQM Garnet (verbatim boxes on qubits numbered from 1,
 * device noise), plus the training-style step: 1 circuit x 200 bindings is ONE quantum task.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeBackendConformance } from '../../../backends/conformance.js';
import { BraketBackend, BraketClient, braketBackendFor, startBraketEmulator, type BraketEmulator } from '../../../backends/braket/index.js';
import { CircuitBuilder } from '../../../src/index.js';

function clientFor(em: BraketEmulator, accessKeyId = 'AKIAEMULATOR00000000'): BraketClient {
  return new BraketClient({
    braketUrl: em.env['QBRIDGE_BRAKET_URL'],
    s3Url: em.env['QBRIDGE_S3_URL'],
    region: 'us-east-1',
    credentials: { accessKeyId, secretAccessKey: 'emulator-secret' },
    minDelayMs: 5,
    maxDelayMs: 50,
    notFoundGraceMs: 5000,
  });
}

for (const device of ['sv1', 'garnet']) {
  let em: BraketEmulator | undefined;
  describeBackendConformance(
    `braket ${device} (emulator)`,
    async () => {
      em = await startBraketEmulator();
      const e = em;
      const make = (key?: string) => braketBackendFor(device, { client: clientFor(e, key), bucket: e.env['QBRIDGE_BRAKET_BUCKET'] });
      return {
        backend: await make(),
        restart: () => make(),
        // The same device description, a client whose access key id is empty: refused with 403.
        badCredential: async () =>
          new BraketBackend({ device: (await make()).device, client: clientFor(e, ''), bucket: e.env['QBRIDGE_BRAKET_BUCKET'] }),
        injectFaults: (spec) => e.server.faults.add(spec),
        submissions: () => e.tasks(),
        cleanup: () => e.close(),
      };
    },
    { shots: 400 },
  );
}

describe('braket: a training-style step', () => {
  let em: BraketEmulator;
  beforeAll(async () => {
    em = await startBraketEmulator();
  });
  afterAll(() => em.close());

  it('sends 1 circuit x 200 bindings as ONE program-set task and decodes every binding in order', { timeout: 30_000 }, async () => {
    const backend = await braketBackendFor('sv1', { client: clientFor(em), bucket: em.env['QBRIDGE_BRAKET_BUCKET'] });
    const c = new CircuitBuilder(2).ry('a', 0).cx(0, 1).ry('b', 1).measureAll().build();
    const bindings = Array.from({ length: 200 }, (_, i) => ({ a: i % 2 ? Math.PI : 0, b: 0 }));
    const before = em.tasks();
    const res = await (await backend.submit({ runs: [{ circuit: c, bindings }], shots: 100 })).wait({ pollMs: 10, timeoutMs: 20_000 });
    expect(em.tasks() - before).toBe(1);
    expect(em.server.stats.submissions).toBe(1);
    expect(res.results[0]).toHaveLength(200);
    res.results[0]!.forEach((r, i) => expect(r.counts).toEqual(i % 2 ? { '11': 100 } : { '00': 100 }));
  });
});
