import { describe, expect, it } from 'vitest';
import { LocalBackend } from '../../backends/local/index.js';
import {
  CircuitBuilder,
  Estimator,
  QError,
  depolarizing,
  noiseModel,
  pipe,
  withReadoutMitigation,
  withZne,
  type EstimatorMiddleware,
  type ZnePubResult,
} from '../../src/index.js';

/** GHZ-4: ideal <ZZZZ> = <XXXX> = 1. */
const ghz = new CircuitBuilder(4).h(0).cx(0, 1).cx(1, 2).cx(2, 3).build();
const observables = [[{ coeff: 1, pauli: 'ZZZZ' }], [{ coeff: 1, pauli: 'XXXX' }]];
const readout = [
  { qubit: 0, p1Given0: 0.02, p0Given1: 0.05 },
  { qubit: 1, p1Given0: 0.03, p0Given1: 0.06 },
  { qubit: 2, p1Given0: 0.01, p0Given1: 0.04 },
  { qubit: 3, p1Given0: 0.04, p0Given1: 0.08 },
];
const model = noiseModel({
  name: 'test',
  numQubits: 4,
  rules: [
    { gates: ['cx'], channel: depolarizing(0.03, 2) },
    { gates: ['h'], channel: depolarizing(0.002) },
  ],
  readout,
});
const backend = new LocalBackend({ noise: model });
const base = new Estimator(backend);
const SHOTS = 20_000;
const pub = { circuit: ghz, observables };

describe('mitigation end to end on a noisy GHZ-4', () => {
  it('readout + ZNE error is below the raw error and within 4 standard errors of the ideal value', async () => {
    const raw = await base.run([pub], { shots: SHOTS, seed: 1 });
    const mit = await pipe(withReadoutMitigation(), withZne())(base).run([pub], { shots: SHOTS, seed: 2 });
    for (let o = 0; o < 2; o++) {
      const rawErr = Math.abs(raw.pubs[0].values[0][o] - 1);
      const mitErr = Math.abs(mit.pubs[0].values[0][o] - 1);
      const se = mit.pubs[0].stdErrors[0][o];
      // SE from 20,000 shots per circuit: about 0.01 after Richardson and readout inversion.
      expect(se).toBeGreaterThan(0.002);
      expect(se).toBeLessThan(0.03);
      expect(rawErr).toBeGreaterThan(10 * raw.pubs[0].stdErrors[0][o]);
      expect(mitErr).toBeLessThan(4 * se);
      expect(mitErr).toBeLessThan(rawErr / 3);
    }
    // Costs: 2 calibration circuits; scales 3 and 5 repeat the pub's 2 settings.
    const ro = mit.mitigation?.find((m) => m.technique === 'readout');
    const zne = mit.mitigation?.find((m) => m.technique === 'zne');
    expect(ro?.extraCircuits).toBe(2);
    expect(ro?.extraShots).toBe(2 * SHOTS);
    expect(zne?.extraCircuits).toBe(4);
    expect(zne?.extraShots).toBe(4 * SHOTS);
    expect(mit.metadata.circuits).toBe(2 + 6);
    // Raw per-scale values come back, decaying with the scale.
    const z = (mit.pubs[0] as ZnePubResult).zne;
    expect(z.scales).toEqual([1, 3, 5]);
    expect(z.values).toHaveLength(3);
    expect(z.values[0][0][0]).toBeGreaterThan(z.values[1][0][0]);
    expect(z.values[1][0][0]).toBeGreaterThan(z.values[2][0][0]);
  });

  it('measures the assignment errors it corrects, within binomial error of the model', async () => {
    const mit = await withReadoutMitigation()(base).run([pub], { shots: SHOTS, seed: 3 });
    const cal = mit.mitigation?.[0].details.calibration as { qubit: number; p1Given0: number; p0Given1: number }[];
    for (const e of readout) {
      const got = cal.find((c) => c.qubit === e.qubit);
      expect(got).toBeDefined();
      const se = (p: number) => Math.sqrt((p * (1 - p)) / SHOTS);
      expect(Math.abs((got?.p1Given0 ?? 0) - e.p1Given0)).toBeLessThan(4 * se(e.p1Given0));
      expect(Math.abs((got?.p0Given1 ?? 0) - e.p0Given1)).toBeLessThan(4 * se(e.p0Given1));
    }
  });

  it('every readout method agrees with the exact readout-free noisy value within 4 SE', async () => {
    // Exact mode involves no measurement, so it is the gate-noise-only value readout mitigation aims at.
    const exact = await base.run([pub]);
    expect(exact.pubs[0].exact).toBe(true);
    for (const [k, method] of (['tensored', 'projected', 'm3'] as const).entries()) {
      const r = await withReadoutMitigation({ method })(base).run([pub], { shots: SHOTS, seed: 10 + k });
      for (let o = 0; o < 2; o++) {
        const se = r.pubs[0].stdErrors[0][o];
        expect(se).toBeGreaterThan(0);
        expect(Math.abs(r.pubs[0].values[0][o] - exact.pubs[0].values[0][o])).toBeLessThan(4 * se);
      }
      expect(r.mitigation?.[0].extraCircuits).toBe(2);
    }
  });

  it('leaves exact values alone (no measurement, no readout error)', async () => {
    const exact = await base.run([pub]);
    const r = await withReadoutMitigation()(base).run([pub]);
    expect(r.pubs[0].values).toEqual(exact.pubs[0].values);
  });

  it('refuses readout rules for missing qubits, count-level methods away from the base estimator, and non-middlewares', async () => {
    const partial = { errors: readout.slice(0, 3), shots: 0 };
    const err = await withReadoutMitigation({ calibration: partial })(base)
      .run([pub], { shots: 100, seed: 1 })
      .catch((e: unknown) => e as QError);
    expect(err).toBeInstanceOf(QError);
    expect((err as QError).code).toBe('VALIDATION');
    expect((err as QError).message).toMatch(/no readout calibration for qubit 3/);
    const m3 = await withReadoutMitigation({ method: 'm3', calibration: partial })(base)
      .run([pub], { shots: 100, seed: 1 })
      .catch((e: unknown) => e as QError);
    expect((m3 as QError).message).toMatch(/qubit 3/);
    expect(() => pipe(withZne(), withReadoutMitigation({ method: 'm3' }))(base)).toThrow(/must wrap the primitives' Estimator directly/);
    expect(() => withReadoutMitigation({ calibration: { errors: [{ qubit: 0, p1Given0: 1.2, p0Given1: 0 }], shots: 0 } })).toThrow(
      /\[0, 1\]/,
    );
    expect(() => pipe(42 as unknown as EstimatorMiddleware)).toThrow(/not an estimator middleware/);
  });
});
