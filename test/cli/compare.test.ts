import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCompare } from '../../cli/compare.js';
import { runCli } from '../../cli/main.js';
import { LocalBackend } from '../../backends/local/index.js';
import { compareReportFromJSON } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'qbridge-compare-'));
const CIRCUIT = join(dir, 'ansatz.qasm');
writeFileSync(
  CIRCUIT,
  [
    'OPENQASM 3.0;',
    'include "stdgates.inc";',
    'input float[64] theta;',
    'input float[64] phi;',
    'qubit[3] q;',
    'ry(theta) q[0];',
    'cx q[0], q[1];',
    'rx(phi) q[1];',
    'cx q[1], q[2];',
    'ry(theta) q[2];',
    '',
  ].join('\n'),
);

let out = '';
let err = '';
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

describe('qbridge compare (QASM + observables)', () => {
  it('runs every pair on the same bindings and writes compare.json, report.html and PNGs', async () => {
    const outDir = join(dir, 'out1');
    const observables = ['Z0 Z1', 'Z2', '0.5*X0 X1'];
    const samples = 6;
    const shots = 3000;
    const code = await cli(
      'compare',
      '--qasm',
      CIRCUIT,
      ...observables.flatMap((o) => ['--observable', o]),
      '--backends',
      'local,local:noisy=ibm_heron',
      '--mitigation',
      'none,readout',
      '--samples',
      String(samples),
      '--shots',
      String(shots),
      '--seed',
      '3',
      '--out',
      outDir,
      '--json',
    );
    expect(err).toBe('');
    expect(code).toBe(0);
    const r = compareReportFromJSON(out);
    expect(compareReportFromJSON(readFileSync(join(outDir, 'compare.json'), 'utf8'))).toEqual(r);
    expect(r.pairs.map((p) => `${p.backend} / ${p.mitigation}`)).toEqual([
      'local / none',
      'local:noisy=ibm_heron / none',
      'local:noisy=ibm_heron / readout',
    ]);
    expect(r.skipped).toEqual([{ backend: 'local', mitigation: 'readout', reason: 'ideal simulator: nothing to mitigate' }]);
    // Every pair has a value for every (sample, observable), measured against the same ideal value.
    expect(r.points).toHaveLength(3 * samples * observables.length);
    const idealOf = new Map<string, number>();
    for (const p of r.points) {
      const key = `${p.sample},${p.observable}`;
      if (!idealOf.has(key)) idealOf.set(key, p.ideal);
      expect(p.ideal).toBe(idealOf.get(key));
    }
    const [ideal, raw, readout] = r.pairs;
    expect(ideal).toMatchObject({ meanAbsDeviation: 0, maxAbsDeviation: 0, tvd: 0, shots: 0, jobs: 0, accuracy: null });
    // The noisy pairs: one estimator job (3 QWC settings x 6 bindings x 3000 shots); readout adds its calibration job.
    expect(raw.jobs).toBe(1);
    expect(raw.shots).toBe(2 * samples * shots); // settings: {Z0 Z1, Z2} share ZZZ, X0 X1 is another
    expect(readout.jobs).toBeGreaterThan(raw.jobs);
    expect(readout.shots).toBeGreaterThan(raw.shots);
    // Noise moves the values, but by far less than 1 (heron's errors are around 1e-3 per gate).
    expect(raw.meanAbsDeviation).toBeGreaterThan(0);
    expect(raw.maxAbsDeviation).toBeLessThan(0.2);
    // The distribution check: 6 bindings, 3 qubits, 3000 shots: TVD from shot noise alone is ~0.02-0.05.
    expect(raw.tvd).toBeGreaterThan(0);
    expect(raw.tvd).toBeLessThan(0.15);
    expect(r.devices.map((d) => d.target)).toEqual(['ibm_heron']);
    expect(r.devices[0].layout).toHaveLength(3);
    for (const f of [
      'report.html',
      'compare.txt',
      'charts/expectations.png',
      'charts/deviations.png',
      'charts/coupling-local-noisy-ibm-heron.png',
    ])
      expect(existsSync(join(outDir, f)), f).toBe(true);
  });

  it('prints the table and the mitigation summary without --json, and is reproducible from the seed', async () => {
    const args = [
      'compare',
      '--qasm',
      CIRCUIT,
      '--observable',
      'Z0',
      '--backends',
      'local:noisy=iqm_garnet',
      '--samples',
      '3',
      '--shots',
      '500',
      '--seed',
      '9',
    ];
    expect(await cli(...args, '--out', join(dir, 'out2'))).toBe(0);
    expect(out).toMatch(/^backend\s+mitigation\s+accuracy\s+mean \|Δ\|/);
    expect(out).toContain('local:noisy=iqm_garnet  none');
    const a = readFileSync(join(dir, 'out2', 'compare.json'), 'utf8');
    expect(await cli(...args, '--out', join(dir, 'out3'))).toBe(0);
    const strip = (s: string) => {
      const j = JSON.parse(s) as { createdAt?: string; pairs: { seconds?: number }[] };
      delete j.createdAt;
      j.pairs.forEach((p) => delete p.seconds);
      return j;
    };
    expect(strip(readFileSync(join(dir, 'out3', 'compare.json'), 'utf8'))).toEqual(strip(a));
  });

  it('lists provider pairs without credentials as skipped, with the variables to set', async () => {
    const r = await runCompare({
      qasm: CIRCUIT,
      observable: ['Z0'],
      backends: ['local', 'ibm:ibm_fez', 'ionq:forte'],
      mitigation: ['none'],
      shots: 100,
      samples: 2,
      seed: 0,
      env: {},
    });
    expect(r.pairs.map((p) => p.backend)).toEqual(['local']);
    expect(r.skipped).toEqual([
      { backend: 'ibm:ibm_fez', mitigation: 'none', reason: 'no credentials: set QBRIDGE_IBM_API_KEY and QBRIDGE_IBM_CRN' },
      { backend: 'ionq:forte', mitigation: 'none', reason: 'no credentials: set QBRIDGE_IONQ_API_KEY' },
    ]);
  });
});

