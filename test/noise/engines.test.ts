/**
 * The two noisy engines against the ideal simulator and against each other:
 * - a model without noise reproduces the statevector exactly (ρ = |ψ><ψ| entry by entry);
 * - on random noisy circuits the trajectory estimates fall within 3 standard errors of the exact
 *   density-matrix values, for expectation values and for outcome frequencies;
 * - readout error enters counts as the confusion matrices say.
 */
import { describe, expect, it } from 'vitest';
import {
  CircuitBuilder,
  DensityMatrixProgram,
  amplitudeDamping,
  createRng,
  densityElement,
  densityExpectation,
  densityMatrix,
  densityMatrixCounts,
  densityMatrixExpectations,
  depolarizing,
  diagonal,
  expectationValues,
  generalizedAmplitudeDamping,
  krausChannel,
  noiseModel,
  pauliChannel,
  phaseDamping,
  statevector,
  sym,
  thermalRelaxation,
  trajectoryCounts,
  trajectoryExpectations,
  type Circuit,
  type NoiseModel,
  type PauliSum,
  type Rng,
} from '../../src/index.js';
import { randomCircuit } from '../helpers/random.js';

/** A random trace-preserving Kraus pair on one qubit: V = [K0; K1] with orthonormal columns. */
function randomKraus(rng: Rng): number[][] {
  // Gram-Schmidt on two random complex 4-vectors gives an isometry C^2 -> C^4.
  const v = [0, 1].map(() => Array.from({ length: 8 }, () => rng.normal()));
  const dot = (a: number[], b: number[]): [number, number] => {
    let re = 0,
      im = 0;
    for (let i = 0; i < 4; i++) {
      re += a[2 * i] * b[2 * i] + a[2 * i + 1] * b[2 * i + 1];
      im += a[2 * i] * b[2 * i + 1] - a[2 * i + 1] * b[2 * i];
    }
    return [re, im];
  };
  const norm = (a: number[]): number[] => {
    const n = Math.sqrt(dot(a, a)[0]);
    return a.map((x) => x / n);
  };
  const c0 = norm(v[0]);
  const [pr, pi] = dot(c0, v[1]);
  const c1 = norm(v[1].map((x, i) => (i % 2 === 0 ? x - (pr * c0[i] - pi * c0[i + 1]) : x - (pr * c0[i] + pi * c0[i - 1]))));
  // Rows 0-1 of V are K0, rows 2-3 are K1; column j of V is c_j.
  const K = [new Array<number>(8).fill(0), new Array<number>(8).fill(0)];
  for (let row = 0; row < 4; row++)
    for (let col = 0; col < 2; col++) {
      const src = col === 0 ? c0 : c1;
      const k = row >> 1;
      const r = row & 1;
      K[k][2 * (r * 2 + col)] = src[2 * row];
      K[k][2 * (r * 2 + col) + 1] = src[2 * row + 1];
    }
  return K;
}

function randomModel(rng: Rng): NoiseModel {
  return noiseModel({
    rules: [
      { gates: ['h', 'sx', 'x', 'ry'], channel: depolarizing(0.02 + 0.05 * rng.next()) },
      { gates: ['rz', 's', 't'], channel: phaseDamping(0.1 * rng.next()) },
      { gates: ['cx', 'cz'], channel: depolarizing(0.05 + 0.1 * rng.next(), 2) },
      { gates: ['cx'], channel: amplitudeDamping(0.1 * rng.next()) },
      { gates: ['rzz', 'swap'], channel: pauliChannel({ XX: 0.03, ZI: 0.05, YZ: 0.02 }) },
      { gates: ['rx'], channel: generalizedAmplitudeDamping(0.1, 0.8) },
      { gates: ['y', 'sx'], channel: thermalRelaxation({ t1S: 50e-6, t2S: 40e-6, timeS: 2e-6, excitedPopulation: 0.03 }) },
      { gates: ['ry', 'z'], channel: krausChannel(randomKraus(rng)) },
    ],
    readout: [{ qubit: 0, p1Given0: 0.03, p0Given1: 0.06 }],
  });
}

