import { validationError } from '../../errors.js';
import { CircuitBuilder } from '../../ir/builder.js';
import type { Circuit } from '../../ir/circuit.js';
import { sym } from '../../ir/params.js';
import { pauliTerm, type PauliSum } from '../../ir/pauli.js';
import { amplitudeEncoder } from '../encoders.js';

/**
 * The qcnn12 circuit and an exact simulator that exploits its structure.
 *
 * Register: qubits 0..7 hold the data (amplitude encoding of 256 values, qubit 0 least significant),
 * qubits 8..11 are the four auxiliary qubits, starting in |0>.
 *
 *  1. Convolution on the data qubits: `layers` ring brick-walls of SO(4) blocks (RY, RY, CX, RY, RY,
 *     CX, RY, RY: Hur-Kim-Park's real two-qubit block), weights per block.
 *  2. Pooling into the auxiliaries by "quantum perceptrons": per perceptron layer, RY on every
 *     auxiliary (a bias), then CRY(data qubit j -> auxiliary a) for every pair (the weighted inputs),
 *     then a CZ ring among the auxiliaries.
 *  3. Readout: Pauli expectations of the auxiliaries (and optionally <Z> of each data qubit).
 *
 * Why the structure makes it cheap: after step 1 the state is Σ_d z_d |d>|0> with z = U x (U the
 * 256x256 real orthogonal convolution unitary). Step 2 only uses data qubits as CONTROLS, so it maps
 * |d>|0> to |d>|c_d> with c_d = V_d|0> a 16-dim real vector. Every auxiliary observable is then
 * <P> = Σ_d z_d² <c_d|P|c_d>, so the whole 12-qubit expectation vector of a sample is
 * (Ux)² · F with F[d, k] = <c_d|P_k|c_d>: U and F depend on the weights only and are computed once
 * per training step (a 256-column batched simulation of step 1 and a 256-row one of step 2), and
 * each sample then costs a 256x256 matrix-vector product. This is the exact statevector result, not
 * an approximation (test/qcnn/qcnn12.test.ts compares it with the generic simulator).
 */

export interface Qcnn12Options {
  /** Brick-wall convolution layers on the data qubits (default 10). */
  readonly layers?: number;
  /** Perceptron layers pooling the data into the auxiliaries (default 2). */
  readonly perceptrons?: number;
  /**
   * Auxiliary observables: 'z' the 15 Z-strings (one measurement setting: the outcome distribution),
   * 'real' all 135 non-identity Pauli strings with an even number of Y (all that can be non-zero for
   * a real state; 81 settings on hardware). Default 'real'.
   */
  readonly readout?: 'z' | 'real';
  /**
   * Data-qubit readout in the computational basis (same setting as the auxiliary Z-strings): 'single'
   * the 8 <Z_j>, 'all' all 255 Z-strings of the data register (its whole outcome distribution),
   * 'none'. Default 'single'.
   */
  readonly dataZ?: 'none' | 'single' | 'all';
}

export const DATA_QUBITS = 8;
export const AUX_QUBITS = 4;
const D = 1 << DATA_QUBITS; // 256
const A = 1 << AUX_QUBITS; // 16

/** A gate of the structured circuit; `w` indexes the weight vector. */
export type Qcnn12Gate =
  | { readonly op: 'ry'; readonly q: number; readonly w: number }
  | { readonly op: 'cx'; readonly c: number; readonly t: number }
  | { readonly op: 'aux-ry'; readonly t: number; readonly w: number }
  | { readonly op: 'aux-cry'; readonly c: number; readonly t: number; readonly w: number }
  | { readonly op: 'aux-cz'; readonly a: number; readonly b: number };

/** A real Pauli string on the auxiliaries (bit t = auxiliary t) or a data-qubit Z. */
export interface AuxPauli {
  readonly label: string;
  readonly xmask: number;
  readonly zmask: number;
  /** i^{#Y}: ±1 for the even-Y strings kept. */
  readonly sign: number;
  /** Set for a data-register Z-string: the mask of data qubits (then xmask/zmask are unused). */
  readonly dataMask?: number;
}

