import { describe, expect, it } from 'vitest';
import {
  CircuitBuilder,
  QError,
  circuitUnitary,
  createRng,
  diffUpToPhase,
  foldCircuit,
  inverseOps,
  type Circuit,
} from '../../src/index.js';
import { randomCircuit } from '../helpers/random.js';

const twoQubit = (c: Circuit) => c.ops.filter((i) => i.qubits.length === 2).length;
const gates = (c: Circuit) => c.ops.filter((i) => i.op !== 'barrier').length;

describe('unitary folding', () => {
  const rng = createRng(42);
  const circuits = Array.from({ length: 4 }, () =>
    randomCircuit(rng, 4, 24, { names: ['h', 'sx', 'rz', 'ry', 'cx', 'cz', 'ecr', 't', 'rzz', 'U', 'swap', 'iswap'] }),
  );

  it('keeps the unitary (up to phase) at scales 1, 3, 5 and fractional ones, global and local', () => {
    for (const c of circuits) {
      const u = circuitUnitary(c);
      for (const scale of [1, 3, 5, 2, 3.5]) {
        for (const o of [
          { method: 'global' as const },
          { method: 'local' as const },
          { method: 'local' as const, gates: 'two-qubit' as const },
        ]) {
          const f = foldCircuit(c, scale, { ...o, seed: 3 });
          expect(diffUpToPhase(circuitUnitary(f.circuit), u)).toBeLessThan(1e-9);
        }
      }
    }
  });

  it('has the right gate counts: odd scales multiply exactly, fractional ones round to whole gates', () => {
    // Gates whose inverse is one gate, so counting instructions counts folds.
    const c = randomCircuit(createRng(7), 4, 30, { names: ['h', 'sx', 'rz', 'ry', 'cx', 'cz', 't', 'swap'] });
    const d = gates(c);
    const m = twoQubit(c);
    for (const s of [1, 3, 5]) {
      const g = foldCircuit(c, s);
      expect(gates(g.circuit)).toBe(s * d);
      expect(g.scale).toBe(s);
      const l = foldCircuit(c, s, { method: 'local' });
      expect(gates(l.circuit)).toBe(s * d);
      const t = foldCircuit(c, s, { method: 'local', gates: 'two-qubit' });
      expect(twoQubit(t.circuit)).toBe(s * m);
      expect(gates(t.circuit) - twoQubit(t.circuit)).toBe(d - m);
      expect(t.scale).toBe(s);
    }
    const f = foldCircuit(c, 2, { method: 'local', gates: 'two-qubit' });
    expect(Math.abs(f.scale - 2)).toBeLessThanOrEqual(1 / m + 1e-12);
    expect(twoQubit(f.circuit)).toBe(Math.round(f.scale * m));
    const g = foldCircuit(c, 2);
    expect(gates(g.circuit)).toBe(Math.round(g.scale * d));
  });

  it('folds each gate locally as G G† G, next to itself', () => {
    const c = new CircuitBuilder(2).h(0).cx(0, 1).build();
    const f = foldCircuit(c, 3, { method: 'local', gates: 'two-qubit' });
    expect(f.circuit.ops.map((i) => i.op)).toEqual(['h', 'cx', 'cx', 'cx']);
    const g = foldCircuit(c, 3);
    expect(g.circuit.ops.map((i) => i.op)).toEqual(['h', 'cx', 'cx', 'h', 'h', 'cx']);
  });

  it('writes inverses in native gates when it knows how (sx† = rz(π) sx rz(π), iSWAP† = Z iSWAP Z)', () => {
    const native = new Set(['rz', 'sx', 'x', 'cz', 'iswap']);
    const c = new CircuitBuilder(2).sx(0).rz(0.3, 1).cz(0, 1).iswap(0, 1).x(1).build();
    const f = foldCircuit(c, 3, { native });
    expect(new Set(f.circuit.ops.map((i) => i.op))).toEqual(native);
    expect(diffUpToPhase(circuitUnitary(f.circuit), circuitUnitary(c))).toBeLessThan(1e-9);
    expect(inverseOps({ op: 'sx', qubits: [0], params: [] }).map((i) => i.op)).toEqual(['sxdg']);
  });

  it('keeps symbols symbolic, so one folded program serves every binding', () => {
    const c = new CircuitBuilder(2).ry('a', 0).cx(0, 1).rz('b', 1).build();
    const f = foldCircuit(c, 5);
    expect(f.circuit.parameters).toEqual(['a', 'b']);
    const b = { a: 0.4, b: -1.2 };
    expect(diffUpToPhase(circuitUnitary(f.circuit, b), circuitUnitary(c, b))).toBeLessThan(1e-9);
  });

  it('refuses scales below 1, measurements, and global folding of 2-qubit gates only', () => {
    const c = new CircuitBuilder(1).h(0).build();
    expect(() => foldCircuit(c, 0.5)).toThrow(/>= 1/);
    expect(() => foldCircuit(new CircuitBuilder(1, 1).h(0).measure(0, 0).build(), 3)).toThrow(/measurement/);
    expect(() => foldCircuit(c, 3, { method: 'global', gates: 'two-qubit' })).toThrow(QError);
  });
});
