import { describe, expect, it } from 'vitest';
import { CircuitBuilder, bindCircuit, compile, presetTarget, probabilities, statevector, type Circuit } from '../../../src/index.js';
import { circuitFromIonq, clbitKey, ionqCountsFromProbabilities, toNative, toQis, toTurns } from '../../../backends/ionq/index.js';
import { decodeLayout, encodeLayout } from '../../../backends/ionq/results.js';

/** Probabilities of a circuit's gates (measurements dropped), qubit 0 = bit 0. */
function probs(c: Circuit): number[] {
  const gates = { ...c, ops: c.ops.filter((o) => o.op !== 'measure') };
  return [...probabilities(statevector(gates), c.numQubits)];
}

// Gates of every kind the QIS path handles: direct names, controls, two-qubit rotations, and the
// unrolled rest (u, ch, cswap, ecr, iswap, gpi2, negated controls).
const mixed = new CircuitBuilder(3)
  .h(0)
  .sx(1)
  .t(2)
  .rx(0.3, 0)
  .ry(-1.1, 1)
  .rz(0.7, 2)
  .cx(0, 1)
  .cz(1, 2)
  .crx(0.4, 2, 0)
  .ccx(0, 1, 2)
  .rzz(0.9, 0, 2)
  .rxx(0.2, 1, 2)
  .swap(0, 2)
  .ch(0, 1)
  .cswap(2, 0, 1)
  .ecr(1, 0)
  .iswap(0, 2)
  .measureAll()
  .build();

describe('IonQ translation', () => {
  it('QIS JSON reproduces the circuit (IonQ JSON parsed back and simulated)', () => {
    const j = toQis(mixed);
    expect(
      j.gates.every((g) =>
        ['x', 'y', 'z', 'h', 's', 'si', 't', 'ti', 'v', 'vi', 'rx', 'ry', 'rz', 'cnot', 'swap', 'xx', 'yy', 'zz'].includes(g.gate),
      ),
    ).toBe(true);
    const back = circuitFromIonq(j.gates, 3, 'qis');
    probs(back).forEach((p, i) => expect(p).toBeCloseTo(probs(mixed)[i], 10));
  });

  it('native JSON (gpi/gpi2/ms in turns) from the ionq_forte compile reproduces the circuit', () => {
    const c = new CircuitBuilder(3).h(0).ry('a', 1).cx(0, 1).cx(1, 2).rz('b', 2).crx(0.5, 2, 0).measureAll().build();
    const compiled = compile(c, presetTarget('ionq_forte'), { level: 2, initialLayout: [0, 1, 2] }).circuit;
    for (const b of [
      { a: 0.3, b: -2 },
      { a: 2.5, b: 1 },
    ]) {
      const j = toNative(bindCircuit(compiled, b));
      for (const g of j.gates) for (const p of [g.phase, ...(g.phases ?? [])]) if (p !== undefined) expect(p >= 0 && p < 1).toBe(true);
      const back = circuitFromIonq(j.gates, 3, 'native');
      const want = probs(bindCircuit(c, b));
      probs({ ...back, numQubits: 3 }).forEach((p, i) => expect(p).toBeCloseTo(want[i], 8));
    }
    expect(toTurns(-Math.PI / 2)).toBeCloseTo(0.75, 15);
    expect(toTurns(2 * Math.PI)).toBe(0);
  });

  it('refuses gates after a measurement and reset (IonQ measures every qubit at the end)', () => {
    const mid = new CircuitBuilder(1).measure(0).x(0).build();
    expect(() => toQis(mid)).toThrow(/after it was measured/);
  });

  it('reads decimal keys little-endian through the measurement map, and rounds by largest remainder', () => {
    const map = {
      numClbits: 3,
      pairs: [
        [1, 0],
        [0, 1],
        [2, 2],
      ] as [number, number][],
    };
    expect(clbitKey('4', map)).toBe('100');
    expect(clbitKey('1', map)).toBe('010');
    expect(clbitKey('2', map)).toBe('001');
    expect(clbitKey('68719476736', { numClbits: 1, pairs: [[36, 0]] })).toBe('1');
    const counts = ionqCountsFromProbabilities(
      new Map([
        ['00', 1 / 3],
        ['01', 1 / 3],
        ['11', 1 / 3],
      ]),
      100,
    );
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(100);
    expect(counts).toEqual({ '00': 34, '01': 33, '11': 33 });
  });

  it('keeps the decode layout in job metadata as short string values, and reads it back', () => {
    const layout = {
      v: 1 as const,
      shots: 100,
      circuits: Array.from({ length: 300 }, () => ({
        numClbits: 2,
        pairs: [
          [0, 0],
          [1, 1],
        ] as [number, number][],
      })),
      bindings: [300],
      first: 0,
      count: 300,
      total: 300,
    };
    const meta = encodeLayout(layout);
    expect(Object.values(meta).every((v) => typeof v === 'string' && v.length <= 400)).toBe(true);
    expect(decodeLayout({ ...meta, other: 'x' })).toEqual(layout);
    expect(decodeLayout({})).toBeUndefined();
  });
});
