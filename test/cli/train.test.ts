import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../cli/main.js';
import { encodeIdx, filterClasses, loadMnist } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'qbridge-cli-train-'));
const data = join(dir, 'mnist');

/** A small MNIST directory holding digits 0 and 1 only (so class 2 is "not in the data"). */
function writeSubset(split: 'train' | 'test', stem: string, count: number): void {
  const ds = filterClasses(loadMnist(split, { limit: 6 * count }), [0, 1], { relabel: false });
  const n = Math.min(count, ds.count);
  const img = new Uint8Array(n * 784);
  for (let i = 0; i < img.length; i++) img[i] = Math.round(ds.x[i] * 255);
  writeFileSync(join(data, `${stem}-images-idx3-ubyte`), encodeIdx([n, 28, 28], img));
  writeFileSync(join(data, `${stem}-labels-idx1-ubyte`), encodeIdx([n], ds.y.slice(0, n)));
}

let out = '';
let err = '';
beforeAll(() => {
  mkdirSync(data, { recursive: true });
  writeSubset('train', 'train', 160);
  writeSubset('test', 't10k', 60);
});
beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    err += String(s);
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

const cli = (...args: string[]) => runCli(['node', 'qbridge', ...args]);
const run = join(dir, 'run');

describe('qbridge train / evaluate', () => {
  it('trains and writes model.json and metrics.json in the documented shape', async () => {
    expect(await cli('train', '--data', data, '--epochs', '2', '--batch', '16', '--out', run, '--no-noisy-eval', '--baseline')).toBe(0);
    const m = JSON.parse(readFileSync(join(run, 'metrics.json'), 'utf8')) as Record<string, unknown>;
    for (const k of ['model', 'classes', 'epochs', 'testAccuracy', 'seconds', 'quantumParameters', 'classicalParameters'])
      expect(m).toHaveProperty(k);
    expect(m.model).toBe('qcnn8');
    expect(m.classes).toEqual([0, 1]);
    expect(m.quantumParameters).toBe(51);
    expect(m.classicalParameters).toBe(4);
    const epochs = m.epochs as Record<string, number>[];
    expect(epochs).toHaveLength(2);
    for (const e of epochs) for (const k of ['loss', 'trainAccuracy', 'testAccuracy', 'seconds']) expect(typeof e[k]).toBe('number');
    expect(m.testAccuracy).toBe(epochs[1].testAccuracy);
    expect((m.baseline as { parameters: number }).parameters).toBeGreaterThan(40);
    expect(out).toMatch(/qcnn8 \(0 vs 1\): test accuracy/);
    expect(err).toMatch(/baseline: classical MLP 8->5->2 \(57 parameters\)/);
    const doc = JSON.parse(readFileSync(join(run, 'model.json'), 'utf8')) as Record<string, unknown>;
    expect(doc.format).toBe('qbridge.model');
    expect(doc.version).toBe(1);
  });

  it('evaluate reports accuracy and the confusion matrix; with shots it counts jobs and shots', async () => {
    expect(await cli('evaluate', '--model', run, '--data', data, '--json')).toBe(0);
    const r = JSON.parse(out) as { testAccuracy: number; confusion: number[][]; jobs: number; samples: number };
    expect(r.samples).toBe(60);
    expect(r.confusion.flat().reduce((a, b) => a + b, 0)).toBe(60);
    expect(r.jobs).toBe(0);
    out = '';
    expect(await cli('evaluate', '--model', run, '--data', data, '--shots', '500', '--limit', '6', '--json')).toBe(0);
    const s = JSON.parse(out) as { jobs: number; shots: number; samples: number };
    expect(s.samples).toBe(6);
    expect(s.jobs).toBe(1);
    expect(s.shots).toBe(6 * 500);
  });

  it('resume picks the run up from its checkpoint; other settings are refused', async () => {
    // The run finished both epochs: resuming it trains nothing more and reports the same metrics.
    const before = JSON.parse(readFileSync(join(run, 'metrics.json'), 'utf8')) as { epochs: unknown[]; testAccuracy: number };
    expect(
      await cli('train', '--data', data, '--epochs', '2', '--batch', '16', '--out', run, '--no-noisy-eval', '--resume', '--json'),
    ).toBe(0);
    const m = JSON.parse(out) as { epochs: unknown[]; testAccuracy: number };
    expect(m.epochs).toEqual(before.epochs);
    expect(m.testAccuracy).toBe(before.testAccuracy);
    expect(await cli('train', '--data', data, '--epochs', '2', '--batch', '8', '--out', run, '--no-noisy-eval', '--resume')).toBe(2);
    expect(err).toMatch(/written for another model, data set or schedule/);
  });

  it('qkc: train --baseline, then evaluate exactly, on a noisy device with shots (jobs counted), and the baseline only classically', async () => {
    const q = join(dir, 'qkc');
    expect(
      await cli('train', '--model', 'qkc', '--classes', '0,1', '--data', data, '--epochs', '1', '--batch', '16', '--out', q, '--baseline'),
    ).toBe(0);
    expect(err).toMatch(/baseline: the same CNN after a random classical tanh filter bank/);
    out = '';
    expect(await cli('evaluate', '--model', q, '--data', data, '--json')).toBe(0);
    const r = JSON.parse(out) as { model: string; samples: number; jobs: number; confusion: number[][]; testAccuracy: number };
    expect(r.model).toBe('qkc');
    expect(r.samples).toBe(60);
    expect(r.jobs).toBe(0);
    expect(r.confusion.flat().reduce((a, b) => a + b, 0)).toBe(60);
    const metrics = JSON.parse(readFileSync(join(q, 'metrics.json'), 'utf8')) as { testAccuracy: number };
    // The exact evaluation is the training run's own last test measurement.
    expect(r.testAccuracy).toBe(metrics.testAccuracy);
    out = '';
    expect(
      await cli('evaluate', '--model', q, '--data', data, '--backend', 'local:noisy=ibm_heron', '--shots', '100', '--limit', '6', '--json'),
    ).toBe(0);
    const n = JSON.parse(out) as { samples: number; jobs: number; shots: number; exact: boolean };
    expect(n.samples).toBe(6);
    expect(n.jobs).toBe(1);
    expect(n.shots).toBeGreaterThan(0);
    expect(n.shots % 100).toBe(0);
    expect(n.exact).toBe(false);
    expect(await cli('evaluate', '--model', join(q, 'baseline.json'), '--data', data, '--backend', 'local:noisy=ibm_heron')).toBe(2);
    expect(err).toMatch(/classical baseline of qkc \(no quantum part\)/);
  });

  it.each([
    [['train', '--model', 'nope'], /Allowed choices/],
    [['train', '--classes', '0,x'], /not an MNIST class/],
    [['train', '--batch', '0'], /--batch must be an integer from 1/],
    [['train', '--classes', '0,1,2'], /qcnn8 classifies 2 classes/],
    [['train', '--classes', '0,2', '--no-noisy-eval'], /class 2 not in the data/],
    [['train', '--resume', '--out', join(dir, 'fresh'), '--no-noisy-eval'], /nothing to resume/],
    [['evaluate', '--model', join(dir, 'nowhere')], /no such model directory/],
    [['evaluate', '--model', run, '--backend', 'cloud'], /unknown backend/],
  ])('bad input %j exits 2 with a clear message', async (args, msg) => {
    expect(await cli(...args, '--data', data)).toBe(2);
    expect(err).toMatch(msg);
  });

  it('a model file from another version or corrupted exits 2', async () => {
    const doc = JSON.parse(readFileSync(join(run, 'model.json'), 'utf8')) as Record<string, unknown>;
    const v2 = join(dir, 'v2.json');
    writeFileSync(v2, JSON.stringify({ ...doc, version: 2 }));
    expect(await cli('evaluate', '--model', v2, '--data', data)).toBe(2);
    expect(err).toMatch(/version 2 is not supported/);
    const torn = join(dir, 'torn.json');
    writeFileSync(torn, readFileSync(join(run, 'model.json'), 'utf8').slice(0, 300));
    expect(await cli('evaluate', '--model', torn, '--data', data)).toBe(2);
    expect(err).toMatch(/corrupted/);
  });
});
