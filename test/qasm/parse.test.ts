import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { controlled, diffUpToPhase, getGate, kron, matmul, type Circuit, type ParamExpr } from '../../src/index.js';
import { formatQasmError, loadQasmFile, parseQasm, qasmToCircuit, QasmError } from '../../qasm/index.js';
import { circuitUnitary, maxDiff } from './helpers.js';

const HEAD = 'OPENQASM 3.0;\ninclude "stdgates.inc";\n';
const lower = (body: string): Circuit => qasmToCircuit(HEAD + body);
const opsOf = (c: Circuit) => c.ops.map((o) => [o.op, [...o.qubits], o.ctrl ?? 0, o.ctrlState]);

function qasmError(fn: () => unknown): QasmError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(QasmError);
    return e as QasmError;
  }
  throw new Error('expected a QasmError');
}

describe('lexer and expressions', () => {
  const angleOf = (expr: string): number => {
    const c = lower(`qubit q;\nrz(${expr}) q;`);
    return c.ops[0].params[0] as number;
  };

  it('evaluates literals, constants and functions', () => {
    expect(angleOf('1_000')).toBe(1000);
    expect(angleOf('0x1F')).toBe(31);
    expect(angleOf('0b101')).toBe(5);
    expect(angleOf('0o17')).toBe(15);
    expect(angleOf('1.5e-3')).toBe(1.5e-3);
    expect(angleOf('.25')).toBe(0.25);
    expect(angleOf('pi/2')).toBe(Math.PI / 2);
    expect(angleOf('π')).toBe(Math.PI);
    expect(angleOf('tau')).toBe(2 * Math.PI);
    expect(angleOf('τ / 4')).toBe(Math.PI / 2);
    expect(angleOf('euler')).toBe(Math.E);
    expect(angleOf('ℯ')).toBe(Math.E);
    expect(angleOf('-2**2')).toBe(-4);
    expect(angleOf('2**3**2')).toBe(512);
    expect(angleOf('7 % 3')).toBe(1);
    expect(angleOf('(1 + 2) * 3 - 4 / 2')).toBe(7);
    expect(angleOf('sin(pi/2) + cos(0) + sqrt(4) + exp(0) + log(1) + tan(0)')).toBeCloseTo(5, 15);
    expect(angleOf('arcsin(1) + arccos(1) + arctan(1)')).toBeCloseTo(Math.PI / 2 + Math.PI / 4, 15);
    expect(angleOf('float(3) / 2')).toBe(1.5);
  });

  it('uses const declarations of every numeric type', () => {
    const c = lower('const int n = 3;\nconst uint m = 2;\nconst float x = n * 0.5;\nconst angle a = pi / m;\nqubit[n] q;\nrz(x + a) q[m];');
    expect(c.numQubits).toBe(3);
    expect(c.ops[0].qubits).toEqual([2]);
    expect(c.ops[0].params[0]).toBe(1.5 + Math.PI / 2);
  });

  it('keeps input parameters symbolic and affine', () => {
    const c = lower(
      'input float[64] theta;\ninput angle[32] phi;\nqubit q;\nrx(2*theta + pi/2) q;\nry(theta/2) q;\nrz(-theta) q;\nU(theta, phi - theta, 3) q;',
    );
    expect(c.parameters).toEqual(['theta', 'phi']);
    expect(c.ops[0].params[0]).toEqual({ terms: [{ name: 'theta', coeff: 2 }], offset: Math.PI / 2 });
    expect(c.ops[1].params[0]).toEqual({ terms: [{ name: 'theta', coeff: 0.5 }], offset: 0 });
    expect(c.ops[2].params[0]).toEqual({ terms: [{ name: 'theta', coeff: -1 }], offset: 0 });
    expect((c.ops[3].params[1] as ParamExpr).terms).toEqual([
      { name: 'phi', coeff: 1 },
      { name: 'theta', coeff: -1 },
    ]);
  });

  it('rejects non-affine uses of inputs with their position', () => {
    const e1 = qasmError(() => lower('input float theta;\nqubit q;\nrx(sin(theta)) q;'));
    expect(e1.code).toBe('UNSUPPORTED');
    expect([e1.line, e1.column]).toEqual([5, 4]);
    expect(e1.message).toMatch(/non-affine use of input 'theta'/);
    const e2 = qasmError(() => lower('input float theta;\ninput float phi;\nqubit q;\nrx(theta * phi) q;'));
    expect(e2.code).toBe('UNSUPPORTED');
    expect(e2.line).toBe(6);
    const e3 = qasmError(() => lower('input float theta;\nqubit q;\nrx(1 / theta) q;'));
    expect(e3.code).toBe('UNSUPPORTED');
  });
});

