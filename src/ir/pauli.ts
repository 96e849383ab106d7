import { validationError } from '../errors.js';

/**
 * A Pauli string with a real coefficient. `pauli` reads like a Qiskit label: the rightmost character
 * acts on qubit 0, so "XIZ" is X on qubit 2 and Z on qubit 0.
 */
export interface PauliTerm {
  readonly coeff: number;
  readonly pauli: string;
}

/** A Hermitian observable: a real-weighted sum of Pauli strings. */
export type PauliSum = readonly PauliTerm[];

const DENSE = /^[IXYZ]+$/;

/** The Pauli acting on qubit q in a term ('I' past its length). */
export function pauliAt(pauli: string, q: number): string {
  return q < pauli.length ? pauli[pauli.length - 1 - q] : 'I';
}

/** A term from sparse form: `pauliTerm({ 0: 'Z', 3: 'X' }, 0.5)`. */
export function pauliTerm(ops: Readonly<Record<number, 'I' | 'X' | 'Y' | 'Z'>>, coeff = 1): PauliTerm {
  const qs = Object.keys(ops).map(Number);
  const n = qs.length ? Math.max(...qs) + 1 : 1;
  const chars = new Array<string>(n).fill('I');
  for (const q of qs) {
    if (!Number.isInteger(q) || q < 0) throw validationError(`invalid qubit ${q} in Pauli term`);
    chars[n - 1 - q] = ops[q];
  }
  return { coeff, pauli: chars.join('') };
}

/** Z on each listed qubit (Z⊗Z⊗... ), e.g. `zOn(0, 1)` = Z0 Z1. */
export function zOn(...qubits: number[]): PauliSum {
  const ops: Record<number, 'Z'> = {};
  for (const q of qubits) ops[q] = 'Z';
  return [pauliTerm(ops)];
}

/**
 * Parses an observable: terms joined by + or -, each an optional coefficient then either a dense
 * label ("XZI", qubit 0 rightmost) or sparse factors ("Z0 Z1", "X2*Y5"). A bare number is c·I.
 * Examples: "Z0", "0.5*Z0 Z1 - 0.25*X2", "ZZ + 0.1*XI".
 */
export function parsePauliSum(text: string): PauliSum {
  const src = text.trim();
  if (!src) throw validationError('empty observable');
  const terms: PauliTerm[] = [];
  // Split at top-level + and -, leaving the sign of a number's exponent (1e-3) alone.
  const pieces: { sign: number; body: string }[] = [];
  let i = 0;
  while (i < src.length) {
    let sign = 1;
    let sawSign = false;
    while (i < src.length && /[\s+-]/.test(src[i])) {
      if (src[i] === '-') sign = -sign;
      if (src[i] !== ' ') sawSign = true;
      i++;
    }
    if (pieces.length > 0 && !sawSign) throw validationError(`observable '${text}': expected + or - at offset ${i}`);
    let j = i;
    while (j < src.length && !((src[j] === '+' || src[j] === '-') && !/\d[eE]$/.test(src.slice(i, j)))) j++;
    const body = src.slice(i, j).trim();
    if (!body) throw validationError(`observable '${text}': missing term at offset ${i}`);
    pieces.push({ sign, body });
    i = j;
  }
  for (const { sign: sg, body } of pieces) {
    const m = /^(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)?\s*\*?\s*(.*)$/.exec(body);
    if (!m) throw validationError(`observable '${text}': cannot read term '${body}'`);
    const coeff = sg * (m[1] === undefined ? 1 : Number(m[1]));
    const rest = m[2].trim();
    if (!rest) {
      if (m[1] === undefined) throw validationError(`observable '${text}': cannot read term '${body}'`);
      terms.push({ coeff, pauli: 'I' });
    } else if (DENSE.test(rest)) {
      terms.push({ coeff, pauli: rest });
    } else {
      const ops: Record<number, 'I' | 'X' | 'Y' | 'Z'> = {};
      for (const f of rest.split(/[\s*]+/).filter(Boolean)) {
        const fm = /^([IXYZ])(\d+)$/.exec(f);
        if (!fm) throw validationError(`observable '${text}': '${f}' is not a Pauli factor like Z0 or X3`);
        const q = Number(fm[2]);
        if (q in ops) throw validationError(`observable '${text}': qubit ${q} appears twice in one term`);
        ops[q] = fm[1] as 'I' | 'X' | 'Y' | 'Z';
      }
      terms.push(pauliTerm(ops, coeff));
    }
  }
  return terms;
}

/** Bit masks for simulation: X-part (X or Y), Z-part (Z or Y), and the number of Y factors. */
export function pauliMasks(pauli: string): { x: number; z: number; y: number } {
  if (!DENSE.test(pauli)) throw validationError(`invalid Pauli label '${pauli}'`);
  if (pauli.replace(/^I+/, '').length > 31) throw validationError(`Pauli label '${pauli}' acts beyond qubit 30`);
  let x = 0;
  let z = 0;
  let y = 0;
  for (let q = 0; q < pauli.length; q++) {
    const c = pauli[pauli.length - 1 - q];
    if (c === 'X' || c === 'Y') x |= 1 << q;
    if (c === 'Z' || c === 'Y') z |= 1 << q;
    if (c === 'Y') y++;
  }
  return { x, z, y };
}

/** Highest qubit index a sum acts on non-trivially, or -1. */
export function pauliSupport(obs: PauliSum): number {
  let hi = -1;
  for (const t of obs) {
    for (let q = 0; q < t.pauli.length; q++) if (pauliAt(t.pauli, q) !== 'I') hi = Math.max(hi, q);
  }
  return hi;
}

export function pauliSumToString(obs: PauliSum): string {
  return obs.map((t, i) => `${i === 0 ? (t.coeff < 0 ? '-' : '') : t.coeff < 0 ? ' - ' : ' + '}${Math.abs(t.coeff)}*${t.pauli}`).join('');
}
