/**
 * Small dense complex matrices, interleaved (re, im) and row-major in a Float64Array.
 * Index convention (as Qiskit): for a gate on qubits [q0, q1, ...], bit j of a row/column index is
 * the state of qubits[j], so qubits[0] is the least significant bit.
 */
export type CMatrix = Float64Array;

export function dimOf(m: CMatrix): number {
  return Math.round(Math.sqrt(m.length / 2));
}

/** Builds a matrix from rows of [re, im] pairs (or plain reals). */
export function cmat(rows: readonly (readonly (number | readonly [number, number])[])[]): CMatrix {
  const d = rows.length;
  const m = new Float64Array(2 * d * d);
  for (let r = 0; r < d; r++) {
    for (let c = 0; c < d; c++) {
      const v = rows[r][c];
      const k = 2 * (r * d + c);
      if (typeof v === 'number') m[k] = v;
      else {
        m[k] = v[0];
        m[k + 1] = v[1];
      }
    }
  }
  return m;
}

export function identity(d: number): CMatrix {
  const m = new Float64Array(2 * d * d);
  for (let i = 0; i < d; i++) m[2 * (i * d + i)] = 1;
  return m;
}

/** a * b (a applied after b). */
export function matmul(a: CMatrix, b: CMatrix): CMatrix {
  const d = dimOf(a);
  const out = new Float64Array(2 * d * d);
  for (let r = 0; r < d; r++) {
    for (let c = 0; c < d; c++) {
      let re = 0;
      let im = 0;
      for (let k = 0; k < d; k++) {
        const ar = a[2 * (r * d + k)];
        const ai = a[2 * (r * d + k) + 1];
        const br = b[2 * (k * d + c)];
        const bi = b[2 * (k * d + c) + 1];
        re += ar * br - ai * bi;
        im += ar * bi + ai * br;
      }
      out[2 * (r * d + c)] = re;
      out[2 * (r * d + c) + 1] = im;
    }
  }
  return out;
}

export function dagger(a: CMatrix): CMatrix {
  const d = dimOf(a);
  const out = new Float64Array(2 * d * d);
  for (let r = 0; r < d; r++) {
    for (let c = 0; c < d; c++) {
      out[2 * (c * d + r)] = a[2 * (r * d + c)];
      out[2 * (c * d + r) + 1] = -a[2 * (r * d + c) + 1];
    }
  }
  return out;
}

export function scale(a: CMatrix, re: number, im = 0): CMatrix {
  const out = new Float64Array(a.length);
  for (let k = 0; k < a.length; k += 2) {
    out[k] = a[k] * re - a[k + 1] * im;
    out[k + 1] = a[k] * im + a[k + 1] * re;
  }
  return out;
}

/** Kronecker product with `hi` on the more significant bits: (hi ⊗ lo). */
export function kron(hi: CMatrix, lo: CMatrix): CMatrix {
  const dh = dimOf(hi);
  const dl = dimOf(lo);
  const d = dh * dl;
  const out = new Float64Array(2 * d * d);
  for (let r1 = 0; r1 < dh; r1++)
    for (let c1 = 0; c1 < dh; c1++) {
      const hr = hi[2 * (r1 * dh + c1)];
      const hiIm = hi[2 * (r1 * dh + c1) + 1];
      for (let r2 = 0; r2 < dl; r2++)
        for (let c2 = 0; c2 < dl; c2++) {
          const lr = lo[2 * (r2 * dl + c2)];
          const li = lo[2 * (r2 * dl + c2) + 1];
          const r = r1 * dl + r2;
          const c = c1 * dl + c2;
          out[2 * (r * d + c)] = hr * lr - hiIm * li;
          out[2 * (r * d + c) + 1] = hr * li + hiIm * lr;
        }
    }
  return out;
}

/**
 * The matrix of `base` (on the high qubits) controlled by `ctrls` qubits on the low bits, firing when
 * the control bits equal `ctrlState` (default: all ones).
 */
export function controlled(base: CMatrix, ctrls: number, ctrlState = (1 << ctrls) - 1): CMatrix {
  const db = dimOf(base);
  const dc = 1 << ctrls;
  const d = db * dc;
  const out = identity(d);
  for (let r = 0; r < db; r++)
    for (let c = 0; c < db; c++) {
      const rr = r * dc + ctrlState;
      const cc = c * dc + ctrlState;
      out[2 * (rr * d + cc)] = base[2 * (r * db + c)];
      out[2 * (rr * d + cc) + 1] = base[2 * (r * db + c) + 1];
    }
  return out;
}

/** Largest |a - b| over entries. */
export function maxAbsDiff(a: CMatrix, b: CMatrix): number {
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k] - b[k]));
  return m;
}

/**
 * Distance between two unitaries up to a global phase: aligns the phase on the largest entry of `a`,
 * then returns the largest entry difference.
 */
export function diffUpToPhase(a: CMatrix, b: CMatrix): number {
  let best = 0;
  let k0 = 0;
  for (let k = 0; k < a.length; k += 2) {
    const mag = a[k] * a[k] + a[k + 1] * a[k + 1];
    if (mag > best) {
      best = mag;
      k0 = k;
    }
  }
  // phase = b[k0] / a[k0]
  const ar = a[k0];
  const ai = a[k0 + 1];
  const br = b[k0];
  const bi = b[k0 + 1];
  const den = ar * ar + ai * ai;
  if (den === 0) return maxAbsDiff(a, b);
  let pr = (br * ar + bi * ai) / den;
  let pi = (bi * ar - br * ai) / den;
  const n = Math.hypot(pr, pi) || 1;
  pr /= n;
  pi /= n;
  return maxAbsDiff(scale(a, pr, pi), b);
}

export function isUnitary(a: CMatrix, tol = 1e-9): boolean {
  return maxAbsDiff(matmul(dagger(a), a), identity(dimOf(a))) <= tol;
}
