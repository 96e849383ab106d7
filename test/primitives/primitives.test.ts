import { describe, expect, it } from 'vitest';
import { LocalBackend } from '../../backends/local/index.js';
import {
  CircuitBuilder,
  Estimator,
  Sampler,
  depolarizing,
  expectation,
  groupQubitWise,
  noiseModel,
  parsePauliSum,
  statevector,
  type Backend,
  type JobHandle,
  type RunRequest,
} from '../../src/index.js';

/** Counts the jobs (and keeps the requests) that pass through to an inner backend. */
class CountingBackend implements Backend {
  readonly requests: RunRequest[] = [];
  constructor(readonly inner: Backend) {}
  get id() {
    return this.inner.id;
  }
  get provider() {
    return this.inner.provider;
  }
  get capabilities() {
    return this.inner.capabilities;
  }
  get numQubits() {
    return this.inner.numQubits;
  }
  submit(r: RunRequest, o?: { signal?: AbortSignal }): Promise<JobHandle> {
    this.requests.push(r);
    return this.inner.submit(r, o);
  }
  attach(id: string): Promise<JobHandle> {
    return this.inner.attach(id);
  }
}

const ansatz = new CircuitBuilder(3).ry('a', 0).ry('b', 1).cx(0, 1).rx('c', 2).cx(1, 2).rz('a', 2).h(0).build();
const H = parsePauliSum('0.5*Z0 Z1 - 0.7*X0 X1 + 0.3*Y1 Y2 + 0.4*Z2 + 0.2*X0 Z1 Y2 - 0.1');
const bindings = [
  { a: 0.3, b: 1.1, c: -0.4 },
  { a: 2.0, b: -0.6, c: 1.3 },
];
const exactOf = (b: Record<string, number>, obs = H) => expectation(statevector(ansatz, b), 3, obs);

