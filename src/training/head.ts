import { validationError } from '../errors.js';
import type { HeadLayer, HeadSpec } from '../qcnn/model.js';
import { createRng } from '../sim/rng.js';
import { tf } from './tfjs.js';

/** Parameter arrays of each head layer: dense -> [kernel (in x units, row-major), bias]; scale -> [a, b]. */
export type HeadWeights = number[][];

/** Input and output widths of each layer for a head reading `inputs` values. */
export function headShapes(spec: HeadSpec, inputs: number): { in: number; out: number }[] {
  let width = inputs;
  return spec.layers.map((l) => {
    const w = width;
    width = l.kind === 'dense' ? l.units : width;
    return { in: w, out: width };
  });
}

export function headParameterCount(spec: HeadSpec, inputs: number): number {
  const shapes = headShapes(spec, inputs);
  return spec.layers.reduce((acc, l, i) => acc + (l.kind === 'dense' ? (shapes[i].in + 1) * shapes[i].out : 2 * shapes[i].in), 0);
}

/** Glorot-uniform kernels and zero biases from a seed (tfjs's own initialisers are seeded per call; this is one stream). */
export function initHeadWeights(spec: HeadSpec, inputs: number, seed: number): HeadWeights {
  const rng = createRng(seed);
  const shapes = headShapes(spec, inputs);
  const out: HeadWeights = [];
  spec.layers.forEach((l: HeadLayer, i) => {
    const { in: a, out: b } = shapes[i];
    if (l.kind === 'dense') {
      const limit = Math.sqrt(6 / (a + b));
      out.push(Array.from({ length: a * b }, () => (2 * rng.next() - 1) * limit));
      out.push(new Array<number>(b).fill(0));
    } else {
      out.push(new Array<number>(a).fill(1));
      out.push(new Array<number>(a).fill(0));
    }
  });
  return out;
}

/** Checks saved head weights against a spec (a corrupted model file must fail here, clearly). */
export function checkHeadWeights(spec: HeadSpec, inputs: number, w: unknown): HeadWeights {
  const shapes = headShapes(spec, inputs);
  const want: number[] = [];
  spec.layers.forEach((l, i) => {
    if (l.kind === 'dense') want.push(shapes[i].in * shapes[i].out, shapes[i].out);
    else want.push(shapes[i].in, shapes[i].in);
  });
  if (!Array.isArray(w) || w.length !== want.length) throw validationError(`head weights: expected ${want.length} arrays`);
  w.forEach((arr: unknown, i) => {
    if (!Array.isArray(arr) || arr.length !== want[i] || !arr.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      throw validationError(`head weights: array ${i} must hold ${want[i]} finite numbers`);
    }
  });
  return w as HeadWeights;
}

/** The head as tfjs variables plus its forward pass. */
export class Head {
  readonly variables: tf.Variable[];
  private readonly shapes: { in: number; out: number }[];

  constructor(
    readonly spec: HeadSpec,
    readonly inputs: number,
    weights: HeadWeights,
  ) {
    this.shapes = headShapes(spec, inputs);
    checkHeadWeights(spec, inputs, weights);
    this.variables = [];
    spec.layers.forEach((l, i) => {
      const { in: a, out: b } = this.shapes[i];
      if (l.kind === 'dense') {
        this.variables.push(tf.variable(tf.tensor2d(weights[2 * i], [a, b]), true));
        this.variables.push(tf.variable(tf.tensor1d(weights[2 * i + 1]), true));
      } else {
        this.variables.push(tf.variable(tf.tensor1d(weights[2 * i]), true));
        this.variables.push(tf.variable(tf.tensor1d(weights[2 * i + 1]), true));
      }
    });
  }

  get parameterCount(): number {
    return headParameterCount(this.spec, this.inputs);
  }

  /** Logits for a [batch, inputs] tensor. */
  apply(x: tf.Tensor2D): tf.Tensor2D {
    let h: tf.Tensor2D = x;
    this.spec.layers.forEach((l, i) => {
      const v0 = this.variables[2 * i];
      const v1 = this.variables[2 * i + 1];
      if (l.kind === 'scale') {
        h = tf.add(tf.mul(h, v0), v1);
        return;
      }
      h = tf.add(tf.matMul(h, v0 as tf.Tensor2D), v1);
      if (l.activation === 'relu') h = tf.relu(h);
      else if (l.activation === 'tanh') h = tf.tanh(h);
      else if (l.activation === 'sigmoid') h = tf.sigmoid(h);
    });
    return h;
  }

  weights(): HeadWeights {
    return this.variables.map((v) => Array.from(v.dataSync()));
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
