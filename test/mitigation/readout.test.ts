import { describe, expect, it } from 'vitest';
import {
  M3Subspace,
  QError,
  applyTensoredInverse,
  calibrationFromCounts,
  createRng,
  denseDistribution,
  m3Correct,
  mitigatedObservable,
  nearestProbability,
  type ReadoutCalibration,
} from '../../src/index.js';

const errs = [
  { qubit: 0, p1Given0: 0.02, p0Given1: 0.07 },
  { qubit: 1, p1Given0: 0.05, p0Given1: 0.03 },
  { qubit: 2, p1Given0: 0.01, p0Given1: 0.1 },
];
const cal: ReadoutCalibration = { errors: errs, shots: 0 };

/** ⊗A_q applied to a distribution: what a device with these assignment errors reads. */
function confuse(p: Float64Array): Float64Array {
  const v = Float64Array.from(p);
  errs.forEach((e, j) => {
    const bit = 1 << j;
    for (let i = 0; i < v.length; i++) {
      if (i & bit) continue;
      const [a, b] = [v[i], v[i | bit]];
      v[i] = (1 - e.p1Given0) * a + e.p0Given1 * b;
      v[i | bit] = e.p1Given0 * a + (1 - e.p0Given1) * b;
    }
  });
  return v;
}

function randomDistribution(seed: number, k: number): Float64Array {
  const rng = createRng(seed);
  const p = Float64Array.from({ length: 1 << k }, () => rng.next());
  const s = p.reduce((a, b) => a + b, 0);
  return p.map((x) => x / s);
}

describe('tensored readout inversion', () => {
  it('recovers known distributions exactly', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const p = randomDistribution(seed, 3);
      const back = applyTensoredInverse(confuse(p), errs);
      for (let i = 0; i < 8; i++) expect(back[i]).toBeCloseTo(p[i], 12);
    }
  });

  it('projects a quasi-distribution to the nearest probability vector', () => {
    expect([...nearestProbability(Float64Array.from([0.6, 0.5, -0.1]))].map((x) => +x.toFixed(12))).toEqual([0.55, 0.45, 0]);
    const already = Float64Array.from([0.2, 0.3, 0.5]);
    expect([...nearestProbability(already)]).toEqual([...already]);
    const rng = createRng(3);
    for (let t = 0; t < 20; t++) {
      const q = Float64Array.from({ length: 8 }, () => rng.next() - 0.3);
      const p = nearestProbability(q);
      expect(p.every((x) => x >= 0)).toBe(true);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
  });

  it('on an observable equals the inversion on the counts (Σ p̂ · y of the expanded observable)', () => {
    const noisy = confuse(randomDistribution(9, 3));
    const obs = [
      { coeff: 0.7, pauli: 'ZZZ' },
      { coeff: -0.3, pauli: 'ZIZ' },
      { coeff: 0.2, pauli: 'IZI' },
    ];
    const parity = (x: number, mask: number) => {
      let m = x & mask;
      let s = 1;
      while (m) {
        s = -s;
        m &= m - 1;
      }
      return s;
    };
    const maskOf = (label: string) => [...label].reduce((m, ch, i) => (ch === 'I' ? m : m | (1 << (label.length - 1 - i))), 0);
    const valueOn = (p: Float64Array, o: { coeff: number; pauli: string }[]) =>
      o.reduce((s, t) => s + t.coeff * p.reduce((a, px, x) => a + px * parity(x, maskOf(t.pauli)), 0), 0);
    const corrected = applyTensoredInverse(Float64Array.from(noisy), errs);
    const expanded = mitigatedObservable(obs, cal, 'test');
    expect(valueOn(noisy, [...expanded])).toBeCloseTo(valueOn(corrected, obs), 12);
    // Sub-strings only: the expansion needs no new measurement settings.
    for (const t of expanded) for (let i = 0; i < 3; i++) if (t.pauli[i] !== 'I') expect(t.pauli[i]).toBe('Z');
  });

  it('reads calibration counts with bit k = qubits[k]', () => {
    const c = calibrationFromCounts([4, 7], { '00': 90, '01': 10 }, { '11': 80, '01': 20 });
    expect(c.errors).toEqual([
      { qubit: 4, p1Given0: 0.1, p0Given1: 0 },
      { qubit: 7, p1Given0: 0, p0Given1: 0.2 },
    ]);
    expect(c.shots).toBe(100);
  });
});

describe('M3 subspace correction', () => {
  it('agrees with full inversion when every bitstring is observed and the distance covers the register', () => {
    const noisy = confuse(randomDistribution(4, 3));
    const counts: Record<string, number> = {};
    noisy.forEach((p, i) => (counts[i.toString(2).padStart(3, '0')] = Math.round(p * 1e6)));
    const { probs } = denseDistribution(counts, 3);
    const full = applyTensoredInverse(Float64Array.from(probs), errs);
    const { quasi } = m3Correct(counts, errs, 3);
    for (let i = 0; i < 8; i++) expect(quasi[i.toString(2).padStart(3, '0')]).toBeCloseTo(full[i], 10);
  });

  it('on a sparse histogram stays on the observed strings, sums to about 1 and removes most of the error', () => {
    // A GHZ-like state read with errors: mostly 000 and 111, a few single flips.
    const truth = new Float64Array(8);
    truth[0] = 0.5;
    truth[7] = 0.5;
    const noisy = confuse(truth);
    const counts: Record<string, number> = {};
    noisy.forEach((p, i) => {
      if (p > 0.005) counts[i.toString(2).padStart(3, '0')] = Math.round(p * 1e5);
    });
    const { quasi } = m3Correct(counts, errs, 1);
    expect(Object.keys(quasi).sort()).toEqual(Object.keys(counts).sort());
    const total = Object.values(quasi).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1, 2);
    expect(Math.abs(quasi['000'] - 0.5)).toBeLessThan(0.02);
    expect(Math.abs(quasi['111'] - 0.5)).toBeLessThan(0.02);
    expect(Math.abs(noisy[7] - 0.5)).toBeGreaterThan(0.05);
  });

  it('solves large subspaces iteratively to the dense answer (and its transpose)', () => {
    const k = 10;
    const many = Array.from({ length: k }, (_, q) => ({ qubit: q, p1Given0: 0.01 + 0.002 * q, p0Given1: 0.03 }));
    const rng = createRng(5);
    const counts: Record<string, number> = {};
    for (let t = 0; t < 600; t++) counts[(rng.nextUint32() & 1023).toString(2).padStart(k, '0')] = 1 + (t % 7);
    const sub = new M3Subspace(counts, many, 2);
    expect(sub.size).toBeGreaterThan(256);
    const b = Float64Array.from(sub.probs);
    for (const transpose of [false, true]) {
      const x = sub.solve(b, transpose);
      const dense = (sub as unknown as { solveDense(b: Float64Array, t: boolean): Float64Array }).solveDense(b, transpose);
      for (let i = 0; i < sub.size; i++) expect(x[i]).toBeCloseTo(dense[i], 10);
    }
  });

  it('refuses bitstrings of more than 32 bits and negative distances', () => {
    expect(() => new M3Subspace({ '0': 1 }, errs, -1)).toThrow(QError);
  });
});
