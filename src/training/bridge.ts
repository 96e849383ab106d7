import { validationError } from '../errors.js';
import { tf } from './tfjs.js';

/**
 * The bridge between an asynchronous quantum computation and tfjs's synchronous autodiff. The
 * quantum values and the Jacobian J (rows x K x P, d<O_k>/dθ_p per row) are computed FIRST (awaited);
 * then, inside the tfjs step, this op returns the values as a [rows, K] tensor whose gradient with
 * respect to θ is the precomputed vector-Jacobian product dθ_p = Σ_{r,k} dy[r,k] J[r,k,p]. Classical
 * layers after it, the loss and the optimiser (Adam) then work as usual.
 */
export function quantumOutput(
  theta: tf.Tensor,
  values: Float64Array,
  jacobian: Float64Array | undefined,
  rows: number,
  K: number,
): tf.Tensor2D {
  const P = theta.size;
  if (values.length !== rows * K) throw validationError(`quantum output: expected ${rows * K} values, got ${values.length}`);
  if (jacobian && jacobian.length !== rows * K * P) {
    throw validationError(`quantum output: expected a ${rows}x${K}x${P} Jacobian, got ${jacobian.length} entries`);
  }
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    void args;
    const value = tf.tensor2d(Float32Array.from(values), [rows, K]);
    const gradFunc = (dy: tf.Tensor): tf.Tensor[] => {
      const d = dy.dataSync();
      const g = new Float64Array(P);
      if (jacobian) {
        for (let i = 0; i < rows * K; i++) {
          const w = d[i];
          if (w === 0) continue;
          const base = i * P;
          for (let p = 0; p < P; p++) g[p] += w * jacobian[base + p];
        }
      }
      return [tf.tensor(Float32Array.from(g), theta.shape)];
    };
    return { value, gradFunc };
  });
  return op(theta) as tf.Tensor2D;
}
