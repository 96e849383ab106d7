import { circuitUnitary, type Instruction } from '../src/index.js';

/**
 * Small dense-matrix tools for `pow(k) @` with non-integer k: the matrix of a few gates on local
 * qubits, and the principal power of a unitary. Matrices are interleaved re/im, row-major, with
 * qubit 0 the least significant bit (the IR's convention).
 */

/** The unitary of a list of gate instructions on n qubits (measure/reset/barrier/delay skipped). */
export function opsUnitary(ops: readonly Instruction[], n: number): Float64Array {
  const gates = ops.filter((ins) => ins.op !== 'barrier' && ins.op !== 'delay' && ins.op !== 'measure' && ins.op !== 'reset');
  return circuitUnitary({ numQubits: n, numClbits: 0, ops: gates, parameters: [] });
}

/** Eigenvalues and eigenvectors of a real symmetric matrix (cyclic Jacobi); columns of V. */
function jacobi(a: Float64Array, n: number): { w: Float64Array; v: Float64Array } {
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
  }
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = a[i * n + i];
  return { w, v };
}

/**
 * Orthonormal eigenvectors of a unitary U (d x d). U is normal, so it shares its eigenvectors with
 * the Hermitian H = (U + U†)/2 + c (U - U†)/(2i); H is diagonalised through its real symmetric
 * 2d x 2d embedding, whose eigenvectors [x; y] give complex eigenvectors x + iy of H.
 */
function unitaryEigenvectors(u: Float64Array, d: number, c: number): Float64Array[] {
  const n = 2 * d;
  const r = new Float64Array(n * n);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      const ur = u[2 * (i * d + j)];
      const ui = u[2 * (i * d + j) + 1];
      const tr = u[2 * (j * d + i)]; // U† = conj(U^T)
      const ti = -u[2 * (j * d + i) + 1];
      // H = (U + U†)/2 + c (U - U†)/(2i)
      const hr = (ur + tr) / 2 + (c * (ui - ti)) / 2;
      const hi = (ui + ti) / 2 - (c * (ur - tr)) / 2;
      r[i * n + j] = hr;
      r[(i + d) * n + (j + d)] = hr;
      r[i * n + (j + d)] = -hi;
      r[(i + d) * n + j] = hi;
    }
  const { w, v } = jacobi(r, n);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => w[a] - w[b]);
  const vecs: Float64Array[] = [];
  for (const col of order) {
    if (vecs.length === d) break;
    const z = new Float64Array(2 * d);
    for (let i = 0; i < d; i++) {
      z[2 * i] = v[i * n + col];
      z[2 * i + 1] = v[(i + d) * n + col];
    }
    // complex Gram-Schmidt against the vectors kept so far
    for (const q of vecs) {
      let pr = 0;
      let pi = 0;
      for (let i = 0; i < d; i++) {
        pr += q[2 * i] * z[2 * i] + q[2 * i + 1] * z[2 * i + 1];
        pi += q[2 * i] * z[2 * i + 1] - q[2 * i + 1] * z[2 * i];
      }
      for (let i = 0; i < d; i++) {
        z[2 * i] -= pr * q[2 * i] - pi * q[2 * i + 1];
        z[2 * i + 1] -= pr * q[2 * i + 1] + pi * q[2 * i];
      }
    }
    let norm = 0;
    for (let i = 0; i < 2 * d; i++) norm += z[i] * z[i];
    norm = Math.sqrt(norm);
    if (norm < 0.5) continue;
    for (let i = 0; i < 2 * d; i++) z[i] /= norm;
    vecs.push(z);
  }
  return vecs;
}

/**
 * The principal k-th power of a unitary: eigenvalues e^{iφ} with φ in (-π, π] become e^{ikφ}
 * (so pow(1/2) @ x is sx and pow(1/2) @ z is s).
 */
export function unitaryPower(u: Float64Array, k: number): Float64Array {
  const d = Math.round(Math.sqrt(u.length / 2));
  for (const c of [0.5772156649015329, 0.3183098861837907, 1.4142135623730951]) {
    const vecs = unitaryEigenvectors(u, d, c);
    if (vecs.length !== d) continue;
    const out = new Float64Array(2 * d * d);
    const back = new Float64Array(2 * d * d);
    for (const z of vecs) {
      // λ = z† U z
      let lr = 0;
      let li = 0;
      for (let i = 0; i < d; i++) {
        let ar = 0;
        let ai = 0;
        for (let j = 0; j < d; j++) {
          const ur = u[2 * (i * d + j)];
          const ui = u[2 * (i * d + j) + 1];
          ar += ur * z[2 * j] - ui * z[2 * j + 1];
          ai += ur * z[2 * j + 1] + ui * z[2 * j];
        }
        lr += z[2 * i] * ar + z[2 * i + 1] * ai;
        li += z[2 * i] * ai - z[2 * i + 1] * ar;
      }
      let phi = Math.atan2(li, lr);
      if (Math.abs(phi + Math.PI) < 1e-9) phi = Math.PI; // principal branch: (-π, π]
      const pr = Math.cos(k * phi);
      const pi = Math.sin(k * phi);
      const qr = Math.cos(phi);
      const qi = Math.sin(phi);
      for (let i = 0; i < d; i++)
        for (let j = 0; j < d; j++) {
          // z_i conj(z_j)
          const er = z[2 * i] * z[2 * j] + z[2 * i + 1] * z[2 * j + 1];
          const ei = z[2 * i + 1] * z[2 * j] - z[2 * i] * z[2 * j + 1];
          out[2 * (i * d + j)] += pr * er - pi * ei;
          out[2 * (i * d + j) + 1] += pr * ei + pi * er;
          back[2 * (i * d + j)] += qr * er - qi * ei;
          back[2 * (i * d + j) + 1] += qr * ei + qi * er;
        }
    }
    // accept only if the eigen-decomposition reproduces U
    let err = 0;
    for (let i = 0; i < u.length; i++) err = Math.max(err, Math.abs(back[i] - u[i]));
    if (err < 1e-9) return out;
  }
  throw new Error('eigendecomposition of the gate did not converge');
}