describe('gates and modifiers', () => {
  it('maps ctrl @ on registry gates to the named controlled gates', () => {
    const c = lower(
      'qubit[3] q;\nctrl @ x q[0], q[1];\nctrl @ ctrl @ x q[0], q[1], q[2];\nctrl(2) @ x q[2], q[1], q[0];\nctrl @ z q[0], q[1];\nctrl @ p(0.1) q[0], q[1];\nctrl @ rx(0.2) q[0], q[1];\nctrl @ swap q[0], q[1], q[2];\nctrl @ cx q[0], q[1], q[2];',
    );
    expect(c.ops.map((o) => o.op)).toEqual(['cx', 'ccx', 'ccx', 'cz', 'cp', 'crx', 'cswap', 'ccx']);
    expect(c.ops.every((o) => o.ctrl === undefined)).toBe(true);
  });

  it('lowers ctrl @ gphase to a phase gate and negctrl to ctrlState', () => {
    const c = lower('qubit[3] q;\nctrl @ gphase(0.7) q[1];\nnegctrl @ x q[0], q[1];\nctrl @ negctrl @ ry(0.3) q[0], q[1], q[2];');
    expect(c.ops[0]).toMatchObject({ op: 'p', qubits: [1], params: [0.7] });
    expect(c.ops[1]).toMatchObject({ op: 'x', qubits: [0, 1], ctrl: 1, ctrlState: 0 });
    expect(c.ops[2]).toMatchObject({ op: 'ry', qubits: [0, 1, 2], ctrl: 2, ctrlState: 1 });
    // negctrl @ gphase: phase when the control is |0>
    const g = lower('qubit q;\nnegctrl @ gphase(0.7) q;');
    const u = circuitUnitary(g);
    expect(maxDiff(u, [Math.cos(0.7), Math.sin(0.7), 0, 0, 0, 0, 1, 0])).toBeLessThan(1e-15);
  });

  it('applies inv and integer pow', () => {
    const c = lower('qubit q;\ninv @ s q;\npow(2) @ t q;\npow(-2) @ s q;\ninv @ pow(3) @ rx(0.5) q;\npow(0) @ h q;');
    expect(opsOf(c).map((o) => o[0])).toEqual(['sdg', 't', 't', 'sdg', 'sdg', 'rx', 'rx', 'rx']);
    expect(c.ops[5].params[0]).toBe(-0.5);
  });

  it('computes non-integer powers', () => {
    const sqrtX = lower('qubit q;\npow(0.5) @ x q;');
    expect(sqrtX.ops[0].op).toBe('unitary');
    expect(maxDiff(circuitUnitary(sqrtX), getGate('sx').matrix([]))).toBeLessThan(1e-12);
    const sqrtZ = lower('qubit q;\npow(1/2) @ z q;');
    expect(maxDiff(circuitUnitary(sqrtZ), getGate('s').matrix([]))).toBeLessThan(1e-12);
    const rot = lower('input float t;\nqubit[2] q;\npow(0.25) @ rx(t) q[0];\npow(1.5) @ rzz(0.4) q[0], q[1];');
    expect(rot.ops[0].params[0]).toEqual({ terms: [{ name: 't', coeff: 0.25 }], offset: 0 });
    expect(rot.ops[1].params[0]).toBeCloseTo(0.6, 15);
    // (H^(1/3))^3 = H
    const h3 = lower('qubit q;\npow(1/3) @ h q;\npow(1/3) @ h q;\npow(1/3) @ h q;');
    expect(maxDiff(circuitUnitary(h3), getGate('h').matrix([]))).toBeLessThan(1e-12);
    // a defined 2-qubit gate: (CX-like body)^(1/2) squared
    const d = lower('gate g a, b { h b; cz a, b; h b; }\nqubit[2] q;\npow(0.5) @ g q[0], q[1];\npow(0.5) @ g q[0], q[1];');
    expect(maxDiff(circuitUnitary(d), getGate('cx').matrix([]))).toBeLessThan(1e-12);
    const e = qasmError(() => lower('input float t;\nqubit q;\npow(0.5) @ U(t, 0, 0) q;'));
    expect(e.code).toBe('UNSUPPORTED');
  });

  it('inlines gate definitions with parameters, inverses and controls', () => {
    const src = 'gate foo(a, b) x, y { rx(a) x; cx x, y; rz(b / 2) y; }\nqubit[3] q;\n';
    const plain = lower(src + 'foo(0.3, 0.8) q[0], q[1];');
    expect(plain.ops.map((o) => o.op)).toEqual(['rx', 'cx', 'rz']);
    const inv = lower(src + 'foo(0.3, 0.8) q[0], q[1];\ninv @ foo(0.3, 0.8) q[0], q[1];');
    expect(inv.ops.map((o) => o.op)).toEqual(['rx', 'cx', 'rz', 'rz', 'cx', 'rx']);
    expect(maxDiff(circuitUnitary(inv), circuitUnitary(lower('qubit[3] q;')))).toBeLessThan(1e-14);
    // ctrl @ foo equals the controlled matrix of foo
    const ctl = lower(src + 'ctrl @ foo(0.3, 0.8) q[2], q[0], q[1];');
    const fooU = circuitUnitary(lower('qubit[2] q;\nrx(0.3) q[0];\ncx q[0], q[1];\nrz(0.4) q[1];'));
    const expected = controlled(fooU, 1); // control on the low bit: reorder qubits [2,0,1] -> use permuted check
    const permuted = lower(src.replace('qubit[3] q;\n', '') + 'qubit[3] q;\nctrl @ foo(0.3, 0.8) q[0], q[1], q[2];');
    expect(maxDiff(circuitUnitary(permuted), expected)).toBeLessThan(1e-14);
    expect(ctl.ops.map((o) => o.op)).toEqual(['crx', 'ccx', 'crz']);
  });

  it('nests defined gates and modifiers inside definitions', () => {
    const c = lower(
      'gate a q { h q; }\ngate b(t) q, r { a q; ctrl @ a q, r; inv @ rz(t) r; pow(2) @ a r; }\nqubit[2] q;\nb(0.5) q[0], q[1];',
    );
    expect(c.ops.map((o) => o.op)).toEqual(['h', 'ch', 'rz', 'h', 'h']);
    expect(c.ops[2].params[0]).toBe(-0.5);
  });

  it('broadcasts over registers', () => {
    const c = lower('qubit[3] a;\nqubit[3] b;\nh a;\ncx a, b;\ncx a[0], b;\nrz(0.1) b[0:1];');
    expect(opsOf(c).map((o) => o[1])).toEqual([[0], [1], [2], [0, 3], [1, 4], [2, 5], [0, 3], [0, 4], [0, 5], [3], [4]]);
    const e = qasmError(() => lower('qubit[3] a;\nqubit[2] b;\ncx a, b;'));
    expect(e.message).toMatch(/different sizes/);
  });

  it('supports U, gphase, physical qubits and Braket gate names', () => {
    const c = qasmToCircuit(
      'OPENQASM 3;\nU(pi, 0, pi) $3;\ngphase(0.5);\ncnot $0, $3;\nphaseshift(0.2) $1;\nv $2;\nxx(0.3) $0, $1;\ncphaseshift(0.1) $0, $1;\nsi $0;\nti $0;\ni $0;\nvi $1;\nccnot $0, $1, $2;',
    );
    expect(c.numQubits).toBe(4);
    expect(c.ops.map((o) => o.op)).toEqual(['U', 'gphase', 'cx', 'p', 'sx', 'rxx', 'cp', 'sdg', 'tdg', 'id', 'sxdg', 'ccx']);
  });

  it('checks the Braket-only gate definitions against their matrices', () => {
    const c = (g: string) => circuitUnitary(qasmToCircuit(`OPENQASM 3;\nqubit[2] q;\n${g} q[0], q[1];`));
    const t = 0.7;
    const cs = Math.cos(t / 2);
    const sn = Math.sin(t / 2);
    // Braket XY(θ): [[1,0,0,0],[0,c,is,0],[0,is,c,0],[0,0,0,1]]
    const xy = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, cs, 0, 0, sn, 0, 0, 0, 0, 0, sn, cs, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0];
    expect(maxDiff(c(`xy(${t})`), xy)).toBeLessThan(1e-14);
    const e = [Math.cos(t), Math.sin(t)];
    const pswap = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, e[0], e[1], 0, 0, 0, 0, e[0], e[1], 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0];
    expect(maxDiff(c(`pswap(${t})`), pswap)).toBeLessThan(1e-14);
    // cphaseshift00/01/10 in Braket's big-endian labels: |q0 q1>, q0 most significant
    const diag = (k: number) => {
      const m = new Array(32).fill(0);
      for (let i = 0; i < 4; i++) m[2 * (i * 4 + i)] = 1;
      m[2 * (k * 4 + k)] = e[0];
      m[2 * (k * 4 + k) + 1] = e[1];
      return m;
    };
    // little-endian index of big-endian label b0 b1 = b0 + 2*b1
    expect(maxDiff(c(`cphaseshift00(${t})`), diag(0))).toBeLessThan(1e-14);
    expect(maxDiff(c(`cphaseshift01(${t})`), diag(2))).toBeLessThan(1e-14);
    expect(maxDiff(c(`cphaseshift10(${t})`), diag(1))).toBeLessThan(1e-14);
  });
});

