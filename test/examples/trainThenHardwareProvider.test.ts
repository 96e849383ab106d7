import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The IBM module directly: backends/registry.ts's variable dynamic import does not resolve under vitest.
import { startIbmEmulator, type IbmEmulator } from '../../backends/ibm/index.js';

const run = promisify(execFile);

/**
 * examples/train-then-hardware.ts with credentials set, as a user with an IBM account runs it: here the
 * "service" is an emulator this test owns, so its submission counter is an independent witness of the
 * example's claim of ONE job per training step, and of the journal and budget guard in between.
 */
describe('examples/train-then-hardware.ts with credentials (the real-provider path)', () => {
  let emu: IbmEmulator;
  let journal: string;
  const submissions = (): number => emu.server.stats.submissions;
  const example = (extra: string[], env: Record<string, string>) =>
    run(
      process.execPath,
      ['--import', 'tsx', 'examples/train-then-hardware.ts', '--quick', '--journal', journal, '--poll-ms', '25', ...extra],
      {
        encoding: 'utf8',
        timeout: 60_000,
        // Async on purpose: the emulator answers from this process while the example runs.
        env: { ...process.env, ...emu.env, ...env },
      },
    ).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  beforeAll(async () => {
    emu = await startIbmEmulator({ seed: 3 });
    journal = mkdtempSync(join(tmpdir(), 'qbridge-example-journal-'));
  });
  afterAll(async () => {
    await emu.close();
    rmSync(journal, { recursive: true, force: true });
  });

  it('stops at the budget guard before the first over-budget step, then resumes from the journal with --yes', async () => {
    // 16 test images x 256 shots = 4,096 shots fit a budget of 10,000; a step (2 x 105 bindings x 256) does not.
    const refused = await example([], { QBRIDGE_BUDGET_SHOTS: '10000' });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/ibm credentials found: using the real service/);
    expect(refused.stdout).toMatch(/test accuracy [\d.]+% on 16 images before fine-tuning \(1 job, 4096 shots\)/);
    expect(refused.stderr).toMatch(/256 shots x 210 executions = 53760 shots exceeds the budget of 10000/);
    expect(refused.stdout).not.toMatch(/^step /m);
    expect(submissions()).toBe(1);
    expect(readdirSync(journal).length).toBe(1);

    const confirmed = await example(['--yes'], { QBRIDGE_BUDGET_SHOTS: '10000' });
    expect(confirmed.code, confirmed.stderr).toBe(0);
    const steps = confirmed.stdout.match(/^step \d\/2: 1 job \(210 bindings, 53760 shots\)/gm) ?? [];
    expect(steps).toHaveLength(2);
    expect(confirmed.stdout).toMatch(/jobs per training step: 1, 1\n/);
    // The evaluation came back from the journal (no second payment); the provider saw the two steps
    // and the closing evaluation only: 1 + 2 + 1 submissions in all.
    expect(confirmed.stdout).toMatch(/before fine-tuning \(1 job, 4096 shots\)/);
    expect(submissions()).toBe(4);
    expect(readdirSync(journal).length).toBe(4);
    expect(emu.server.stats.duplicateSubmissions).toBe(0);
  }, 60_000);
});