const GATES = ['h', 'sx', 'x', 'y', 'z', 's', 't', 'rx', 'ry', 'rz', 'cx', 'cz', 'rzz', 'swap'];

function observables(n: number): PauliSum[] {
  const out: PauliSum[] = [];
  for (let q = 0; q < n; q++) {
    out.push([{ coeff: 1, pauli: 'Z'.padStart(q + 1, 'I') }]);
    out.push([{ coeff: 1, pauli: 'X'.padStart(q + 1, 'I') }]);
  }
  out.push([
    { coeff: 0.5, pauli: 'ZZ' },
    { coeff: -0.25, pauli: 'YX' },
  ]);
  return out;
}

describe('a model without noise reproduces the ideal simulator', () => {
  it('ρ = |ψ><ψ| entry by entry on random circuits over every gate, with controls and symbols', () => {
    const rng = createRng(11);
    for (let trial = 0; trial < 4; trial++) {
      const n = 3 + trial;
      const c = randomCircuit(rng, n, 30, { symbols: ['a', 'b'], controls: true });
      const bindings = { a: 0.37, b: -1.2 };
      const psi = statevector(c, bindings);
      const rho = densityMatrix(c, noiseModel(), bindings);
      let worst = 0;
      const N = 2 ** n;
      for (let r = 0; r < N; r++)
        for (let k = 0; k < N; k++) {
          const [re, im] = densityElement(rho, r, k);
          const er = psi[2 * r] * psi[2 * k] + psi[2 * r + 1] * psi[2 * k + 1];
          const ei = psi[2 * r + 1] * psi[2 * k] - psi[2 * r] * psi[2 * k + 1];
          worst = Math.max(worst, Math.abs(re - er), Math.abs(im - ei));
        }
      expect(worst).toBeLessThan(1e-12);
      const obs = observables(n);
      const dm = densityMatrixExpectations(c, noiseModel(), obs, bindings);
      const sv = expectationValues(c, obs, bindings);
      dm.forEach((v, i) => expect(v).toBeCloseTo(sv[i], 12));
      const traj = trajectoryExpectations(c, noiseModel(), obs, { trajectories: 3, bindings });
      traj.values.forEach((v, i) => expect(v).toBeCloseTo(sv[i], 12));
      traj.stdErrors.forEach((se) => expect(se).toBeLessThan(1e-12));
    }
  });
});

describe('density matrix and trajectories agree on random noisy circuits', () => {
  it('expectation values within 3 standard errors (5 circuits of 3-5 qubits, 43 observables, 4000 trajectories)', () => {
    const rng = createRng(2024);
    let compared = 0;
    let worstZ = 0;
    for (let trial = 0; trial < 5; trial++) {
      const n = 3 + (trial % 3);
      const c = randomCircuit(rng, n, 24, { names: GATES });
      const model = randomModel(rng);
      const obs = observables(n);
      const exact = densityMatrixExpectations(c, model, obs);
      const est = trajectoryExpectations(c, model, obs, { trajectories: 4000, seed: 100 + trial });
      exact.forEach((v, i) => {
        const se = est.stdErrors[i];
        const z = Math.abs(est.values[i] - v) / Math.max(se, 1e-15);
        if (se > 1e-12) worstZ = Math.max(worstZ, z);
        expect(Math.abs(est.values[i] - v)).toBeLessThanOrEqual(3 * se + 1e-12);
        compared++;
      });
    }
    expect(compared).toBe(43);
    console.log(`DM vs trajectories: ${compared} comparisons, largest deviation ${worstZ.toFixed(2)} standard errors`);
  });

  it('outcome frequencies within 3 binomial standard errors, readout error included', () => {
    const rng = createRng(7);
    const c = randomCircuit(rng, 3, 20, { names: GATES });
    const model = randomModel(rng);
    const prog = new DensityMatrixProgram(c, model);
    const p = prog.probabilities(prog.values());
    const shots = 6000;
    const { counts } = trajectoryCounts(c, model, { shots, seed: 5 });
    for (let i = 0; i < 8; i++) {
      const key = i.toString(2).padStart(3, '0');
      const f = (counts[key] ?? 0) / shots;
      expect(Math.abs(f - p[i])).toBeLessThanOrEqual(3 * Math.sqrt((p[i] * (1 - p[i])) / shots) + 1e-12);
    }
  });

  it('parameter bindings flow through both engines', () => {
    const c = new CircuitBuilder(2).ry(sym('t'), 0).cx(0, 1).rz(sym('t'), 1).build();
    const model = noiseModel({ rules: [{ channel: amplitudeDamping(0.2) }] });
    const obs: PauliSum[] = [[{ coeff: 1, pauli: 'ZZ' }], [{ coeff: 1, pauli: 'IZ' }]];
    const prog = new DensityMatrixProgram(c, model);
    for (const t of [0.3, 2.1]) {
      const exact = obs.map((o) => densityExpectation(prog.run(prog.values({ t })), o));
      const est = trajectoryExpectations(c, model, obs, { trajectories: 3000, seed: 1, bindings: { t } });
      exact.forEach((v, i) => expect(Math.abs(est.values[i] - v)).toBeLessThanOrEqual(3 * est.stdErrors[i]));
    }
  });
});