export interface Qcnn12Structure {
  readonly layers: number;
  readonly perceptrons: number;
  readonly dataGates: readonly Qcnn12Gate[];
  readonly auxGates: readonly Qcnn12Gate[];
  /** Weight names, in weight-vector order. */
  readonly weights: readonly string[];
  readonly observables: readonly AuxPauli[];
}

function popcount(x: number): number {
  let c = 0;
  for (; x; x &= x - 1) c++;
  return c;
}

/** The gate lists and readout of a qcnn12 circuit (deterministic in the options). */
export function qcnn12Structure(options: Qcnn12Options = {}): Qcnn12Structure {
  const layers = options.layers ?? 10;
  const perceptrons = options.perceptrons ?? 2;
  if (!Number.isInteger(layers) || layers < 0 || layers > 64)
    throw validationError(`qcnn12: layers must be an integer in [0, 64], got ${layers}`);
  if (!Number.isInteger(perceptrons) || perceptrons < 1 || perceptrons > 16) {
    throw validationError(`qcnn12: perceptrons must be an integer in [1, 16], got ${perceptrons}`);
  }
  const weights: string[] = [];
  const w = (name: string): number => {
    weights.push(name);
    return weights.length - 1;
  };
  const dataGates: Qcnn12Gate[] = [];
  for (let l = 0; l < layers; l++) {
    // Ring brick-wall: even pairs, then odd pairs including the wrap-around (7, 0).
    const pairs: [number, number][] = [];
    for (let i = 0; i < DATA_QUBITS; i += 2) pairs.push([i, i + 1]);
    for (let i = 1; i < DATA_QUBITS; i += 2) pairs.push([i, (i + 1) % DATA_QUBITS]);
    pairs.forEach(([p, q], k) => {
      const name = (j: number) => `conv${l + 1}_${k}[${j}]`;
      dataGates.push({ op: 'ry', q: p, w: w(name(0)) }, { op: 'ry', q, w: w(name(1)) }, { op: 'cx', c: p, t: q });
      dataGates.push({ op: 'ry', q: p, w: w(name(2)) }, { op: 'ry', q, w: w(name(3)) }, { op: 'cx', c: p, t: q });
      dataGates.push({ op: 'ry', q: p, w: w(name(4)) }, { op: 'ry', q, w: w(name(5)) });
    });
  }
  const auxGates: Qcnn12Gate[] = [];
  for (let l = 0; l < perceptrons; l++) {
    for (let t = 0; t < AUX_QUBITS; t++) auxGates.push({ op: 'aux-ry', t, w: w(`perc${l + 1}_bias[${t}]`) });
    for (let t = 0; t < AUX_QUBITS; t++) {
      for (let c = 0; c < DATA_QUBITS; c++) auxGates.push({ op: 'aux-cry', c, t, w: w(`perc${l + 1}_w${t}[${c}]`) });
    }
    for (let t = 0; t < AUX_QUBITS; t++) auxGates.push({ op: 'aux-cz', a: t, b: (t + 1) % AUX_QUBITS });
  }
  const observables: AuxPauli[] = [];
  const readout = options.readout ?? 'real';
  if (readout !== 'z' && readout !== 'real') throw validationError(`qcnn12: readout must be 'z' or 'real', got ${JSON.stringify(readout)}`);
  for (let code = 1; code < 4 ** AUX_QUBITS; code++) {
    // Base-4 digits: 0 I, 1 X, 2 Y, 3 Z per auxiliary.
    let xmask = 0;
    let zmask = 0;
    let label = '';
    for (let t = 0; t < AUX_QUBITS; t++) {
      const p = Math.floor(code / 4 ** t) % 4;
      if (p === 1 || p === 2) xmask |= 1 << t;
      if (p === 2 || p === 3) zmask |= 1 << t;
      label = 'IXYZ'[p] + label;
    }
    const ny = popcount(xmask & zmask);
    if (ny % 2 === 1) continue;
    if (readout === 'z' && xmask !== 0) continue;
    observables.push({ label: `aux:${label}`, xmask, zmask, sign: ny % 4 === 0 ? 1 : -1 });
  }
  const dataZ = options.dataZ ?? 'single';
  if (dataZ !== 'none' && dataZ !== 'single' && dataZ !== 'all') {
    throw validationError(`qcnn12: dataZ must be 'none', 'single' or 'all', got ${JSON.stringify(dataZ)}`);
  }
  for (let m = 1; m < D && dataZ !== 'none'; m++) {
    if (dataZ === 'single' && popcount(m) !== 1) continue;
    const qs = Array.from({ length: DATA_QUBITS }, (_, j) => j).filter((j) => (m >> j) & 1);
    observables.push({ label: qs.map((j) => `Z${j}`).join(' '), xmask: 0, zmask: 0, sign: 1, dataMask: m });
  }
  return { layers, perceptrons, dataGates, auxGates, weights, observables };
}