describe('declarations, measurement, loops and timing', () => {
  it('measures in every form', () => {
    const c = lower(
      'qubit[2] q;\nbit[2] c;\nbit b;\nc = measure q;\nc[0] = measure q[1];\nmeasure q -> c;\nmeasure q[0] -> b;\nb = measure q[1];\nmeasure q;\nbit[2] d = measure q;',
    );
    const ms = c.ops.map((o) => [o.qubits[0], o.clbits?.[0]]);
    expect(ms).toEqual([
      [0, 0],
      [1, 1],
      [1, 0],
      [0, 0],
      [1, 1],
      [0, 2],
      [1, 2],
      [0, 3],
      [1, 4],
      [0, 5],
      [1, 6],
    ]);
    expect(c.numClbits).toBe(7);
    expect(c.clbitRegisters).toEqual([
      { name: 'c', size: 2 },
      { name: 'b', size: 1 },
      { name: 'd', size: 2 },
    ]);
    expect(qasmError(() => lower('qubit[2] q;\nbit[3] c;\nc = measure q;')).message).toMatch(/2 qubit\(s\) into 3 bit/);
  });

  it('unrolls for loops over ranges and sets with inclusive ends', () => {
    const idx = (body: string) => lower(`qubit[8] q;\n${body}`).ops.map((o) => o.qubits[0]);
    expect(idx('for int i in [0:3] { h q[i]; }')).toEqual([0, 1, 2, 3]);
    expect(idx('for uint i in [0:2:6] { h q[i]; }')).toEqual([0, 2, 4, 6]);
    expect(idx('for int i in [3:-1:0] { h q[i]; }')).toEqual([3, 2, 1, 0]);
    expect(idx('for i in {0, 2, 5} x q[i];')).toEqual([0, 2, 5]);
    expect(idx('const int n = 2;\nfor int i in [0:n] { for int j in [i:n] { h q[i + j]; } }')).toEqual([0, 1, 2, 2, 3, 4]);
    const a = lower('qubit q;\nfor int k in [1:3] { rz(k * pi / 4) q; }').ops.map((o) => o.params[0]);
    expect(a).toEqual([Math.PI / 4, (2 * Math.PI) / 4, (3 * Math.PI) / 4]);
    const e = qasmError(() => lower('input int n;\nqubit[4] q;\nfor int i in [0:n] { h q[i]; }'));
    expect(e.message).toMatch(/loop end must be a constant/);
    expect([e.line, e.column]).toEqual([5, 17]);
  });

  it('keeps pragmas and annotations', () => {
    const c = lower(
      '#pragma braket noise bit_flip(0.1) q[0]\npragma qbridge.shots 100\nqubit[2] q;\n@reversible\n@name foo bar\nh q[0];\nx q[1];',
    );
    expect(c.pragmas).toEqual(['braket noise bit_flip(0.1) q[0]', 'qbridge.shots 100']);
    expect(c.ops[0].annotations).toEqual(['reversible', 'name foo bar']);
    expect(c.ops[1].annotations).toBeUndefined();
  });

  it('accepts box, delay, durations and stretch', () => {
    const c = lower(
      'qubit[2] q;\nconst duration d = 100ns;\nstretch s;\nduration e = 2 * d + 1us;\nbox[1ms] { delay[d] q[0]; x q[1]; }\ndelay[e] q;\ndelay[s] q[1];\ndelay[20dt] q[0];\nbox { h q[0]; }',
    );
    expect(c.ops.map((o) => o.op)).toEqual(['delay', 'x', 'delay', 'delay', 'delay', 'h']);
    expect(c.ops[0].durationS).toBe(1e-7);
    expect(c.ops[2].durationS).toBeCloseTo(1.2e-6, 20);
    expect(c.ops[2].qubits).toEqual([0, 1]);
    expect(c.ops[3].durationS).toBeUndefined();
    expect(c.ops[4].durationS).toBeUndefined();
  });

  it('reset and barrier', () => {
    const c = lower('qubit[3] q;\nreset q;\nbarrier q[0], q[2];\nbarrier;');
    expect(c.ops.map((o) => [o.op, [...o.qubits]])).toEqual([
      ['reset', [0]],
      ['reset', [1]],
      ['reset', [2]],
      ['barrier', [0, 2]],
      ['barrier', [0, 1, 2]],
    ]);
  });

  it('sizes circuits on physical qubits by the largest index', () => {
    const c = qasmToCircuit('OPENQASM 3.0;\nbit[1] c;\nh $7;\nc[0] = measure $7;');
    expect(c.numQubits).toBe(8);
    expect(qasmError(() => qasmToCircuit('qubit q;\nh $0;')).message).toMatch(/cannot be mixed/);
  });
});

