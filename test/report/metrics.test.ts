import { describe, expect, it } from 'vitest';
import { absoluteDeviation, totalVariationDistance } from '../../src/index.js';

describe('comparison metrics', () => {
  it('absoluteDeviation gives the mean and max of |measured - ideal|', () => {
    expect(absoluteDeviation([1, -1, 0.5], [0.8, -0.5, 0.5])).toEqual({ mean: (0.2 + 0.5 + 0) / 3, max: 0.5 });
    expect(absoluteDeviation([], [])).toEqual({ mean: 0, max: 0 });
    expect(() => absoluteDeviation([1], [1, 2])).toThrow(/1 ideal values but 2 measured/);
    expect(() => absoluteDeviation([1], [NaN])).toThrow(/not finite/);
  });

  it('totalVariationDistance normalises counts and probabilities alike', () => {
    expect(totalVariationDistance({ '00': 0.5, '11': 0.5 }, { '00': 500, '11': 500 })).toBeCloseTo(0, 15);
    expect(totalVariationDistance({ '0': 1 }, { '1': 7 })).toBe(1);
    // 1/2 (|0.5-0.25| + |0.5-0.25| + 0.5) = 0.5
    expect(totalVariationDistance({ '00': 1, '11': 1 }, { '00': 1, '11': 1, '01': 2 })).toBeCloseTo(0.5, 15);
    expect(() => totalVariationDistance({}, { '0': 1 })).toThrow(/first distribution is empty/);
    expect(() => totalVariationDistance({ '0': -1 }, { '0': 1 })).toThrow(/weight of '0'/);
  });
});
