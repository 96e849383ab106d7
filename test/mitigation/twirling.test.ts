import { describe, expect, it } from 'vitest';
import { LocalBackend } from '../../backends/local/index.js';
import {
  CircuitBuilder,
  Estimator,
  QError,
  circuitUnitary,
  createRng,
  diffUpToPhase,
  parsePauliSum,
  twirlCircuit,
  twirlTable,
  withTwirling,
} from '../../src/index.js';
import { randomCircuit } from '../helpers/random.js';

describe('Pauli twirling', () => {
  it('maps every Pauli frame of cx, cz and ecr to a Pauli frame (a permutation of the 16)', () => {
    for (const g of ['cx', 'cz', 'ecr', 'swap', 'iswap']) {
      const t = twirlTable(g);
      expect(new Set(t).size).toBe(16);
      expect(t[0]).toBe(0);
    }
    // CX: X on the control spreads to both qubits.
    expect(twirlTable('cx')[1]).toBe(1 + 4);
  });

  it('twirled circuits equal the original unitary up to phase, for many seeds, in plain and native Paulis', () => {
    const rng = createRng(8);
    for (let t = 0; t < 6; t++) {
      const c = randomCircuit(rng, 3, 20, { names: ['h', 'rz', 'sx', 'cx', 'cz', 'ecr', 'ry'] });
      const u = circuitUnitary(c);
      for (let s = 0; s < 5; s++) {
        const tw = twirlCircuit(c, createRng(100 * t + s));
        expect(diffUpToPhase(circuitUnitary(tw), u)).toBeLessThan(1e-9);
        const native = twirlCircuit(c, createRng(100 * t + s), { native: new Set(['rz', 'sx', 'x', 'cz', 'cx', 'ecr']) });
        expect(native.ops.every((i) => ['rz', 'sx', 'x', 'cz', 'cx', 'ecr', 'h', 'ry'].includes(i.op))).toBe(true);
        expect(diffUpToPhase(circuitUnitary(native), u)).toBeLessThan(1e-9);
      }
    }
  });

  it('is seeded, and different seeds give different frames', () => {
    const c = new CircuitBuilder(2).h(0).cx(0, 1).cz(0, 1).cx(1, 0).build();
    const a = twirlCircuit(c, createRng(1));
    expect(twirlCircuit(c, createRng(1))).toEqual(a);
    const ops = new Set(Array.from({ length: 8 }, (_, s) => JSON.stringify(twirlCircuit(c, createRng(s + 2)).ops)));
    expect(ops.size).toBeGreaterThan(4);
  });

  it('refuses gates that are not parameterless 2-qubit Cliffords', () => {
    expect(() => twirlTable('crx')).toThrow(QError);
    expect(() => twirlTable('h')).toThrow(/2-qubit/);
    expect(() => twirlTable('ch')).toThrow(/not a Clifford/);
    expect(() => withTwirling({ instances: 0 })).toThrow(/positive integer/);
  });

  it('as a middleware: exact values unchanged on an ideal backend, N instances in one inner run, cost reported', async () => {
    const c = new CircuitBuilder(3).h(0).cx(0, 1).ry('a', 2).cz(1, 2).build();
    const obs = parsePauliSum('Z0 Z1 + 0.5*X2 - 0.3*Y1 Z2');
    const base = new Estimator(new LocalBackend());
    const plain = await base.run([{ circuit: c, observables: obs, bindings: [{ a: 0.4 }] }]);
    const twirled = await withTwirling({ instances: 8, seed: 3 })(base).run([{ circuit: c, observables: obs, bindings: [{ a: 0.4 }] }]);
    expect(twirled.pubs[0].values[0][0]).toBeCloseTo(plain.pubs[0].values[0][0], 10);
    const report = twirled.mitigation?.find((m) => m.technique === 'twirling');
    expect(report?.extraCircuits).toBe(7);
    expect(twirled.metadata.circuits).toBe(8);
  });
});
