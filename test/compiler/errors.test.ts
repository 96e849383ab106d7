import { describe, expect, it } from 'vitest';
import { CircuitBuilder, compile, makeCircuit, presetTarget, targetFromJSON, validateForTarget, type QError } from '../../src/index.js';

function errorOf(fn: () => unknown): QError {
  try {
    fn();
  } catch (e) {
    return e as QError;
  }
  throw new Error('expected an error');
}

/** Bad input: each a COMPILE or VALIDATION error that names the gate, qubit(s) or field. */
describe('compile: bad input', () => {
  it('a circuit wider than the device', () => {
    const c = new CircuitBuilder(21).h(0).cx(0, 20).build();
    const e = errorOf(() => compile(c, presetTarget('iqm_garnet')));
    expect(e.code).toBe('COMPILE');
    expect(e.message).toBe("the circuit uses 21 qubits but target 'iqm_garnet' has only 20");
  });

  it('a gate with no decomposition: a 3-qubit unitary matrix', () => {
    const m = new Array(128).fill(0);
    for (let i = 0; i < 8; i++) m[2 * (i * 8 + i)] = 1;
    const c = makeCircuit(3, 0, [
      { op: 'h', qubits: [0], params: [] },
      { op: 'unitary', qubits: [0, 1, 2], params: [], matrix: m },
    ]);
    const e = errorOf(() => compile(c, presetTarget('ibm_heron')));
    expect(e.code).toBe('COMPILE');
    expect(e.message).toContain('instruction 1 (unitary on qubits 0,1,2)');
    expect(e.message).toContain('no decomposition');
    expect(e.details).toMatchObject({ index: 1, gate: 'unitary', qubits: [0, 1, 2] });
  });

  it('a gate with no decomposition to a target without a 2-qubit gate', () => {
    const t = targetFromJSON({ name: 'lonely', numQubits: 2, instructions: { rz: { '0': {}, '1': {} }, sx: { '0': {}, '1': {} } } });
    const e = errorOf(() => compile(new CircuitBuilder(2).cx(0, 1).build(), t, { level: 0 }));
    expect(e.code).toBe('COMPILE');
    expect(e.message).toMatch(/gate 'cx' on .*qubits/);
    expect(e.message).toContain("target 'lonely'");
  });

  it('a target with no usable 1-qubit basis', () => {
    const t = targetFromJSON({ name: 'czonly', numQubits: 2, instructions: { cz: { '0,1': {} } } });
    const e = errorOf(() => compile(new CircuitBuilder(2).h(0).cz(0, 1).build(), t, { level: 1 }));
    expect(e.code).toBe('COMPILE');
    expect(e.message).toContain('1-qubit gate on qubit');
    expect(e.message).toContain("target 'czonly'");
  });

  it('a disconnected coupling map', () => {
    const t = targetFromJSON({
      name: 'islands',
      numQubits: 4,
      instructions: {
        cz: { '0,1': {}, '2,3': {} },
        rz: { '0': {}, '1': {}, '2': {}, '3': {} },
        sx: { '0': {}, '1': {}, '2': {}, '3': {} },
      },
    });
    const c = new CircuitBuilder(3).cx(0, 1).cx(1, 2).build();
    for (const level of [0, 2] as const) {
      const e = errorOf(() => compile(c, t, { level }));
      expect(e.code).toBe('COMPILE');
      expect(e.message).toContain("target 'islands' has a disconnected coupling map: its largest connected piece has 2 qubits");
    }
    // two independent pairs still compile: each pair lands on one island
    const ok = compile(new CircuitBuilder(4).cx(0, 1).cx(2, 3).build(), t, { level: 1 });
    expect(ok.stats.twoQubitGates).toBe(2);
  });

  it('a given layout that puts interacting qubits on different islands', () => {
    const t = targetFromJSON({
      name: 'islands',
      numQubits: 4,
      instructions: {
        cz: { '0,1': {}, '2,3': {} },
        rz: { '0': {}, '1': {}, '2': {}, '3': {} },
        sx: { '0': {}, '1': {}, '2': {}, '3': {} },
      },
    });
    const e = errorOf(() => compile(new CircuitBuilder(2).cx(0, 1).build(), t, { initialLayout: [0, 2] }));
    expect(e.code).toBe('COMPILE');
    expect(e.message).toContain('disconnected');
    expect(errorOf(() => compile(new CircuitBuilder(2).cx(0, 1).build(), t, { initialLayout: [0, 0] })).message).toContain(
      'physical qubit 0 twice',
    );
  });

  it('a bad level', () => {
    expect(errorOf(() => compile(new CircuitBuilder(1).h(0).build(), presetTarget('ionq_forte'), { level: 7 as never })).code).toBe(
      'VALIDATION',
    );
  });

  it('validation names the gate and qubits of a non-native or uncoupled instruction', () => {
    const t = presetTarget('ibm_eagle');
    let e = errorOf(() => validateForTarget(new CircuitBuilder(3).h(2).build(), t));
    expect(e.message).toContain("gate 'h' on qubits 2 is not native to target 'ibm_eagle'");
    e = errorOf(() => validateForTarget(new CircuitBuilder(3).ecr(0, 1).build(), t)); // Eagle runs ecr 1->0 only
    expect(e.message).toContain("gate 'ecr' on target 'ibm_eagle': qubits 0,1 are not a coupled pair in that direction");
    expect(e.details).toMatchObject({ gate: 'ecr', qubits: [0, 1] });
  });
});
