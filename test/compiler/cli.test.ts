import { Command } from 'commander';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerCompile } from '../../cli/compile.js';
import { qasmToCircuit } from '../../qasm/index.js';
import { presetTarget, targetToJSONString, validateForTarget, type QError } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'qbridge-compile-'));
const file = join(dir, 'prog.qasm');
writeFileSync(
  file,
  `OPENQASM 3.0;
include "stdgates.inc";
input float[64] theta;
qubit[3] q;
bit[3] c;
h q[0];
cx q[0], q[2];
crx(theta) q[2], q[1];
c = measure q;
`,
);

async function run(args: string[]): Promise<{ out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    const p = new Command().exitOverride();
    registerCompile(p);
    for (const c of p.commands) c.exitOverride();
    await p.parseAsync(['node', 'qbridge', 'compile', ...args]);
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  return { out, err };
}

afterEach(() => vi.restoreAllMocks());

describe('qbridge compile', () => {
  it.each(['ibm_heron', 'ibm_eagle', 'ionq_forte', 'iqm_garnet', 'rigetti'])(
    '--target %s prints the dialect program and a summary line',
    async (name) => {
      const { out, err } = await run([file, '--target', name, '--level', '2']);
      expect(out).toMatch(/^OPENQASM 3\.0;/);
      expect(out).toContain('input float[64] theta;'); // the trainable angle survives compilation
      expect(err).toMatch(
        new RegExp(
          `^${name} level 2: depth \\d+, 2q gates \\d+, 1q gates \\d+, swaps \\d+, estimated success 0\\.\\d{4}, [\\d.]+ ms; layout 0->\\d+ 1->\\d+ 2->\\d+\\n$`,
        ),
      );
      if (name.startsWith('ibm')) {
        // an ISA program: physical qubits, basis gates only (parses back and validates against the target)
        expect(out).toMatch(/\$\d+/);
        const back = qasmToCircuit(out);
        validateForTarget({ ...back, numQubits: presetTarget(name).numQubits }, presetTarget(name));
      }
      if (name === 'iqm_garnet') expect(out).toContain('#pragma braket verbatim');
    },
  );

  it('accepts a target JSON file and rejects unknown targets by name', async () => {
    const t = join(dir, 'line.json');
    writeFileSync(t, targetToJSONString(presetTarget('iqm_garnet')));
    const { err } = await run([file, '--target', t]);
    expect(err).toMatch(/^iqm_garnet level 2:/);
    await expect(run([file, '--target', 'nowhere'])).rejects.toSatisfy(
      (e: QError) => e.code === 'VALIDATION' && e.message.includes("unknown target 'nowhere'"),
    );
  });

  it('reads a Rigetti QCS ISA file, and names the missing field of a bad target JSON', async () => {
    const { err } = await run([file, '--target', resolve(__dirname, '../fixtures/devices/rigetti-ankaa-isa.json'), '--level', '1']);
    expect(err).toMatch(/^ankaa-3 level 1:/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ name: 'x', instructions: { cz: { '0,1': {} } } }));
    await expect(run([file, '--target', bad])).rejects.toSatisfy(
      (e: QError) => e.code === 'VALIDATION' && e.message === "target JSON: numQubits is missing (required field 'numQubits')",
    );
  });
});
