import { describe, expect, it } from 'vitest';
import {
  controlled,
  dagger,
  diffUpToPhase,
  gateDerivative,
  gateNames,
  getGate,
  identity,
  isUnitary,
  matmul,
  maxAbsDiff,
  shiftRule,
  shiftRuleFor,
  U,
} from '../../src/index.js';

const REQUIRED = [
  'p',
  'x',
  'y',
  'z',
  'h',
  's',
  'sdg',
  't',
  'tdg',
  'sx',
  'rx',
  'ry',
  'rz',
  'cx',
  'cy',
  'cz',
  'cp',
  'crx',
  'cry',
  'crz',
  'ch',
  'swap',
  'ccx',
  'cswap',
  'cu',
  'CX',
  'phase',
  'cphase',
  'id',
  'u1',
  'u2',
  'u3',
  'U',
  'rxx',
  'ryy',
  'rzz',
  'ecr',
  'iswap',
  'gpi',
  'gpi2',
  'ms',
  'prx',
  'gphase',
];

function params(n: number, seed: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.sin(seed * 7.3 + i * 1.9) * 3);
}

function productOf(calls: readonly { op: string; params: readonly unknown[] }[]): Float64Array {
  let m: Float64Array | undefined;
  for (const c of calls) {
    const g = getGate(c.op).matrix(c.params as number[]);
    m = m ? matmul(g, m) : g;
  }
  return m as Float64Array;
}

