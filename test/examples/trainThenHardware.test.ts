import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('examples/train-then-hardware.ts (default: the IBM emulator in-process)', () => {
  it('trains on the simulator, then evaluates and fine-tunes on the emulator with ONE job per step', async () => {
    // Credentials unset (and no .env read from elsewhere): the example must start its own emulator.
    const env = { ...process.env };
    for (const k of Object.keys(env)) if (/^QBRIDGE_IBM_|^QBRIDGE_BUDGET/.test(k)) delete env[k];
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'examples/train-then-hardware.ts', '--quick'], {
      encoding: 'utf8',
      timeout: 60_000,
      env,
    });
    expect(stdout).toMatch(/simulator: trained qcnn8 .*12 quantum parameters\) on 600 images, ideal test accuracy [\d.]+% on 16 images/);
    expect(stdout).toMatch(/no ibm credentials: using the ibm emulator at http:\/\/127\.0\.0\.1:\d+\/api\/v1/);
    expect(stdout).toMatch(/a training step = 2 images x 105 parameter-shift bindings = 210 bindings, 53760 shots, in one job/);
    const steps = [...stdout.matchAll(/^step (\d)\/2: (\d+) jobs? \((\d+) bindings, (\d+) shots\), .*; emulator submissions \+(\d+)$/gm)];
    expect(steps.map((m) => m[1])).toEqual(['1', '2']);
    for (const m of steps) {
      expect(m[2]).toBe('1'); // the trainer's count
      expect(m[3]).toBe('210');
      expect(m[4]).toBe('53760');
      expect(m[5]).toBe('1'); // the emulator's own submission counter, read by the example after each step
    }
    expect(stdout).toMatch(/jobs per training step: 1, 1\n/);
    const acc = /test accuracy ([\d.]+)% on 16 images after 2 fine-tuning steps \(3 jobs, 111616 shots/.exec(stdout);
    expect(acc).not.toBeNull();
    // Evaluation before (1) + two steps (2) + evaluation after (1).
    expect(stdout).toMatch(/emulator: 4 submissions in all/);
  }, 60_000);
});
