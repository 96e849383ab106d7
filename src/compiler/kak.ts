import { QError } from '../errors.js';
import { cmat, dagger, kron, matmul, type CMatrix } from '../ir/matrix.js';
import { zyzOf } from './euler.js';

/**
 * Two-qubit synthesis by the KAK (Cartan) decomposition: U = e^{iγ}(a1⊗a0)·exp(i(x XX + y YY + z ZZ))·(b1⊗b0),
 * computed in the magic basis, where local gates are real orthogonal matrices (Khaneja-Glaser;
 * Kraus-Cirac 2001). The interaction term then costs at most three CX (Vatan-Williams 2004). Pieces
 * come out as U(θ, φ, λ) and cx on local qubits 0 and 1 (qubit 0 = least significant bit), with the
 * exact global phase, so a caller can put the whole thing under control.
 */
export interface TwoQubitSynthesis {
  readonly ops: readonly { op: 'U' | 'cx'; qubits: readonly number[]; params: readonly number[] }[];
  /** U = e^{i·phase} · (product of ops). */
  readonly phase: number;
  /** Canonical coefficients (x, y, z) of the interaction. */
  readonly coefficients: readonly [number, number, number];
}

const R = Math.SQRT1_2;
const PI = Math.PI;
// Magic basis (columns): Bell states with phases chosen so that B†(A⊗C)B is real for A, C in SU(2).
const B = cmat([
  [R, 0, 0, [0, R]],
  [0, [0, R], R, 0],
  [0, [0, R], -R, 0],
  [R, 0, 0, [0, -R]],
]);
const BD = dagger(B);

const PAULI_XX = cmat([
  [0, 0, 0, 1],
  [0, 0, 1, 0],
  [0, 1, 0, 0],
  [1, 0, 0, 0],
]);
const PAULI_YY = cmat([
  [0, 0, 0, -1],
  [0, 0, 1, 0],
  [0, 1, 0, 0],
  [-1, 0, 0, 0],
]);
const PAULI_ZZ = cmat([
  [1, 0, 0, 0],
  [0, -1, 0, 0],
  [0, 0, -1, 0],
  [0, 0, 0, 1],
]);
/** Eigenvalue signs of XX, YY, ZZ along the magic basis (each is diagonal there). */
const SIGNS = [PAULI_XX, PAULI_YY, PAULI_ZZ].map((p) => {
  const d = matmul(BD, matmul(p, B));
  return [0, 1, 2, 3].map((k) => Math.sign(d[2 * (k * 4 + k)]));
});

type C = [number, number];
const cm = (a: C, b: C): C => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];

function det4(a: CMatrix): C {
  const m: C[][] = Array.from({ length: 4 }, (_, i) =>
    Array.from({ length: 4 }, (_, j) => [a[2 * (i * 4 + j)], a[2 * (i * 4 + j) + 1]] as C),
  );
  let d: C = [1, 0];
  for (let c = 0; c < 4; c++) {
    let p = c;
    for (let i = c + 1; i < 4; i++) if (Math.hypot(...m[i][c]) > Math.hypot(...m[p][c])) p = i;
    if (Math.hypot(...m[p][c]) === 0) return [0, 0];
    if (p !== c) {
      [m[p], m[c]] = [m[c], m[p]];
      d = [-d[0], -d[1]];
    }
    const piv = m[c][c];
    d = cm(d, piv);
    const den = piv[0] * piv[0] + piv[1] * piv[1];
    for (let i = c + 1; i < 4; i++) {
      const f: C = [(m[i][c][0] * piv[0] + m[i][c][1] * piv[1]) / den, (m[i][c][1] * piv[0] - m[i][c][0] * piv[1]) / den];
      for (let j = c; j < 4; j++) {
        const t = cm(f, m[c][j]);
        m[i][j] = [m[i][j][0] - t[0], m[i][j][1] - t[1]];
      }
    }
  }
  return d;
}

/** Eigenvectors (columns of the returned row-major 4x4) of a real symmetric 4x4 matrix, by cyclic Jacobi. */
function jacobiEigenvectors(s: number[][]): number[][] {
  const n = 4;
  const a = s.map((r) => [...r]);
  const v: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p][q] * a[p][q];
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(a[p][q]) < 1e-300) continue;
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k][p];
          const akq = a[k][q];
          a[k][p] = c * akp - sn * akq;
          a[k][q] = sn * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p][k];
          const aqk = a[q][k];
          a[p][k] = c * apk - sn * aqk;
          a[q][k] = sn * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k][p];
          const vkq = v[k][q];
          v[k][p] = c * vkp - sn * vkq;
          v[k][q] = sn * vkp + c * vkq;
        }
      }
  }
  return v;
}

function realMatrix(m: number[][]): CMatrix {
  return cmat(m.map((r) => r.map((x) => x)));
}

