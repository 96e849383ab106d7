import { describe, expect, it } from 'vitest';
import {
  addAngles,
  gateNames,
  getGate,
  makeCircuit,
  QError,
  scaleAngle,
  sym,
  type Angle,
  type Circuit,
  type Instruction,
} from '../../src/index.js';
import { emitQasm, emitQasmDetailed, qasmToCircuit, type Dialect } from '../../qasm/index.js';
import { EXTRA_GATE_DEFS } from '../../qasm/dialects.js';
import { circuitUnitary, maxDiff, prng } from './helpers.js';

const ALL_GATES = gateNames();
const IBM_BASIS = ['cz', 'id', 'rz', 'sx', 'x'];

function thrown(fn: () => unknown): QError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(QError);
    return e as QError;
  }
  throw new Error('expected an error');
}

/** A random 2x2 unitary: U(θ, φ, λ) times a random phase. */
function randomU2(r: () => number): number[] {
  const m = getGate('U').matrix([r() * 6, r() * 6 - 3, r() * 6 - 3]);
  const g = r() * 6;
  const out: number[] = [];
  for (let k = 0; k < 8; k += 2) out.push(m[k] * Math.cos(g) - m[k + 1] * Math.sin(g), m[k] * Math.sin(g) + m[k + 1] * Math.cos(g));
  return out;
}

interface GenOptions {
  gates: readonly string[];
  controls: boolean;
  unitary: boolean;
  symbols: readonly string[];
}

function randomCircuit(r: () => number, o: GenOptions): Circuit {
  const n = 1 + Math.floor(r() * 4);
  const ops: Instruction[] = [];
  const count = 1 + Math.floor(r() * 8);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const angle = (): Angle => {
    if (o.symbols.length === 0 || r() < 0.5) return (r() * 2 - 1) * 7;
    const s = pick(o.symbols);
    let a: Angle = scaleAngle(sym(s), pick([1, -1, 2, 0.5, 0.3, -1.7]));
    if (r() < 0.5) a = addAngles(a, (r() - 0.5) * 4);
    if (r() < 0.3) a = addAngles(a, scaleAngle(sym(pick(o.symbols)), 0.25));
    return a;
  };
  const shuffled = (): number[] => {
    const qs = Array.from({ length: n }, (_, i) => i);
    for (let i = qs.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [qs[i], qs[j]] = [qs[j], qs[i]];
    }
    return qs;
  };
  for (let k = 0; k < count; k++) {
    if (o.unitary && r() < 0.1) {
      const qs = shuffled();
      const ctrl = o.controls && n > 1 && r() < 0.5 ? 1 : 0;
      ops.push({
        op: 'unitary',
        qubits: qs.slice(0, ctrl + 1),
        params: [],
        matrix: randomU2(r),
        ...(ctrl ? { ctrl, ctrlState: Math.floor(r() * 2) } : {}),
      });
      continue;
    }
    const fits = o.gates.filter((g) => getGate(g).numQubits <= n);
    const g = getGate(pick(fits));
    const free = n - g.numQubits;
    const ctrl = o.controls && free > 0 && r() < 0.35 ? 1 + Math.floor(r() * Math.min(2, free)) : 0;
    if (g.numQubits === 0 && ctrl === 0 && r() < 0.5) continue;
    const qs = shuffled().slice(0, ctrl + g.numQubits);
    const ins: Instruction = { op: g.name, qubits: qs, params: g.paramNames.map(angle) };
    ops.push(ctrl ? { ...ins, ctrl, ...(r() < 0.5 ? { ctrlState: Math.floor(r() * (1 << ctrl)) } : {}) } : ins);
  }
  const measured = r() < 0.4;
  if (measured) for (let q = 0; q < n; q++) ops.push({ op: 'measure', qubits: [q], params: [], clbits: [n - 1 - q] });
  return makeCircuit(n, measured ? n : 0, ops);
}

