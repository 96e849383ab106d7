import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/index.js';

const run = promisify(execFile);

describe('examples/train-simulator.ts', () => {
  const out = mkdtempSync(join(tmpdir(), 'qbridge-example-train-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('trains qcnn8 on 0 vs 1 in quick mode, prints the test accuracy and writes a loadable model', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'examples/train-simulator.ts', '--quick', '--out', out], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(stdout).toMatch(/qcnn8: 8 qubits, 51 quantum parameters; 1000 training \/ 500 test images/);
    expect(stdout.match(/^epoch \d: loss [\d.]+, train accuracy [\d.]+%, test accuracy [\d.]+%/gm)).toHaveLength(2);
    const acc = /^test accuracy ([\d.]+)% on 500 images \(51 quantum \+ 4 classical parameters/m.exec(stdout);
    expect(acc).not.toBeNull();
    // 0 vs 1 is easy: even 2 epochs on 1,000 images separate them (the full run reaches ~99.8%).
    expect(Number(acc![1])).toBeGreaterThan(95);
    const file = join(out, 'model.json');
    expect(stdout).toContain(`model written to ${file}`);
    const { model, weights, document } = loadModel(file);
    expect(model.name).toBe('qcnn8');
    expect(weights.quantum).toHaveLength(51);
    expect((document as { training?: { testAccuracy?: number } }).training?.testAccuracy).toBeCloseTo(Number(acc![1]) / 100, 4);
    expect(readFileSync(file, 'utf8').length).toBeGreaterThan(1000);
  }, 60_000);
});
