import { describe, expect, it } from 'vitest';
import { createRng, initTfjs, loadMnist, makeDataset, quanvLayer, quanvolve, tf } from '../../src/index.js';
import { trainableQuanv, trainableQuanvGradient, trainableQuanvolve, trainableQuanvOp } from '../../src/qcnn/quanvTrainable.js';

/** Random 8x8 images, about half their pixels blank (as on MNIST). */
function images(count: number, seed: number) {
  const rng = createRng(seed);
  const x = Float32Array.from({ length: count * 64 }, () => (rng.next() < 0.5 ? 0 : rng.next()));
  return makeDataset(x, new Uint8Array(count), [8, 8]);
}

describe('trainable quanvolution', () => {
  const layer = quanvLayer({ filters: 2, layers: 1, seed: 4 });
  const t = trainableQuanv(layer);

  it('at its initial angles it is the fixed layer', () => {
    expect(t.params).toBe(60);
    const ds = images(3, 1);
    const a = trainableQuanvolve(t, t.initial, ds);
    const b = quanvolve(layer, ds);
    let worst = 0;
    for (let i = 0; i < a.x.length; i++) worst = Math.max(worst, Math.abs(a.x[i] - b.x[i]));
    expect(worst).toBeLessThan(1e-6);
    expect(() => trainableQuanvolve(t, new Float64Array(5), ds)).toThrow(/needs 120 weights, got 5/);
  });

  it('the batch gradient (parameter shift on the filter forms) matches central finite differences', () => {
    const ds = images(3, 2);
    const rng = createRng(3);
    const w = Float64Array.from(t.initial, (v) => v + 0.3 * (rng.next() - 0.5));
    const n = trainableQuanvolve(t, w, ds).x.length;
    const dy = Float64Array.from({ length: n }, () => rng.next() - 0.5);
    const loss = (v: Float64Array): number => {
      const m = trainableQuanvolve(t, v, ds).x;
      let s = 0;
      for (let i = 0; i < n; i++) s += dy[i] * m[i];
      return s;
    };
    const g = trainableQuanvGradient(t, w, ds, dy);
    const h = 1e-2;
    let worst = 0;
    let scale = 0;
    for (const k of [0, 7, 29, 59, 60, 88, 119]) {
      const up = Float64Array.from(w);
      const dn = Float64Array.from(w);
      up[k] += h;
      dn[k] -= h;
      // Central-difference error is O(h²) ≈ 1e-5 here (measured 9e-6); float32 maps add ~1e-6.
      const fd = (loss(up) - loss(dn)) / (2 * h);
      worst = Math.max(worst, Math.abs(fd - g[k]));
      scale = Math.max(scale, Math.abs(g[k]));
    }
    expect(scale).toBeGreaterThan(0.05);
    expect(worst).toBeLessThan(1e-4 * Math.max(1, scale));
    expect(() => trainableQuanvGradient(t, w, ds, new Float64Array(3))).toThrow(/map gradient has 3 values/);
  });

  it('trains inside TensorFlow.js: the op feeds its weight gradient to Adam', async () => {
    await initTfjs();
    const ds = loadMnist('train', { limit: 16 });
    const op = trainableQuanvOp(trainableQuanv(quanvLayer({ filters: 1, layers: 1, seed: 2 })));
    const x = tf.tensor3d(ds.x, [16, 28, 28]);
    const w = tf.variable(tf.tensor1d(Float32Array.from(trainableQuanv(quanvLayer({ filters: 1, layers: 1, seed: 2 })).initial)));
    // Objective: drive channel 0 (a pooled parity) towards -1 wherever the patch holds ink.
    const ink = tf.tidy(() => tf.cast(tf.greater(tf.maxPool(tf.reshape(x, [16, 28, 28, 1]) as tf.Tensor4D, 2, 2, 'valid'), 0), 'float32'));
    const lossOf = () =>
      tf.tidy(() => {
        const maps = op(x, w);
        const c0 = tf.slice(maps, [0, 0, 0, 0], [-1, -1, -1, 1]);
        return tf.div(tf.sum(tf.mul(tf.square(tf.add(c0, 1)), ink)), tf.sum(ink)) as tf.Scalar;
      });
    const opt = tf.train.adam(0.05);
    const first = lossOf().dataSync()[0];
    for (let s = 0; s < 30; s++) opt.minimize(lossOf, false, [w]);
    const last = lossOf().dataSync()[0];
    expect(last).toBeLessThan(0.5 * first);
    for (const v of [x, w, ink]) v.dispose();
    opt.dispose();
  });
});