/** parse(emit(c)) has c's unitary (exactly, global phase included) for random parameter values. */
function checkRoundTrip(c: Circuit, dialect: Dialect, r: () => number, extra: Parameters<typeof emitQasm>[1] = {}): void {
  const { source, parameterMap } = emitQasmDetailed(c, { dialect, ...extra });
  let back: Circuit;
  try {
    back = qasmToCircuit(source);
  } catch (e) {
    throw new Error(`${(e as Error).message}\n--- emitted (${dialect}) ---\n${source}`);
  }
  // text on physical qubits ($n) does not state the width: unused top qubits are not in it
  if (dialect === 'ibm' || extra.physicalQubits || extra.verbatim) {
    expect(back.numQubits).toBeLessThanOrEqual(c.numQubits);
    back = makeCircuit(c.numQubits, back.numClbits, back.ops);
  }
  expect(back.numQubits).toBe(c.numQubits);
  expect(back.numClbits).toBe(c.numClbits);
  expect(new Set(back.parameters)).toEqual(new Set(c.parameters.map((p) => parameterMap[p])));
  const bind: Record<string, number> = {};
  const bindBack: Record<string, number> = {};
  for (const p of c.parameters) {
    bind[p] = (r() - 0.5) * 8;
    bindBack[parameterMap[p]] = bind[p];
  }
  const d = maxDiff(circuitUnitary(c, bind), circuitUnitary(back, bindBack));
  if (!(d < 1e-10)) throw new Error(`unitary differs by ${d} (${dialect})\n${source}`);
  const meas = (x: Circuit) => x.ops.filter((i) => i.op === 'measure').map((i) => [i.qubits[0], i.clbits?.[0]]);
  expect(meas(back)).toEqual(meas(c));
}

describe('emitter: gate definitions', () => {
  it('defines every non-stdgates gate exactly, global phase included', () => {
    for (const name of Object.keys(EXTRA_GATE_DEFS)) {
      const g = getGate(name);
      const params = g.paramNames.map((_, i) => 0.37 + 0.91 * i);
      const c = makeCircuit(g.numQubits, 0, [{ op: name, qubits: g.numQubits === 2 ? [0, 1] : [0], params }]);
      const text = emitQasm(c);
      expect(text).toContain(`gate ${name}`);
      const back = qasmToCircuit(text);
      expect(maxDiff(circuitUnitary(back), g.matrix(params)), name).toBeLessThan(1e-12);
    }
  });

  it('prints angles exactly, with pi fractions where exact', () => {
    const c = makeCircuit(1, 0, [
      { op: 'rz', qubits: [0], params: [Math.PI / 2] },
      { op: 'rz', qubits: [0], params: [(-3 * Math.PI) / 4] },
      { op: 'rz', qubits: [0], params: [0.1 + 0.2] },
      { op: 'rz', qubits: [0], params: [addAngles(scaleAngle(sym('theta'), 2), Math.PI / 2)] },
      { op: 'rz', qubits: [0], params: [addAngles(scaleAngle(sym('theta'), -1e-7), -0.5)] },
    ]);
    const text = emitQasm(c);
    expect(text).toContain('rz(pi/2) q[0];');
    expect(text).toContain('rz(-3*pi/4) q[0];');
    expect(text).toContain('rz(0.30000000000000004) q[0];');
    expect(text).toContain('rz(2*theta + pi/2) q[0];');
    expect(text).toContain('rz(-1e-7*theta - 0.5) q[0];');
    expect(text).toContain('input float[64] theta;');
    const back = qasmToCircuit(text);
    expect(back.ops.map((o) => o.params[0])).toEqual(c.ops.map((o) => o.params[0]));
    expect(emitQasm(c, { precision: 3 })).toContain('rz(0.3) q[0];');
  });

  it('sanitises parameter names deterministically and reports the map', () => {
    const c = makeCircuit(1, 0, [
      { op: 'rx', qubits: [0], params: [sym('w[3]')] },
      { op: 'ry', qubits: [0], params: [sym('layer.1-a')] },
      { op: 'rz', qubits: [0], params: [sym('w_3_')] },
      { op: 'rz', qubits: [0], params: [sym('pi_')] },
      { op: 'rz', qubits: [0], params: [sym('q')] },
    ]);
    const { source, parameterMap } = emitQasmDetailed(c);
    expect(parameterMap).toEqual({ 'w[3]': 'w_3_', 'layer.1-a': 'layer_1_a', w_3_: 'w_3__1', pi_: 'pi_', q: 'q_1' });
    expect(source).toContain('qubit[1] q;');
    expect(emitQasmDetailed(c).source).toBe(source);
  });

  it('decomposes 1-qubit unitaries and refuses larger ones', () => {
    const r = prng(7);
    for (let k = 0; k < 20; k++) {
      const c = makeCircuit(2, 0, [
        { op: 'unitary', qubits: [1], params: [], matrix: randomU2(r) },
        { op: 'unitary', qubits: [0, 1], params: [], matrix: randomU2(r), ctrl: 1, ctrlState: k % 2 },
      ]);
      checkRoundTrip(c, 'generic', r);
    }
    const big = makeCircuit(2, 0, [{ op: 'unitary', qubits: [0, 1], params: [], matrix: Array.from(getGate('cx').matrix([])) }]);
    const e = thrown(() => emitQasm(big));
    expect(e.code).toBe('UNSUPPORTED');
    expect(e.message).toMatch(/2-qubit 'unitary'/);
  });
});

