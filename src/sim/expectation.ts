import { validationError } from '../errors.js';
import { pauliMasks, pauliSupport, type PauliSum } from '../ir/pauli.js';

/** Parity of the set bits of a 32-bit integer. */
export function parity(x: number): number {
  x ^= x >>> 16;
  x ^= x >>> 8;
  x ^= x >>> 4;
  x ^= x >>> 2;
  x ^= x >>> 1;
  return x & 1;
}

/**
 * <ψ|P|ψ> for one Pauli string given as masks. P|i> = i^y (-1)^{|i & z|} |i ^ x>, so
 * <ψ|P|ψ> = Σ_i conj(ψ[i^x]) i^y (-1)^{|i&z|} ψ[i]. Diagonal strings reduce to signed probabilities.
 */
export function pauliExpectation(s: Float64Array, n: number, x: number, z: number, y: number): number {
  const N = 1 << n;
  let re = 0;
  let im = 0;
  if (x === 0) {
    for (let i = 0; i < N; i++) {
      const p = s[2 * i] * s[2 * i] + s[2 * i + 1] * s[2 * i + 1];
      re += parity(i & z) ? -p : p;
    }
    return re;
  }
  for (let i = 0; i < N; i++) {
    const j = i ^ x;
    const ar = s[2 * i],
      ai = s[2 * i + 1];
    const br = s[2 * j],
      bi = -s[2 * j + 1]; // conj(ψ[j])
    let pr = br * ar - bi * ai;
    let pi = br * ai + bi * ar;
    if (parity(i & z)) {
      pr = -pr;
      pi = -pi;
    }
    re += pr;
    im += pi;
  }
  // multiply by i^y
  switch (y & 3) {
    case 0:
      return re;
    case 1:
      return -im;
    case 2:
      return -re;
    default:
      return im;
  }
}

/** <ψ|O|ψ> for a PauliSum; terms beyond the register are a VALIDATION error. */
export function expectation(s: Float64Array, n: number, obs: PauliSum): number {
  if (pauliSupport(obs) >= n) throw validationError(`observable acts on qubit ${pauliSupport(obs)} but the state has ${n} qubits`);
  let v = 0;
  for (const t of obs) {
    const m = pauliMasks(t.pauli);
    v += t.coeff * pauliExpectation(s, n, m.x, m.z, m.y);
  }
  return v;
}

/** out = O|ψ> (used by the adjoint method). `tmp` is unused scratch-free: O is a sum of permutations with phases. */
export function applyPauliSum(s: Float64Array, n: number, obs: PauliSum, out: Float64Array): void {
  out.fill(0);
  const N = 1 << n;
  for (const t of obs) {
    const { x, z, y } = pauliMasks(t.pauli);
    // P|i> = i^y (-1)^{|i&z|} |i^x>; coefficient c·i^y as (cr, ci).
    const y4 = y & 3;
    const cr = y4 === 0 ? t.coeff : y4 === 2 ? -t.coeff : 0;
    const ci = y4 === 1 ? t.coeff : y4 === 3 ? -t.coeff : 0;
    for (let i = 0; i < N; i++) {
      const j = i ^ x;
      let ar = s[2 * i],
        ai = s[2 * i + 1];
      if (parity(i & z)) {
        ar = -ar;
        ai = -ai;
      }
      out[2 * j] += cr * ar - ci * ai;
      out[2 * j + 1] += cr * ai + ci * ar;
    }
  }
}

/** Probabilities |ψ_i|² into out (length 2^n). */
export function probabilities(s: Float64Array, n: number, out = new Float64Array(1 << n)): Float64Array {
  const N = 1 << n;
  for (let i = 0; i < N; i++) out[i] = s[2 * i] * s[2 * i] + s[2 * i + 1] * s[2 * i + 1];
  return out;
}
