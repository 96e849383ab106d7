import { describe, expect, it } from 'vitest';
import { applyChannelNorm, applyChannelNormTo, checkChannelNorm, fitChannelNorm, makeDataset } from '../../src/index.js';

describe('channel normalisation', () => {
  // Two samples of 2x1 positions with 2 channels: channel 0 takes 1, 3, 5, 7; channel 1 is constant 2.
  const ds = makeDataset(Float32Array.from([1, 2, 3, 2, 5, 2, 7, 2]), Uint8Array.from([0, 1]), [2, 1, 2]);

  it('fits mean and population deviation per channel over samples and positions', () => {
    const n = fitChannelNorm(ds);
    expect(n.mean).toEqual([4, 2]);
    expect(n.std[0]).toBeCloseTo(Math.sqrt(5), 12);
    // A constant channel gets deviation 1: it maps to 0 instead of dividing by zero.
    expect(n.std[1]).toBe(1);
  });

  it('standardises data and bare channel vectors the same way, into new arrays', () => {
    const n = fitChannelNorm(ds);
    const z = applyChannelNorm(ds, n);
    expect(z.x).not.toBe(ds.x);
    expect(z.shape).toEqual(ds.shape);
    const s5 = Math.sqrt(5);
    expect(Array.from(z.x)).toEqual(Array.from(Float32Array.from([-3 / s5, 0, -1 / s5, 0, 1 / s5, 0, 3 / s5, 0])));
    expect(Array.from(applyChannelNormTo([7, 2], n))).toEqual(Array.from(z.x.subarray(6, 8)));
  });

  it('refuses mismatched or malformed normalisations', () => {
    expect(() => applyChannelNorm(ds, { mean: [0, 0, 0], std: [1, 1, 1] })).toThrow(/3 channels, the data 2/);
    expect(() => checkChannelNorm({ mean: [0, 0], std: [1, 0] }, 2)).toThrow(/positive deviations/);
    expect(() => checkChannelNorm({ mean: [0, Number.NaN], std: [1, 1] }, 2)).toThrow(/finite means/);
    expect(() => checkChannelNorm(undefined, 2)).toThrow(/2 finite means/);
    expect(checkChannelNorm({ mean: [0, 1], std: [1, 2] }, 2)).toEqual({ mean: [0, 1], std: [1, 2] });
    expect(() => fitChannelNorm(makeDataset(new Float32Array(0), new Uint8Array(0), [2, 1, 2]))).toThrow(/empty/);
  });
});
