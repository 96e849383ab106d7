/**
 * The statevector simulator against closed forms: Bell and GHZ states, the QFT of basis states (the
 * DFT), every registry gate's matrix applied to every basis state on shuffled qubits (plain and
 * under ctrl / negctrl modifiers), unitarity, exact inverses, and fused vs unfused programs.
 * Expected values are computed here from the gate matrices with code that does not use src/sim.
 */
import { describe, expect, it } from 'vitest';
import {
  CircuitBuilder,
  createRng,
  gateNames,
  getGate,
  inverseCircuit,
  prepare,
  runCounts,
  statevector,
  sym,
  type Angle,
  type Circuit,
  type Rng,
} from '../../src/index.js';
import { maxDiff, randomCircuit, shuffled } from '../helpers/random.js';

const PI = Math.PI;
const R2 = Math.SQRT1_2;

const dimOf = (m: ArrayLike<number>): number => Math.round(Math.sqrt(m.length / 2));

function matmul(a: Float64Array, b: Float64Array): Float64Array {
  const d = dimOf(a);
  const out = new Float64Array(2 * d * d);
  for (let r = 0; r < d; r++)
    for (let c = 0; c < d; c++) {
      let re = 0;
      let im = 0;
      for (let k = 0; k < d; k++) {
        const ar = a[2 * (r * d + k)],
          ai = a[2 * (r * d + k) + 1];
        const br = b[2 * (k * d + c)],
          bi = b[2 * (k * d + c) + 1];
        re += ar * br - ai * bi;
        im += ar * bi + ai * br;
      }
      out[2 * (r * d + c)] = re;
      out[2 * (r * d + c) + 1] = im;
    }
  return out;
}

function dagger(a: Float64Array): Float64Array {
  const d = dimOf(a);
  const out = new Float64Array(2 * d * d);
  for (let r = 0; r < d; r++)
    for (let c = 0; c < d; c++) {
      out[2 * (c * d + r)] = a[2 * (r * d + c)];
      out[2 * (c * d + r) + 1] = -a[2 * (r * d + c) + 1];
    }
  return out;
}

function identity(d: number): Float64Array {
  const m = new Float64Array(2 * d * d);
  for (let i = 0; i < d; i++) m[2 * (i * d + i)] = 1;
  return m;
}

/** The gate's matrix with `ctrl` extra controls on the low bits firing on `ctrlState` (qubits = controls ++ targets). */
function fullMatrix(op: string, params: readonly number[], ctrl = 0, ctrlState = (1 << ctrl) - 1): Float64Array {
  const base = getGate(op).matrix(params);
  const db = dimOf(base);
  const dc = 1 << ctrl;
  const d = db * dc;
  const m = new Float64Array(2 * d * d);
  for (let r = 0; r < d; r++)
    for (let c = 0; c < d; c++) {
      if (r % dc === ctrlState && c % dc === ctrlState) {
        const k = 2 * (Math.floor(r / dc) * db + Math.floor(c / dc));
        m[2 * (r * d + c)] = base[k];
        m[2 * (r * d + c) + 1] = base[k + 1];
      } else if (r === c) m[2 * (r * d + c)] = 1;
    }
  return m;
}

/** Column `b` of the n-qubit operator that applies `m` (qubits[j] = matrix bit j) and identity elsewhere. */
function expectedColumn(m: Float64Array, qubits: readonly number[], n: number, b: number): Float64Array {
  const d = dimOf(m);
  const mask = qubits.reduce((acc, q) => acc | (1 << q), 0);
  const sub = (i: number): number => qubits.reduce((acc, q, j) => acc | (((i >> q) & 1) << j), 0);
  const col = sub(b);
  const out = new Float64Array(2 << n);
  for (let i = 0; i < 1 << n; i++) {
    if ((i & ~mask) !== (b & ~mask)) continue;
    const row = sub(i);
    out[2 * i] = m[2 * (row * d + col)];
    out[2 * i + 1] = m[2 * (row * d + col) + 1];
  }
  return out;
}

const SPECIAL = [0, PI / 2, PI, -PI, PI / 4, 2 * PI];

/** Parameter sets for a gate: zeros, special angles (they select the skip/diagonal/anti-diagonal kernels), random ones. */
function paramSets(rng: Rng, count: number): number[][] {
  if (count === 0) return [[]];
  const sets: number[][] = [new Array<number>(count).fill(0)];
  for (let s = 0; s < 3; s++) sets.push(Array.from({ length: count }, () => SPECIAL[Math.floor(rng.next() * SPECIAL.length)]));
  for (let s = 0; s < 3; s++) sets.push(Array.from({ length: count }, () => (rng.next() * 2 - 1) * 2 * PI));
  return sets;
}

