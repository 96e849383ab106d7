import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../cli/main.js';

const dir = mkdtempSync(join(tmpdir(), 'qbridge-cli-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const BELL = file('bell.qasm', 'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[2] q;\nbit[2] c;\nh q[0];\ncx q[0], q[1];\nc = measure q;\n');
const ONE = file('one.qasm', 'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[3] q;\nbit[3] c;\nx q[0];\nc = measure q;\n');
const PARAM = file('param.qasm', 'OPENQASM 3.0;\ninclude "stdgates.inc";\ninput float[64] theta;\nqubit[1] q;\nry(theta) q[0];\n');
const BAD = file('bad.qasm', 'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[2] q;\nh q[0]\ncx q[0], q[1];\n');

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

describe('qbridge CLI', () => {
  it('run --json prints counts with bit 0 rightmost', async () => {
    expect(await cli('run', ONE, '--shots', '100', '--json')).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ counts: { '001': 100 }, shots: 100, backend: 'local' });
    expect(typeof JSON.parse(out).jobId).toBe('string');
  });

  it('run samples reproducibly from a seed', async () => {
    expect(await cli('run', BELL, '--shots', '1000', '--seed', '5', '--json')).toBe(0);
    const a = JSON.parse(out);
    out = '';
    await cli('run', BELL, '--shots', '1000', '--seed', '5', '--json');
    expect(JSON.parse(out).counts).toEqual(a.counts);
    expect(Object.keys(a.counts).sort()).toEqual(['00', '11']);
    expect(a.counts['00'] + a.counts['11']).toBe(1000);
  });

  it('simulate --statevector --json prints amplitudes', async () => {
    expect(await cli('simulate', BELL, '--statevector', '--json')).toBe(0);
    const r = JSON.parse(out);
    expect(r.numQubits).toBe(2);
    expect(r.amplitudes).toHaveLength(4);
    expect(r.amplitudes[0][0]).toBeCloseTo(Math.SQRT1_2, 15);
    expect(r.amplitudes[3][0]).toBeCloseTo(Math.SQRT1_2, 15);
    expect(r.amplitudes[1]).toEqual([0, 0]);
  });

  it('binds inputs and evaluates observables', async () => {
    expect(await cli('simulate', PARAM, '--bind', 'theta=0.4', '--observable', 'Z0', '--json')).toBe(0);
    const r = JSON.parse(out);
    expect(r.expectations[0].value).toBeCloseTo(Math.cos(0.4), 14);
    expect(await cli('simulate', PARAM, '--json')).toBe(2);
    expect(err).toMatch(/unbound input parameter\(s\) theta/);
  });

  it('bad input: one line, position, exit 2; usage errors exit 2; help exits 0', async () => {
    expect(await cli('run', BAD)).toBe(2);
    expect(err).toMatch(/bad\.qasm:4:\d+: /);
    expect(err.trim().split('\n')).toHaveLength(1);
    err = '';
    expect(await cli('run', join(dir, 'missing.qasm'))).toBe(2);
    expect(err).toMatch(/missing\.qasm/);
    expect(await cli('run', BELL, '--shots', '0')).toBe(2);
    expect(await cli('frobnicate')).toBe(2);
    expect(await cli('run', '--help')).toBe(0);
    expect(out).toMatch(/--shots/);
  });

  it('qasm re-emits in a dialect', async () => {
    expect(await cli('qasm', BELL, '--dialect', 'braket')).toBe(0);
    expect(out).toMatch(/cnot/);
  });

  it('gates --json lists the registry', async () => {
    expect(await cli('gates', '--json')).toBe(0);
    const names = JSON.parse(out).map((g: { name: string }) => g.name);
    expect(names).toContain('ms');
    expect(names).toContain('cswap');
  });

  it('demo finds the ground energy within 2%', async () => {
    expect(await cli('demo', '--steps', '150', '--json')).toBe(0);
    const r = JSON.parse(out);
    expect(r.vqe.relativeError).toBeLessThan(0.02);
    expect(Object.keys(r.ghz.counts).sort()).toEqual(['00000', '11111']);
  });
});
