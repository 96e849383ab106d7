import { validationError } from '../errors.js';
import type { CircuitBuilder } from '../ir/builder.js';
import { sym, type Angle, type ParamExpr } from '../ir/params.js';

/**
 * Data encoders. Each one appends gates whose angles are INPUT symbols (`x[0]`, ...), so one
 * parametric circuit serves every sample: a sample is a binding, and a minibatch of samples with
 * all their shifted weight bindings travels to a backend as one job. `inputValues` maps a feature
 * vector to the values of those symbols.
 */
export interface Encoder {
  readonly name: string;
  readonly numQubits: number;
  /** Features a sample must supply. */
  readonly features: number;
  /** Input symbols, in the order `inputValues` writes them. */
  readonly inputs: readonly string[];
  /** Appends the encoding on qubits 0..numQubits-1. */
  apply(b: CircuitBuilder): void;
  /** Values of `inputs` for one feature vector, written at `out[offset...]`. */
  inputValues(x: ArrayLike<number>, out: Float64Array, offset?: number): void;
  /**
   * Simulator shortcut for state-preparation encoders: the state the encoding prepares, computed
   * directly from the input values (interleaved re/im). The encoding is fixed data, so a simulator
   * may start from this state instead of simulating the preparation gates.
   */
  state?(inputs: ArrayLike<number>, offset?: number): Float64Array;
  /** Number of leading gates `apply` appends (what `state` replaces). */
  readonly gateCount: number;
}

function checkFeatures(name: string, x: ArrayLike<number>, want: number): void {
  if (x.length < want) throw validationError(`${name} encoding needs ${want} features per sample, got ${x.length}`);
}

