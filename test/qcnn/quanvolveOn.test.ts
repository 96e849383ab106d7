import { describe, expect, it } from 'vitest';
import { LocalBackend } from '../../backends/local/index.js';
import { Estimator, loadMnist, quanvLayer, quanvolve, quanvolveOn, type EstimatorPub } from '../../src/index.js';

describe('quanvolveOn: the quanvolution measured on a backend', () => {
  const layer = quanvLayer({ filters: 2 });
  const images = loadMnist('test', { limit: 7 });
  const exact = quanvolve(layer, images);

  it('an exact estimator reproduces quanvolve(), one job per group, each filter bound to distinct patches only', async () => {
    const seen: { pubs: number; bindings: number[] }[] = [];
    const est = new Estimator(new LocalBackend());
    const spy = {
      run: (pubs: readonly EstimatorPub[], o?: Parameters<Estimator['run']>[1]) => {
        seen.push({ pubs: pubs.length, bindings: pubs.map((p) => p.bindings?.length ?? 0) });
        return est.run(pubs, o);
      },
    };
    const r = await quanvolveOn(layer, images, spy, { imagesPerJob: 3 });
    expect(r.maps.shape).toEqual(exact.shape);
    let worst = 0;
    for (let i = 0; i < exact.x.length; i++) worst = Math.max(worst, Math.abs(r.maps.x[i] - exact.x[i]));
    expect(worst).toBeLessThan(1e-6);
    // 7 images in groups of 3: 3 jobs, each with one pub per filter over the same distinct patches.
    expect(seen.map((s) => s.pubs)).toEqual([2, 2, 2]);
    const positions = [3, 3, 1].map((n) => n * 14 * 14);
    seen.forEach((s, g) => {
      expect(s.bindings[0]).toBe(s.bindings[1]);
      // MNIST is mostly blank: far fewer distinct patches than positions.
      expect(s.bindings[0]).toBeLessThan(positions[g] / 2);
    });
    expect(r.patches).toBe(seen.reduce((a, s) => a + s.bindings[0], 0));
  });

  it('with shots every channel lands within 5 standard errors of the exact value', async () => {
    const shots = 400;
    const r = await quanvolveOn(layer, images, new Estimator(new LocalBackend(), { seed: 3 }), { shots, seed: 5, imagesPerJob: 4 });
    expect(r.jobs).toBe(2);
    expect(r.shots).toBe(r.patches * layer.filters * shots);
    let worstZ = 0;
    for (let i = 0; i < exact.x.length; i++) {
      // <Z> from `shots` samples: SE = sqrt((1 - <Z>^2) / shots); floor it so exact ±1 values do not divide by 0.
      const se = Math.max(Math.sqrt((1 - exact.x[i] ** 2) / shots), 1e-3);
      worstZ = Math.max(worstZ, Math.abs(r.maps.x[i] - exact.x[i]) / se);
    }
    // 7 x 196 x 4 = 5,488 values; 5 SE is exceeded with probability ~3e-3 over all of them.
    expect(worstZ).toBeLessThan(5);
  });

  it('refuses what it cannot run', async () => {
    const est = new Estimator(new LocalBackend());
    await expect(quanvolveOn(layer, images, est, { imagesPerJob: 0 })).rejects.toThrow(/imagesPerJob must be a positive integer/);
    const flat = { ...images, shape: [784] };
    await expect(quanvolveOn(layer, flat, est)).rejects.toThrow(/needs \[rows, cols\] images/);
  });
});