describe('emitter: dialects', () => {
  const bell = makeCircuit(2, 2, [
    { op: 'h', qubits: [0], params: [] },
    { op: 'cx', qubits: [0, 1], params: [] },
    { op: 'rz', qubits: [1], params: [sym('theta')] },
    { op: 'measure', qubits: [0], params: [], clbits: [0] },
    { op: 'measure', qubits: [1], params: [], clbits: [1] },
  ]);

  it('generic: virtual registers and stdgates', () => {
    expect(emitQasm(bell)).toBe(
      'OPENQASM 3.0;\ninclude "stdgates.inc";\ninput float[64] theta;\nqubit[2] q;\nbit[2] c;\nh q[0];\ncx q[0], q[1];\nrz(theta) q[1];\nc[0] = measure q[0];\nc[1] = measure q[1];\n',
    );
  });

  it('ibm: physical qubits, basis gates only, COMPILE error otherwise', () => {
    const isa = makeCircuit(2, 1, [
      { op: 'rz', qubits: [0], params: [Math.PI / 2] },
      { op: 'sx', qubits: [0], params: [] },
      { op: 'cz', qubits: [0, 1], params: [] },
      { op: 'delay', qubits: [1], params: [], durationS: 1e-7 },
      { op: 'measure', qubits: [1], params: [], clbits: [0] },
    ]);
    const text = emitQasm(isa, { dialect: 'ibm' });
    expect(text).toBe(
      'OPENQASM 3.0;\ninclude "stdgates.inc";\nbit[1] c;\nrz(pi/2) $0;\nsx $0;\ncz $0, $1;\ndelay[100ns] $1;\nc[0] = measure $1;\n',
    );
    const e = thrown(() => emitQasm(bell, { dialect: 'ibm' }));
    expect(e.code).toBe('COMPILE');
    expect(e.message).toMatch(/gate 'h' .* not in the IBM basis .*compile the circuit for the target first/);
    expect(() => emitQasm(bell, { dialect: 'ibm', basisGates: ['h', 'cx', 'rz'] })).not.toThrow();
    const ctl = makeCircuit(2, 0, [{ op: 'x', qubits: [0, 1], params: [], ctrl: 1 }]);
    expect(thrown(() => emitQasm(ctl, { dialect: 'ibm', basisGates: ['x'] })).message).toMatch(/controlled 'x'/);
  });

  it('braket: Braket names, no include, optional physical qubits and verbatim boxes', () => {
    const text = emitQasm(bell, { dialect: 'braket' });
    expect(text).toBe(
      'OPENQASM 3.0;\ninput float[64] theta;\nqubit[2] q;\nbit[2] c;\nh q[0];\ncnot q[0], q[1];\nrz(theta) q[1];\nc[0] = measure q[0];\nc[1] = measure q[1];\n',
    );
    const native = makeCircuit(2, 2, [
      { op: 'prx', qubits: [0], params: [0.5, 0.25] },
      { op: 'cz', qubits: [0, 1], params: [] },
      { op: 'measure', qubits: [0], params: [], clbits: [0] },
      { op: 'measure', qubits: [1], params: [], clbits: [1] },
    ]);
    const v = emitQasm(native, { dialect: 'braket', verbatim: true, nativeGates: ['prx', 'cz'] });
    expect(v).toBe(
      'OPENQASM 3.0;\nbit[2] c;\n#pragma braket verbatim\nbox {\n  prx(0.5, 0.25) $0;\n  cz $0, $1;\n}\nc[0] = measure $0;\nc[1] = measure $1;\n',
    );
    expect(qasmToCircuit(v).ops.map((o) => o.op)).toEqual(['prx', 'cz', 'measure', 'measure']);
    const e = thrown(() => emitQasm(bell, { dialect: 'braket', verbatim: true, nativeGates: ['prx', 'cz'] }));
    expect(e.code).toBe('COMPILE');
    expect(e.message).toMatch(/gate 'h'/);
    const many = makeCircuit(3, 0, [
      { op: 'ch', qubits: [0, 1], params: [] },
      { op: 'u3', qubits: [2], params: [0.1, 0.2, 0.3] },
      { op: 'cu', qubits: [0, 2], params: [0.1, 0.2, 0.3, 0.4] },
      { op: 'sdg', qubits: [1], params: [] },
      { op: 'rxx', qubits: [1, 2], params: [0.3] },
      { op: 'x', qubits: [0, 1, 2], params: [], ctrl: 2, ctrlState: 1 },
    ]);
    const b = emitQasm(many, { dialect: 'braket' });
    expect(b).toContain('ctrl @ h q[0], q[1];');
    expect(b).toContain('si q[1];');
    expect(b).toContain('xx(0.3) q[1], q[2];');
    expect(b).toContain('ctrl @ negctrl @ x q[0], q[1], q[2];');
    checkRoundTrip(many, 'braket', prng(3));
  });

  it('ionq: virtual qubits only', () => {
    const text = emitQasm(bell, { dialect: 'ionq' });
    expect(text).not.toMatch(/\$\d/);
    expect(text).toContain('qubit[2] q;');
  });

  it('keeps register names, annotations and pragmas in generic', () => {
    const c = qasmToCircuit(
      'OPENQASM 3.0;\ninclude "stdgates.inc";\n#pragma braket noise bit_flip(0.1) a[0]\nqubit[2] a;\nqubit b;\nbit[3] out_;\n@keep\nh a[1];\nout_[1:2] = measure a[0:1];\n',
    );
    const text = emitQasm(c);
    expect(text).toContain('qubit[2] a;\nqubit[1] b;\nbit[3] out_;');
    expect(text).toContain('@keep\nh a[1];');
    expect(text).toContain('#pragma braket noise bit_flip(0.1) a[0]');
    expect(qasmToCircuit(text).ops[0].annotations).toEqual(['keep']);
  });
});

