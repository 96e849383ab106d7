import { describe, expect, it } from 'vitest';
import {
  binarize,
  downsampleArea,
  filterClasses,
  fitMinMax,
  fitStandardizer,
  makeDataset,
  minMaxScale,
  normalizeL2,
  resizeBilinear,
  standardize,
  type Dataset,
} from '../../src/index.js';

function images(values: number[][], rows: number, cols: number, labels?: number[]): Dataset {
  return makeDataset(Float32Array.from(values.flat()), Uint8Array.from(labels ?? values.map((_, i) => i)), [rows, cols]);
}

describe('class filtering', () => {
  const ds = makeDataset(Float32Array.from([0, 1, 2, 3, 4, 5]), Uint8Array.from([3, 1, 3, 7, 1, 9]), [1]);

  it('keeps the listed classes in data order and relabels them in the order given', () => {
    const f = filterClasses(ds, [3, 1]);
    expect(Array.from(f.x)).toEqual([0, 1, 2, 4]);
    expect(Array.from(f.y)).toEqual([0, 1, 0, 1]);
    expect(Array.from(filterClasses(ds, [3, 1], { relabel: false }).y)).toEqual([3, 1, 3, 1]);
  });

  it('refuses classes absent from the data, duplicates and non-labels', () => {
    expect(() => filterClasses(ds, [1, 4])).toThrow(/class 4 not in the data \(labels present: 1, 3, 7, 9\)/);
    expect(() => filterClasses(ds, [1, 1])).toThrow(/class 1 is listed twice/);
    expect(() => filterClasses(ds, [2.5])).toThrow(/not a label/);
    expect(() => filterClasses(ds, [])).toThrow(/no classes/);
  });
});

describe('resizing', () => {
  it('area-averages whole blocks exactly (4x4 -> 2x2)', () => {
    const ds = images([[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]], 4, 4);
    const d = downsampleArea(ds, 2);
    expect(d.shape).toEqual([2, 2]);
    expect(Array.from(d.x)).toEqual([(1 + 2 + 5 + 6) / 4, (3 + 4 + 7 + 8) / 4, (9 + 10 + 13 + 14) / 4, (11 + 12 + 15 + 16) / 4]);
  });

  it('weights fractional overlaps exactly (3x3 -> 2x2) and preserves the mean', () => {
    const v = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    const d = downsampleArea(images([v], 3, 3), 2);
    // Output cell (0,0) covers [0, 1.5)^2: weights 1, 0.5 per axis, over area 2.25.
    const a00 = (1 * 1 + 2 * 0.5 + 4 * 0.5 + 5 * 0.25) / 2.25;
    expect(d.x[0]).toBeCloseTo(a00, 6);
    expect(d.x[3]).toBeCloseTo((9 * 1 + 8 * 0.5 + 6 * 0.5 + 5 * 0.25) / 2.25, 6);
    const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(d.x)).toBeCloseTo(mean(v), 6);
  });

  it('28x28 -> 16, 8, 4 keeps the image mean and 28 -> 4 averages 7x7 blocks', () => {
    const v = Array.from({ length: 784 }, (_, i) => ((i * 7919) % 256) / 255);
    const ds = images([v], 28, 28);
    const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0) / xs.length;
    for (const s of [16, 8, 4]) expect(mean(downsampleArea(ds, s).x)).toBeCloseTo(mean(v), 5);
    const d4 = downsampleArea(ds, 4);
    let block = 0;
    for (let r = 7; r < 14; r++) for (let c = 14; c < 21; c++) block += v[r * 28 + c];
    expect(d4.x[1 * 4 + 2]).toBeCloseTo(block / 49, 5);
    expect(() => downsampleArea(ds, 32)).toThrow(/larger than the 28x28 input/);
  });

  it('bilinear resize uses half-pixel centres (2x2 -> 4x4 and 4 -> 2 sample positions)', () => {
    const up = resizeBilinear(images([[0, 1, 2, 3]], 2, 2), 4);
    // Row 0 of the output: source x positions -0.25 (clamped 0), 0.25, 0.75, 1.25 (clamped 1).
    expect(Array.from(up.x.subarray(0, 4)).map((x) => +x.toFixed(6))).toEqual([0, 0.25, 0.75, 1]);
    const down = resizeBilinear(images([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]], 4, 4), 2);
    // Source positions 0.5 and 2.5 per axis: the mean of each 2x2 block here.
    expect(Array.from(down.x)).toEqual([2.5, 4.5, 10.5, 12.5]);
  });
});

describe('value transforms', () => {
  const ds = makeDataset(Float32Array.from([0, 0.5, 0.51, 1, 3, 4]), Uint8Array.from([0, 1, 2]), [2]);

  it('binarises strictly above the threshold', () => {
    expect(Array.from(binarize(ds).x)).toEqual([0, 0, 1, 1, 1, 1]);
    expect(Array.from(binarize(ds, 2).x)).toEqual([0, 0, 0, 0, 1, 1]);
  });

  it('L2-normalises each sample and refuses an all-zero one unless told', () => {
    const n = normalizeL2(makeDataset(Float32Array.from([3, 4, 1, 0]), Uint8Array.from([0, 1]), [2]));
    expect(Array.from(n.x).map((x) => +x.toFixed(6))).toEqual([0.6, 0.8, 1, 0]);
    const zero = makeDataset(Float32Array.from([1, 0, 0, 0]), Uint8Array.from([0, 1]), [2]);
    expect(() => normalizeL2(zero)).toThrow(/sample 1 is all zeros/);
    expect(normalizeL2(zero, { zero: 'uniform' }).x[2]).toBeCloseTo(Math.SQRT1_2, 6);
  });

  it('standardises and min-max scales with statistics fitted on the training set only', () => {
    const st = fitStandardizer(ds);
    expect(st.mean[0]).toBeCloseTo((0 + 0.51 + 3) / 3, 6);
    const z = standardize(ds, st);
    const col0 = [z.x[0], z.x[2], z.x[4]];
    expect(col0.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 5);
    expect(col0.reduce((a, b) => a + b * b, 0) / 3).toBeCloseTo(1, 5);
    const mm = fitMinMax(ds, 0, Math.PI);
    const s = minMaxScale(makeDataset(Float32Array.from([3, 0.5, 6, 4]), Uint8Array.from([0, 1]), [2]), mm);
    expect(s.x[0]).toBeCloseTo(Math.PI, 6); // 3 is the training max of feature 0
    expect(s.x[1]).toBeCloseTo(0, 6);
    expect(s.x[2]).toBeCloseTo(Math.PI, 6); // 6 is clipped
    expect(minMaxScale(makeDataset(Float32Array.from([6, 4]), Uint8Array.from([0]), [2]), mm, { clip: false }).x[0]).toBeCloseTo(
      2 * Math.PI,
      5,
    );
  });
});
