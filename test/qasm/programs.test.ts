import { describe, expect, it } from 'vitest';
import { statevector, type Circuit } from '../../src/index.js';
import { qasmToCircuit, QasmError } from '../../qasm/index.js';
import { maxDiff, probabilitiesOf, simulate } from './helpers.js';

/**
 * Spec-style programs, simulated with the project's statevector engine (and cross-checked against
 * the dense reference in helpers.ts), compared with amplitudes worked out by hand.
 */
function run(c: Circuit, bindings: Record<string, number> = {}): Float64Array {
  const gates = { ...c, ops: c.ops.filter((o) => o.op !== 'measure' && o.op !== 'barrier') };
  const s = statevector(gates, bindings);
  expect(maxDiff(s, simulate(gates, bindings))).toBeLessThan(1e-12);
  return s;
}
const amp = (s: Float64Array, i: number): [number, number] => [s[2 * i], s[2 * i + 1]];

describe('example programs', () => {
  it('GHZ with a for loop', () => {
    const c = qasmToCircuit(`OPENQASM 3.0;
include "stdgates.inc";
const int n = 5;
qubit[n] q;
bit[n] c;
h q[0];
for int i in [0:n - 2] {
  cx q[i], q[i + 1];
}
c = measure q;
`);
    const p = probabilitiesOf(run(c));
    expect(p[0]).toBeCloseTo(0.5, 14);
    expect(p[31]).toBeCloseTo(0.5, 14);
    expect(c.ops.filter((o) => o.op === 'cx')).toHaveLength(4);
  });

  it('teleportation without feed-forward (deferred measurement)', () => {
    const theta = 1.1;
    const phi = 0.4;
    const c = qasmToCircuit(`OPENQASM 3.0;
include "stdgates.inc";
input float[64] theta;
input float[64] phi;
qubit msg;
qubit alice;
qubit bob;
// the state to send: U(theta, phi, 0)|0>
U(theta, phi, 0) msg;
// Bell pair
h alice;
cx alice, bob;
// Bell measurement basis change
cx msg, alice;
h msg;
// corrections controlled by the (deferred) measurement results
cx alice, bob;
cz msg, bob;
`);
    const s = run(c, { theta, phi });
    // bob (qubit 2) carries cos(θ/2)|0> + e^{iφ} sin(θ/2)|1> whatever msg and alice hold
    for (let m = 0; m < 4; m++) {
      const [a0r, a0i] = amp(s, m);
      const [a1r, a1i] = amp(s, m + 4);
      expect(Math.hypot(a0r, a0i)).toBeCloseTo(Math.cos(theta / 2) / 2, 14);
      expect(a0r).toBeCloseTo(Math.cos(theta / 2) / 2, 14);
      expect(a0i).toBeCloseTo(0, 14);
      expect(a1r).toBeCloseTo((Math.cos(phi) * Math.sin(theta / 2)) / 2, 14);
      expect(a1i).toBeCloseTo((Math.sin(phi) * Math.sin(theta / 2)) / 2, 14);
    }
  });

  const qft = (n: number, x: number) => `OPENQASM 3.0;
include "stdgates.inc";
const int n = ${n};
qubit[n] q;
// prepare |x>, qubit 0 least significant
for int b in [0:n - 1] { pow((${x} >> b) & 1) @ x q[b]; }
// QFT: most significant qubit first
for int j in [n - 1:-1:0] {
  h q[j];
  for int k in [j - 1:-1:0] { cp(pi / 2 ** (j - k)) q[k], q[j]; }
}
for int i in [0:${Math.floor(n / 2) - 1}] { swap q[i], q[n - 1 - i]; }
`;

  it('QFT maps |x> to the Fourier basis', () => {
    for (const [n, x] of [
      [3, 5],
      [4, 11],
    ]) {
      const N = 1 << n;
      const s = run(qasmToCircuit(qft(n, x)));
      for (let k = 0; k < N; k++) {
        const [re, im] = amp(s, k);
        expect(re).toBeCloseTo(Math.cos((2 * Math.PI * x * k) / N) / Math.sqrt(N), 12);
        expect(im).toBeCloseTo(Math.sin((2 * Math.PI * x * k) / N) / Math.sqrt(N), 12);
      }
    }
  });

  it('inverse QFT (inv @ a defined gate) undoes the QFT', () => {
    const src = `OPENQASM 3.0;
include "stdgates.inc";
gate qft3 a, b, c {
  h c; cp(pi/2) b, c; cp(pi/4) a, c;
  h b; cp(pi/2) a, b;
  h a;
  swap a, c;
}
qubit[3] q;
x q[1];
qft3 q[0], q[1], q[2];
`;
    const fwd = run(qasmToCircuit(src));
    for (let k = 0; k < 8; k++) {
      expect(amp(fwd, k)[0]).toBeCloseTo(Math.cos((2 * Math.PI * 2 * k) / 8) / Math.sqrt(8), 12);
      expect(amp(fwd, k)[1]).toBeCloseTo(Math.sin((2 * Math.PI * 2 * k) / 8) / Math.sqrt(8), 12);
    }
    const back = run(qasmToCircuit(src + 'inv @ qft3 q[0], q[1], q[2];\n'));
    expect(probabilitiesOf(back)[2]).toBeCloseTo(1, 12);
  });

  const cuccaro = (a: number, b: number) => `OPENQASM 3.0;
include "stdgates.inc";
gate majority a, b, c { cx c, b; cx c, a; ccx a, b, c; }
gate unmaj a, b, c { ccx a, b, c; cx c, a; cx a, b; }
qubit cin;
qubit[4] a;
qubit[4] b;
qubit cout;
bit[5] ans;
// inputs
for int i in [0:3] { pow((${a} >> i) & 1) @ x a[i]; }
for int i in [0:3] { pow((${b} >> i) & 1) @ x b[i]; }
// add a to b, storing the carry in cout
majority cin, b[0], a[0];
for int i in [0:2] { majority a[i], b[i + 1], a[i + 1]; }
cx a[3], cout;
for int i in [2:-1:0] { unmaj a[i], b[i + 1], a[i + 1]; }
unmaj cin, b[0], a[0];
ans[0:3] = measure b[0:3];
ans[4] = measure cout;
`;

  it('Cuccaro ripple-carry adder: 1 + 15 = 16 and 5 + 6 = 11', () => {
    for (const [a, b] of [
      [1, 15],
      [5, 6],
      [9, 9],
    ]) {
      const c = qasmToCircuit(cuccaro(a, b));
      expect(c.numQubits).toBe(10);
      const p = probabilitiesOf(run(c));
      const sum = a + b;
      // layout: cin = 0, a = 1..4, b = 5..8, cout = 9; a is restored, b holds the sum mod 16
      const expected = (a << 1) | ((sum & 15) << 5) | ((sum >> 4) << 9);
      expect(p[expected]).toBeCloseTo(1, 12);
    }
  });

  it('a gate with modifiers inside and outside its definition', () => {
    const c = qasmToCircuit(`OPENQASM 3.0;
include "stdgates.inc";
gate flipif(t) c, q {
  negctrl @ x c, q;
  ctrl @ pow(2) @ sx c, q;
  inv @ ry(-t) q;
}
qubit[3] q;
h q[0];
flipif(pi) q[0], q[1];
ctrl @ flipif(0) q[0], q[1], q[2];
`);
    // q0 in |+>; flipif: q1 ^= 1 in both branches (negctrl x on |0>, x = sx^2 on |1>), then ry(pi) on q1
    // second call controlled by q0: when q0 = 1, x on q2 (negctrl branch off, sx^2 on)... q1 is the gate's control
    const s = run(c);
    const p = probabilitiesOf(s);
    // after first gate: q1 = ry(pi) X |0> = ry(pi)|1> = -|0>  -> q1 = 0 in both branches
    // second gate (q0 control, q1 = 0 as the gate's c): negctrl @ x fires -> q2 flips when q0 = 1
    expect(p[0b000]).toBeCloseTo(0.5, 12);
    expect(p[0b101]).toBeCloseTo(0.5, 12);
  });
});