describe('OpenQASM 2.0', () => {
  it('parses qelib1 programs with U, CX and measure ->', () => {
    const src = `OPENQASM 2.0;
include "qelib1.inc";
qreg q[3];
creg c[3];
U(pi/2, 0, pi) q[0];
CX q[0], q[1];
u3(0.1, 0.2, 0.3) q[2];
u2(0.4, 0.5) q[1];
u1(0.6) q[0];
cu1(0.7) q[0], q[2];
cu3(0.1, 0.2, 0.3) q[1], q[2];
rzz(0.3) q[0], q[1];
ccx q[0], q[1], q[2];
c3x q[0], q[1], q[2], q[3 - 1 + 0];
barrier q;
measure q -> c;
measure q[0] -> c[1];
`;
    const c = qasmToCircuit(src.replace('c3x q[0], q[1], q[2], q[3 - 1 + 0];\n', ''));
    expect(c.ops.map((o) => o.op).slice(0, 9)).toEqual(['U', 'cx', 'U', 'U', 'p', 'cp', 'cu', 'rzz', 'ccx']);
    expect(c.ops[3].params).toEqual([Math.PI / 2, 0.4, 0.5]);
    expect(c.ops.filter((o) => o.op === 'measure')).toHaveLength(4);
    // qelib1 u3 is U exactly; cu3 is controlled U (no phase on the control)
    const cu3 = circuitUnitary(qasmToCircuit('OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\ncu3(0.1,0.2,0.3) q[0],q[1];'));
    expect(maxDiff(cu3, controlled(getGate('U').matrix([0.1, 0.2, 0.3]), 1))).toBeLessThan(1e-15);
    const rc = qasmToCircuit(
      'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[4];\nc3x q[0],q[1],q[2],q[3];\nrccx q[0],q[1],q[2];\ncsx q[0], q[1];',
    );
    expect(rc.ops[0]).toMatchObject({ op: 'x', ctrl: 3 });
    // rccx is a Toffoli up to relative phases: same |amplitudes|
    const u = circuitUnitary(qasmToCircuit('OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[3];\nrccx q[0],q[1],q[2];'));
    const t = getGate('ccx').matrix([]);
    for (let k = 0; k < u.length; k += 2) expect(Math.hypot(u[k], u[k + 1])).toBeCloseTo(Math.hypot(t[k], t[k + 1]), 12);
  });

  it('keeps stdgates u3 (with its global phase) in OpenQASM 3', () => {
    const three = circuitUnitary(lower('qubit[2] q;\nctrl @ u3(0.1, 0.2, 0.3) q[0], q[1];'));
    expect(maxDiff(three, controlled(getGate('u3').matrix([0.1, 0.2, 0.3]), 1))).toBeLessThan(1e-15);
    expect(maxDiff(three, controlled(getGate('U').matrix([0.1, 0.2, 0.3]), 1))).toBeGreaterThan(0.1);
  });
});