describe('gate registry', () => {
  it('has every stdgates.inc gate plus rxx, ryy, rzz, ecr, iswap, gpi, gpi2, ms and prx', () => {
    for (const g of REQUIRED) expect(gateNames()).toContain(g);
  });

  it('every matrix is unitary and every inverse is exact (no stray global phase)', () => {
    for (const name of gateNames()) {
      const g = getGate(name);
      for (let seed = 1; seed <= 3; seed++) {
        const p = params(g.paramNames.length, seed);
        const m = g.matrix(p);
        expect(isUnitary(m, 1e-12), name).toBe(true);
        const inv = productOf(g.inverse(p));
        expect(maxAbsDiff(matmul(inv, m), identity(1 << g.numQubits)), name).toBeLessThan(1e-12);
      }
    }
  });

  it('follows the stdgates.inc definitions', () => {
    const [t, f, l] = [0.7, -1.3, 2.1];
    const ph = (a: number) => [Math.cos(a), Math.sin(a)] as const;
    const scale = (m: Float64Array, a: number) => {
      const out = new Float64Array(m.length);
      const [c, s] = ph(a);
      for (let k = 0; k < m.length; k += 2) {
        out[k] = m[k] * c - m[k + 1] * s;
        out[k + 1] = m[k] * s + m[k + 1] * c;
      }
      return out;
    };
    // u3 = gphase(-(φ+λ)/2) U; u2(φ,λ) = gphase(-(φ+λ)/2) U(π/2, φ, λ); rx = U(θ, -π/2, π/2); rz = gphase(-λ/2) U(0,0,λ)
    expect(maxAbsDiff(getGate('u3').matrix([t, f, l]), scale(U(t, f, l), -(f + l) / 2))).toBeLessThan(1e-15);
    expect(maxAbsDiff(getGate('u2').matrix([f, l]), scale(U(Math.PI / 2, f, l), -(f + l) / 2))).toBeLessThan(1e-15);
    expect(maxAbsDiff(getGate('rx').matrix([t]), U(t, -Math.PI / 2, Math.PI / 2))).toBeLessThan(1e-15);
    expect(maxAbsDiff(getGate('rz').matrix([t]), scale(U(0, 0, t), -t / 2))).toBeLessThan(1e-15);
    expect(maxAbsDiff(getGate('x').matrix([]), U(Math.PI, 0, Math.PI))).toBeLessThan(1e-15);
    expect(maxAbsDiff(getGate('h').matrix([]), U(Math.PI / 2, 0, Math.PI))).toBeLessThan(1e-15);
    // cu(θ,φ,λ,γ) = p(γ) on the control, then ctrl @ U
    const pc = new Float64Array(32);
    for (let i = 0; i < 4; i++) {
      const [c, s] = (i & 1) === 1 ? ph(0.4) : [1, 0];
      pc[2 * (i * 4 + i)] = c;
      pc[2 * (i * 4 + i) + 1] = s;
    }
    expect(maxAbsDiff(getGate('cu').matrix([t, f, l, 0.4]), matmul(controlled(U(t, f, l), 1), pc))).toBeLessThan(1e-15);
    // sx² = x, s = t², iswap† built from rxx, ryy
    const sx = getGate('sx').matrix([]);
    expect(maxAbsDiff(matmul(sx, sx), getGate('x').matrix([]))).toBeLessThan(1e-15);
    const tt = getGate('t').matrix([]);
    expect(maxAbsDiff(matmul(tt, tt), getGate('s').matrix([]))).toBeLessThan(1e-15);
    // MS(0, 0, π/2) is exp(-iπ/4 X⊗X); GPI2(φ) = RZ(φ) RX(π/2) RZ(-φ); PRX(θ, φ) = RZ(φ) RX(θ) RZ(-φ)
    expect(maxAbsDiff(getGate('ms').matrix([0, 0, Math.PI / 2]), getGate('rxx').matrix([Math.PI / 2]))).toBeLessThan(1e-15);
    const rzf = getGate('rz').matrix([f]);
    const rzmf = getGate('rz').matrix([-f]);
    expect(maxAbsDiff(getGate('gpi2').matrix([f]), matmul(rzf, matmul(getGate('rx').matrix([Math.PI / 2]), rzmf)))).toBeLessThan(1e-15);
    expect(maxAbsDiff(getGate('prx').matrix([t, f]), matmul(rzf, matmul(getGate('rx').matrix([t]), rzmf)))).toBeLessThan(1e-15);
    expect(diffUpToPhase(getGate('gpi').matrix([f]), matmul(rzf, matmul(getGate('x').matrix([]), rzmf)))).toBeLessThan(1e-15);
    // ECR = (IX - XY)/√2 with qubit 0 the control, as Qiskit defines it; it is its own inverse
    const ecr = getGate('ecr').matrix([]);
    expect(maxAbsDiff(matmul(ecr, ecr), identity(4))).toBeLessThan(1e-15);
    expect(maxAbsDiff(dagger(ecr), ecr)).toBeLessThan(1e-15);
  });

  it('derivative matrices are exact for every parametric gate', () => {
    for (const name of gateNames()) {
      const g = getGate(name);
      for (let k = 0; k < g.paramNames.length; k++) {
        const p = params(g.paramNames.length, 5);
        const d = gateDerivative(g, p, k);
        const h = 1e-4;
        const f = (x: number) => g.matrix(p.map((v, i) => (i === k ? v + x : v)));
        const fd = (hh: number) => {
          const a = f(hh);
          const b = f(-hh);
          return a.map((v, i) => (v - b[i]) / (2 * hh));
        };
        const r1 = fd(h);
        const r2 = fd(h / 2);
        const rich = r2.map((v, i) => (4 * v - r1[i]) / 3);
        expect(maxAbsDiff(d, rich), `${name}[${k}]`).toBeLessThan(1e-10);
      }
    }
  });

  it('builds the textbook shift rules from spectra', () => {
    const r = shiftRule('rx', 0);
    expect(r.shifts).toEqual([Math.PI / 2, -Math.PI / 2]);
    expect(r.coeffs[0]).toBeCloseTo(0.5, 15);
    expect(r.coeffs[1]).toBeCloseTo(-0.5, 15);
    // controlled rotations: four terms at ±π/2, ±3π/2 with (√2 ± 1)/(4√2)
    const c = shiftRule('crx', 0);
    expect(c.shifts.length).toBe(4);
    const byShift = new Map(c.shifts.map((s, i) => [Math.round((s / Math.PI) * 2), c.coeffs[i]]));
    expect(byShift.get(1)).toBeCloseTo((Math.SQRT2 + 1) / (4 * Math.SQRT2), 14);
    expect(byShift.get(3)).toBeCloseTo(-(Math.SQRT2 - 1) / (4 * Math.SQRT2), 14);
    expect(shiftRuleFor({ unit: 2, max: 1 }).shifts).toEqual([Math.PI / 4, -Math.PI / 4]);
  });
});
