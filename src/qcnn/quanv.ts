import type { Dataset } from '../data/index.js';
import { validationError } from '../errors.js';
import { CircuitBuilder } from '../ir/builder.js';
import type { Circuit } from '../ir/circuit.js';
import { scaleAngle, sym } from '../ir/params.js';
import { pauliTerm, type PauliSum } from '../ir/pauli.js';
import { createRng } from '../sim/rng.js';
import { circuitUnitary } from '../sim/unitary.js';
import { convBlock } from './blocks.js';

/**
 * Quantum kernel convolution ("quanvolution", Henderson et al., arXiv:1904.04767): every p x p image
 * patch becomes a p²-qubit circuit (pixel i -> RY(π x_i) on qubit i), a fixed random circuit acts
 * on it like a filter, and each measured <Z> is one output channel at that patch's position.
 * Several independent random filters give more channels, as a classical filter bank would.
 *
 * Entanglement-based pooling: after the filter, a CNOT from each dropped qubit onto its kept
 * neighbour folds the pair into one qubit (whose <Z> is then the pair's parity <Z Z>), so a filter
 * outputs p²/2 channels instead of p². The layer has no trainable weights (fixed filters), which is
 * what lets the whole dataset be transformed ONCE before training.
 *
 * Fast exact evaluation: the encoded state is a real product state ψ(x), and the filter is a fixed
 * unitary V, so each channel is ψᵀ Re(V† Z_k V) ψ; the 2^q x 2^q matrices are built once from the
 * circuit with the simulator (circuitUnitary), and a patch costs a few hundred multiply-adds.
 */
export interface QuanvOptions {
  /** Patch side p (p² qubits; default 2). */
  readonly patch?: number;
  /** Step between patches (default p: non-overlapping patches). */
  readonly stride?: number;
  /** Independent random filters (default 2). */
  readonly filters?: number;
  /** Random layers per filter: SU(4) blocks on the ring of qubit pairs (default 2). */
  readonly layers?: number;
  /** 'entangle': CNOT pooling that halves the measured qubits (default); 'none': measure every qubit. */
  readonly pooling?: 'entangle' | 'none';
  /** Seed of the random filter angles (default 0). */
  readonly seed?: number;
}

export interface QuanvLayer {
  readonly patch: number;
  readonly stride: number;
  readonly qubits: number;
  readonly filters: number;
  readonly layers: number;
  readonly pooling: 'entangle' | 'none';
  readonly seed: number;
  /** Measured qubits per filter. */
  readonly readoutQubits: readonly number[];
  /** Output channels: filters x readout qubits. */
  readonly channels: number;
  /** The random angles of each filter (as built; stored with a model so it can be rebuilt exactly). */
  readonly angles: readonly (readonly number[])[];
}

const MAX_QUANV_QUBITS = 9;

/** Builds a fixed quanvolution layer (deterministic in its options). */
export function quanvLayer(options: QuanvOptions = {}): QuanvLayer {
  const patch = options.patch ?? 2;
  const stride = options.stride ?? patch;
  const filters = options.filters ?? 2;
  const layers = options.layers ?? 2;
  const pooling = options.pooling ?? 'entangle';
  const seed = options.seed ?? 0;
  const qubits = patch * patch;
  if (!Number.isInteger(patch) || patch < 1 || qubits > MAX_QUANV_QUBITS)
    throw validationError(`quanvolution patch side must be 1..3, got ${patch}`);
  if (!Number.isInteger(stride) || stride < 1) throw validationError(`quanvolution stride must be a positive integer, got ${stride}`);
  if (!Number.isInteger(filters) || filters < 1 || filters > 64)
    throw validationError(`quanvolution filters must be 1..64, got ${filters}`);
  if (!Number.isInteger(layers) || layers < 0 || layers > 16) throw validationError(`quanvolution layers must be 0..16, got ${layers}`);
  if (pooling !== 'entangle' && pooling !== 'none')
    throw validationError(`quanvolution pooling must be 'entangle' or 'none', got ${JSON.stringify(pooling)}`);
  const readoutQubits =
    pooling === 'entangle' && qubits > 1
      ? Array.from({ length: qubits >> 1 }, (_, i) => 2 * i)
      : Array.from({ length: qubits }, (_, i) => i);
  const su4 = convBlock('su4');
  const rng = createRng(seed);
  const pairs = ringPairs(qubits);
  const angles = Array.from({ length: filters }, () =>
    Array.from({ length: layers * pairs.length * su4.params }, () => 2 * Math.PI * rng.next()),
  );
  return { patch, stride, qubits, filters, layers, pooling, seed, readoutQubits, channels: filters * readoutQubits.length, angles };
}

