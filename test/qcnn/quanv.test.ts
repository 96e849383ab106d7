import { describe, expect, it } from 'vitest';
import { createRng, expectationValues, makeDataset } from '../../src/index.js';
import { quanvCircuit, quanvLayer, quanvObservables, quanvolve, quanvOutputSize, quanvPatch } from '../../src/qcnn/quanv.js';

function exactPatch(layer: ReturnType<typeof quanvLayer>, px: number[]): number[] {
  const out: number[] = [];
  for (let f = 0; f < layer.filters; f++) {
    const b: Record<string, number> = {};
    px.forEach((v, i) => (b[`x[${i}]`] = v));
    out.push(...expectationValues(quanvCircuit(layer, f), quanvObservables(layer), b));
  }
  return out;
}

describe('quanvolution layer', () => {
  for (const opts of [{}, { pooling: 'none' as const, filters: 1, layers: 3 }, { patch: 1, filters: 2, layers: 0 }]) {
    it(`fast patch values equal the simulated circuits (${JSON.stringify(opts)})`, () => {
      const layer = quanvLayer(opts);
      const rng = createRng(8);
      for (let t = 0; t < 5; t++) {
        const px = Array.from({ length: layer.qubits }, () => rng.next());
        const fast = quanvPatch(layer, px);
        const slow = exactPatch(layer, px);
        expect(fast.length).toBe(layer.channels);
        for (let k = 0; k < fast.length; k++) expect(fast[k]).toBeCloseTo(slow[k], 10);
      }
    });
  }

  it('entanglement pooling halves the measured qubits; filters multiply the channels', () => {
    expect(quanvLayer().channels).toBe(4);
    expect(quanvLayer({ pooling: 'none' }).channels).toBe(8);
    expect(quanvLayer({ filters: 3 }).readoutQubits).toEqual([0, 2]);
    // After CNOT(1 -> 0) with no filter layers, <Z0> is the pair parity <Z0 Z1> of the encoded state.
    const bare = quanvLayer({ layers: 0, filters: 1 });
    const [z0, z2] = quanvPatch(bare, [0.3, 0.7, 0, 1]);
    expect(z0).toBeCloseTo(Math.cos(0.3 * Math.PI) * Math.cos(0.7 * Math.PI), 12);
    expect(z2).toBeCloseTo(1 * Math.cos(Math.PI), 12);
  });

  it('is deterministic in its seed and maps images to [rows/2, cols/2, channels] maps', () => {
    expect(quanvLayer({ seed: 3 }).angles).toEqual(quanvLayer({ seed: 3 }).angles);
    expect(quanvLayer({ seed: 3 }).angles).not.toEqual(quanvLayer({ seed: 4 }).angles);
    const layer = quanvLayer();
    const rng = createRng(2);
    const img = Float32Array.from({ length: 2 * 6 * 6 }, () => rng.next());
    const out = quanvolve(layer, makeDataset(img, Uint8Array.from([3, 7]), [6, 6]));
    expect(out.shape).toEqual([3, 3, 4]);
    expect(Array.from(out.y)).toEqual([3, 7]);
    // Sample 1, output row 2, column 1 is the patch at rows 4..5, columns 2..3.
    const base = 36;
    const px = [img[base + 4 * 6 + 2], img[base + 4 * 6 + 3], img[base + 5 * 6 + 2], img[base + 5 * 6 + 3]];
    const want = quanvPatch(layer, px);
    for (let c = 0; c < 4; c++) expect(out.x[((1 * 3 + 2) * 3 + 1) * 4 + c]).toBeCloseTo(want[c], 6);
    expect(quanvOutputSize(quanvLayer({ patch: 3, stride: 3 }), 28)).toBe(9);
    expect(() => quanvLayer({ patch: 4 })).toThrow(/patch side must be 1..3/);
    expect(() => quanvolve(layer, makeDataset(new Float32Array(4), new Uint8Array(1), [4]))).toThrow(/needs \[rows, cols\] images/);
  });

  for (const opts of [
    { filters: 3 },
    { patch: 3, filters: 1, layers: 1 },
    { patch: 1, layers: 0 },
    { pooling: 'none' as const, stride: 1 },
  ]) {
    it(`quanvolve's product-state evaluation equals the per-patch quadratic forms everywhere, blank patches included (${JSON.stringify(opts)})`, () => {
      const layer = quanvLayer(opts);
      const rng = createRng(11);
      // Half the pixels blank (as on MNIST), the rest anywhere in [0, 1] including exact 1s.
      const img = Float32Array.from({ length: 2 * 9 * 9 }, () => (rng.next() < 0.5 ? 0 : rng.next() < 0.2 ? 1 : rng.next()));
      const out = quanvolve(layer, makeDataset(img, Uint8Array.from([0, 1]), [9, 9]));
      const [oh, ow, C] = out.shape;
      const p = layer.patch;
      let worst = 0;
      let blanks = 0;
      for (let s = 0; s < 2; s++) {
        for (let r = 0; r < oh; r++) {
          for (let c = 0; c < ow; c++) {
            const px: number[] = [];
            for (let i = 0; i < p; i++)
              for (let j = 0; j < p; j++) px.push(img[s * 81 + (r * layer.stride + i) * 9 + c * layer.stride + j]);
            if (px.every((v) => v === 0)) blanks++;
            const want = quanvPatch(layer, px);
            for (let k = 0; k < C; k++) worst = Math.max(worst, Math.abs(out.x[((s * oh + r) * ow + c) * C + k] - want[k]));
          }
        }
      }
      expect(worst).toBeLessThan(1e-6); // float32 output
      if (p < 3) expect(blanks).toBeGreaterThan(0);
    });
  }
});
