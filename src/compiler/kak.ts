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

/** The general form: any 4x4 unitary as 3 CX and 1-qubit U gates, exactly (phase included). */
function synthesizeThreeCx(u: CMatrix): TwoQubitSynthesis {
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

type Piece = TwoQubitSynthesis['ops'][number];

/** Tolerance on canonical coordinates below which an interaction term counts as absent (radians). */
const CLASS_TOL = 1e-9;

/**
 * Canonical (Weyl-chamber) coordinates π/4 >= a >= b >= |c| of the interaction exp(i(a XX + b YY + c ZZ))
 * a 4x4 unitary is locally equivalent to. Each KAK coefficient matters modulo π/2 (exp(iπ/2·XX) = i·XX
 * is local), and permutations and paired sign flips are local too; what is left decides the cost.
 */
export function weylCoordinates(coefficients: readonly [number, number, number]): [number, number, number] {
  const red = coefficients.map((x) => {
    let r = x % (PI / 2);
    if (r > PI / 4) r -= PI / 2;
    else if (r <= -PI / 4) r += PI / 2;
    return r;
  });
  const sign = red.reduce((s, x) => s * (x < 0 ? -1 : 1), 1);
  const mags = red.map(Math.abs).sort((p, q) => q - p);
  return [mags[0], mags[1], sign * mags[2]];
}

/**
 * How many CX (or CZ, or any CX-equivalent entangler) a 2-qubit unitary needs: 0 when it is a
 * product of 1-qubit gates, 1 when it is locally CX (a = π/4, b = c = 0), 2 when c = 0 (Shende,
 * Markov & Bullock 2004; Vatan & Williams 2004), otherwise 3.
 */
export function entanglersNeeded(coefficients: readonly [number, number, number], tol = CLASS_TOL): 0 | 1 | 2 | 3 {
  const [a, b, c] = weylCoordinates(coefficients);
  if (a < tol) return 0;
  if (Math.abs(a - PI / 4) < tol && b < tol) return 1;
  if (Math.abs(c) < tol) return 2;
  return 3;
}

/**
 * Synthesises a 4x4 unitary exactly (phase included) into the fewest CX it needs (0-3) and 1-qubit
 * U gates, as Qiskit's TwoQubitBasisDecomposer does for CX-equivalent bases. The cheap forms come
 * from a template with the same canonical coordinates and the local gates that relate the two; each
 * is checked against the matrix, and the 3-CX form is the fallback.
 */
export function synthesizeTwoQubit(u: CMatrix): TwoQubitSynthesis {
  const full = synthesizeThreeCx(u);
  const need = entanglersNeeded(full.coefficients);
  if (need === 3) return full;
  const [a, b] = weylCoordinates(full.coefficients);
  const template: Piece[] =
    need === 0
      ? []
      : need === 1
        ? [{ op: 'cx', qubits: [0, 1], params: [] }]
        : [
            // CX·(Rx(2a) ⊗ Rz(2b))·CX = exp(-i(a XX + b ZZ)): coordinates (a, b, 0).
            { op: 'cx', qubits: [0, 1], params: [] },
            { op: 'U', qubits: [0], params: [2 * a, -PI / 2, PI / 2] },
            { op: 'U', qubits: [1], params: [0, 0, 2 * b] },
            { op: 'cx', qubits: [0, 1], params: [] },
          ];
  return viaTemplate(u, template, full.coefficients) ?? full;
}

/** `u` as (local)·template·(local), when both share canonical coordinates; undefined if that fails to verify. */
function viaTemplate(
  u: CMatrix,
  template: readonly Piece[],
  coefficients: TwoQubitSynthesis['coefficients'],
): TwoQubitSynthesis | undefined {
  const v = productMatrix(template);
  const up = matmul(BD, matmul(toSU4(u), B));
  const vp = matmul(BD, matmul(toSU4(v), B));
  const mv = matmul(transpose(vp), vp);
  const pv = properOrthogonal(diagonalise(mv));
  const dv = diagOf(transpose(realMatrix(pv)), mv, realMatrix(pv));
  // The SU(4) representative of u is fixed up to a power of i, which flips the sign of uᵀu.
  for (const k of [0, 1]) {
    const uk = k === 0 ? up : scaleC(up, 0, 1);
    const mu = matmul(transpose(uk), uk);
    const pu = properOrthogonal(diagonalise(mu));
    const du = diagOf(transpose(realMatrix(pu)), mu, realMatrix(pu));
    const order = matchEigenvalues(du, dv);
    if (!order) continue;
    // Reorder v's eigenvectors to u's eigenvalue order; keep det = +1 so the rotations stay local.
    const pvo = pu.map((_, i) => order.map((j) => pv[i][j]));
    const pvm = properOrthogonal(pvo);
    const su = du.map((z) => sqrtC(z));
    const sv = order.map((j, i) => {
      const s = sqrtC(dv[j]);
      return Math.hypot(s[0] - su[i][0], s[1] - su[i][1]) <= Math.hypot(s[0] + su[i][0], s[1] + su[i][1]) ? s : ([-s[0], -s[1]] as C);
    });
    // u' = Ku·S·Puᵀ and v' = Kv·S·Pvᵀ, with Ku, Kv real orthogonal, so u' = (Ku Kvᵀ)·v'·(Pv Puᵀ).
    const ku = realPart(matmul(uk, matmul(realMatrix(pu), diagInv(su))));
    const kv = realPart(matmul(vp, matmul(realMatrix(pvm), diagInv(sv))));
    const left = matmul(B, matmul(realMatrix(matMulReal(ku, transposeReal(kv))), BD));
    const right = matmul(B, matmul(realMatrix(matMulReal(pvm, transposeReal(pu))), BD));
    const lf = factorKron(left);
    const rf = factorKron(right);
    const ops: Piece[] = [
      { op: 'U', qubits: [0], params: uParams(rf.lo) },
      { op: 'U', qubits: [1], params: uParams(rf.hi) },
      ...template,
      { op: 'U', qubits: [0], params: uParams(lf.lo) },
      { op: 'U', qubits: [1], params: uParams(lf.hi) },
    ];
    const phase = phaseBetween(u, productMatrix(ops));
    if (phaseError(u, productMatrix(ops), phase) < 1e-9) return { ops, phase, coefficients };
  }
  return undefined;
}

function toSU4(u: CMatrix): CMatrix {
  const det = det4(u);
  const g = -Math.atan2(det[1], det[0]) / 4;
  return scaleC(u, Math.cos(g), Math.sin(g));
}

function scaleC(a: CMatrix, re: number, im: number): CMatrix {
  const o = new Float64Array(a.length);
  for (let k = 0; k < a.length; k += 2) {
    o[k] = a[k] * re - a[k + 1] * im;
    o[k + 1] = a[k] * im + a[k + 1] * re;
  }
  return o;
}

/** Flips the first column's sign when needed so the (real) matrix has determinant +1. */
function properOrthogonal(p: number[][]): number[][] {
  const q = p.map((r) => [...r]);
  if (det4(realMatrix(q))[0] < 0) for (let i = 0; i < 4; i++) q[i][0] = -q[i][0];
  return q;
}

function diagOf(pt: CMatrix, m: CMatrix, p: CMatrix): C[] {
  const d = matmul(pt, matmul(m, p));
  return [0, 1, 2, 3].map((k) => [d[2 * (k * 4 + k)], d[2 * (k * 4 + k) + 1]] as C);
}

/** order[i] = index of v's eigenvalue paired with u's i-th, or undefined when the spectra differ. */
function matchEigenvalues(du: readonly C[], dv: readonly C[]): number[] | undefined {
  const used = new Set<number>();
  const order: number[] = [];
  for (const z of du) {
    let best = -1;
    let bestD = Infinity;
    dv.forEach((w, j) => {
      if (used.has(j)) return;
      const d = Math.hypot(z[0] - w[0], z[1] - w[1]);
      if (d < bestD) {
        bestD = d;
        best = j;
      }
    });
    if (bestD > 1e-6) return undefined;
    used.add(best);
    order.push(best);
  }
  return order;
}

function sqrtC(z: C): C {
  const r = Math.sqrt(Math.hypot(z[0], z[1]));
  const t = Math.atan2(z[1], z[0]) / 2;
  return [r * Math.cos(t), r * Math.sin(t)];
}

function diagInv(s: readonly C[]): CMatrix {
  const o = new Float64Array(32);
  s.forEach((z, k) => {
    const n = z[0] * z[0] + z[1] * z[1];
    o[2 * (k * 4 + k)] = z[0] / n;
    o[2 * (k * 4 + k) + 1] = -z[1] / n;
  });
  return o;
}

function realPart(a: CMatrix): number[][] {
  return [0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => a[2 * (i * 4 + j)]));
}

