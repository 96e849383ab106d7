import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/index.js';
import { conv2d, conv2dFilterGrad, im2col } from '../../src/training/conv2d.js';
import { initTfjs, tf } from '../../src/training/tfjs.js';

let backend = '';
beforeAll(async () => {
  backend = await initTfjs();
});

function randomTensor(shape: number[], seed: number): tf.Tensor {
  const rng = createRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: n }, () => rng.normal()),
    shape,
  );
}

/** L(x, f) = Σ conv(x, f) ⊙ R: bilinear, so central differences are exact up to float32 rounding. */
function lossOf(x: tf.Tensor4D, f: tf.Tensor4D, r: tf.Tensor, padding: 'same' | 'valid'): number {
  return tf.tidy(() => tf.sum(tf.mul(tf.conv2d(x, f, 1, padding), r)).dataSync()[0]);
}

describe('custom-gradient conv2d', () => {
  for (const [kh, kw, padding, method] of [
    [3, 3, 'same', 'conv'],
    [3, 3, 'same', 'im2col'],
    [2, 2, 'same', 'conv'],
    [2, 2, 'same', 'im2col'],
    [3, 2, 'valid', 'conv'],
    [5, 5, 'valid', 'im2col'],
  ] as const) {
    it(`${kh}x${kw} ${padding}, filter gradient by ${method}: forward equals tf.conv2d; gradients match finite differences`, () => {
      const x = randomTensor([2, 5, 6, 3], 1) as tf.Tensor4D;
      const f = randomTensor([kh, kw, 3, 4], 2) as tf.Tensor4D;
      const y = conv2d(x, f, padding, method);
      const ref = tf.conv2d(x, f, 1, padding);
      expect(y.shape).toEqual(ref.shape);
      const diff = tf.max(tf.abs(tf.sub(y, ref))).dataSync()[0];
      expect(diff).toBeLessThan(1e-5);
      const r = randomTensor(y.shape, 3);
      const [gx, gf] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(conv2d(a as tf.Tensor4D, b as tf.Tensor4D, padding, method), r)),
      )([x, f]);
      const gxd = gx.dataSync();
      const gfd = gf.dataSync();
      const h = 0.5;
      // Every filter entry, and a spread of input entries (corners and edges included).
      const fd = (t: tf.Tensor, i: number, which: 'x' | 'f'): number => {
        const v = t.dataSync().slice();
        v[i] += h;
        const up = tf.tensor(v, t.shape);
        v[i] -= 2 * h;
        const dn = tf.tensor(v, t.shape);
        const lu = which === 'x' ? lossOf(up as tf.Tensor4D, f, r, padding) : lossOf(x, up as tf.Tensor4D, r, padding);
        const ld = which === 'x' ? lossOf(dn as tf.Tensor4D, f, r, padding) : lossOf(x, dn as tf.Tensor4D, r, padding);
        up.dispose();
        dn.dispose();
        return (lu - ld) / (2 * h);
      };
      let worst = 0;
      for (let i = 0; i < f.size; i++) worst = Math.max(worst, Math.abs(fd(f, i, 'f') - gfd[i]));
      for (let i = 0; i < x.size; i += 7) worst = Math.max(worst, Math.abs(fd(x, i, 'x') - gxd[i]));
      expect(worst).toBeLessThan(2e-3);
    });
  }

  it('im2col lays out patches as (row, column, channel); both filter-gradient forms give im2colᵀ·dy', () => {
    const x = tf.tensor4d(
      Float32Array.from({ length: 9 }, (_, i) => i + 1),
      [1, 3, 3, 1],
    );
    const p = im2col(x, 2, 2, 'valid');
    expect(p.shape).toEqual([1, 2, 2, 4]);
    // Top-left patch: x[0,0], x[0,1], x[1,0], x[1,1].
    expect(Array.from(p.dataSync().slice(0, 4))).toEqual([1, 2, 4, 5]);
    const dy = tf.tensor4d([1, 0, 0, 2], [1, 2, 2, 1]);
    // dW[i,j] = 1 * x[i, j] + 2 * x[1+i, 1+j].
    for (const method of ['im2col', 'conv'] as const) {
      expect(Array.from(conv2dFilterGrad(x, dy, 2, 2, 'valid', method).dataSync())).toEqual([1 + 2 * 5, 2 + 2 * 6, 4 + 2 * 8, 5 + 2 * 9]);
    }
  });

  it('trains where the built-in gradient is missing (the active backend is reported)', () => {
    expect(['wasm', 'cpu', 'tensorflow']).toContain(backend);
    const x = randomTensor([4, 6, 6, 2], 9) as tf.Tensor4D;
    const target = tf.conv2d(x, randomTensor([3, 3, 2, 3], 10) as tf.Tensor4D, 1, 'same');
    const f = tf.variable(tf.zeros([3, 3, 2, 3]));
    const opt = tf.train.adam(0.1);
    const loss = () => tf.mean(tf.square(tf.sub(conv2d(x, f as unknown as tf.Tensor4D, 'same'), target))) as tf.Scalar;
    const first = loss().dataSync()[0];
    for (let i = 0; i < 150; i++) opt.minimize(loss);
    expect(loss().dataSync()[0]).toBeLessThan(first * 0.01);
  });
});