describe('readout error', () => {
  const model = noiseModel({ readout: [{ qubit: 0, p1Given0: 0.1, p0Given1: 0.2 }] });
  it('enters the exact outcome probabilities through the confusion matrix', () => {
    const c = new CircuitBuilder(2).x(1).build(); // |10>: qubit 0 reads 1 with p(1|0), qubit 1 is ideal
    const prog = new DensityMatrixProgram(c, model);
    expect(Array.from(prog.probabilities(prog.values()))).toEqual([0, 0, 0.9, 0.1].map((v) => expect.closeTo(v, 15)));
    const flipped = new DensityMatrixProgram(new CircuitBuilder(2).x(0).build(), model);
    expect(Array.from(flipped.probabilities(flipped.values()))).toEqual([0.2, 0.8, 0, 0].map((v) => expect.closeTo(v, 15)));
    expect(Array.from(diagonal(densityMatrix(c, model)))).toEqual([0, 0, 1, 0]);
  });
  it('shows in sampled counts of both engines, mapped to classical bits', () => {
    const c = new CircuitBuilder(2, 2).x(0).measure(0, 1).measure(1, 0).build(); // qubit 0 -> bit 1
    const shots = 20000;
    for (const r of [
      densityMatrixCounts(c, model, { shots, seed: 3 }),
      trajectoryCounts(c, model, { shots, seed: 3, shotsPerTrajectory: 100 }),
    ]) {
      expect(r.implicitMeasurement).toBe(false);
      expect(Object.keys(r.counts).sort()).toEqual(['00', '10']);
      expect(Math.abs(r.counts['00'] / shots - 0.2)).toBeLessThan(3 * Math.sqrt((0.2 * 0.8) / shots));
    }
  });
});

describe('density-matrix engine size', () => {
  it('runs 10 noisy qubits (38 gates, each followed by a channel) quickly', () => {
    const n = 10;
    const b = new CircuitBuilder(n);
    for (let l = 0; l < 2; l++) {
      for (let q = 0; q < n; q++) b.ry(0.3 + q, q);
      for (let q = 0; q + 1 < n; q++) b.cx(q, q + 1);
    }
    const model = noiseModel({
      rules: [
        { gates: ['ry'], channel: thermalRelaxation({ t1S: 100e-6, t2S: 80e-6, timeS: 50e-9 }) },
        { gates: ['cx'], channel: depolarizing(0.01, 2) },
      ],
    });
    const c: Circuit = b.build();
    const t0 = performance.now();
    const rho = densityMatrix(c, model);
    const ms = performance.now() - t0;
    let trace = 0;
    for (let i = 0; i < 2 ** n; i++) trace += densityElement(rho, i, i)[0];
    expect(trace).toBeCloseTo(1, 12);
    console.log(`10-qubit density matrix, ${c.ops.length} noisy gates: ${ms.toFixed(0)} ms`);
  });
});
