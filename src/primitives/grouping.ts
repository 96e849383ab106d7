import { validationError } from '../errors.js';
import { pauliAt, type PauliSum } from '../ir/pauli.js';

/**
 * A measurement setting: one basis letter per qubit ('X', 'Y', 'Z', or 'I' when not measured), in the
 * Pauli-label convention (rightmost character is qubit 0), and the Pauli strings it measures.
 */
export interface MeasurementSetting {
  readonly basis: string;
  readonly members: readonly string[];
}

/** A Pauli label normalised to `n` characters (qubit 0 rightmost). */
export function padPauli(pauli: string, n: number): string {
  let out = '';
  for (let q = n - 1; q >= 0; q--) out += pauliAt(pauli, q);
  return out;
}

function weight(p: string): number {
  let w = 0;
  for (const ch of p) if (ch !== 'I') w++;
  return w;
}

/**
 * Groups Pauli strings (all `n` characters long) into qubit-wise-commuting sets: greedy, heaviest
 * strings first, each string into the first setting whose letters agree with it on every qubit both
 * act on. Identity strings need no measurement and are left out.
 */
export function groupQubitWise(paulis: readonly string[], n: number): MeasurementSetting[] {
  const distinct = [...new Set(paulis.map((p) => padPauli(p, n)))].filter((p) => weight(p) > 0);
  distinct.sort((a, b) => weight(b) - weight(a));
  const groups: { basis: string[]; members: string[] }[] = [];
  for (const p of distinct) {
    const g = groups.find((gr) => gr.basis.every((ch, i) => ch === 'I' || p[i] === 'I' || ch === p[i]));
    if (g) {
      for (let i = 0; i < n; i++) if (p[i] !== 'I') g.basis[i] = p[i];
      g.members.push(p);
    } else groups.push({ basis: [...p], members: [p] });
  }
  return groups.map((g) => ({ basis: g.basis.join(''), members: g.members }));
}

/** Checks an observable: real finite coefficients, Pauli labels, support inside the circuit. */
export function checkObservable(obs: PauliSum, numQubits: number, where: string): void {
  if (!Array.isArray(obs)) throw validationError(`${where}: an observable is a PauliSum (an array of {coeff, pauli})`);
  for (const t of obs) {
    if (!t || typeof t.pauli !== 'string' || !/^[IXYZ]*$/.test(t.pauli) || !Number.isFinite(t.coeff)) {
      throw validationError(`${where}: invalid Pauli term ${JSON.stringify(t)}`);
    }
    for (let q = numQubits; q < t.pauli.length; q++) {
      if (pauliAt(t.pauli, q) !== 'I')
        throw validationError(`${where}: the observable acts on qubit ${q} but the circuit has ${numQubits} qubits`);
    }
  }
}