// ---- kernels on a matrix whose rows are basis states (row-major rows x cols) ----------------------

/** RY(θ) = [[c, -s], [s, c]] (c = cos θ/2, s = sin θ/2) on bit `bit` of the row index, rows where (row & mask) === mask. */
function rowsRy(m: Float64Array, rows: number, cols: number, bit: number, c: number, s: number, mask = 0): void {
  for (let i = 0; i < rows; i++) {
    if (i & bit || (i & mask) !== mask) continue;
    const a = i * cols;
    const b = (i | bit) * cols;
    for (let k = 0; k < cols; k++) {
      const x = m[a + k];
      const y = m[b + k];
      m[a + k] = c * x - s * y;
      m[b + k] = s * x + c * y;
    }
  }
}

/** Σ <λ, dRY/dθ ψ> over the same row pairs (dRY/dθ = ½[[-s, -c], [c, -s]]). */
function rowsRyGrad(lam: Float64Array, psi: Float64Array, rows: number, cols: number, bit: number, c: number, s: number, mask = 0): number {
  let g = 0;
  for (let i = 0; i < rows; i++) {
    if (i & bit || (i & mask) !== mask) continue;
    const a = i * cols;
    const b = (i | bit) * cols;
    for (let k = 0; k < cols; k++) {
      const x = psi[a + k];
      const y = psi[b + k];
      g += lam[a + k] * (-s * x - c * y) + lam[b + k] * (c * x - s * y);
    }
  }
  return 0.5 * g;
}

function rowsCx(m: Float64Array, rows: number, cols: number, cbit: number, tbit: number): void {
  for (let i = 0; i < rows; i++) {
    if (!(i & cbit) || i & tbit) continue;
    const a = i * cols;
    const b = (i | tbit) * cols;
    for (let k = 0; k < cols; k++) {
      const x = m[a + k];
      m[a + k] = m[b + k];
      m[b + k] = x;
    }
  }
}

/**
 * The same RY on bit `bit` of the COLUMN index of a (rows x 16) matrix, for the rows where
 * (row & rowMask) === rowMask (a data-controlled rotation of an auxiliary).
 */
function colsRy(m: Float64Array, bit: number, c: number, s: number, rowMask: number): void {
  for (let d = 0; d < D; d++) {
    if ((d & rowMask) !== rowMask) continue;
    const base = d * A;
    for (let a = 0; a < A; a++) {
      if (a & bit) continue;
      const x = m[base + a];
      const y = m[base + (a | bit)];
      m[base + a] = c * x - s * y;
      m[base + (a | bit)] = s * x + c * y;
    }
  }
}

function colsRyGrad(lam: Float64Array, psi: Float64Array, bit: number, c: number, s: number, rowMask: number): number {
  let g = 0;
  for (let d = 0; d < D; d++) {
    if ((d & rowMask) !== rowMask) continue;
    const base = d * A;
    for (let a = 0; a < A; a++) {
      if (a & bit) continue;
      const x = psi[base + a];
      const y = psi[base + (a | bit)];
      g += lam[base + a] * (-s * x - c * y) + lam[base + (a | bit)] * (c * x - s * y);
    }
  }
  return 0.5 * g;
}

function colsCz(m: Float64Array, mask: number): void {
  for (let d = 0; d < D; d++) {
    const base = d * A;
    for (let a = 0; a < A; a++) if ((a & mask) === mask) m[base + a] = -m[base + a];
  }
}

// ---- the two weight-dependent pieces and their reverse-mode gradients ---------------------------

