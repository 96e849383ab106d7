import { describe, expect, it } from 'vitest';
import { CircuitBuilder, createRng, probabilities, runCounts, statevector } from '../../src/index.js';
import { randomCircuit } from '../helpers/random.js';

/**
 * Pearson chi-square of counts against probabilities over every outcome of n bits. Outcomes expected
 * fewer than 5 times are pooled into one bin, as the chi-square approximation needs.
 */
function chiSquare(counts: Record<string, number>, probs: Float64Array, n: number, shots: number): { chi2: number; df: number } {
  let chi2 = 0;
  let df = -1;
  let pooledE = 0;
  let pooledO = 0;
  for (let i = 0; i < probs.length; i++) {
    const e = probs[i] * shots;
    const o = counts[i.toString(2).padStart(n, '0')] ?? 0;
    if (e < 1e-12) expect(o).toBe(0);
    if (e < 5) {
      pooledE += e;
      pooledO += o;
      continue;
    }
    chi2 += ((o - e) * (o - e)) / e;
    df++;
  }
  if (pooledE > 1e-9) {
    chi2 += ((pooledO - pooledE) * (pooledO - pooledE)) / pooledE;
    df++;
  }
  return { chi2, df };
}

// Upper 0.1% points of chi-square (so a correct sampler fails this test about once in a thousand seeds).
function critical(df: number): number {
  // Wilson-Hilferty approximation of the 0.999 quantile.
  const z = 3.090232;
  return df * (1 - 2 / (9 * df) + z * Math.sqrt(2 / (9 * df))) ** 3;
}

describe('sampling', () => {
  it('counts pass a chi-square test against the exact probabilities (fixed seeds)', () => {
    // Independent chi-squares add up, so the ten circuits make one test with ~280 degrees of freedom:
    // more power against a biased sampler than ten separate tests, and one false-alarm rate (0.1%).
    const rng = createRng(11);
    let total = 0;
    let totalDf = 0;
    for (let trial = 0; trial < 10; trial++) {
      const n = 4 + (trial % 3);
      const c = randomCircuit(rng, n, 30);
      const probs = probabilities(statevector(c), n);
      const shots = 20_000;
      const r = runCounts(c, { shots, seed: 1000 + trial });
      expect(Object.values(r.counts).reduce((a, b) => a + b, 0)).toBe(shots);
      const { chi2, df } = chiSquare(r.counts, probs, n, shots);
      total += chi2;
      totalDf += df;
    }
    expect(totalDf).toBeGreaterThan(200);
    expect(total).toBeLessThan(critical(totalDf));
    // A sampler that is off by 2% on one outcome must fail the same test.
    const c = randomCircuit(createRng(12), 4, 30);
    const probs = probabilities(statevector(c), 4);
    const skewed = Float64Array.from(probs);
    const top = skewed.indexOf(Math.max(...skewed));
    skewed[top] -= 0.02;
    skewed[(top + 1) % 16] += 0.02;
    const r = runCounts(c, { shots: 200_000, seed: 77 });
    const bad = chiSquare(r.counts, skewed, 4, 200_000);
    expect(bad.chi2).toBeGreaterThan(critical(bad.df));
  });

  it('is reproducible from a seed and differs between seeds', () => {
    const c = new CircuitBuilder(3).h(0).h(1).h(2).measureAll().build();
    const a = runCounts(c, { shots: 500, seed: 3 });
    const b = runCounts(c, { shots: 500, seed: 3 });
    const d = runCounts(c, { shots: 500, seed: 4 });
    expect(a.counts).toEqual(b.counts);
    expect(a.counts).not.toEqual(d.counts);
  });

  it('puts classical bit 0 rightmost and maps qubits to the bits they are measured into', () => {
    const c = new CircuitBuilder(3, 3).x(0).measure(0, 2).measure(1, 0).measure(2, 1).build();
    expect(runCounts(c, { shots: 10 }).counts).toEqual({ '100': 10 });
    const d = new CircuitBuilder(2).x(0).measureAll().build();
    expect(runCounts(d, { shots: 10 }).counts).toEqual({ '01': 10 });
  });

  it('measures every qubit when the circuit measures nothing, and says so', () => {
    const r = runCounts(new CircuitBuilder(2).x(1).build(), { shots: 5 });
    expect(r.counts).toEqual({ '10': 5 });
    expect(r.implicitMeasurement).toBe(true);
  });

  it('simulates mid-circuit measurement and reset shot by shot', () => {
    // H, measure into c0, reset, H, measure into c1: two independent fair bits.
    const c = new CircuitBuilder(1, 2).h(0).measure(0, 0).reset(0).h(0).measure(0, 1).build();
    const shots = 8000;
    const r = runCounts(c, { shots, seed: 9 });
    const { chi2, df } = chiSquare(r.counts, new Float64Array([0.25, 0.25, 0.25, 0.25]), 2, shots);
    expect(df).toBe(3);
    expect(chi2).toBeLessThan(critical(3));
    // reset after X leaves |0>
    const z = new CircuitBuilder(1).x(0).reset(0).measure(0).build();
    expect(runCounts(z, { shots: 50, seed: 1 }).counts).toEqual({ '0': 50 });
  });

  it('rejects bad shot counts with a clear error', () => {
    const c = new CircuitBuilder(1).h(0).build();
    expect(() => runCounts(c, { shots: 0 })).toThrow(/shots must be an integer/);
    expect(() => runCounts(c, { shots: 1.5 })).toThrow(/shots/);
  });
});