function transposeReal(a: readonly number[][]): number[][] {
  return a[0].map((_, j) => a.map((r) => r[j]));
}

function matMulReal(a: readonly number[][], b: readonly number[][]): number[][] {
  return a.map((r) => b[0].map((_, j) => r.reduce((s, x, k) => s + x * b[k][j], 0)));
}

/** φ with u ≈ e^{iφ}·p, read off u's largest entry. */
function phaseBetween(u: CMatrix, p: CMatrix): number {
  let kBest = 0;
  let best = -1;
  for (let k = 0; k < 32; k += 2) {
    const x = u[k] * u[k] + u[k + 1] * u[k + 1];
    if (x > best) {
      best = x;
      kBest = k;
    }
  }
  return Math.atan2(u[kBest + 1], u[kBest]) - Math.atan2(p[kBest + 1], p[kBest]);
}

function phaseError(u: CMatrix, p: CMatrix, phase: number): number {
  const c = Math.cos(phase);
  const s = Math.sin(phase);
  let worst = 0;
  for (let k = 0; k < 32; k += 2) {
    worst = Math.max(worst, Math.abs(u[k] - (p[k] * c - p[k + 1] * s)), Math.abs(u[k + 1] - (p[k] * s + p[k + 1] * c)));
  }
  return worst;
}

