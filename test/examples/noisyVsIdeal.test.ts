import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('examples/noisy-vs-ideal.ts', () => {
  it('prints accuracy and deviations for ideal, noisy, readout- and readout+zne-mitigated runs', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'examples/noisy-vs-ideal.ts', '--quick'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(stdout).toMatch(/qcnn8 \(51 quantum parameters\), 16 test images, 2000 shots per circuit/);
    const row = (name: string) => {
      const m = new RegExp(
        `^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+([\\d.]+)%\\s+([\\d.]+)\\s+([\\d.]+)\\s+(\\d+)\\s+[\\d.]+$`,
        'm',
      ).exec(stdout);
      expect(m, `row ${name}`).not.toBeNull();
      return { accuracy: Number(m![1]), mean: Number(m![2]), max: Number(m![3]), shots: Number(m![4]) };
    };
    const ideal = row('local (ideal, exact)');
    const noisy = row('local:noisy=ibm_fez');
    const readout = row('local:noisy=ibm_fez + readout');
    const zne = row('local:noisy=ibm_fez + readout+zne');
    expect(ideal).toMatchObject({ mean: 0, max: 0, shots: 0 });
    // The device's noise shrinks <Z> visibly (depolarising + T1 over ~100 two-qubit gates)...
    expect(noisy.mean).toBeGreaterThan(0.05);
    expect(noisy.shots).toBe(16 * 2000);
    // ...readout mitigation removes part of it, ZNE on top most of it (16 images x 2000 shots: the
    // sampling error of a mean over 16 values is ~0.01, far below the margins here).
    expect(readout.mean).toBeLessThan(noisy.mean + 0.01);
    expect(zne.mean).toBeLessThan(noisy.mean / 2);
    expect(zne.shots).toBeGreaterThan(readout.shots);
    for (const r of [ideal, noisy, readout, zne]) expect(r.accuracy).toBeGreaterThanOrEqual(0);
    expect(stdout).toMatch(/mean deviation left by mitigation: readout \d+% of the raw [\d.]+, readout\+zne \d+%/);
  }, 60_000);
});