function ringPairs(n: number): [number, number][] {
  if (n < 2) return [];
  const pairs: [number, number][] = [];
  for (let i = 0; i + 1 < n; i += 2) pairs.push([i, i + 1]);
  for (let i = 1; i + 1 < n; i += 2) pairs.push([i, i + 1]);
  if (n > 2) pairs.push([n - 1, 0]);
  return pairs;
}

/** Angles of one filter: layers x ring pairs x 15 (one SU(4) block per pair and layer). */
export function quanvFilterParams(layer: Pick<QuanvLayer, 'qubits' | 'layers'>): number {
  return layer.layers * ringPairs(layer.qubits).length * convBlock('su4').params;
}

/**
 * The circuit of filter f: RY(π·x_i) encodings (input symbols x[i], row-major in the patch) unless
 * `encode` is false, the SU(4) layers, then the pooling CNOTs. The angles are the layer's fixed
 * random ones, or with `symbolic` the symbols w[0..P) (a trainable filter).
 */
export function quanvCircuit(layer: QuanvLayer, f: number, options: { encode?: boolean; symbolic?: boolean } = {}): Circuit {
  if (!(f >= 0 && f < layer.filters)) throw validationError(`filter ${f} out of range [0, ${layer.filters})`);
  const b = new CircuitBuilder(layer.qubits, 0, `quanv${f}`);
  if (options.encode ?? true) for (let i = 0; i < layer.qubits; i++) b.ry(scaleAngle(sym(`x[${i}]`), Math.PI), i);
  const su4 = convBlock('su4');
  const a = options.symbolic ? Array.from({ length: quanvFilterParams(layer) }, (_, k) => sym(`w[${k}]`)) : layer.angles[f];
  let k = 0;
  for (let l = 0; l < layer.layers; l++) {
    for (const [p, q] of ringPairs(layer.qubits)) {
      su4.apply(b, a.slice(k, k + su4.params), p, q);
      k += su4.params;
    }
  }
  if (layer.pooling === 'entangle') for (let i = 0; i + 1 < layer.qubits; i += 2) b.cx(i + 1, i);
  return b.build();
}

/** The measured observables of one filter: <Z> of each readout qubit. */
export function quanvObservables(layer: QuanvLayer): PauliSum[] {
  return layer.readoutQubits.map((q) => [pauliTerm({ [q]: 'Z' })]);
}

/** channelForms per layer object: a layer is immutable, and its forms cost O(8^q) to build. */
const formsCache = new WeakMap<QuanvLayer, Float64Array>();

/** Re(V† Z_k V) for every channel: channels x (2^q x 2^q), row-major (built once per layer). */
function channelForms(layer: QuanvLayer): Float64Array {
  let forms = formsCache.get(layer);
  if (!forms) {
    forms = buildChannelForms(layer);
    formsCache.set(layer, forms);
  }
  return forms;
}

function buildChannelForms(layer: QuanvLayer): Float64Array {
  const d = 1 << layer.qubits;
  const R = layer.readoutQubits.length;
  const forms = new Float64Array(layer.channels * d * d);
  for (let f = 0; f < layer.filters; f++)
    filterForms(layer, circuitUnitary(quanvCircuit(layer, f, { encode: false })), forms, f * R * d * d);
  return forms;
}

/**
 * Re(V† Z_q V) of each readout qubit q for one filter's unitary V (interleaved complex, row-major),
 * written at out[at ..] as R consecutive 2^q x 2^q blocks.
 */