/** U (256x256, row-major: U[i*256 + j] = <i|U|j>) of the data convolution. */
export function dataUnitary(s: Qcnn12Structure, weights: ArrayLike<number>): Float64Array {
  const m = new Float64Array(D * D);
  for (let i = 0; i < D; i++) m[i * D + i] = 1;
  for (const g of s.dataGates) {
    if (g.op === 'ry') rowsRy(m, D, D, 1 << g.q, Math.cos(weights[g.w] / 2), Math.sin(weights[g.w] / 2));
    else if (g.op === 'cx') rowsCx(m, D, D, 1 << g.c, 1 << g.t);
  }
  return m;
}

/** Adds dL/dw for the data gates to `grad`, given U and dL/dU (adjoint sweep on 256 columns at once). */
export function dataUnitaryBackward(
  s: Qcnn12Structure,
  weights: ArrayLike<number>,
  u: Float64Array,
  dU: Float64Array,
  grad: Float64Array,
): void {
  const psi = Float64Array.from(u);
  const lam = Float64Array.from(dU);
  for (let k = s.dataGates.length - 1; k >= 0; k--) {
    const g = s.dataGates[k];
    if (g.op === 'ry') {
      const c = Math.cos(weights[g.w] / 2);
      const sn = Math.sin(weights[g.w] / 2);
      const bit = 1 << g.q;
      rowsRy(psi, D, D, bit, c, -sn);
      grad[g.w] += rowsRyGrad(lam, psi, D, D, bit, c, sn);
      rowsRy(lam, D, D, bit, c, -sn);
    } else if (g.op === 'cx') {
      rowsCx(psi, D, D, 1 << g.c, 1 << g.t);
      rowsCx(lam, D, D, 1 << g.c, 1 << g.t);
    }
  }
}

/** c_d = V_d |0> for every data basis state d: a 256 x 16 row-major matrix. */
export function auxStates(s: Qcnn12Structure, weights: ArrayLike<number>): Float64Array {
  const m = new Float64Array(D * A);
  for (let d = 0; d < D; d++) m[d * A] = 1;
  for (const g of s.auxGates) applyAux(m, g, weights, 1);
  return m;
}

function applyAux(m: Float64Array, g: Qcnn12Gate, weights: ArrayLike<number>, dir: 1 | -1): void {
  if (g.op === 'aux-ry') colsRy(m, 1 << g.t, Math.cos(weights[g.w] / 2), dir * Math.sin(weights[g.w] / 2), 0);
  else if (g.op === 'aux-cry') colsRy(m, 1 << g.t, Math.cos(weights[g.w] / 2), dir * Math.sin(weights[g.w] / 2), 1 << g.c);
  else if (g.op === 'aux-cz') colsCz(m, (1 << g.a) | (1 << g.b));
}

/** Adds dL/dw for the auxiliary gates to `grad`, given C = auxStates and dL/dC. */
export function auxStatesBackward(
  s: Qcnn12Structure,
  weights: ArrayLike<number>,
  cStates: Float64Array,
  dC: Float64Array,
  grad: Float64Array,
): void {
  const psi = Float64Array.from(cStates);
  const lam = Float64Array.from(dC);
  for (let k = s.auxGates.length - 1; k >= 0; k--) {
    const g = s.auxGates[k];
    applyAux(psi, g, weights, -1);
    if (g.op === 'aux-ry' || g.op === 'aux-cry') {
      const mask = g.op === 'aux-cry' ? 1 << g.c : 0;
      grad[g.w] += colsRyGrad(lam, psi, 1 << g.t, Math.cos(weights[g.w] / 2), Math.sin(weights[g.w] / 2), mask);
    }
    applyAux(lam, g, weights, -1);
  }
}

/** F[d, k] = <c_d|P_k|c_d> (auxiliary Paulis) or (-1)^{|d ∧ mask|} (data Z-strings): 256 x K row-major. */
export function readoutMatrix(s: Qcnn12Structure, cStates: Float64Array): Float64Array {
  const K = s.observables.length;
  const f = new Float64Array(D * K);
  for (let d = 0; d < D; d++) {
    const c = cStates.subarray(d * A, d * A + A);
    s.observables.forEach((o, k) => {
      if (o.dataMask !== undefined) {
        f[d * K + k] = popcount(d & o.dataMask) & 1 ? -1 : 1;
        return;
      }
      let acc = 0;
      for (let b = 0; b < A; b++) acc += (popcount(b & o.zmask) & 1 ? -1 : 1) * c[b ^ o.xmask] * c[b];
      f[d * K + k] = o.sign * acc;
    });
  }
  return f;
}

