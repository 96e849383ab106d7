import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  SimulatorQuantumFunction,
  accuracy,
  buildModel,
  initHeadWeights,
  loadClasses,
  loadModel,
  predict,
  saveModel,
  trainModel,
  headInputWidth,
  type Dataset,
  type HybridModel,
} from '../../src/index.js';

let model: HybridModel;
let train: Dataset;
let test: Dataset;
const qf = new SimulatorQuantumFunction();
const dir = mkdtempSync(join(tmpdir(), 'qbridge-train-'));

beforeAll(() => {
  const raw = loadClasses([0, 1], { trainLimit: 240, testLimit: 200 });
  ({ model, train, test } = buildModel('qcnn8', { classes: [0, 1] }, raw));
});

describe('trainModel', () => {
  it('a short run on a few hundred images improves test accuracy from its initial weights', async () => {
    const before = await predict(
      model,
      { quantum: Array.from(model.initialWeights(4)), head: initHeadWeights(model.head, headInputWidth(model), 5) },
      test,
      qf,
    );
    const r = await trainModel(model, { train, test }, { epochs: 2, batch: 16, lr: 0.05, seed: 4, quantum: qf });
    expect(r.epochs).toHaveLength(2);
    expect(r.quantumParameters).toBe(51);
    expect(r.classicalParameters).toBe(4);
    expect(r.testAccuracy).toBeGreaterThan(accuracy(before.predictions, test.y) + 0.1);
    expect(r.testAccuracy).toBeGreaterThan(0.9);
    expect(r.epochs[1].loss).toBeLessThan(r.epochs[0].loss);
  });

  it('an interrupted run resumed from its checkpoint ends with the same weights as an uninterrupted one', async () => {
    const o = { epochs: 2, batch: 32, lr: 0.05, seed: 9, quantum: qf };
    const full = await trainModel(model, { train, test }, o);
    const out = join(dir, 'resume');
    const first = await trainModel(model, { train, test }, { ...o, checkpointDir: out, stopAfter: 1 });
    expect(first.epochs).toHaveLength(1);
    const resumed = await trainModel(model, { train, test }, { ...o, checkpointDir: out, resume: true });
    expect(resumed.resumedFrom).toBe(1);
    expect(resumed.epochs).toHaveLength(2);
    expect(resumed.weights.quantum).toEqual(full.weights.quantum);
    expect(resumed.weights.head).toEqual(full.weights.head);
    expect(resumed.epochs[1].testAccuracy).toBe(full.epochs[1].testAccuracy);
  });

  it('refuses to resume with other settings, or without a checkpoint', async () => {
    const out = join(dir, 'resume2');
    await trainModel(model, { train, test }, { epochs: 1, batch: 32, lr: 0.05, seed: 1, quantum: qf, checkpointDir: out });
    await expect(
      trainModel(model, { train, test }, { epochs: 2, batch: 16, lr: 0.05, seed: 1, quantum: qf, checkpointDir: out, resume: true }),
    ).rejects.toThrow(/another model, data set or schedule/);
    await expect(
      trainModel(
        model,
        { train, test },
        { epochs: 2, batch: 16, lr: 0.05, seed: 1, quantum: qf, checkpointDir: join(dir, 'none'), resume: true },
      ),
    ).rejects.toThrow(/nothing to resume/);
    await expect(trainModel(model, { train, test }, { epochs: 1, batch: 0, lr: 0.05, seed: 1, quantum: qf })).rejects.toThrow(/batch size/);
  });
});

describe('model files', () => {
  it('round-trip: a saved model loads and predicts the same classes', async () => {
    const r = await trainModel(model, { train, test }, { epochs: 1, batch: 32, lr: 0.05, seed: 2, quantum: qf });
    const path = join(dir, 'model.json');
    saveModel(path, model, r.weights);
    const loaded = loadModel(path);
    expect(loaded.model.quantum?.weights).toEqual(model.quantum?.weights);
    const a = await predict(model, r.weights, test, qf);
    const b = await predict(loaded.model, loaded.weights, test, qf);
    expect(Array.from(b.predictions)).toEqual(Array.from(a.predictions));
  });

  it('corrupted, foreign-version and tampered files give clear errors naming the file', async () => {
    const r = await trainModel(model, { train, test }, { epochs: 1, batch: 64, lr: 0.05, seed: 2, quantum: qf });
    const path = join(dir, 'm2.json');
    saveModel(path, model, r.weights);
    const doc = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    const write = (name: string, text: string): string => {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    };
    expect(() => loadModel(write('torn.json', readFileSync(path, 'utf8').slice(0, 500)))).toThrow(
      /torn\.json: the model file is corrupted/,
    );
    expect(() => loadModel(write('v9.json', JSON.stringify({ ...doc, version: 9 })))).toThrow(/version 9 is not supported/);
    expect(() => loadModel(write('other.json', JSON.stringify({ format: 'something' })))).toThrow(/not a qbridge model file/);
    const w = { ...(doc.quantumWeights as Record<string, number>) };
    delete w['conv1[0]'];
    expect(() => loadModel(write('noweight.json', JSON.stringify({ ...doc, quantumWeights: w })))).toThrow(/weight 'conv1\[0\]' missing/);
    const circuit = doc.circuit as { ops: unknown[] };
    expect(() => loadModel(write('circ.json', JSON.stringify({ ...doc, circuit: { ...circuit, ops: circuit.ops.slice(1) } })))).toThrow(
      /stored circuit differs/,
    );
    expect(() => loadModel(join(dir, 'missing.json'))).toThrow(/no such model file/);
  });
});
