import { validationError } from '../errors.js';
import { tf } from './tfjs.js';

/**
 * A 2-D convolution (NHWC input, [kh, kw, in, out] filter, stride 1) whose gradients tfjs can
 * compute on every backend. The wasm backend has no Conv2DBackpropFilter kernel, and the cpu one
 * takes most of a training step in it (shared/research/ecosystem.md §1), so the filter gradient is
 * written here. The identity is
 *
 *   dW[(i, j, c), o] = Σ_{b, y, x} xpad[b, y + i, x + j, c] · dy[b, y, x, o]
 *                    = (patches of x)ᵀ · dy,   patches: [B·H'·W', kh·kw·in]   (im2col + matMul)
 *
 * and the same sum is a VALID convolution of xpad with the batch axis taken as channels
 * (input [in, H+p, W+p, B], filter dy as [H', W', B, out], output [in, kh, kw, out]). Both are
 * implemented; 'conv' is the default because XNNPACK runs it 2.5-4x faster than slicing and
 * concatenating nine shifted copies for im2col (bench on 128 x 14 x 14 x 4 and 128 x 7 x 7 x 32).
 *
 * The forward pass stays tfjs's own conv2d (XNNPACK on wasm). The input gradient is also a plain
 * forward conv2d (of dy, re-padded, with the spatially flipped filter), because on wasm that runs
 * about 3.5x faster than conv2dTranspose; and no matMul here uses tfjs's transpose flags, which on
 * wasm are about 7x slower than transposing explicitly first (measured on this project's 2-core box).
 */

export type ConvPadding = 'same' | 'valid';

/** Zero padding (top, bottom, left, right) that 'same' needs for a kh x kw kernel at stride 1 (TensorFlow's split). */
function samePads(kh: number, kw: number): [number, number, number, number] {
  const ph = kh - 1;
  const pw = kw - 1;
  return [Math.floor(ph / 2), ph - Math.floor(ph / 2), Math.floor(pw / 2), pw - Math.floor(pw / 2)];
}

/** im2col: [B, H', W', kh·kw·C] patches of x (padded as the convolution pads it), column order (i, j, c). */
export function im2col(x: tf.Tensor4D, kh: number, kw: number, padding: ConvPadding): tf.Tensor4D {
  return tf.tidy(() => {
    const [, H, W] = x.shape;
    let xp = x;
    if (padding === 'same') {
      const [t, b, l, r] = samePads(kh, kw);
      xp = tf.pad(x, [
        [0, 0],
        [t, b],
        [l, r],
        [0, 0],
      ]);
    }
    const oh = padding === 'same' ? H : H - kh + 1;
    const ow = padding === 'same' ? W : W - kw + 1;
    if (oh <= 0 || ow <= 0) throw validationError(`conv2d: a ${kh}x${kw} kernel does not fit a ${H}x${W} input without padding`);
    const cols: tf.Tensor4D[] = [];
    for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) cols.push(tf.slice(xp, [0, i, j, 0], [-1, oh, ow, -1]));
    return cols.length === 1 ? cols[0] : tf.concat(cols, 3);
  });
}

export type FilterGradMethod = 'conv' | 'im2col';

/** Filter gradient dW, shaped [kh, kw, in, out], by either form of the identity above. */
export function conv2dFilterGrad(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  kh: number,
  kw: number,
  padding: ConvPadding,
  method: FilterGradMethod = 'conv',
): tf.Tensor4D {
  return tf.tidy(() => {
    const cin = x.shape[3];
    const cout = dy.shape[3];
    if (method === 'conv') {
      let xp = x;
      if (padding === 'same') {
        const [t, b, l, r] = samePads(kh, kw);
        xp = tf.pad(x, [
          [0, 0],
          [t, b],
          [l, r],
          [0, 0],
        ]);
      }
      const xt = tf.transpose(xp, [3, 1, 2, 0]) as tf.Tensor4D;
      const ft = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D;
      return tf.transpose(tf.conv2d(xt, ft, 1, 'valid'), [1, 2, 0, 3]) as tf.Tensor4D;
    }
    const patches = im2col(x, kh, kw, padding);
    const rows = patches.shape[0] * patches.shape[1] * patches.shape[2];
    const p2 = tf.reshape(patches, [rows, kh * kw * cin]) as tf.Tensor2D;
    // dy is the narrow operand (cout columns): transposing it is the cheap way round.
    const dyT = tf.transpose(tf.reshape(dy, [rows, cout])) as tf.Tensor2D;
    return tf.reshape(tf.transpose(tf.matMul(dyT, p2)), [kh, kw, cin, cout]) as tf.Tensor4D;
  });
}

/** Input gradient: dy re-padded by (k - 1 - forward pad) per side, correlated with the flipped filter. */
export function conv2dInputGrad(dy: tf.Tensor4D, filter: tf.Tensor4D, padding: ConvPadding): tf.Tensor4D {
  return tf.tidy(() => {
    const [kh, kw] = filter.shape;
    const [t, b, l, r] = padding === 'same' ? samePads(kh, kw) : [0, 0, 0, 0];
    const padded = tf.pad(dy, [
      [0, 0],
      [kh - 1 - t, kh - 1 - b],
      [kw - 1 - l, kw - 1 - r],
      [0, 0],
    ]);
    const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
    return tf.conv2d(padded as tf.Tensor4D, flipped, 1, 'valid');
  });
}

/** conv2d(x, filter) at stride 1 with gradients for both arguments on every tfjs backend. */
export function conv2d(x: tf.Tensor4D, filter: tf.Tensor4D, padding: ConvPadding = 'same', method: FilterGradMethod = 'conv'): tf.Tensor4D {
  if (x.rank !== 4 || filter.rank !== 4)
    throw validationError('conv2d: input must be [batch, height, width, channels] and filter [kh, kw, in, out]');
  if (x.shape[3] !== filter.shape[2]) {
    throw validationError(`conv2d: input has ${x.shape[3]} channels, filter expects ${filter.shape[2]}`);
  }
  const [kh, kw] = filter.shape;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xi, f, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    save([xi, f]);
    const value = tf.conv2d(xi, f, 1, padding);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [xs, fs] = saved as [tf.Tensor4D, tf.Tensor4D];
      const dy4 = dy as tf.Tensor4D;
      const dx = conv2dInputGrad(dy4, fs, padding);
      const df = conv2dFilterGrad(xs, dy4, kh, kw, padding, method);
      return [dx, df];
    };
    return { value, gradFunc };
  });
  return op(x, filter) as tf.Tensor4D;
}