describe('unsupported constructs', () => {
  const cases: [string, string, number, number][] = [
    ['if', 'qubit q;\nbit c;\nc = measure q;\n  if (c == 1) x q;', 7, 3],
    ['while', 'qubit q;\nwhile (true) { h q; }', 5, 1],
    ['def', 'def f(qubit a) { h a; }', 4, 1],
    ['defcal', 'defcal x $0 { }', 4, 1],
    ['cal', 'cal { }', 4, 1],
    ['extern', 'extern f(int) -> int;', 4, 1],
    ['switch', 'int i = 1;\nswitch (i) { case 1 { } }', 5, 1],
    ['return', 'return;', 4, 1],
    ['let', 'qubit[2] q;\nlet a = q;', 5, 1],
  ];
  for (const [word, body, line, col] of cases) {
    it(`'${word}' gives UNSUPPORTED at ${line}:${col}`, () => {
      try {
        qasmToCircuit(`OPENQASM 3.0;\ninclude "stdgates.inc";\n// a comment\n${body}\n`);
        throw new Error('no error');
      } catch (e) {
        expect(e).toBeInstanceOf(QasmError);
        const q = e as QasmError;
        expect(q.code).toBe('UNSUPPORTED');
        expect([q.line, q.column]).toEqual([line, col]);
        expect(q.message).toContain(`'${word}'`);
        expect(q.message).toContain(`(line ${line}, column ${col})`);
      }
    });
  }
  it('uses the documented wording', () => {
    try {
      qasmToCircuit('OPENQASM 3.0;\nqubit q;\n\nwhile (true) { h q; }');
    } catch (e) {
      expect((e as QasmError).reason).toBe(
        "UNSUPPORTED: 'while' loops (line 4, column 1) are not supported: qbridge runs circuit-level OpenQASM 3",
      );
    }
  });
});