export function filterForms(layer: QuanvLayer, v: Float64Array, out: Float64Array, at: number): void {
  const d = 1 << layer.qubits;
  layer.readoutQubits.forEach((q, r) => {
    const base = at + r * d * d;
    // (V† Z V)[i][j] = Σ_m conj(V[m][i]) z_m V[m][j]; its real part is all a real ψ can see.
    for (let i = 0; i < d; i++) {
      for (let j = i; j < d; j++) {
        let re = 0;
        for (let m = 0; m < d; m++) {
          const z = (m >> q) & 1 ? -1 : 1;
          const ar = v[2 * (m * d + i)];
          const ai = v[2 * (m * d + i) + 1];
          const br = v[2 * (m * d + j)];
          const bi = v[2 * (m * d + j) + 1];
          re += z * (ar * br + ai * bi);
        }
        out[base + i * d + j] = re;
        out[base + j * d + i] = re;
      }
    }
  });
}

/** Output grid size along one axis. */
export function quanvOutputSize(layer: QuanvLayer, n: number): number {
  return n < layer.patch ? 0 : Math.floor((n - layer.patch) / layer.stride) + 1;
}

/** Channel values of one patch given its pixels: out[0..channels). Exposed for tests. */
export function quanvPatch(layer: QuanvLayer, pixels: ArrayLike<number>, forms = channelForms(layer)): Float64Array {
  const d = 1 << layer.qubits;
  const psi = productState(layer.qubits, pixels, new Float64Array(d));
  const out = new Float64Array(layer.channels);
  for (let c = 0; c < layer.channels; c++) out[c] = quadratic(forms, c * d * d, psi, d);
  return out;
}

function productState(q: number, px: ArrayLike<number>, psi: Float64Array): Float64Array {
  psi[0] = 1;
  let len = 1;
  for (let i = 0; i < q; i++) {
    const t = (Math.PI * px[i]) / 2;
    const c = Math.cos(t);
    const s = Math.sin(t);
    // Qubit i is bit i: the new upper half is the |1> branch.
    for (let k = 0; k < len; k++) {
      psi[len + k] = s * psi[k];
      psi[k] = c * psi[k];
    }
    len *= 2;
  }
  return psi;
}

function quadratic(forms: Float64Array, base: number, psi: Float64Array, d: number): number {
  let acc = 0;
  for (let i = 0; i < d; i++) {
    let row = 0;
    const rb = base + i * d;
    for (let j = 0; j < d; j++) row += forms[rb + j] * psi[j];
    acc += psi[i] * row;
  }
  return acc;
}

/**
 * The channel forms regrouped for product states. With ψ = ⊗_q (c_q|0> + s_q|1>), every ψ_i ψ_j is a
 * product over qubits of c_q² (both bits 0), s_q² (both 1) or c_q s_q (bits differ), so
 * ψᵀAψ = Σ_t B[t] Π_q g_q[t_q] over the 3^q patterns t, B[t] summing the entries of A of pattern t.
 * The product vector g is shared by every channel: a patch costs 3^q products plus channels x 3^q
 * multiply-adds instead of channels x 4^q (81 + 24·81 instead of 24·256 for 12 filters of 4 qubits).
 */
export function productForms(qubits: number, forms: Float64Array): Float64Array {
  const d = 1 << qubits;
  const T = 3 ** qubits;
  const pattern = patternOf(qubits);
  const channels = forms.length / (d * d);
  const out = new Float64Array(channels * T);
  for (let c = 0; c < channels; c++) for (let k = 0; k < d * d; k++) out[c * T + pattern[k]] += forms[c * d * d + k];
  return out;
}

/** The ternary pattern t of every entry (i, j) of a 2^q x 2^q form; one table per qubit count (a gradient step regroups thousands of forms). */
const patterns = new Map<number, Int32Array>();

function patternOf(q: number): Int32Array {
  let pattern = patterns.get(q);
  if (pattern) return pattern;
  const d = 1 << q;
  pattern = new Int32Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let t = 0;
      for (let b = q - 1; b >= 0; b--) {
        const bi = (i >> b) & 1;
        const bj = (j >> b) & 1;
        t = 3 * t + (bi === bj ? bi : 2);
      }
      pattern[i * d + j] = t;
    }
  }
  patterns.set(q, pattern);
  return pattern;
}