function transpose(a: CMatrix): CMatrix {
  const o = new Float64Array(32);
  for (let i = 0; i < 4; i++)
    for (let j = 0; j < 4; j++) {
      o[2 * (j * 4 + i)] = a[2 * (i * 4 + j)];
      o[2 * (j * 4 + i) + 1] = a[2 * (i * 4 + j) + 1];
    }
  return o;
}

/** hi ⊗ lo factors of a 4x4 product matrix (hi on qubit 1, lo on qubit 0). */
function factorKron(l: CMatrix): { hi: CMatrix; lo: CMatrix } {
  let best = -1;
  let R0 = 0;
  let C0 = 0;
  for (let r = 0; r < 4; r++)
    for (let c = 0; c < 4; c++) {
      const v = Math.hypot(l[2 * (r * 4 + c)], l[2 * (r * 4 + c) + 1]);
      if (v > best) {
        best = v;
        R0 = r;
        C0 = c;
      }
    }
  const r1 = R0 >> 1;
  const r0 = R0 & 1;
  const c1 = C0 >> 1;
  const c0 = C0 & 1;
  const at = (r: number, c: number): C => [l[2 * (r * 4 + c)], l[2 * (r * 4 + c) + 1]];
  const lo = new Float64Array(8);
  const hi = new Float64Array(8);
  const pivot = at(R0, C0);
  const den = pivot[0] * pivot[0] + pivot[1] * pivot[1];
  for (let i = 0; i < 2; i++)
    for (let j = 0; j < 2; j++) {
      const e = at(r1 * 2 + i, c1 * 2 + j);
      lo[2 * (i * 2 + j)] = e[0];
      lo[2 * (i * 2 + j) + 1] = e[1];
      const h = at(i * 2 + r0, j * 2 + c0);
      // hi = h / pivot-normalised so that hi ⊗ lo = l
      hi[2 * (i * 2 + j)] = (h[0] * pivot[0] + h[1] * pivot[1]) / den;
      hi[2 * (i * 2 + j) + 1] = (h[1] * pivot[0] - h[0] * pivot[1]) / den;
    }
  return { hi, lo };
}

function diagonalise(m: CMatrix): number[][] {
  // M = X + iY with X, Y real symmetric and commuting: a generic real combination shares their eigenvectors.
  const X: number[][] = [];
  const Y: number[][] = [];
  for (let i = 0; i < 4; i++) {
    X.push([]);
    Y.push([]);
    for (let j = 0; j < 4; j++) {
      X[i].push((m[2 * (i * 4 + j)] + m[2 * (j * 4 + i)]) / 2);
      Y[i].push((m[2 * (i * 4 + j) + 1] + m[2 * (j * 4 + i) + 1]) / 2);
    }
  }
  for (const r of [0.6180339887, 1.7320508, -0.4142135, 2.7182818, 0.1234567]) {
    const S = X.map((row, i) => row.map((x, j) => x + r * Y[i][j]));
    const P = jacobiEigenvectors(S);
    const Pm = realMatrix(P);
    const D = matmul(transpose(Pm), matmul(m, Pm));
    let off = 0;
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) if (i !== j) off = Math.max(off, Math.hypot(D[2 * (i * 4 + j)], D[2 * (i * 4 + j) + 1]));
    if (off < 1e-9) return P;
  }
  throw new QError('COMPILE', 'two-qubit synthesis failed to diagonalise the matrix (is it unitary?)');
}

function uParams(m: CMatrix): number[] {
  const e = zyzOf(m);
  return [e.theta, e.phi, e.lambda];
}

