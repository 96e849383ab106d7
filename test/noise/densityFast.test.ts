/**
 * The Pauli-transfer density-matrix engine (DensityMatrixProgram: fused PTMs, cache-blocked phases,
 * SIMD kernels) against the complex-superoperator engine it replaced (ReferenceDensityMatrixProgram),
 * entry by entry to 1e-12 on random noisy circuits: every gate family, controls and symbols,
 * 1/2/3-qubit channels of every kind including random Kraus maps, readout error, and registers wide
 * enough (9-10 qubits) that the engine splits the circuit into several cache phases.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  DensityMatrixProgram,
  amplitudeDamping,
  createRng,
  depolarizing,
  generalizedAmplitudeDamping,
  krausChannel,
  noiseModel,
  pauliChannel,
  phaseDamping,
  thermalRelaxation,
  type Circuit,
  type NoiseModel,
  type Rng,
} from '../../src/index.js';
import { ReferenceDensityMatrixProgram } from '../../src/noise/referenceDensityMatrix.js';
import { pauliTransferMatrix } from '../../src/noise/pauliTransfer.js';
import { randomCircuit } from '../helpers/random.js';

/** A random CPTP map on k qubits: two Kraus operators from a 2d x d matrix with orthonormal columns. */
function randomKraus(rng: Rng, k: number): number[][] {
  const d = 1 << k;
  const cols: number[][] = [];
  for (let c = 0; c < d; c++) {
    const v = Array.from({ length: 4 * d }, () => rng.next() * 2 - 1);
    for (const u of cols) {
      // v -= <u, v> u (complex inner product)
      let re = 0;
      let im = 0;
      for (let i = 0; i < 2 * d; i++) {
        re += u[2 * i] * v[2 * i] + u[2 * i + 1] * v[2 * i + 1];
        im += u[2 * i] * v[2 * i + 1] - u[2 * i + 1] * v[2 * i];
      }
      for (let i = 0; i < 2 * d; i++) {
        v[2 * i] -= re * u[2 * i] - im * u[2 * i + 1];
        v[2 * i + 1] -= re * u[2 * i + 1] + im * u[2 * i];
      }
    }
    const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
    cols.push(v.map((x) => x / norm));
  }
  const K = [new Array<number>(2 * d * d).fill(0), new Array<number>(2 * d * d).fill(0)];
  for (let row = 0; row < 2 * d; row++)
    for (let c = 0; c < d; c++) {
      const kk = row >= d ? 1 : 0;
      const r = row % d;
      K[kk][2 * (r * d + c)] = cols[c][2 * row];
      K[kk][2 * (r * d + c) + 1] = cols[c][2 * row + 1];
    }
  return K;
}

function randomModel(rng: Rng, n: number): NoiseModel {
  return noiseModel({
    rules: [
      { gates: ['h', 'sx', 'x', 'ry', 'u'], channel: depolarizing(0.02 + 0.05 * rng.next()) },
      { gates: ['rz', 's', 't'], channel: phaseDamping(0.1 * rng.next()) },
      { gates: ['cx', 'cz', 'ecr'], channel: depolarizing(0.05 + 0.1 * rng.next(), 2), on: [0, 1] },
      { gates: ['cx'], channel: amplitudeDamping(0.1 * rng.next()) },
      { gates: ['rzz', 'swap', 'iswap'], channel: pauliChannel({ XX: 0.03, ZI: 0.05, YZ: 0.02 }), on: [1, 0] },
      { gates: ['rx'], channel: generalizedAmplitudeDamping(0.1, 0.8) },
      { gates: ['y', 'sx'], channel: thermalRelaxation({ t1S: 50e-6, t2S: 40e-6, timeS: 2e-6, excitedPopulation: 0.03 }) },
      { gates: ['ry', 'z'], channel: krausChannel(randomKraus(rng, 1)) },
      { gates: ['cz', 'rxx', 'cp'], channel: krausChannel(randomKraus(rng, 2)), on: [0, 1] },
      { gates: ['ccx', 'cswap'], channel: depolarizing(0.04, 3), on: [0, 1, 2] },
      { gates: ['rxx'], channel: amplitudeDamping(0.05), on: [1] },
    ],
    readout: Array.from({ length: n }, (_, q) => ({ qubit: q, p1Given0: 0.01 + 0.002 * q, p0Given1: 0.03 })),
  });
}