/** dL/dC from dL/dF (each form is symmetric, so d<c|P|c>/dc_b = 2 sign (-1)^{|b∧z|} c_{b⊕x}). */
export function readoutMatrixBackward(s: Qcnn12Structure, cStates: Float64Array, dF: ArrayLike<number>): Float64Array {
  const K = s.observables.length;
  const dC = new Float64Array(D * A);
  for (let d = 0; d < D; d++) {
    s.observables.forEach((o, k) => {
      if (o.dataMask !== undefined) return;
      const g = dF[d * K + k];
      if (g === 0) return;
      for (let b = 0; b < A; b++) {
        dC[d * A + b] += 2 * g * o.sign * (popcount(b & o.zmask) & 1 ? -1 : 1) * cStates[d * A + (b ^ o.xmask)];
      }
    });
  }
  return dC;
}

/** Expectation values of one normalised 256-vector x, exactly as the 12-qubit circuit gives them. */
export function qcnn12Expectations(s: Qcnn12Structure, weights: ArrayLike<number>, x: ArrayLike<number>): Float64Array {
  const u = dataUnitary(s, weights);
  const f = readoutMatrix(s, auxStates(s, weights));
  const K = s.observables.length;
  const out = new Float64Array(K);
  for (let i = 0; i < D; i++) {
    let z = 0;
    for (let j = 0; j < D; j++) z += u[i * D + j] * x[j];
    const p = z * z;
    for (let k = 0; k < K; k++) out[k] += p * f[i * K + k];
  }
  return out;
}

/** The observables as Pauli sums on the 12-qubit register (auxiliary t is qubit 8 + t). */
export function qcnn12Observables(s: Qcnn12Structure): PauliSum[] {
  return s.observables.map((o) => {
    if (o.dataMask !== undefined) {
      const zs: Record<number, 'Z'> = {};
      for (let j = 0; j < DATA_QUBITS; j++) if ((o.dataMask >> j) & 1) zs[j] = 'Z';
      return [pauliTerm(zs)];
    }
    const ops: Record<number, 'X' | 'Y' | 'Z'> = {};
    for (let t = 0; t < AUX_QUBITS; t++) {
      const x = (o.xmask >> t) & 1;
      const z = (o.zmask >> t) & 1;
      if (x || z) ops[DATA_QUBITS + t] = x && z ? 'Y' : x ? 'X' : 'Z';
    }
    return [pauliTerm(ops)];
  });
}

/**
 * The full 12-qubit circuit for any backend: Möttönen amplitude encoding of the 256 inputs
 * (symbols a[0..254]), the convolution, the perceptrons. Weight symbols as in `weights`.
 */
export function qcnn12Circuit(
  s: Qcnn12Structure,
  options: { withEncoder?: boolean } = {},
): { circuit: Circuit; inputs: readonly string[]; encoderGates: number } {
  const b = new CircuitBuilder(DATA_QUBITS + AUX_QUBITS, 0, 'qcnn12');
  const enc = amplitudeEncoder(DATA_QUBITS);
  const withEncoder = options.withEncoder ?? true;
  if (withEncoder) enc.apply(b);
  const name = (w: number) => sym(s.weights[w]);
  for (const g of s.dataGates) {
    if (g.op === 'ry') b.ry(name(g.w), g.q);
    else if (g.op === 'cx') b.cx(g.c, g.t);
  }
  for (const g of s.auxGates) {
    if (g.op === 'aux-ry') b.ry(name(g.w), DATA_QUBITS + g.t);
    else if (g.op === 'aux-cry') b.gate('cry', [g.c, DATA_QUBITS + g.t], [name(g.w)]);
    else if (g.op === 'aux-cz') b.cz(DATA_QUBITS + g.a, DATA_QUBITS + g.b);
  }
  return { circuit: b.build(), inputs: withEncoder ? enc.inputs : [], encoderGates: withEncoder ? enc.gateCount : 0 };
}

/** The amplitude encoder used by the circuit (for input values and the simulator shortcut). */
export function qcnn12Encoder() {
  return amplitudeEncoder(DATA_QUBITS);
}
