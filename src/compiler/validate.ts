import { QError } from '../errors.js';
import type { Circuit } from '../ir/circuit.js';
import { DIRECTIVES, supports, type Target } from '../target/target.js';

/**
 * The last word before hardware (IBM's "ISA" rule): every gate is one the device runs natively, on
 * qubits (and, for 2-qubit gates, a direction) the device supports, with no modifiers left.
 */
export function validateForTarget(c: Circuit, target: Target): void {
  if (c.numQubits > target.numQubits) {
    throw new QError('COMPILE', `the circuit has ${c.numQubits} qubits but target '${target.name}' has ${target.numQubits}`, {
      details: { qubits: c.numQubits },
    });
  }
  c.ops.forEach((ins, index) => {
    if (DIRECTIVES.has(ins.op)) return;
    if (ins.ctrl) {
      throw new QError(
        'COMPILE',
        `instruction ${index}: '${ins.op}' on qubits ${ins.qubits.join(',')} carries controls, which no device runs natively`,
        {
          details: { index, gate: ins.op, qubits: ins.qubits },
        },
      );
    }
    if (!target.instructions.has(ins.op)) {
      throw new QError(
        'COMPILE',
        `instruction ${index}: gate '${ins.op}' on qubits ${ins.qubits.join(',')} is not native to target '${target.name}' (native: ${[...target.instructions.keys()].join(', ')})`,
        {
          details: { index, gate: ins.op, qubits: ins.qubits },
        },
      );
    }
    if (!supports(target, ins.op, ins.qubits)) {
      const what =
        ins.qubits.length === 2
          ? `qubits ${ins.qubits.join(',')} are not a coupled pair in that direction`
          : `qubit ${ins.qubits.join(',')} does not support it`;
      throw new QError('COMPILE', `instruction ${index}: gate '${ins.op}' on target '${target.name}': ${what}`, {
        details: { index, gate: ins.op, qubits: ins.qubits },
      });
    }
  });
}
