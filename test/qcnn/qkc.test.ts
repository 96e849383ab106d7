import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMnist, sliceSamples } from '../../src/index.js';
import { buildQkc, classicalFilterBank, loadQkc, predictQkc, qkcFeatures, saveQkc, trainQkc } from '../../src/qcnn/models/qkc.js';
import { cnnParameterCount } from '../../src/qcnn/models/qkcTrain.js';
import { quanvolve } from '../../src/qcnn/quanv.js';

const dir = mkdtempSync(join(tmpdir(), 'qbridge-qkc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const classes = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

describe('qkc', () => {
  it('has the documented shape: 14x14x24 quanvolved maps (12 filters) into a 157,930-parameter CNN', () => {
    const m = buildQkc({ classes });
    expect(m.spec.input).toEqual([14, 14, 24]);
    expect(cnnParameterCount(m.spec)).toBe(3 * 3 * 24 * 32 + 32 + 3 * 3 * 32 * 64 + 64 + 4 * 4 * 64 * 128 + 128 + 128 * 10 + 10);
    expect(cnnParameterCount(m.spec)).toBe(157930);
    expect(buildQkc({ classes, quanv: { filters: 4 } }).spec.input).toEqual([14, 14, 8]);
    expect(buildQkc({ classes, quanv: { filters: 2 } }).spec.input).toEqual([14, 14, 4]);
    expect(m.layer.qubits).toBe(4);
    const b = buildQkc({ classes, filter: 'classical' });
    expect(b.name).toBe('baseline:qkc');
    expect(cnnParameterCount(b.spec)).toBe(cnnParameterCount(m.spec));
    expect(() => buildQkc({ classes, filter: 'other' as never })).toThrow(/filter must be/);
  });

  it('caches the feature maps and the classical baseline bank is a deterministic tanh map', () => {
    const images = loadMnist('test', { limit: 20 });
    const m = buildQkc({ classes });
    const cache = join(dir, 'cache');
    const a = qkcFeatures(m, images, { cacheDir: cache });
    expect(readdirSync(cache).length).toBe(1);
    const b = qkcFeatures(m, images, { cacheDir: cache });
    expect(Array.from(b.x)).toEqual(Array.from(a.x));
    expect(Array.from(a.x)).toEqual(Array.from(quanvolve(m.layer, images).x));
    const c1 = classicalFilterBank(m.layer, images);
    expect(Array.from(classicalFilterBank(m.layer, images).x)).toEqual(Array.from(c1.x));
    expect(c1.shape).toEqual([14, 14, 24]);
    expect(Math.max(...c1.x)).toBeLessThanOrEqual(1);
  });

  it('trains a small instance, resumes to the same weights, and round-trips through its model file', async () => {
    const all = loadMnist('train', { limit: 400 });
    const raw = { train: sliceSamples(all, 0, 300), test: sliceSamples(all, 300, 400) };
    const m = buildQkc({ classes, conv1: 4, conv2: 8, hidden: 16, dropout: 0, shift: 0, quanv: { filters: 2 } });
    const opts = { epochs: 4, batch: 30, lr: 0.01, seed: 2 };
    const full = await trainQkc(m, raw, opts);
    expect(full.epochs.length).toBe(4);
    expect(full.epochs[3].loss).toBeLessThan(full.epochs[0].loss);
    // Chance is 10%; 300 images and 40 steps are enough to be well above it.
    expect(full.testAccuracy).toBeGreaterThan(0.4);
    const ck = join(dir, 'run');
    await trainQkc(m, raw, { ...opts, checkpointDir: ck, stopAfter: 2 });
    const resumed = await trainQkc(m, raw, { ...opts, checkpointDir: ck, resume: true });
    expect(resumed.resumedFrom).toBe(2);
    let worst = 0;
    full.weights.cnn.forEach((a, i) => a.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - resumed.weights.cnn[i][j])))));
    expect(worst).toBeLessThan(1e-5);

    // Shift augmentation is seeded per step: two runs agree exactly, and differ from the unshifted run.
    const aug = buildQkc({ classes, conv1: 4, conv2: 8, hidden: 16, dropout: 0, shift: 1, quanv: { filters: 2 } });
    const a1 = await trainQkc(aug, raw, { ...opts, epochs: 1 });
    const a2 = await trainQkc(aug, raw, { ...opts, epochs: 1 });
    expect(Array.from(a2.weights.cnn[0])).toEqual(Array.from(a1.weights.cnn[0]));
    const plain = await trainQkc(m, raw, { ...opts, epochs: 1 });
    expect(Array.from(plain.weights.cnn[0])).not.toEqual(Array.from(a1.weights.cnn[0]));

    const file = join(dir, 'model.json');
    saveQkc(file, m, full.weights);
    const back = loadQkc(file);
    expect(Array.from(predictQkc(back.model, back.weights, raw.test))).toEqual(Array.from(predictQkc(m, full.weights, raw.test)));
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    // Resolved options are stored, so a later change of a default cannot change what the file rebuilds.
    expect(doc.config.quanv).toEqual({ patch: 2, stride: 2, filters: 2, layers: 2, pooling: 'entangle', seed: 0 });
    expect([doc.config.conv1, doc.config.hidden, doc.config.normalize]).toEqual([4, 16, true]);
    // The channel standardisation fitted on the training maps travels with the model.
    expect(doc.cnn.normalization.mean).toHaveLength(4);
    expect(doc.cnn.normalization.std.every((v: number) => v > 0)).toBe(true);
    writeFileSync(file, JSON.stringify({ ...doc, cnn: { ...doc.cnn, normalization: { mean: [0], std: [1] } } }));
    expect(() => loadQkc(file)).toThrow(/cnn.normalization: channel normalisation must have 4 finite means/);
    doc.quanv.angles[0][0] += 0.1;
    writeFileSync(file, JSON.stringify(doc));
    expect(() => loadQkc(file)).toThrow(/do not match what this qbridge builds/);
    writeFileSync(file, '{"format":"qbridge.model","version":7}');
    expect(() => loadQkc(file)).toThrow(/version 7 is not supported/);
    expect(() => loadQkc(join(dir, 'missing.json'))).toThrow(/cannot read the model file/);
  });
});
