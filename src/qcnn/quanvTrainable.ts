import type { Dataset } from '../data/index.js';
import { validationError } from '../errors.js';
import { unitaryOf, type UnitaryFunction } from '../sim/unitary.js';
import { tf } from '../training/tfjs.js';
import {
  filterForms,
  productForms,
  productVector,
  quanvCircuit,
  quanvFilterParams,
  quanvolveForms,
  quanvOutputSize,
  forEachPatch,
  type QuanvLayer,
} from './quanv.js';

/**
 * A trainable quanvolution: the same patch circuits as quanv.ts, but the filters' SU(4) angles are
 * weights w (filters x P, flattened) learned with the rest of a network.
 *
 * Every channel is ψ(x)ᵀ A_c(w) ψ(x) with A_c = Re(V(w)† Z V(w)), linear in A_c. Every angle sits in
 * one U3 / RY / RZ gate (a rotation whose generator has eigenvalues ±1/2), so the parameter-shift
 * rule is exact on A itself: ∂A/∂w_k = (A(w + π/2 e_k) - A(w - π/2 e_k)) / 2. The gradient of a loss
 * over a whole batch then needs no per-patch circuit runs:
 *   dL/dw_k = Σ_c Σ_t N_c[t] ∂B_c[t]/∂w_k,   N_c[t] = Σ_patches dL/dy_c · g_patch[t],
 * in the 3^q product basis of quanv.ts (B_c = productForms of A_c, g = productVector of a patch):
 * one pass over the batch's patches, plus 2P filter unitaries per filter per step.
 */
export interface TrainableQuanv {
  readonly layer: QuanvLayer;
  /** Angles per filter. */
  readonly params: number;
  /** The layer's random angles, flattened filter by filter: a starting point for training. */
  readonly initial: Float64Array;
}

/** Per filter: its unitary as a function of the angles, and where angle k sits in its parameter order. */
interface FilterUnitary {
  readonly unitary: UnitaryFunction;
  readonly slot: Int32Array;
  readonly count: number;
}

const unitariesCache = new WeakMap<QuanvLayer, FilterUnitary[]>();

function filterUnitaries(layer: QuanvLayer): FilterUnitary[] {
  let u = unitariesCache.get(layer);
  if (!u) {
    u = Array.from({ length: layer.filters }, (_, f) => {
      const c = quanvCircuit(layer, f, { encode: false, symbolic: true });
      const at = new Map(c.parameters.map((name, i) => [name, i]));
      const slot = Int32Array.from({ length: quanvFilterParams(layer) }, (_, k) => at.get(`w[${k}]`) ?? -1);
      return { unitary: unitaryOf(c), slot, count: c.parameters.length };
    });
    unitariesCache.set(layer, u);
  }
  return u;
}

export function trainableQuanv(layer: QuanvLayer): TrainableQuanv {
  const params = quanvFilterParams(layer);
  return { layer, params, initial: Float64Array.from(layer.angles.flat()) };
}

function checkWeights(t: TrainableQuanv, w: ArrayLike<number>): void {
  if (w.length !== t.layer.filters * t.params)
    throw validationError(
      `a trainable quanvolution of ${t.layer.filters} filters x ${t.params} angles needs ${t.layer.filters * t.params} weights, got ${w.length}`,
    );
}

/** Re(V†ZV) blocks of filter f at angles w[f·P .. (f+1)·P) with `shift` added to angle k (k < 0: none). */
function formsOfFilter(t: TrainableQuanv, w: ArrayLike<number>, f: number, k: number, shift: number, out: Float64Array): void {
  const { unitary, slot, count } = filterUnitaries(t.layer)[f];
  const values = new Float64Array(count);
  for (let j = 0; j < t.params; j++) if (slot[j] >= 0) values[slot[j]] = w[f * t.params + j] + (j === k ? shift : 0);
  filterForms(t.layer, unitary(values), out, 0);
}

