import { describe, expect, it } from 'vitest';
import { CircuitBuilder } from '../../src/index.js';
import { ionqBackendFor, listIonqDevices } from '../../backends/ionq/index.js';
import { credential } from '../../backends/common/credentials.js';

/**
 * Against the real IonQ cloud (free simulator only; never a QPU). Runs only by hand with
 * QBRIDGE_IONQ_API_KEY set (environment or .env); skipped otherwise and excluded from CI.
 */
const key = credential('QBRIDGE_IONQ_API_KEY');

describe.skipIf(!key)('IonQ live (simulator)', () => {
  it('lists backends, including the simulator', async () => {
    const devices = await listIonqDevices();
    expect(devices.some((d) => d.name === 'simulator' && d.simulator)).toBe(true);
  });

  it('runs an asymmetric circuit with bit 0 rightmost, and 3 bindings in one multi-circuit job', { timeout: 600_000 }, async () => {
    const b = await ionqBackendFor('simulator');
    const c = new CircuitBuilder(3).x(0).ry('t', 2).measureAll().build();
    const res = await (
      await b.submit({ runs: [{ circuit: c, bindings: [{ t: 0 }, { t: Math.PI }, { t: Math.PI / 2 }] }], shots: 100 })
    ).wait({
      pollMs: 2000,
      timeoutMs: 580_000,
    });
    expect(res.metadata.jobType).toBe('ionq.multi-circuit.v1');
    expect(res.results[0][0].counts).toEqual({ '001': 100 });
    expect(res.results[0][1].counts).toEqual({ '101': 100 });
    expect(res.results[0][2].counts).toEqual({ '001': 50, '101': 50 });
  });
});