describe('Estimator', () => {
  it('groups qubit-wise-commuting terms: ZZ, ZI, IZ share one setting; XX and YY get their own', () => {
    const g = groupQubitWise(['ZZ', 'ZI', 'IZ', 'XX', 'YY', 'II'], 2);
    expect(g.map((s) => s.basis).sort()).toEqual(['XX', 'YY', 'ZZ']);
    expect(
      g
        .find((s) => s.basis === 'ZZ')
        ?.members.slice()
        .sort(),
    ).toEqual(['IZ', 'ZI', 'ZZ']);
    // XI and IY merge into one XY setting; short labels are padded (qubit 0 rightmost).
    expect(groupQubitWise(['XI', 'Y'], 2)).toEqual([{ basis: 'XY', members: ['XI', 'IY'] }]);
  });

  it('gives exact values (SE 0) on an exact backend when neither shots nor precision is asked, in one job', async () => {
    const b = new CountingBackend(new LocalBackend());
    const small = new CircuitBuilder(1).ry('t', 0).build();
    const r = await new Estimator(b).run([
      { circuit: ansatz, observables: [H, parsePauliSum('Z0')], bindings },
      { circuit: small, observables: parsePauliSum('X0'), bindings: [{ t: 0.4 }] },
    ]);
    expect(b.requests).toHaveLength(1);
    expect(b.requests[0].shots).toBe(0);
    expect(r.metadata.exact).toBe(true);
    expect(r.pubs[0].values).toHaveLength(2);
    expect(r.pubs[0].values[1][0]).toBeCloseTo(exactOf(bindings[1]), 12);
    expect(r.pubs[0].values[0][1]).toBeCloseTo(exactOf(bindings[0], parsePauliSum('Z0')), 12);
    expect(r.pubs[1].values[0][0]).toBeCloseTo(Math.sin(0.4), 12);
    expect(r.pubs[0].stdErrors).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  it('shot values agree with exact within 4 SE, all settings × bindings in ONE job, shots from the precision', async () => {
    const b = new CountingBackend(new LocalBackend());
    const est = new Estimator(b);
    const precision = 0.02;
    const r = await est.run([{ circuit: ansatz, observables: [H, parsePauliSum('Z0 Z1')], bindings }], { precision, seed: 9 });
    expect(b.requests).toHaveLength(1);
    const p = r.pubs[0];
    // Terms: ZZI-type (Z0Z1, Z2) share one setting; XX, YY and XZY differ qubit-wise -> 4 settings at most.
    expect(p.settings.length).toBeLessThanOrEqual(4);
    expect(b.requests[0].runs).toHaveLength(p.settings.length);
    expect(b.requests[0].runs[0].bindings).toHaveLength(2);
    const norm = 0.5 + 0.7 + 0.3 + 0.4 + 0.2;
    expect(p.shotsPerSetting).toBe(Math.ceil((norm / precision) ** 2));
    expect(r.metadata.shots).toBe(p.settings.length * 2 * p.shotsPerSetting);
    for (let k = 0; k < 2; k++) {
      const se = p.stdErrors[k][0];
      expect(se).toBeGreaterThan(0);
      expect(se).toBeLessThan(precision * 1.05);
      expect(Math.abs(p.values[k][0] - exactOf(bindings[k]))).toBeLessThan(4 * se);
      expect(Math.abs(p.values[k][1] - exactOf(bindings[k], parsePauliSum('Z0 Z1')))).toBeLessThan(4 * p.stdErrors[k][1]);
    }
  });

  it('on a noisy backend, shot estimates agree with the exact noisy value Tr(Oρ) within 4 SE', async () => {
    const model = noiseModel({
      rules: [
        { gates: ['cx'], channel: depolarizing(0.05, 2) },
        // Not on h/sdg: the Estimator's basis rotations would then add noise the exact Tr(Oρ) does not see.
        { gates: ['ry', 'rx', 'rz'], channel: depolarizing(0.02) },
      ],
    });
    const b = new CountingBackend(new LocalBackend({ noise: model }));
    const est = new Estimator(b);
    const pair = new CircuitBuilder(2).ry('t', 0).cx(0, 1).build();
    const pairObs = [parsePauliSum('Z0 Z1'), parsePauliSum('X0 X1')];
    const pubs = [
      { circuit: ansatz, observables: H, bindings },
      { circuit: pair, observables: pairObs, bindings: [{ t: 1.2 }] },
    ];
    const exact = await est.run(pubs);
    const shot = await est.run(pubs, { shots: 20_000, seed: 4 });
    expect(b.requests.map((r) => r.shots)).toEqual([0, 20_000]);
    // The noise is visible: ideal <Z0 Z1> = 1 and <X0 X1> = sin 1.2 both shrink.
    expect(exact.pubs[1].values[0][0]).toBeLessThan(0.97);
    expect(exact.pubs[1].values[0][1]).toBeLessThan(Math.sin(1.2) - 0.03);
    for (let k = 0; k < 2; k++) {
      expect(Math.abs(shot.pubs[0].values[k][0] - exact.pubs[0].values[k][0])).toBeLessThan(4 * shot.pubs[0].stdErrors[k][0]);
    }
    for (let o = 0; o < 2; o++) {
      expect(Math.abs(shot.pubs[1].values[0][o] - exact.pubs[1].values[0][o])).toBeLessThan(4 * shot.pubs[1].stdErrors[0][o]);
    }
  });

  it('standard errors are honest: over 200 seeded repetitions the true value is within ±2 SE about 95% of the time', async () => {
    const b = new CountingBackend(new LocalBackend());
    const est = new Estimator(b);
    const truth = bindings.map((x) => exactOf(x));
    let inside = 0;
    let total = 0;
    let seSum = 0;
    const errs: number[] = [];
    for (let rep = 0; rep < 200; rep++) {
      const r = await est.run([{ circuit: ansatz, observables: H, bindings }], { shots: 400, seed: 1000 + rep });
      for (let k = 0; k < 2; k++) {
        const v = r.pubs[0].values[k][0];
        const se = r.pubs[0].stdErrors[k][0];
        if (Math.abs(v - truth[k]) <= 2 * se) inside++;
        total++;
        seSum += se;
        errs.push(v - truth[k]);
      }
    }
    expect(b.requests).toHaveLength(200);
    const coverage = inside / total;
    expect(coverage).toBeGreaterThanOrEqual(0.9);
    expect(coverage).toBeLessThanOrEqual(0.99);
    // The mean reported SE matches the spread actually seen (within 15%).
    const rms = Math.sqrt(errs.reduce((s, e) => s + e * e, 0) / errs.length);
    expect(seSum / total / rms).toBeGreaterThan(0.85);
    expect(seSum / total / rms).toBeLessThan(1.15);
  });

  it('caps shots at the backend limit and refuses bad input', async () => {
    const inner = new LocalBackend();
    const tight = new CountingBackend(inner);
    Object.defineProperty(tight, 'capabilities', { get: () => ({ ...inner.capabilities, maxShots: 1000 }) });
    const r = await new Estimator(tight).run([{ circuit: ansatz, observables: H, bindings, precision: 1e-4 }]);
    expect(r.pubs[0].shotsPerSetting).toBe(1000);
    expect(r.metadata.shotsCapped).toBe(true);
    const est = new Estimator(new LocalBackend());
    await expect(est.run([{ circuit: ansatz, observables: parsePauliSum('Z5'), bindings }])).rejects.toThrow(/acts on qubit 5/);
    await expect(est.run([{ circuit: ansatz, observables: H, bindings }], { precision: -1 })).rejects.toThrow(/precision/);
    await expect(est.run([])).rejects.toThrow(/at least one pub/);
  });
});

describe('Sampler', () => {
  it('gives counts per binding in a fixed shape, one job per shot count', async () => {
    const b = new CountingBackend(new LocalBackend());
    const c = new CircuitBuilder(1).ry('t', 0).measureAll().build();
    const bell = new CircuitBuilder(2).h(0).cx(0, 1).measureAll().build();
    const s = new Sampler(b);
    const r = await s.run([{ circuit: c, bindings: [{ t: 0 }, { t: Math.PI }] }, { circuit: bell }], { shots: 500, seed: 3 });
    expect(b.requests).toHaveLength(1);
    expect(r.pubs[0].counts).toEqual([{ '0': 500 }, { '1': 500 }]);
    expect(Object.keys(r.pubs[1].counts[0]).sort()).toEqual(['00', '11']);
    expect(r.pubs[1].shots).toBe(500);
    const r2 = await s.run([
      { circuit: bell, shots: 100 },
      { circuit: bell, shots: 200 },
      { circuit: c, bindings: [{ t: 1 }], shots: 100 },
    ]);
    expect(b.requests).toHaveLength(3);
    expect(r2.pubs.map((p) => p.shots)).toEqual([100, 200, 100]);
    expect(r2.pubs.map((p) => Object.values(p.counts[0]).reduce((x, y) => x + y, 0))).toEqual([100, 200, 100]);
  });
});
