import { validationError } from '../errors.js';
import { pauliTerm, type PauliSum, type PauliTerm } from '../ir/pauli.js';

/** One observable per qubit: <P_q> for P in X, Y, Z (values in [-1, 1]). */
export function pauliReadout(qubits: readonly number[], basis: 'X' | 'Y' | 'Z' = 'Z'): PauliSum[] {
  if (qubits.length === 0) throw validationError('a readout needs at least one qubit');
  return qubits.map((q) => [pauliTerm({ [q]: basis })]);
}

/**
 * Probabilities of the 2^k outcomes of the listed qubits, as observables: the projector onto
 * bitstring b (bit j = qubits[j]) is Π_j (I + (-1)^{b_j} Z_j)/2 = 2^-k Σ_S (-1)^{|b ∧ S|} Z_S. As
 * Pauli sums they work with exact simulators and with shot-based estimators alike (one setting: Z).
 */
export function probabilityReadout(qubits: readonly number[]): PauliSum[] {
  const k = qubits.length;
  if (k === 0 || k > 10) throw validationError(`a probability readout takes 1 to 10 qubits, got ${k}`);
  const out: PauliSum[] = [];
  for (let b = 0; b < 1 << k; b++) {
    const terms: PauliTerm[] = [];
    for (let S = 0; S < 1 << k; S++) {
      const ops: Record<number, 'I' | 'Z'> = {};
      let sign = 1;
      for (let j = 0; j < k; j++) {
        if ((S >> j) & 1) {
          ops[qubits[j]] = 'Z';
          if ((b >> j) & 1) sign = -sign;
        }
      }
      terms.push(S === 0 ? { coeff: sign / (1 << k), pauli: 'I' } : pauliTerm(ops, sign / (1 << k)));
    }
    out.push(terms);
  }
  return out;
}