describe('round trip property: parse(emit(c)) == c', () => {
  const symbols = ['theta', 'phi', 'w[0]', 'layer.2'];
  const braketGates = ALL_GATES; // every registry gate has a Braket spelling (names, ctrl @ or U + gphase)
  const plans: { dialect: Dialect; o: GenOptions; extra?: Parameters<typeof emitQasm>[1] }[] = [
    { dialect: 'generic', o: { gates: ALL_GATES, controls: true, unitary: true, symbols } },
    { dialect: 'ionq', o: { gates: ALL_GATES, controls: true, unitary: true, symbols } },
    { dialect: 'braket', o: { gates: braketGates, controls: true, unitary: true, symbols } },
    { dialect: 'braket', o: { gates: braketGates, controls: true, unitary: true, symbols }, extra: { physicalQubits: true } },
    { dialect: 'ibm', o: { gates: IBM_BASIS, controls: false, unitary: false, symbols } },
    {
      dialect: 'ibm',
      o: { gates: ['ecr', 'rz', 'sx', 'x', 'rzz', 'rx'], controls: false, unitary: false, symbols },
      extra: { basisGates: ['ecr', 'rz', 'sx', 'x', 'rzz', 'rx'] },
    },
  ];
  for (const plan of plans) {
    const label = `${plan.dialect}${plan.extra?.basisGates ? ' (' + plan.extra.basisGates.join(',') + ')' : ''}${plan.extra?.physicalQubits ? ' ($n qubits)' : ''}`;
    it(`holds on 500 random circuits: ${label}`, () => {
      const r = prng(0xc0ffee + plans.indexOf(plan));
      const seen = new Set<string>();
      for (let i = 0; i < 500; i++) {
        const c = randomCircuit(r, plan.o);
        for (const ins of c.ops) seen.add(ins.op);
        checkRoundTrip(c, plan.dialect, r, plan.extra);
      }
      for (const g of plan.o.gates) expect(seen.has(g), `gate ${g} was generated`).toBe(true);
    });
  }
});
