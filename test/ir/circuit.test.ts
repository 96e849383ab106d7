import { describe, expect, it } from 'vitest';
import {
  CircuitBuilder,
  QError,
  bindCircuit,
  circuitFromJSON,
  circuitToJSON,
  circuitToJSONString,
  createRng,
  depth,
  inverseCircuit,
  parsePauliSum,
  pauliAt,
  pauliTerm,
  statevector,
  sym,
  addAngles,
  scaleAngle,
} from '../../src/index.js';
import { randomCircuit } from '../helpers/random.js';

describe('circuits', () => {
  it('round-trips through JSON exactly, symbols and controls included', () => {
    const rng = createRng(3);
    for (let i = 0; i < 50; i++) {
      const c = randomCircuit(rng, 4, 20, { symbols: ['a', 'b'], controls: true });
      const back = circuitFromJSON(JSON.parse(circuitToJSONString(c)));
      expect(back).toEqual(c);
    }
    const withMeta = new CircuitBuilder(2, 0, 'bell').qubitRegister('q', 2).h(0).cx(0, 1).measureAll().build();
    expect(circuitFromJSON(circuitToJSON(withMeta))).toEqual(withMeta);
  });

  it('rejects bad documents with the JSON path', () => {
    const good = circuitToJSON(new CircuitBuilder(1).h(0).build());
    expect(() => circuitFromJSON('{')).toThrow(/not valid JSON/);
    expect(() => circuitFromJSON({ ...good, version: 2 })).toThrow(/\$\.version/);
    expect(() => circuitFromJSON({ ...good, ops: [{ op: 'h', qubits: [3], params: [] }] })).toThrow(/qubit 3 is out of range/);
    expect(() => circuitFromJSON({ ...good, ops: [{ op: 'rx', qubits: [0], params: [{ terms: 1, offset: 0 }] }] })).toThrow(
      /\$\.ops\[0\]\.params\[0\]\.terms/,
    );
    expect(() => circuitFromJSON({ ...good, ops: [{ op: 'nope', qubits: [0], params: [] }] })).toThrow(/unknown gate 'nope'/);
  });

  it('validates arity and qubits at build time', () => {
    expect(() => new CircuitBuilder(2).gate('cx', [0]).build()).toThrow(/acts on 2 qubit/);
    expect(() => new CircuitBuilder(2).gate('rx', [0], []).build()).toThrow(/takes 1 parameter/);
    expect(() => new CircuitBuilder(2).cx(0, 0).build()).toThrow(/used twice/);
    expect(() => new CircuitBuilder(2).h(2).build()).toThrow(QError);
  });

  it('tracks parameters, binds partially and inverts exactly', () => {
    const c = new CircuitBuilder(2)
      .ry('a', 0)
      .crz(addAngles(scaleAngle(sym('b'), 2), 1), 0, 1)
      .rx('a', 1)
      .build();
    expect(c.parameters).toEqual(['a', 'b']);
    const half = bindCircuit(c, { a: 0.3 });
    expect(half.parameters).toEqual(['b']);
    const rng = createRng(8);
    const r = randomCircuit(rng, 3, 25, { controls: true });
    const both = new CircuitBuilder(3).compose(r).compose(inverseCircuit(r)).build();
    const s = statevector(both);
    expect(s[0]).toBeCloseTo(1, 12);
    expect(depth(new CircuitBuilder(3).h(0).cx(0, 1).cx(1, 2).h(0).build())).toBe(3);
  });
});

describe('Pauli observables', () => {
  it('parses dense and sparse forms with qubit 0 rightmost', () => {
    expect(parsePauliSum('Z0')).toEqual([{ coeff: 1, pauli: 'Z' }]);
    expect(parsePauliSum('0.5*X2 Z0 - 1e-3*YY')).toEqual([
      { coeff: 0.5, pauli: 'XIZ' },
      { coeff: -1e-3, pauli: 'YY' },
    ]);
    expect(pauliAt('XIZ', 0)).toBe('Z');
    expect(pauliAt('XIZ', 2)).toBe('X');
    expect(pauliTerm({ 1: 'Y' }, 2)).toEqual({ coeff: 2, pauli: 'YI' });
    expect(() => parsePauliSum('Q3')).toThrow(/not a Pauli factor/);
    expect(() => parsePauliSum('Z0 +')).toThrow(/missing term/);
    expect(() => parsePauliSum('')).toThrow(/empty/);
  });
});
