import { describe, expect, it } from 'vitest';
import { covarianceMatrix, createRng, fitPca, makeDataset, pcaInverse, pcaTransform, symmetricEigen } from '../../src/index.js';

describe('symmetric eigensolver', () => {
  it('recovers a known decomposition Q diag(λ) Qᵀ with the sign convention', () => {
    // Q: a rotation in the (0,1) plane by 30 degrees, then a reflection of axis 2; eigenvalues 5, 2, 0.5.
    const c = Math.cos(Math.PI / 6);
    const s = Math.sin(Math.PI / 6);
    const Q = [
      [c, -s, 0],
      [s, c, 0],
      [0, 0, -1],
    ];
    const lam = [2, 5, 0.5];
    const A = new Array(9).fill(0);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) A[i * 3 + j] += Q[i][k] * lam[k] * Q[j][k];
    const e = symmetricEigen(A, 3);
    expect(Array.from(e.values).map((v) => +v.toFixed(12))).toEqual([5, 2, 0.5]);
    // Eigenvector of 5 is column 1 of Q = (-s, c, 0); its largest entry c is positive already.
    expect(Array.from(e.vectors.subarray(0, 3)).map((v) => +v.toFixed(12))).toEqual([+(-s).toFixed(12), +c.toFixed(12), 0]);
    // Eigenvector of 0.5 is (0, 0, -1): flipped to (0, 0, 1).
    expect(Array.from(e.vectors.subarray(6, 9)).map((v) => +v.toFixed(12))).toEqual([0, 0, 1]);
  });

  it('satisfies A v = λ v and orthonormality on a random 60x60 matrix', () => {
    const n = 60;
    const rng = createRng(5);
    const B = Array.from({ length: n * n }, () => rng.normal());
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] = B[i * n + j] + B[j * n + i];
    const e = symmetricEigen(A, n);
    let resid = 0;
    let orth = 0;
    for (let k = 0; k < n; k++) {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += A[i * n + j] * e.vectors[k * n + j];
        resid = Math.max(resid, Math.abs(s - e.values[k] * e.vectors[k * n + i]));
      }
      for (let l = 0; l < n; l++) {
        let d = 0;
        for (let i = 0; i < n; i++) d += e.vectors[k * n + i] * e.vectors[l * n + i];
        orth = Math.max(orth, Math.abs(d - (k === l ? 1 : 0)));
      }
    }
    expect(resid).toBeLessThan(1e-10);
    expect(orth).toBeLessThan(1e-12);
    for (let k = 1; k < n; k++) expect(e.values[k]).toBeLessThanOrEqual(e.values[k - 1]);
    expect(() => symmetricEigen([1, 2, 3, 4], 2)).toThrow(/not symmetric/);
  });
});

describe('PCA', () => {
  // Samples x = m + 3 z1 u1 + 1 z2 u2 (+ tiny noise) in 4-D with orthonormal u1, u2 and unit-variance z's.
  const u1 = [0.5, 0.5, 0.5, 0.5];
  const u2 = [0.5, -0.5, 0.5, -0.5];
  const m = [1, 2, 3, 4];
  const rng = createRng(11);
  const n = 4000;
  const x = new Float32Array(n * 4);
  for (let i = 0; i < n; i++) {
    const z1 = rng.normal();
    const z2 = rng.normal();
    for (let j = 0; j < 4; j++) x[i * 4 + j] = m[j] + 3 * z1 * u1[j] + z2 * u2[j] + 1e-3 * rng.normal();
  }
  const train = makeDataset(x, new Uint8Array(n), [4]);

  it('covariance matches the dense two-pass formula', () => {
    const { cov, mean } = covarianceMatrix(train);
    const mu = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) for (let j = 0; j < 4; j++) mu[j] += x[i * 4 + j] / n;
    for (let a = 0; a < 4; a++) {
      expect(mean[a]).toBeCloseTo(mu[a], 6);
      for (let b = 0; b < 4; b++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += (x[i * 4 + a] - mu[a]) * (x[i * 4 + b] - mu[b]);
        expect(cov[a * 4 + b]).toBeCloseTo(s / (n - 1), 6);
      }
    }
  });

  it('finds the planted directions and variances (tolerance from n = 4000 samples)', () => {
    const pca = fitPca(train, 2);
    // Sample variance of 9 z1^2 has relative std sqrt(2/n) ≈ 2.2%: allow 4 sigma.
    expect(pca.explainedVariance[0] / 9).toBeGreaterThan(1 - 0.09);
    expect(pca.explainedVariance[0] / 9).toBeLessThan(1 + 0.09);
    expect(pca.explainedVariance[1]).toBeGreaterThan(1 - 0.09);
    expect(pca.explainedVariance[1]).toBeLessThan(1 + 0.09);
    expect(pca.explainedVarianceRatio[0] + pca.explainedVarianceRatio[1]).toBeGreaterThan(0.9999);
    // Direction error ~ 1/sqrt(n) relative; the sign convention makes u1 (all 0.5) come out positive.
    pca.components[0].forEach((v, j) => expect(Math.abs(v - u1[j])).toBeLessThan(0.02));
    const dot2 = pca.components[1].reduce((a, v, j) => a + v * u2[j], 0);
    expect(Math.abs(dot2)).toBeGreaterThan(0.999);
    // Projections have the fitted variances and reconstruct the data up to the dropped noise.
    const z = pcaTransform(train, pca);
    let v0 = 0;
    for (let i = 0; i < n; i++) v0 += z.x[i * 2] ** 2;
    expect(v0 / (n - 1)).toBeCloseTo(pca.explainedVariance[0], 2);
    const back = pcaInverse(z, pca);
    let err = 0;
    for (let i = 0; i < x.length; i++) err = Math.max(err, Math.abs(back.x[i] - x[i]));
    expect(err).toBeLessThan(0.01);
    const white = pcaTransform(train, fitPca(train, 2, { whiten: true }));
    let w1 = 0;
    for (let i = 0; i < n; i++) w1 += white.x[i * 2 + 1] ** 2;
    expect(w1 / (n - 1)).toBeCloseTo(1, 3);
  });

  it('ignores constant features and refuses more components than varying features', () => {
    const y = new Float32Array(6 * 3);
    for (let i = 0; i < 6; i++) y.set([i, 0, 2 * i * (i % 2 ? 1 : -1)], i * 3);
    const ds = makeDataset(y, new Uint8Array(6), [3]);
    const pca = fitPca(ds, 2);
    expect(pca.components[0][1]).toBe(0);
    expect(pca.components[1][1]).toBe(0);
    expect(() => fitPca(ds, 3)).toThrow(/varies in only 2 features/);
    expect(() => pcaTransform(makeDataset(new Float32Array(4), new Uint8Array(2), [2]), pca)).toThrow(/fitted on 3 features, data has 2/);
  });
});
