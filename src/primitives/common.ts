import { validationError } from '../errors.js';
import { makeCircuit, type Circuit } from '../ir/circuit.js';
import type { Bindings } from '../ir/params.js';
import { splitTerminal } from '../sim/statevector.js';

/** The gates of a circuit without its final measurements (mid-circuit measurement is refused). */
export function unitaryPart(c: Circuit, where: string, numQubits = c.numQubits): Circuit {
  const split = splitTerminal(c);
  if (!split.unitary)
    throw validationError(
      `${where}: the circuit measures or resets a qubit and then acts on it again; estimation needs final measurements only`,
    );
  return makeCircuit(numQubits, 0, split.unitary);
}

export function checkBindings(b: readonly Bindings[] | undefined, where: string): readonly Bindings[] {
  if (b === undefined) return [{}];
  if (!Array.isArray(b) || b.length === 0) throw validationError(`${where}: bindings must be a non-empty array of {name: value} records`);
  return b;
}

export function checkPositiveInt(x: number | undefined, what: string): void {
  if (x !== undefined && (!Number.isInteger(x) || x < 1)) throw validationError(`${what} must be a positive integer, got ${String(x)}`);
}