describe('qbridge compare: bad input fails before any job (exit 2)', () => {
  const cases: [string, string[], RegExp][] = [
    [
      'a model directory that does not exist',
      ['--model', join(dir, 'nope'), '--backends', 'local'],
      /--model .*nope: no such model directory or file/,
    ],
    [
      'an unknown backend',
      ['--qasm', CIRCUIT, '--observable', 'Z0', '--backends', 'local,quantinuum:h2'],
      /unknown backend 'quantinuum:h2'/,
    ],
    [
      'an unknown noisy preset',
      ['--qasm', CIRCUIT, '--observable', 'Z0', '--backends', 'local:noisy=ibm_nope'],
      /unknown noisy preset 'ibm_nope'/,
    ],
    [
      'an unknown mitigation',
      ['--qasm', CIRCUIT, '--observable', 'Z0', '--backends', 'local', '--mitigation', 'magic'],
      /unknown mitigation 'magic'/,
    ],
    [
      'mitigation the only (ideal) backend cannot use',
      ['--qasm', CIRCUIT, '--observable', 'Z0', '--backends', 'local', '--mitigation', 'none,zne'],
      /mitigation zne needs a noisy backend: local is ideal/,
    ],
    [
      'an observable wider than the circuit',
      ['--qasm', CIRCUIT, '--observable', 'Z5', '--backends', 'local'],
      /acts on qubit 5 but .* has 3 qubits/,
    ],
    ['QASM without observables', ['--qasm', CIRCUIT, '--backends', 'local'], /--qasm needs at least one --observable/],
    ['neither model nor QASM', ['--backends', 'local'], /give exactly one of --model DIR or --qasm FILE/],
  ];
  for (const [what, args, message] of cases) {
    it(what, async () => {
      const submit = vi.spyOn(LocalBackend.prototype, 'submit');
      const code = await cli('compare', ...args, '--out', join(dir, 'bad'));
      expect(code).toBe(2);
      expect(err).toMatch(message);
      expect(err.split('\n').filter(Boolean)).toHaveLength(err.includes('(run with --help') ? 2 : 1);
      expect(submit).not.toHaveBeenCalled();
      expect(existsSync(join(dir, 'bad', 'compare.json'))).toBe(false);
    });
  }
});
