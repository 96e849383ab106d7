import { validationError } from '../errors.js';
import type { Circuit } from '../ir/circuit.js';
import type { Bindings } from '../ir/params.js';
import { checkStateMemory } from './memory.js';
import { Program } from './program.js';

/** Largest register whose full unitary is built (4^n complex entries: 268 MB at 12 qubits). */
export const MAX_UNITARY_QUBITS = 12;

/**
 * The full 2^n x 2^n unitary of a circuit's gates (interleaved re/im, row-major, qubit 0 the least
 * significant bit), built column by column with the simulator's own kernels, so it agrees with
 * simulation by construction. Barriers and delays are skipped; measurement and reset are refused.
 */
export function circuitUnitary(c: Circuit, bindings?: Bindings): Float64Array {
  const u = unitaryOf(c);
  return u(u.values(bindings));
}

/** A parametric circuit's unitary as a function of its parameter values (in `c.parameters` order). */
export interface UnitaryFunction {
  (values: Float64Array): Float64Array;
  /** Parameter values from bindings, in the order the function takes them. */
  values(bindings?: Bindings): Float64Array;
}

/**
 * Compiles a circuit once for repeated unitaries at different parameter values (compiling costs
 * about 3x building a 4-qubit unitary, so a parameter sweep should not recompile).
 */
export function unitaryOf(c: Circuit): UnitaryFunction {
  const n = c.numQubits;
  if (n > MAX_UNITARY_QUBITS) throw validationError(`a full unitary of ${n} qubits is too large (at most ${MAX_UNITARY_QUBITS})`);
  checkStateMemory(2 * n, 1, 'unitary');
  for (const ins of c.ops) {
    if (ins.op === 'measure' || ins.op === 'reset') throw validationError(`a circuit with '${ins.op}' has no unitary`);
  }
  const prog = new Program(n, c.ops, c.parameters, 'all');
  const d = 1 << n;
  const col = new Float64Array(2 * d);
  const f = (values: Float64Array): Float64Array => programUnitary(prog, prog.values(values), col, new Float64Array(2 * d * d));
  return Object.assign(f, { values: (bindings?: Bindings) => prog.values(bindings) });
}

/**
 * The unitary of a compiled Program at parameter values, column by column through the simulator's
 * own kernels, into `out` (interleaved complex, row-major); `col` is scratch of 2·2^n values.
 */
export function programUnitary(prog: Program, values: Float64Array, col: Float64Array, out: Float64Array): Float64Array {
  const d = 1 << prog.numQubits;
  prog.bind(values);
  for (let j = 0; j < d; j++) {
    col.fill(0);
    col[2 * j] = 1;
    prog.apply(col);
    for (let r = 0; r < d; r++) {
      out[2 * (r * d + j)] = col[2 * r];
      out[2 * (r * d + j) + 1] = col[2 * r + 1];
    }
  }
  return out;
}
