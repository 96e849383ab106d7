import { describe, expect, it } from 'vitest';
import {
  addAngles,
  angleSymbols,
  angleToString,
  anglesEqual,
  bindAngle,
  negAngle,
  scaleAngle,
  substituteAngle,
  sym,
  QError,
} from '../../src/index.js';

describe('affine parameter expressions', () => {
  it('keeps 2*theta + pi/2 symbolic until bound', () => {
    const a = addAngles(scaleAngle(sym('theta'), 2), Math.PI / 2);
    expect(typeof a).toBe('object');
    expect(angleSymbols(a)).toEqual(['theta']);
    expect(bindAngle(a, { theta: 0.25 })).toBeCloseTo(0.5 + Math.PI / 2, 15);
    expect(angleToString(a)).toBe(`2*theta + ${Math.PI / 2}`);
  });

  it('merges terms, drops zeros and collapses constants to numbers', () => {
    const a = addAngles(sym('x'), negAngle(sym('x')));
    expect(a).toBe(0);
    const b = addAngles(addAngles(sym('x'), sym('y')), scaleAngle(sym('x'), 2));
    expect(b).toEqual({
      terms: [
        { name: 'x', coeff: 3 },
        { name: 'y', coeff: 1 },
      ],
      offset: 0,
    });
    expect(anglesEqual(b, addAngles(sym('y'), scaleAngle(sym('x'), 3)))).toBe(true);
  });

  it('substitutes symbols with other expressions', () => {
    const a = addAngles(scaleAngle(sym('w'), 2), 1);
    const r = substituteAngle(a, { w: addAngles(sym('u'), 0.5) });
    expect(r).toEqual({ terms: [{ name: 'u', coeff: 2 }], offset: 2 });
  });

  it('reports a missing or non-finite binding by name', () => {
    expect(() => bindAngle(sym('phi'), {})).toThrow(/no value bound for parameter 'phi'/);
    expect(() => bindAngle(sym('phi'), { phi: Number.NaN })).toThrow(QError);
    expect(() => sym('2bad')).toThrow(/invalid parameter name/);
  });
});