describe('includes and files', () => {
  it('resolves includes with a resolver and relative to a file', () => {
    const lib = 'gate bell a, b { h a; cx a, b; }\n';
    const c = qasmToCircuit('OPENQASM 3;\ninclude "lib.inc";\nqubit[2] q;\nbell q[0], q[1];', {
      includeResolver: (p) => (p === 'lib.inc' ? lib : undefined),
    });
    expect(c.ops.map((o) => o.op)).toEqual(['h', 'cx']);
    const dir = mkdtempSync(join(tmpdir(), 'qasm-'));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'lib.inc'), lib);
    writeFileSync(join(dir, 'main.qasm'), 'OPENQASM 3;\ninclude "stdgates.inc";\ninclude "sub/lib.inc";\nqubit[2] q;\nbell q[0], q[1];\n');
    writeFileSync(join(dir, 'bad.qasm'), 'OPENQASM 3;\n  include "missing.inc";\n');
    writeFileSync(join(dir, 'badlib.qasm'), 'OPENQASM 3;\ninclude "sub/broken.inc";\n');
    writeFileSync(join(dir, 'sub', 'broken.inc'), 'gate g a { h a }\n');
    expect(loadQasmFile(join(dir, 'main.qasm')).ops.map((o) => o.op)).toEqual(['h', 'cx']);
    const e = qasmError(() => loadQasmFile(join(dir, 'bad.qasm')));
    expect(e.file).toBe(join(dir, 'bad.qasm'));
    expect([e.line, e.column]).toEqual([2, 3]);
    expect(e.message).toMatch(/cannot find include file "missing.inc"/);
    const e2 = qasmError(() => loadQasmFile(join(dir, 'badlib.qasm')));
    expect(e2.file).toBe(join(dir, 'sub', 'broken.inc'));
    expect(formatQasmError(e2)).toBe(`${join(dir, 'sub', 'broken.inc')}:1:16: expected ';' but found '}'`);
    expect(qasmError(() => loadQasmFile(join(dir, 'nope.qasm'))).message).toMatch(/cannot read/);
  });

  it('returns an AST from parseQasm', () => {
    const p = parseQasm('OPENQASM 3.0;\nqubit[2] q;\nctrl @ x q[0], q[1];');
    expect(p.version).toBe(3);
    expect(p.statements[1]).toMatchObject({ k: 'call', name: 'x', line: 3, col: 1, modifiers: [{ k: 'ctrl' }] });
  });
});

