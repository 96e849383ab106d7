import { describe, expect, it } from 'vitest';
import {
  bindAngle,
  circuitUnitary,
  createRng,
  diffUpToPhase,
  eulerOf,
  gateNames,
  getGate,
  kron,
  makeCircuit,
  matmul,
  maxAbsDiff,
  scale,
  sym,
  synthesizeTwoQubit,
  unroll,
  zyzOf,
  type Instruction,
} from '../../src/index.js';
import { productMatrix } from '../../src/compiler/kak.js';

/**
 * The unroller drops only the circuit's global phase; every rule is exact including its own phase,
 * which turns into a relative phase under control. So each gate is checked plain and under one and
 * two (possibly negated) controls, where a wrong rule phase would show.
 */
const GATES = gateNames().filter((g) => getGate(g).numQubits > 0);

describe('unroll: every gate, plain and controlled, exactly (phase included)', () => {
  const rng = createRng(11);
  for (const name of GATES) {
    it(`${name}: 0, 1 and 2 extra controls, numeric and symbolic angles`, () => {
      const g = getGate(name);
      for (const extra of [0, 1, 2]) {
        for (const symbolic of [false, true]) {
          const n = g.numQubits + extra;
          const values = g.paramNames.map(() => (rng.next() - 0.5) * 9);
          const params = symbolic ? g.paramNames.map((_, i) => sym(`p${i}`)) : values;
          const bindings = Object.fromEntries(values.map((v, i) => [`p${i}`, v]));
          const perm = Array.from({ length: n }, (_, i) => i).reverse();
          const ins: Instruction = extra
            ? { op: name, qubits: perm, params, ctrl: extra, ctrlState: Math.floor(rng.next() * (1 << extra)) }
            : { op: name, qubits: perm, params };
          const c = makeCircuit(n, 0, [ins]);
          const u = unroll(c);
          expect(u.ops.every((o) => o.op === 'U' || o.op === 'cx')).toBe(true);
          expect(
            diffUpToPhase(circuitUnitary(u, bindings), circuitUnitary(c, bindings)),
            `${name} ctrl=${extra} symbolic=${symbolic}`,
          ).toBeLessThan(1e-10);
        }
      }
    });
  }

  it('1- and 2-qubit unitary matrices, plain and controlled', () => {
    for (let k = 0; k < 20; k++) {
      const u1 = getGate('U').matrix([rng.next() * 7, rng.next() * 7, rng.next() * 7]);
      const u2 = matmul(
        getGate('rxx').matrix([rng.next() * 7]),
        matmul(kron(u1, getGate('ry').matrix([rng.next()])), getGate('cu').matrix([1, 2, 3, 4])),
      );
      const ph = scale(u2, Math.cos(k), Math.sin(k));
      for (const [m, t] of [
        [u1, 1],
        [ph, 2],
      ] as const) {
        for (const ctrl of [0, 1, 2]) {
          const n = t + ctrl;
          const c = makeCircuit(n, 0, [
            {
              op: 'unitary',
              qubits: Array.from({ length: n }, (_, i) => (i + k) % n),
              params: [],
              matrix: Array.from(m),
              ...(ctrl ? { ctrl } : {}),
            },
          ]);
          expect(diffUpToPhase(circuitUnitary(unroll(c)), circuitUnitary(c))).toBeLessThan(1e-9);
        }
      }
    }
  });
});

describe('Euler and KAK synthesis', () => {
  it('zyzOf is exact even for nearly diagonal and nearly anti-diagonal matrices', () => {
    for (const t of [0, 1e-13, 3e-9, 0.4, Math.PI - 1e-12, Math.PI]) {
      const m = scale(getGate('U').matrix([t, 2.1, -0.7]), Math.cos(0.3), Math.sin(0.3));
      const e = zyzOf(m);
      const back = scale(getGate('U').matrix([e.theta, e.phi, e.lambda]), Math.cos(e.alpha), Math.sin(e.alpha));
      expect(maxAbsDiff(back, m)).toBeLessThan(1e-12);
    }
    expect(bindAngle(eulerOf('rz', [sym('a')]).alpha, { a: 2 })).toBeCloseTo(-1, 15); // rz(a) = e^{-ia/2} U(0, 0, a)
  });

  it('any 4x4 unitary: at most 3 CX, exact with the returned phase (500 random cases)', () => {
    const rng = createRng(5);
    const r1 = () => getGate('U').matrix([rng.next() * 7, rng.next() * 7, rng.next() * 7]);
    let worst = 0;
    for (let k = 0; k < 500; k++) {
      const gates = ['cx', 'iswap', 'ecr', 'swap', 'rxx', 'ryy', 'rzz', 'cp'];
      const g = getGate(gates[k % gates.length]);
      let m = matmul(kron(r1(), r1()), matmul(g.matrix(g.paramNames.map(() => rng.next() * 7)), kron(r1(), r1())));
      if (k % 3) m = matmul(getGate('rzz').matrix([rng.next() * 7]), m);
      const s = synthesizeTwoQubit(m);
      expect(s.ops.filter((o) => o.op === 'cx').length).toBeLessThanOrEqual(3);
      worst = Math.max(worst, maxAbsDiff(scale(productMatrix(s.ops), Math.cos(s.phase), Math.sin(s.phase)), m));
    }
    expect(worst).toBeLessThan(1e-10);
  });
});
