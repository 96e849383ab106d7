import { describe, expect, it } from 'vitest';
import { decodePub, hexToBits, registersOf, statusFromIbm, toIsaQasm, toPubs } from '../../../backends/ibm/index.js';
import { CircuitBuilder, presetTarget } from '../../../src/index.js';
import { qasmToCircuit } from '../../../qasm/index.js';

const target = presetTarget('ibm_heron');

describe('IBM translation', () => {
  it('reads hex samples little-endian into padded bit strings, wide registers included', () => {
    expect(hexToBits('0x1', 2)).toBe('01');
    expect(hexToBits('0x2', 2)).toBe('10');
    expect(hexToBits('0x0', 3)).toBe('000');
    const wide = `0x${((1n << 70n) | 5n).toString(16)}`;
    expect(hexToBits(wide, 72)).toBe('01' + '0'.repeat(67) + '101');
    expect(() => hexToBits('0x4', 2)).toThrow(/does not fit a 2-bit register/);
    expect(() => hexToBits('12', 2)).toThrow(/not a hex string/);
  });

  it('finds classical registers in OpenQASM 3 and 2 declarations, in bit order', () => {
    expect(registersOf('OPENQASM 3.0;\nbit[2] a;\nbit b;\nbit[3] meas;\n')).toEqual([
      { name: 'a', size: 2 },
      { name: 'b', size: 1 },
      { name: 'meas', size: 3 },
    ]);
    expect(registersOf('OPENQASM 2.0;\ncreg c[4];\n')).toEqual([{ name: 'c', size: 4 }]);
  });

  it('concatenates registers with register 0 rightmost and counts per binding', () => {
    const layout = {
      registers: [
        { name: 'lo', size: 2 },
        { name: 'hi', size: 1 },
      ],
      bindings: 2,
    };
    const data = { lo: { samples: [['0x3', '0x1'], ['0x0']] }, hi: { samples: [['0x0', '0x1'], ['0x1']] } };
    expect(decodePub(data, layout, 'PUB 0')).toEqual([
      { counts: { '011': 1, '101': 1 }, shots: 2 },
      { counts: { '100': 1 }, shots: 1 },
    ]);
    expect(() => decodePub({ lo: data.lo }, layout, 'PUB 0')).toThrow(/lacks classical register 'hi'/);
    expect(() => decodePub({ lo: { samples: ['0x1'] }, hi: { samples: ['0x1'] } }, layout, 'PUB 0')).toThrow(
      /samples for 1 bindings, expected 2/,
    );
  });

  it('maps every IBM job state (any case) and leaves unknown ones alone', () => {
    expect(['Queued', 'RUNNING', 'Completed', 'Failed', 'Cancelled'].map(statusFromIbm)).toEqual([
      'queued',
      'running',
      'done',
      'failed',
      'cancelled',
    ]);
    expect(statusFromIbm('Paused')).toBeUndefined();
  });

  it('declares inputs in name order whatever order the circuit uses them, and the emulator parses the text back', () => {
    const c = new CircuitBuilder(2).ry('zeta', 0).ry('alpha', 1).rz('mid', 0).cx(0, 1).measureAll().build();
    const { qasm, inputs } = toIsaQasm(c, { target });
    expect(inputs).toEqual(['alpha', 'mid', 'zeta']);
    const declared = [...qasm.matchAll(/input float\[64\] (\w+);/g)].map((m) => m[1]);
    expect(declared).toEqual(['alpha', 'mid', 'zeta']);
    const back = qasmToCircuit(qasm);
    expect([...back.parameters].sort()).toEqual(['alpha', 'mid', 'zeta']);
    expect(back.ops.every((o) => ['cz', 'rz', 'sx', 'x', 'measure', 'barrier'].includes(o.op))).toBe(true);
  });

  it('sends one PUB per parametric circuit and one per binding of a circuit without inputs', () => {
    const p = new CircuitBuilder(1).ry('t', 0).measureAll().build();
    const f = new CircuitBuilder(1).x(0).measureAll().build();
    const t = toPubs(
      {
        runs: [
          { circuit: p, bindings: [{ t: 1 }, { t: 2 }] },
          { circuit: f, bindings: [{}, {}] },
        ],
        shots: 7,
      },
      { target },
    );
    expect(t.pubs.map((x) => [x[1], x[2]])).toEqual([
      [[[1], [2]], 7],
      [null, 7],
      [null, 7],
    ]);
    expect(t.circuitPubs).toEqual([[0], [1, 2]]);
    expect(t.layouts.map((l) => l.bindings)).toEqual([2, 1, 1]);
    expect(() => toPubs({ runs: [{ circuit: p, bindings: [{ t: Number.NaN }] }], shots: 1 }, { target })).toThrow(
      /'t' needs a finite number/,
    );
  });
});