describe('semantic errors', () => {
  const cases: [string, RegExp][] = [
    ['qubit q;\nrx(0.1, 0.2) q;', /takes 1 parameter\(s\) but got 2/],
    ['qubit[2] q;\ncx q[0];', /acts on 2 qubit\(s\) but got 1/],
    ['qubit q;\nfoo q;', /undefined gate 'foo'/],
    ['h r;', /undefined qubit register 'r'/],
    ['qubit[2] q;\nh q[2];', /index 2 is out of range/],
    ['qubit q;\nqubit q;', /'q' is already declared/],
    ['qubit[2] q;\ncx q[1], q[1];', /used twice/],
    ['gate g a { h a; }\ngate g a { x a; }', /already defined/],
    ['gate h a { x a; }', /already defined by stdgates/],
    ['qubit q;\nbit c;\nh c;', /bit register, not a qubit register/],
    ['qubit q;\nrx(x) q;', /undefined identifier 'x'/],
  ];
  for (const [body, re] of cases) {
    it(`reports ${re.source}`, () => {
      const e = qasmError(() => lower(body));
      expect(e.code).toBe('QASM_PARSE');
      expect(e.line).toBeGreaterThanOrEqual(3);
      expect(e.message).toMatch(re);
    });
  }
});

describe('unitary sanity', () => {
  it('matches the registry for a small circuit', () => {
    const c = lower('qubit[2] q;\nh q[0];\ncx q[0], q[1];');
    const expected = matmul(getGate('cx').matrix([]), kron(getGate('id').matrix([]), getGate('h').matrix([])));
    expect(diffUpToPhase(circuitUnitary(c), expected)).toBeLessThan(1e-15);
  });
});