/** A random dense state on n qubits (a circuit of U gates and CNOTs), as a statevector. */
function denseState(rng: Rng, n: number): { circuit: CircuitBuilder; state: Float64Array } {
  const b = new CircuitBuilder(n);
  for (let q = 0; q < n; q++) b.u(rng.next() * PI, (rng.next() * 2 - 1) * PI, (rng.next() * 2 - 1) * PI, q);
  for (let q = 0; q + 1 < n; q++) b.cx(q, q + 1);
  for (let q = 0; q < n; q++) b.u(rng.next() * PI, (rng.next() * 2 - 1) * PI, (rng.next() * 2 - 1) * PI, q);
  return { circuit: b, state: statevector(b.build()) };
}

describe('closed-form states', () => {
  it('Bell state', () => {
    const s = statevector(new CircuitBuilder(2).h(0).cx(0, 1).build());
    expect(maxDiff(s, [R2, 0, 0, 0, 0, 0, R2, 0])).toBeLessThan(1e-15);
  });

  it('GHZ(n) for n = 1..12, and its counts hold only 0...0 and 1...1', () => {
    for (let n = 1; n <= 12; n++) {
      const b = new CircuitBuilder(n).h(0);
      for (let q = 0; q + 1 < n; q++) b.cx(q, q + 1);
      const c = b.build();
      const s = statevector(c);
      const want = new Float64Array(2 << n);
      want[0] = R2;
      want[2 * ((1 << n) - 1)] = R2;
      expect(maxDiff(s, want), `n=${n}`).toBeLessThan(1e-15);
      const counts = runCounts(c, { shots: 200, seed: n }).counts;
      expect(Object.keys(counts).sort(), `n=${n}`).toEqual(n === 0 ? [] : ['0'.repeat(n), '1'.repeat(n)]);
    }
  });

  it('QFT of every basis state equals the DFT column e^{2πi·xk/N}/√N', () => {
    for (let n = 1; n <= 6; n++) {
      const N = 1 << n;
      const xs = n <= 4 ? Array.from({ length: N }, (_, x) => x) : [0, 1, 5, N - 1, (N >> 1) + 3];
      for (const x of xs) {
        const b = new CircuitBuilder(n);
        for (let q = 0; q < n; q++) if ((x >> q) & 1) b.x(q);
        // Qubit n-1 is the most significant: H on it, then phases 2π/2^(j-m+1) controlled by each lower qubit m.
        for (let j = n - 1; j >= 0; j--) {
          b.h(j);
          for (let m = j - 1; m >= 0; m--) b.cp(PI / 2 ** (j - m), m, j);
        }
        for (let q = 0; q < n >> 1; q++) b.swap(q, n - 1 - q);
        const s = statevector(b.build());
        const want = new Float64Array(2 * N);
        for (let k = 0; k < N; k++) {
          const phi = (2 * PI * ((x * k) % N)) / N;
          want[2 * k] = Math.cos(phi) / Math.sqrt(N);
          want[2 * k + 1] = Math.sin(phi) / Math.sqrt(N);
        }
        expect(maxDiff(s, want), `n=${n} x=${x}`).toBeLessThan(1e-12);
      }
    }
  });
});