/**
 * A quick estimate of `entanglersNeeded` from the invariants of m = u'ᵀu' (u' the SU(4) form of u in
 * the magic basis; Makhlin 2002, Shende et al. 2004), without the decomposition: with canonical
 * coordinates (a, b, c), Im tr m = 4 sin 2a sin 2b sin 2c vanishes exactly when c = 0; then
 * tr m = ±4 cos 2a cos 2b, and tr m² = -4 picks CX out of the tr m = 0 pair {CX, iSWAP}. The loose
 * tolerance errs towards the smaller count, so a caller that skips synthesis when this says "no
 * gain" never misses one; the real count still comes from `synthesizeTwoQubit`.
 */
export function quickEntanglerCount(u: CMatrix, tol = 1e-6): 0 | 1 | 2 | 3 {
  const up = matmul(BD, matmul(toSU4(u), B));
  const m = matmul(transpose(up), up);
  let tr: C = [0, 0];
  let tr2: C = [0, 0];
  for (let i = 0; i < 4; i++) {
    tr = [tr[0] + m[2 * (i * 4 + i)], tr[1] + m[2 * (i * 4 + i) + 1]];
    for (let k = 0; k < 4; k++) {
      const p = cm([m[2 * (i * 4 + k)], m[2 * (i * 4 + k) + 1]], [m[2 * (k * 4 + i)], m[2 * (k * 4 + i) + 1]]);
      tr2 = [tr2[0] + p[0], tr2[1] + p[1]];
    }
  }
  if (Math.abs(tr[1]) > tol) return 3;
  if (Math.abs(Math.abs(tr[0]) - 4) < tol) return 0;
  if (Math.abs(tr[0]) < tol && Math.abs(tr2[0] + 4) < tol) return 1;
  return 2;
}