function worstDifference(c: Circuit, model: NoiseModel, bindings: Record<string, number>): { rho: number; probs: number; phases: number } {
  const fast = new DensityMatrixProgram(c, model);
  const ref = new ReferenceDensityMatrixProgram(c, model);
  const a = fast.run(fast.values(bindings)).data;
  const b = ref.run(ref.values(bindings)).data;
  let rho = 0;
  for (let i = 0; i < a.length; i++) rho = Math.max(rho, Math.abs(a[i] - b[i]));
  const pa = fast.probabilities(fast.values(bindings));
  const pb = ref.probabilities(ref.values(bindings));
  let probs = 0;
  for (let i = 0; i < pa.length; i++) probs = Math.max(probs, Math.abs(pa[i] - pb[i]));
  return { rho, probs, phases: fast.stats.phases };
}

const saved = process.env.QBRIDGE_KERNELS;
afterEach(() => {
  if (saved === undefined) delete process.env.QBRIDGE_KERNELS;
  else process.env.QBRIDGE_KERNELS = saved;
});

describe('the Pauli-transfer engine equals the superoperator engine', () => {
  for (const kernels of ['wasm', 'js'] as const) {
    it(`on random noisy circuits of 2-6 qubits with controls and symbols (${kernels} kernels)`, () => {
      if (kernels === 'js') process.env.QBRIDGE_KERNELS = 'js';
      const rng = createRng(kernels === 'js' ? 5 : 4);
      for (let trial = 0; trial < 6; trial++) {
        const n = 2 + (trial % 5);
        const c = randomCircuit(rng, n, 40, { symbols: ['a', 'b'], controls: true });
        const d = worstDifference(c, randomModel(rng, n), { a: 0.37 + trial, b: -1.2 });
        expect(d.rho).toBeLessThan(1e-12);
        expect(d.probs).toBeLessThan(1e-12);
      }
    });
  }

  it('on 9- and 10-qubit circuits split into several cache phases', () => {
    const rng = createRng(9);
    for (const n of [9, 10]) {
      const c = randomCircuit(rng, n, 70, { symbols: ['a'], names: ['h', 'sx', 'rz', 'ry', 'x', 'cx', 'cz', 'rzz', 'ccx'] });
      const d = worstDifference(c, randomModel(rng, n), { a: 0.81 });
      expect(d.phases).toBeGreaterThan(1);
      expect(d.rho).toBeLessThan(1e-12);
      expect(d.probs).toBeLessThan(1e-12);
    }
  });

  it('on Clifford 2-qubit gates under Pauli noise (the signed-permutation kernel), 4 and 9 qubits', () => {
    const rng = createRng(21);
    const model = noiseModel({
      rules: [
        { gates: ['cx', 'cz', 'swap', 'ecr'], channel: depolarizing(0.03, 2) },
        { gates: ['cz'], channel: pauliChannel({ XZ: 0.02, YI: 0.01 }) },
        { gates: ['sx', 'rz', 'h'], channel: depolarizing(0.01) },
      ],
    });
    for (const n of [4, 9]) {
      const c = randomCircuit(rng, n, 60, { symbols: ['a'], names: ['h', 'sx', 'rz', 'cx', 'cz', 'swap', 'ecr'] });
      const d = worstDifference(c, model, { a: -0.4 });
      expect(d.rho).toBeLessThan(1e-12);
      expect(d.probs).toBeLessThan(1e-12);
    }
  });

  it('computes Pauli transfer matrices that match their definition on known gates', () => {
    // H maps X <-> Z and Y -> -Y; CZ maps XI -> XZ (qubit 0 = the low digit).
    const s = Math.SQRT1_2;
    const h = pauliTransferMatrix([Float64Array.of(s, 0, s, 0, s, 0, -s, 0)], 1);
    expect(Array.from(h).map((v) => Math.round(v))).toEqual([1, 0, 0, 0, 0, 0, 0, 1, 0, 0, -1, 0, 0, 1, 0, 0]);
    const cz = new Float64Array(32);
    [1, 1, 1, -1].forEach((v, i) => (cz[2 * (5 * i)] = v));
    const r = pauliTransferMatrix([cz], 2);
    // column XI (index 1) has its one entry at row XZ (index 1 + 4·3 = 13)
    expect(r[13 * 16 + 1]).toBeCloseTo(1, 14);
    expect(r[1 * 16 + 1]).toBeCloseTo(0, 14);
  });
});
