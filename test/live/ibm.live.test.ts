import { describe, expect, it } from 'vitest';
import { CircuitBuilder } from '../../src/index.js';
import { ibmBackendFor, listIbmDevices } from '../../backends/ibm/index.js';
import { credential } from '../../backends/common/credentials.js';

/**
 * Against the real IBM Quantum service. Runs only by hand with QBRIDGE_IBM_API_KEY and
 * QBRIDGE_IBM_CRN set (environment or .env); skipped otherwise and excluded from CI. The job runs on
 * a QPU (IBM has no cloud simulator any more) and uses a few seconds of the instance's quota:
 * QBRIDGE_IBM_BACKEND picks the device, else the least busy online one.
 */
const key = credential('QBRIDGE_IBM_API_KEY');
const crn = credential('QBRIDGE_IBM_CRN');

describe.skipIf(!key || !crn)('IBM Quantum live', () => {
  it('lists the instance backends with status and queue', async () => {
    const devices = await listIbmDevices();
    expect(devices.length).toBeGreaterThan(0);
    for (const d of devices) expect(d.numQubits).toBeGreaterThan(0);
  });

  it('runs an asymmetric state and 3 bindings as ONE sampler job, bit 0 rightmost', { timeout: 3_600_000 }, async () => {
    let name = process.env['QBRIDGE_IBM_BACKEND'];
    if (!name) {
      const online = (await listIbmDevices()).filter((d) => d.status === 'online' && !d.simulator);
      online.sort((a, b) => (a.queue ?? 0) - (b.queue ?? 0));
      name = online[0]?.name;
    }
    expect(name).toBeTruthy();
    const b = await ibmBackendFor(name!);
    const c = new CircuitBuilder(3).x(0).ry('t', 2).measureAll().build();
    const job = await b.submit({ runs: [{ circuit: c, bindings: [{ t: 0 }, { t: Math.PI }, { t: Math.PI / 2 }] }], shots: 200 });
    const res = await job.wait({ pollMs: 5000, timeoutMs: 3_500_000 });
    const top = (k: number): string => Object.entries(res.results[0]![k]!.counts ?? {}).sort((x, y) => y[1] - x[1])[0]![0];
    expect(top(0)).toBe('001');
    expect(top(1)).toBe('101');
    const half = res.results[0]![2]!.counts ?? {};
    const ones = (half['101'] ?? 0) / 200;
    expect(ones).toBeGreaterThan(0.3);
    expect(ones).toBeLessThan(0.7);
  });
});