/** Synthesises a 4x4 unitary into at most 3 CX and 1-qubit U gates, exactly (phase included). */
export function synthesizeTwoQubit(u: CMatrix): TwoQubitSynthesis {
  if (u.length !== 32) throw new QError('COMPILE', 'two-qubit synthesis needs a 4x4 matrix');
  const det = det4(u);
  if (Math.abs(Math.hypot(...det) - 1) > 1e-6) throw new QError('COMPILE', 'the 4x4 matrix is not unitary');
  const g0 = Math.atan2(det[1], det[0]) / 4;
  const us = new Float64Array(32);
  const c0 = Math.cos(-g0);
  const s0 = Math.sin(-g0);
  for (let k = 0; k < 32; k += 2) {
    us[k] = u[k] * c0 - u[k + 1] * s0;
    us[k + 1] = u[k] * s0 + u[k + 1] * c0;
  }
  const up = matmul(BD, matmul(us, B));
  const M = matmul(transpose(up), up);
  const P = diagonalise(M);
  // det P = +1
  const Pm = realMatrix(P);
  if (Math.sign(det4(Pm)[0]) < 0) for (let i = 0; i < 4; i++) P[i][0] = -P[i][0];
  const Pr = realMatrix(P);
  const D = matmul(transpose(Pr), matmul(M, Pr));
  const theta = [0, 1, 2, 3].map((k) => Math.atan2(D[2 * (k * 4 + k) + 1], D[2 * (k * 4 + k)]) / 2);
  // K1 = Up P diag(e^{-iθ}); force det K1 = +1 by moving θ0 by π.
  const k1 = (th: number[]): CMatrix => {
    const dg = new Float64Array(32);
    for (let k = 0; k < 4; k++) {
      dg[2 * (k * 4 + k)] = Math.cos(-th[k]);
      dg[2 * (k * 4 + k) + 1] = Math.sin(-th[k]);
    }
    return matmul(up, matmul(Pr, dg));
  };
  let K1 = k1(theta);
  if (det4(K1)[0] < 0) {
    theta[0] += PI;
    K1 = k1(theta);
  }
  const L = matmul(B, matmul(K1, BD));
  const Rr = matmul(B, matmul(transpose(Pr), BD));
  // interaction: B diag(e^{iθ}) B† = e^{ig} exp(i(x XX + y YY + z ZZ))
  const coef = SIGNS.map((s) => (s[0] * theta[0] + s[1] * theta[1] + s[2] * theta[2] + s[3] * theta[3]) / 4) as [number, number, number];
  const [x, y, z] = coef;
  const left = factorKron(L);
  const right = factorKron(Rr);
  // exp(i(x XX + y YY + z ZZ)) ≅ rz(π/2)₁ · cx(1,0) · rz(π/2 - 2z)₀ ry(π/2 - 2x)₁ · cx(0,1) · ry(2y - π/2)₁ · cx(1,0) · rz(-π/2)₀
  // (time order; found by search over the Vatan-Williams family and checked numerically).
  const ops: { op: 'U' | 'cx'; qubits: number[]; params: number[] }[] = [];
  const U1 = (q: number, m: CMatrix) => ops.push({ op: 'U', qubits: [q], params: uParams(m) });
  const rz = (a: number): [number, number, number] => [0, 0, a];
  const ry = (a: number): [number, number, number] => [a, 0, 0];
  U1(0, right.lo);
  U1(1, right.hi);
  ops.push({ op: 'U', qubits: [1], params: rz(PI / 2) });
  ops.push({ op: 'cx', qubits: [1, 0], params: [] });
  ops.push({ op: 'U', qubits: [0], params: rz(PI / 2 - 2 * z) });
  ops.push({ op: 'U', qubits: [1], params: ry(PI / 2 - 2 * x) });
  ops.push({ op: 'cx', qubits: [0, 1], params: [] });
  ops.push({ op: 'U', qubits: [1], params: ry(2 * y - PI / 2) });
  ops.push({ op: 'cx', qubits: [1, 0], params: [] });
  ops.push({ op: 'U', qubits: [0], params: rz(-PI / 2) });
  U1(0, left.lo);
  U1(1, left.hi);
  // The exact phase: compare the product with u on its largest entry.
  const prod = productMatrix(ops);
  let kBest = 0;
  let best = -1;
  for (let k = 0; k < 32; k += 2) {
    const v = u[k] * u[k] + u[k + 1] * u[k + 1];
    if (v > best) {
      best = v;
      kBest = k;
    }
  }
  const phase = Math.atan2(u[kBest + 1], u[kBest]) - Math.atan2(prod[kBest + 1], prod[kBest]);
  return { ops, phase, coefficients: coef };
}

const I2 = cmat([
  [1, 0],
  [0, 1],
]);
const CX01 = cmat([
  [1, 0, 0, 0],
  [0, 0, 0, 1],
  [0, 0, 1, 0],
  [0, 1, 0, 0],
]);
const CX10 = cmat([
  [1, 0, 0, 0],
  [0, 1, 0, 0],
  [0, 0, 0, 1],
  [0, 0, 1, 0],
]);

/** The 4x4 matrix of a piece list (time order). */
export function productMatrix(ops: TwoQubitSynthesis['ops']): CMatrix {
  let m = kron(I2, I2);
  for (const o of ops) {
    let g: CMatrix;
    if (o.op === 'cx') g = o.qubits[0] === 0 ? CX01 : CX10;
    else {
      const [t, f, l] = o.params;
      const c = Math.cos(t / 2);
      const s = Math.sin(t / 2);
      const u1 = cmat([
        [c, [-Math.cos(l) * s, -Math.sin(l) * s]],
        [
          [Math.cos(f) * s, Math.sin(f) * s],
          [Math.cos(f + l) * c, Math.sin(f + l) * c],
        ],
      ]);
      g = o.qubits[0] === 0 ? kron(I2, u1) : kron(u1, I2);
    }
    m = matmul(g, m);
  }
  return m;
}
