import { describe, expect, it } from 'vitest';
import { adjointGradient, createRng, expectationValues, parameterShift, parsePauliSum, type Bindings } from '../../src/index.js';
import { randomCircuit } from '../helpers/random.js';

const SYMBOLS = ['a', 'b', 'c', 'd'];
const OBS = [parsePauliSum('Z0'), parsePauliSum('0.5*X0 Y1 - 0.3*Z1 Z2 + 0.2*Y2'), parsePauliSum('X0 X1 X2')];

function finiteDifference(c: Parameters<typeof expectationValues>[0], bindings: Bindings, name: string): number[] {
  // Richardson-extrapolated central differences: error O(h^4), well under 1e-8 here.
  const f = (h: number) => {
    const up = expectationValues(c, OBS, { ...bindings, [name]: bindings[name] + h });
    const dn = expectationValues(c, OBS, { ...bindings, [name]: bindings[name] - h });
    return up.map((u, k) => (u - dn[k]) / (2 * h));
  };
  const d1 = f(1e-3);
  const d2 = f(5e-4);
  return d1.map((x, k) => (4 * d2[k] - x) / 3);
}

describe('adjoint differentiation', () => {
  it('matches parameter shift and finite differences to 1e-8 on random parametric circuits over every gate', () => {
    const rng = createRng(2024);
    let worstPs = 0;
    let worstFd = 0;
    for (let trial = 0; trial < 40; trial++) {
      const n = 3 + (trial % 2);
      const c = randomCircuit(rng, n, 14, { symbols: SYMBOLS, controls: true });
      const bindings: Record<string, number> = {};
      for (const s of c.parameters) bindings[s] = (rng.next() * 2 - 1) * Math.PI;
      const adj = adjointGradient(c, OBS, bindings);
      const plan = parameterShift(c);
      const { batch, combine } = plan.expand(bindings);
      const ps = combine(batch.map((b) => expectationValues(plan.circuit, OBS, b)));
      c.parameters.forEach((name, j) => {
        const fd = finiteDifference(c, bindings, name);
        for (let k = 0; k < OBS.length; k++) {
          worstPs = Math.max(worstPs, Math.abs(adj.jacobian[k][j] - ps.jacobian[k][j]));
          worstFd = Math.max(worstFd, Math.abs(adj.jacobian[k][j] - fd[k]));
        }
      });
      for (let k = 0; k < OBS.length; k++) expect(adj.values[k]).toBeCloseTo(ps.values[k], 12);
    }
    expect(worstPs).toBeLessThan(1e-8);
    expect(worstFd).toBeLessThan(1e-8);
  });

  it('differentiates data inputs as well as weights, through affine expressions', () => {
    // <Z0> after RY(2x + w) on |0> is cos(2x + w).
    const rng = createRng(5);
    const c = randomCircuit(rng, 1, 0);
    void c;
    const x = 0.3;
    const w = -0.4;
    const circuit = {
      numQubits: 1,
      numClbits: 0,
      parameters: ['x', 'w'],
      ops: [
        {
          op: 'ry',
          qubits: [0],
          params: [
            {
              terms: [
                { name: 'x', coeff: 2 },
                { name: 'w', coeff: 1 },
              ],
              offset: 0,
            },
          ],
        },
      ],
    };
    const g = adjointGradient(circuit, [parsePauliSum('Z0')], { x, w });
    expect(g.values[0]).toBeCloseTo(Math.cos(2 * x + w), 14);
    expect(g.jacobian[0][0]).toBeCloseTo(-2 * Math.sin(2 * x + w), 14);
    expect(g.jacobian[0][1]).toBeCloseTo(-Math.sin(2 * x + w), 14);
  });

  it('names a missing binding', () => {
    const circuit = {
      numQubits: 1,
      numClbits: 0,
      parameters: ['theta'],
      ops: [{ op: 'rx', qubits: [0], params: [{ terms: [{ name: 'theta', coeff: 1 }], offset: 0 }] }],
    };
    expect(() => adjointGradient(circuit, [parsePauliSum('Z0')], {})).toThrow(/theta/);
  });
});