function inputNames(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}[${i}]`);
}

/** One feature per qubit as a rotation angle: RY(x_i) on qubit i (or RX). Features are radians. */
export function angleEncoder(numQubits: number, options: { gate?: 'ry' | 'rx'; prefix?: string } = {}): Encoder {
  const gate = options.gate ?? 'ry';
  const inputs = inputNames(options.prefix ?? 'x', numQubits);
  return {
    name: 'angle',
    numQubits,
    features: numQubits,
    inputs,
    gateCount: numQubits,
    apply(b) {
      for (let q = 0; q < numQubits; q++) b.gate(gate, [q], [sym(inputs[q])]);
    },
    inputValues(x, out, offset = 0) {
      checkFeatures('angle', x, numQubits);
      for (let q = 0; q < numQubits; q++) out[offset + q] = x[q];
    },
  };
}

/** Two features per qubit: RX(x_2i) then RY(x_2i+1) on qubit i (Hur-Kim-Park "dense" encoding). */
export function denseAngleEncoder(numQubits: number, options: { prefix?: string } = {}): Encoder {
  const inputs = inputNames(options.prefix ?? 'x', 2 * numQubits);
  return {
    name: 'dense-angle',
    numQubits,
    features: 2 * numQubits,
    inputs,
    gateCount: 2 * numQubits,
    apply(b) {
      for (let q = 0; q < numQubits; q++) b.rx(sym(inputs[2 * q]), q).ry(sym(inputs[2 * q + 1]), q);
    },
    inputValues(x, out, offset = 0) {
      checkFeatures('dense-angle', x, 2 * numQubits);
      for (let i = 0; i < 2 * numQubits; i++) out[offset + i] = x[i];
    },
  };
}

function popcount(x: number): number {
  let c = 0;
  for (; x; x &= x - 1) c++;
  return c;
}

/**
 * Amplitude encoding of 2^n real values into n qubits: |ψ> = Σ_i x_i |i> / |x| (qubit 0 least
 * significant). The preparation is Möttönen et al.'s (quant-ph/0407010) cascade of uniformly
 * controlled RY rotations, target qubit n-1 first, each decomposed exactly into 2^k RY and 2^k CNOT
 * gates along a Gray code. The input symbols are the binary tree's angles α (2^n - 1 of them, level
 * by level); each RY angle is a fixed ±1/2^k combination of them, an affine expression, so the
 * circuit stays parametric in the data and runs on any gate-model backend. Real amplitudes of either
 * sign are exact (the leaves use atan2 of signed pairs).
 */
export function amplitudeEncoder(numQubits: number, options: { prefix?: string } = {}): Encoder {
  const n = numQubits;
  const N = 1 << n;
  const inputs = inputNames(options.prefix ?? 'a', N - 1);
  // Level k (target qubit n-1-k) has 2^k tree angles, at offset 2^k - 1.
  return {
    name: 'amplitude',
    numQubits: n,
    features: N,
    inputs,
    gateCount: n === 0 ? 0 : 1 + 2 * (N - 2),
    apply(b) {
      for (let k = 0; k < n; k++) {
        const target = n - 1 - k;
        const base = (1 << k) - 1;
        if (k === 0) {
          b.ry(sym(inputs[0]), target);
          continue;
        }
        const M = 1 << k;
        // Control c_j is qubit target+1+j; the control value m has bit j = qubit target+1+j.
        for (let j = 0; j < M; j++) {
          const gray = j ^ (j >> 1);
          const terms = Array.from({ length: M }, (_, m) => ({
            name: inputs[base + m],
            coeff: (popcount(m & gray) & 1 ? -1 : 1) / M,
          }));
          const angle: ParamExpr = { terms, offset: 0 };
          b.ry(angle as Angle, target);
          // The control bit that flips between gray(j) and gray(j+1); the last CNOT closes the cycle.
          const bit = j === M - 1 ? k - 1 : Math.log2((j + 1) & -(j + 1));
          b.cx(target + 1 + bit, target);
        }
      }
    },
    inputValues(x, out, offset = 0) {
      checkFeatures('amplitude', x, N);
      // Subtree norms, bottom-up. At level k (target qubit t = n-1-k) node m is the value of the
      // qubits above t (m = i >> (t+1)); its children one level down are 2m (bit t = 0) and 2m+1.
      let norms = Float64Array.from({ length: N }, (_, i) => Math.abs(x[i]));
      let total = 0;
      for (let i = 0; i < N; i++) total += x[i] * x[i];
      if (!(total > 0)) throw validationError('amplitude encoding needs a feature vector that is not all zeros');
      for (let k = n - 1; k >= 0; k--) {
        const M = 1 << k;
        const next = new Float64Array(M);
        for (let m = 0; m < M; m++) {
          const lo = norms[2 * m];
          const hi = norms[2 * m + 1];
          // Leaves keep their signs, so real amplitudes of either sign are exact.
          out[offset + M - 1 + m] = k === n - 1 ? 2 * Math.atan2(x[2 * m + 1], x[2 * m]) : 2 * Math.atan2(hi, lo);
          next[m] = Math.hypot(lo, hi);
        }
        norms = next;
      }
    },
    state(a, offset = 0) {
      const s = new Float64Array(2 * N);
      for (let i = 0; i < N; i++) {
        let amp = 1;
        for (let k = 0; k < n; k++) {
          const target = n - 1 - k;
          // Control value: the bits of the qubits above the target.
          const m = i >> (target + 1);
          const theta = a[offset + (1 << k) - 1 + m];
          amp *= (i >> target) & 1 ? Math.sin(theta / 2) : Math.cos(theta / 2);
        }
        s[2 * i] = amp;
      }
      return s;
    },
  };
}

/**
 * Data re-uploading (Pérez-Salinas et al., Quantum 4, 226 (2020)): the encoding is applied again
 * before each of `repeats` variational layers, so the data enters the circuit several times and the
 * model's output is a higher-degree Fourier series in the features. The same input symbols are
 * reused (one sample is still one binding); `layer(b, r)` appends variational layer r.
 */
export function reupload(b: CircuitBuilder, encoder: Encoder, repeats: number, layer: (b: CircuitBuilder, r: number) => void): void {
  if (!(Number.isInteger(repeats) && repeats >= 1))
    throw validationError(`re-uploading needs a positive number of repeats, got ${repeats}`);
  if (encoder.state) throw validationError(`the ${encoder.name} encoder prepares a state from |0>; it cannot be re-uploaded mid-circuit`);
  for (let r = 0; r < repeats; r++) {
    encoder.apply(b);
    layer(b, r);
  }
}
