import { describe, expect, it } from 'vitest';
import { classCounts, limitPerClass, makeDataset, permutation, shuffle, trainValidationSplit } from '../../src/index.js';

const n = 1000;
const ds = makeDataset(
  Float32Array.from({ length: n }, (_, i) => i),
  Uint8Array.from({ length: n }, (_, i) => (i < 900 ? i % 3 : 3)), // class 3 is rare (100 samples)
  [1],
);

describe('seeded shuffles and splits', () => {
  it('a permutation is a bijection, reproducible from its seed and different across seeds', () => {
    const a = permutation(n, 42);
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(Array.from(permutation(n, 42))).toEqual(Array.from(a));
    expect(Array.from(permutation(n, 43))).not.toEqual(Array.from(a));
    // Pinned values: the sequence must not change between versions (saved splits depend on it).
    expect(Array.from(permutation(10, 1))).toEqual([7, 1, 0, 4, 9, 6, 2, 3, 8, 5]);
    const s = shuffle(ds, 7);
    for (let i = 0; i < n; i++) expect(s.y[i]).toBe(ds.y[s.x[i]]); // labels travel with samples
  });

  it('stratified split: disjoint, complete, same class shares, deterministic', () => {
    const { train, validation } = trainValidationSplit(ds, { validation: 0.2, seed: 3 });
    expect(train.count + validation.count).toBe(n);
    const ids = new Set([...train.x, ...validation.x]);
    expect(ids.size).toBe(n);
    expect(classCounts(validation)).toEqual([60, 60, 60, 20]);
    const again = trainValidationSplit(ds, { validation: 0.2, seed: 3 });
    expect(Array.from(again.validation.x)).toEqual(Array.from(validation.x));
    expect(Array.from(trainValidationSplit(ds, { validation: 0.2, seed: 4 }).validation.x)).not.toEqual(Array.from(validation.x));
    // Not ordered by class.
    expect(Array.from(validation.y.subarray(0, 20)).every((c) => c === validation.y[0])).toBe(false);
  });

  it('unstratified split by count, and bad sizes are refused', () => {
    const { validation } = trainValidationSplit(ds, { validation: 150, seed: 1, stratify: false });
    expect(validation.count).toBe(150);
    expect(() => trainValidationSplit(ds, { validation: 0, seed: 1 })).toThrow(/validation must be a fraction/);
    expect(() => trainValidationSplit(ds, { validation: 1000, seed: 1 })).toThrow(/validation must be a fraction/);
  });

  it('limitPerClass takes a seeded balanced subset', () => {
    const l = limitPerClass(ds, 50, 9);
    expect(classCounts(l)).toEqual([50, 50, 50, 50]);
    expect(Array.from(limitPerClass(ds, 50, 9).x)).toEqual(Array.from(l.x));
  });
});