/** Product forms (channels x 3^q) of every filter at weights w: what quanvolveForms takes. */
export function trainableForms(t: TrainableQuanv, w: ArrayLike<number>): Float64Array {
  checkWeights(t, w);
  const d = 1 << t.layer.qubits;
  const R = t.layer.readoutQubits.length;
  const forms = new Float64Array(t.layer.channels * d * d);
  const one = new Float64Array(R * d * d);
  for (let f = 0; f < t.layer.filters; f++) {
    formsOfFilter(t, w, f, -1, 0, one);
    forms.set(one, f * R * d * d);
  }
  return productForms(t.layer.qubits, forms);
}

/** The feature maps of [rows, cols] images at weights w (as quanvolve() for fixed angles). */
export function trainableQuanvolve(t: TrainableQuanv, w: ArrayLike<number>, ds: Dataset): Dataset {
  return quanvolveForms(t.layer, trainableForms(t, w), ds);
}

/** dL/dw for a batch, given dL/d(maps) in the maps' [count, rows', cols', channels] layout. */
export function trainableQuanvGradient(t: TrainableQuanv, w: ArrayLike<number>, ds: Dataset, dy: ArrayLike<number>): Float64Array {
  checkWeights(t, w);
  const { layer } = t;
  const [H, W] = ds.shape;
  const oh = quanvOutputSize(layer, H);
  const ow = quanvOutputSize(layer, W);
  const C = layer.channels;
  if (dy.length !== ds.count * oh * ow * C)
    throw validationError(`the map gradient has ${dy.length} values, the maps ${ds.count * oh * ow * C}`);
  const q = layer.qubits;
  const T = 3 ** q;
  // N[c][t] = Σ over patches of dy_c · g[t]; a blank patch's g is e_0.
  const N = new Float64Array(C * T);
  const g = new Float64Array(T);
  const px = new Float64Array(q);
  forEachPatch(layer, ds, px, (at, inked) => {
    const o = at * C;
    if (!inked) {
      for (let k = 0; k < C; k++) N[k * T] += dy[o + k];
      return;
    }
    productVector(q, px, g);
    for (let k = 0; k < C; k++) {
      const dk = dy[o + k];
      if (dk === 0) continue;
      const base = k * T;
      for (let u = 0; u < T; u++) N[base + u] += dk * g[u];
    }
  });
  const d = 1 << q;
  const R = layer.readoutQubits.length;
  const P = t.params;
  const grad = new Float64Array(layer.filters * P);
  const plus = new Float64Array(R * d * d);
  const minus = new Float64Array(R * d * d);
  for (let f = 0; f < layer.filters; f++) {
    for (let k = 0; k < P; k++) {
      formsOfFilter(t, w, f, k, Math.PI / 2, plus);
      formsOfFilter(t, w, f, k, -Math.PI / 2, minus);
      const bp = productForms(q, plus);
      const bm = productForms(q, minus);
      let acc = 0;
      for (let r = 0; r < R; r++) {
        const base = (f * R + r) * T;
        for (let u = 0; u < T; u++) acc += N[base + u] * (bp[r * T + u] - bm[r * T + u]);
      }
      grad[f * P + k] = acc / 2;
    }
  }
  return grad;
}

/**
 * The layer as a TensorFlow.js op: images [n, rows, cols] and the weight vector in, maps
 * [n, rows', cols', channels] out, with the weight gradient above (the images get none).
 */
export function trainableQuanvOp(t: TrainableQuanv): (images: tf.Tensor3D, weights: tf.Tensor1D) => tf.Tensor4D {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const images = args[0] as tf.Tensor3D;
    const weights = args[1] as tf.Tensor1D;
    const [n, H, W] = images.shape;
    const ds: Dataset = { x: Float32Array.from(images.dataSync()), y: new Uint8Array(n), count: n, shape: [H, W] };
    const w = Float64Array.from(weights.dataSync());
    const maps = trainableQuanvolve(t, w, ds);
    const [oh, ow, C] = maps.shape;
    const value = tf.tensor4d(maps.x, [n, oh, ow, C]);
    const gradFunc = (dy: tf.Tensor): tf.Tensor[] => {
      const gw = trainableQuanvGradient(t, w, ds, dy.dataSync());
      return [tf.zerosLike(images), tf.tensor1d(Float32Array.from(gw))];
    };
    return { value, gradFunc };
  });
  return (images, weights) => op(images, weights) as tf.Tensor4D;
}