/**
 * Visits every patch of [rows, cols] images in output order: its pixels are copied into px, and the
 * visitor gets the output position (sample-major, then row, then column) and whether any pixel is
 * non-zero (blank patches have known values, so callers skip them).
 */
export function forEachPatch(layer: QuanvLayer, ds: Dataset, px: Float64Array, visit: (position: number, inked: boolean) => void): void {
  const [H, W] = ds.shape;
  const oh = quanvOutputSize(layer, H);
  const ow = quanvOutputSize(layer, W);
  const p = layer.patch;
  const x = ds.x;
  let position = 0;
  for (let s = 0; s < ds.count; s++) {
    for (let r = 0; r < oh; r++) {
      for (let c = 0; c < ow; c++) {
        const at = s * H * W + r * layer.stride * W + c * layer.stride;
        let inked = false;
        for (let i = 0; i < p; i++) {
          for (let j = 0; j < p; j++) {
            const v = x[at + i * W + j];
            px[i * p + j] = v;
            if (v !== 0) inked = true;
          }
        }
        visit(position++, inked);
      }
    }
  }
}

/**
 * g[t] = Π_b (c_b², s_b², c_b s_b)[t_b] for a patch's pixels (c_b, s_b = cos, sin of π·x_b/2), qubit 0
 * the least significant ternary digit: ψψᵀ of the encoded product state in productForms' basis.
 */
export function productVector(q: number, px: ArrayLike<number>, g: Float64Array): void {
  g[0] = 1;
  let len = 1;
  for (let b = 0; b < q; b++) {
    const th = (Math.PI * px[b]) / 2;
    const cs = Math.cos(th);
    const sn = Math.sin(th);
    const c2 = cs * cs;
    const s2 = sn * sn;
    const x = cs * sn;
    for (let k = 0; k < len; k++) {
      const v = g[k];
      g[k] = v * c2;
      g[len + k] = v * s2;
      g[2 * len + k] = v * x;
    }
    len *= 3;
  }
}

/**
 * Applies the layer to [rows, cols] images (pixels in [0, 1]): [rows', cols', channels] feature maps
 * (NHWC order, ready for a tfjs CNN). Blank patches (MNIST's background, most of every image) take
 * a precomputed value.
 */
export function quanvolve(layer: QuanvLayer, ds: Dataset): Dataset {
  return quanvolveForms(layer, productForms(layer.qubits, channelForms(layer)), ds);
}

/** quanvolve() with given product forms B (channels x 3^q), e.g. of a trainable layer's current angles. */
export function quanvolveForms(layer: QuanvLayer, B: Float64Array, ds: Dataset): Dataset {
  if (ds.shape.length !== 2) throw validationError(`quanvolution needs [rows, cols] images, got shape [${ds.shape.join(', ')}]`);
  const [H, W] = ds.shape;
  const oh = quanvOutputSize(layer, H);
  const ow = quanvOutputSize(layer, W);
  if (oh === 0 || ow === 0) throw validationError(`a ${layer.patch}x${layer.patch} patch does not fit ${H}x${W} images`);
  const C = layer.channels;
  const q = layer.qubits;
  const T = 3 ** q;
  if (B.length !== C * T) throw validationError(`product forms for ${B.length / T} channels, the layer has ${C}`);
  const blank = Float64Array.from({ length: C }, (_, k) => B[k * T]);
  const out = new Float32Array(ds.count * oh * ow * C);
  const px = new Float64Array(q);
  const g = new Float64Array(T);
  forEachPatch(layer, ds, px, (at, inked) => {
    const o = at * C;
    if (!inked) {
      for (let k = 0; k < C; k++) out[o + k] = blank[k];
      return;
    }
    productVector(q, px, g);
    for (let k = 0; k < C; k++) {
      let acc = 0;
      const base = k * T;
      for (let t = 0; t < T; t++) acc += B[base + t] * g[t];
      out[o + k] = acc;
    }
  });
  return { x: out, y: ds.y, count: ds.count, shape: [oh, ow, C] };
}