describe('every registry gate against its matrix', () => {
  const names = gateNames();

  it.each(names)('%s: matrix is unitary', (op) => {
    const g = getGate(op);
    const rng = createRng(3);
    for (const p of paramSets(rng, g.paramNames.length)) {
      const m = g.matrix(p);
      expect(m.length, `${op} matrix size`).toBe(2 * 4 ** g.numQubits);
      expect(maxDiff(matmul(dagger(m), m), identity(dimOf(m))), `${op}(${p.join(',')})`).toBeLessThan(1e-14);
    }
  });

  it.each(names)('%s: each basis state on 1-4 qubits, shuffled positions, plain, ctrl and negctrl', (op) => {
    const g = getGate(op);
    const rng = createRng(op.length * 7919 + op.charCodeAt(0));
    let cases = 0;
    for (let n = Math.max(1, g.numQubits); n <= 4; n++) {
      for (let ctrl = 0; ctrl <= Math.min(2, n - g.numQubits); ctrl++) {
        const states = ctrl === 0 ? [0] : Array.from({ length: 1 << ctrl }, (_, s) => s);
        for (const ctrlState of states) {
          for (const p of paramSets(rng, g.paramNames.length)) {
            const qubits = shuffled(rng, n).slice(0, g.numQubits + ctrl);
            const b = new CircuitBuilder(n);
            if (ctrl) b.controlled(op, qubits.slice(0, ctrl), qubits.slice(ctrl), p, ctrlState);
            else b.gate(op, qubits, p);
            const m = fullMatrix(op, p, ctrl, ctrlState);
            for (const fuse of ['none', 'all'] as const) {
              const prog = prepare(b.build(), { fuse });
              prog.bind(prog.values({}));
              for (let basis = 0; basis < 1 << n; basis++) {
                const s = new Float64Array(2 << n);
                s[2 * basis] = 1;
                prog.apply(s);
                const want = expectedColumn(m, qubits, n, basis);
                const what =
                  `${op}(${p.map((x) => x.toPrecision(5)).join(',')}) on [${qubits.join(',')}] of ${n}` +
                  `${ctrl ? `, ${ctrl} control(s) state ${ctrlState}` : ''}, basis ${basis}, fuse ${fuse}`;
                expect(maxDiff(s, want), what).toBeLessThan(1e-15);
                cases++;
              }
            }
          }
        }
      }
    }
    expect(cases).toBeGreaterThan(0);
  });

  it.each(names)('%s: symbolic angles give the same matrix as numbers', (op) => {
    const g = getGate(op);
    if (g.paramNames.length === 0) return;
    const rng = createRng(11);
    const n = Math.max(1, g.numQubits) + 1;
    for (const p of paramSets(rng, g.paramNames.length)) {
      const qubits = shuffled(rng, n).slice(0, g.numQubits);
      const { circuit: prep } = denseState(rng, n);
      const withNumbers = new CircuitBuilder(n).compose(prep.build()).gate(op, qubits, p).build();
      const bindings: Record<string, number> = {};
      const angles = p.map((v, k) => ((bindings[`v${k}`] = v), sym(`v${k}`)));
      const withSymbols = new CircuitBuilder(n).compose(prep.build()).gate(op, qubits, angles).build();
      expect(maxDiff(statevector(withSymbols, bindings), statevector(withNumbers)), `${op}(${p.join(',')})`).toBeLessThan(1e-15);
    }
  });

  it.each(names)('%s: followed by its inverse is the identity, with no phase (matrix and simulator)', (op) => {
    const g = getGate(op);
    const rng = createRng(17);
    for (const p of paramSets(rng, g.paramNames.length)) {
      // Matrices: product of the inverse calls times the gate.
      let prod = g.matrix(p);
      for (const call of g.inverse(p)) {
        const params = call.params.map((a) => {
          expect(typeof a, `${op}: inverse of numeric angles is numeric`).toBe('number');
          return a as number;
        });
        prod = matmul(getGate(call.op).matrix(params), prod);
      }
      expect(maxDiff(prod, identity(dimOf(prod))), `${op}(${p.join(',')}) · inverse`).toBeLessThan(1e-14);
      // Simulator: dense state, the gate (plain or under a negctrl + ctrl), then inverseCircuit of that gate.
      for (const ctrl of [0, 1, 2]) {
        const n = Math.max(1, g.numQubits) + ctrl + 1;
        const { circuit: prep, state } = denseState(rng, n);
        const qubits = shuffled(rng, n).slice(0, g.numQubits + ctrl);
        const bindings: Record<string, number> = {};
        const angles: Angle[] = p.map((v, k) => (k % 2 ? v : ((bindings[`w${k}`] = v), sym(`w${k}`))));
        const gate = new CircuitBuilder(n);
        if (ctrl) gate.controlled(op, qubits.slice(0, ctrl), qubits.slice(ctrl), angles, ctrl === 2 ? 1 : 0);
        else gate.gate(op, qubits, angles);
        const gc = gate.build();
        const c: Circuit = new CircuitBuilder(n).compose(prep.build()).compose(gc).compose(inverseCircuit(gc)).build();
        for (const fuse of ['all', 'none'] as const) {
          const prog = prepare(c, { fuse });
          const s = prog.run(prog.values(bindings));
          expect(maxDiff(s, state), `${op}(${p.join(',')}) ctrl=${ctrl} fuse=${fuse}`).toBeLessThan(1e-13);
        }
      }
    }
  });
});

