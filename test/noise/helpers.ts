import { expect } from 'vitest';
import { CircuitBuilder, QError, densityExpectation, densityMatrix, noiseModel, type Channel, type NoiseModel } from '../../src/index.js';

/** Expects fn to throw a QError with code VALIDATION whose message matches `re`. */
export function expectValidation(fn: () => unknown, re: RegExp): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err, `expected a VALIDATION error matching ${re}`).toBeInstanceOf(QError);
  expect((err as QError).code).toBe('VALIDATION');
  expect((err as QError).message).toMatch(re);
}

/** A model with one channel after every 'id' gate. */
export function afterId(channel: Channel): NoiseModel {
  return noiseModel({ rules: [{ gates: ['id'], channel }] });
}

/**
 * The Bloch vector of a qubit prepared by RY(theta) then RZ(phi), after one 'id' gate followed by
 * the channel, from the exact density-matrix engine.
 */
export function blochAfter(channel: Channel | undefined, theta: number, phi: number): [number, number, number] {
  const c = new CircuitBuilder(1).ry(theta, 0).rz(phi, 0).id(0).build();
  const rho = densityMatrix(c, channel ? afterId(channel) : noiseModel());
  return [
    densityExpectation(rho, [{ coeff: 1, pauli: 'X' }]),
    densityExpectation(rho, [{ coeff: 1, pauli: 'Y' }]),
    densityExpectation(rho, [{ coeff: 1, pauli: 'Z' }]),
  ];
}