/** A random unitary of dimension d: Gram-Schmidt on a random complex matrix's columns. */
function randomUnitary(rng: Rng, d: number): Float64Array {
  const cols: Float64Array[] = [];
  for (let c = 0; c < d; c++) {
    const v = new Float64Array(2 * d);
    for (let k = 0; k < 2 * d; k++) v[k] = rng.normal();
    for (const u of cols) {
      // v -= <u, v> u
      let pr = 0;
      let pi = 0;
      for (let k = 0; k < d; k++) {
        pr += u[2 * k] * v[2 * k] + u[2 * k + 1] * v[2 * k + 1];
        pi += u[2 * k] * v[2 * k + 1] - u[2 * k + 1] * v[2 * k];
      }
      for (let k = 0; k < d; k++) {
        v[2 * k] -= pr * u[2 * k] - pi * u[2 * k + 1];
        v[2 * k + 1] -= pr * u[2 * k + 1] + pi * u[2 * k];
      }
    }
    let norm = 0;
    for (let k = 0; k < 2 * d; k++) norm += v[k] * v[k];
    norm = Math.sqrt(norm);
    for (let k = 0; k < 2 * d; k++) v[k] /= norm;
    cols.push(v);
  }
  const m = new Float64Array(2 * d * d);
  for (let r = 0; r < d; r++)
    for (let c = 0; c < d; c++) {
      m[2 * (r * d + c)] = cols[c][2 * r];
      m[2 * (r * d + c) + 1] = cols[c][2 * r + 1];
    }
  return m;
}

describe("'unitary' instructions (the dense k-qubit kernel)", () => {
  it('1-4 qubit matrices on shuffled qubits of a 5-qubit register match the matrix, each basis state', () => {
    const rng = createRng(41);
    const n = 5;
    for (let k = 1; k <= 4; k++) {
      for (let trial = 0; trial < 4; trial++) {
        const m = randomUnitary(rng, 1 << k);
        expect(maxDiff(matmul(dagger(m), m), identity(1 << k))).toBeLessThan(1e-12);
        const qubits = shuffled(rng, n).slice(0, k);
        const prog = prepare(new CircuitBuilder(n).unitary(m, qubits).build(), { fuse: 'none' });
        prog.bind(prog.values({}));
        for (let basis = 0; basis < 1 << n; basis++) {
          const s = new Float64Array(2 << n);
          s[2 * basis] = 1;
          prog.apply(s);
          expect(
            maxDiff(s, expectedColumn(m, qubits, n, basis)),
            `${k}-qubit unitary on [${qubits.join(',')}], basis ${basis}`,
          ).toBeLessThan(1e-15);
        }
      }
    }
  });
});

describe('fusion', () => {
  it("fused ('all', 'constant') and unfused ('none') programs agree to 1e-12", () => {
    const rng = createRng(29);
    const symbols = ['a', 'b', 'c', 'd'];
    for (let i = 0; i < 120; i++) {
      const n = 1 + (i % 9);
      const c = randomCircuit(rng, n, 10 + 4 * n, { symbols, controls: true });
      // Runs of 1-qubit gates, so the fused path multiplies many matrices.
      const b = new CircuitBuilder(n).compose(c);
      for (let q = 0; q < n; q++) b.h(q).ry('a', q).rz('b', q).t(q).rx(0.3, q).sx(q).p('c', q).y(q);
      const circuit = b.compose(c).build();
      const bindings = Object.fromEntries(circuit.parameters.map((s) => [s, (rng.next() * 2 - 1) * 4]));
      const ref = prepare(circuit, { fuse: 'none' });
      const want = ref.run(ref.values(bindings));
      for (const fuse of ['all', 'constant'] as const) {
        const prog = prepare(circuit, { fuse });
        expect(prog.blocks.length, `circuit ${i}: ${fuse} fuses something`).toBeLessThan(ref.blocks.length);
        const got = prog.run(prog.values(bindings));
        expect(maxDiff(got, want), `circuit ${i} (${n} qubits), fuse ${fuse}`).toBeLessThan(1e-12);
        // A second binding through the same program (rebinding must not keep stale matrices).
        const again = Object.fromEntries(circuit.parameters.map((s) => [s, (rng.next() * 2 - 1) * 4]));
        const want2 = ref.run(ref.values(again));
        expect(maxDiff(prog.run(prog.values(again)), want2), `circuit ${i} rebinding, fuse ${fuse}`).toBeLessThan(1e-12);
      }
    }
  });
});
