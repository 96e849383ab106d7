import { describe, expect, it } from 'vitest';
import {
  CircuitBuilder,
  compile,
  createRng,
  entanglersNeeded,
  getGate,
  kron,
  matmul,
  maxAbsDiff,
  presetTarget,
  quickEntanglerCount,
  scale,
  synthesizeTwoQubit,
  weylCoordinates,
  type CMatrix,
  type Rng,
} from '../../src/index.js';
import { productMatrix } from '../../src/compiler/kak.js';
import { equivalenceError } from './equivalence.js';

/**
 * Minimal 2-qubit synthesis: a unitary that is a product of 1-qubit gates needs no CX, one locally
 * equal to CX needs one, one whose canonical c coordinate is 0 needs two, the rest three. Each class
 * is generated as (random locals)·core·(random locals)·(random phase), so nothing about the class is
 * visible in the matrix entries.
 */
const u1 = (rng: Rng) => getGate('U').matrix([rng.next() * 7, rng.next() * 7, rng.next() * 7]);
const locals = (rng: Rng) => kron(u1(rng), u1(rng));
const dress = (rng: Rng, core: CMatrix) => {
  const a = rng.next() * 7;
  return scale(matmul(locals(rng), matmul(core, locals(rng))), Math.cos(a), Math.sin(a));
};
const g = (name: string, ...p: number[]) => getGate(name).matrix(p);

const CLASSES: readonly { name: string; need: 0 | 1 | 2 | 3; core: (rng: Rng) => CMatrix }[] = [
  { name: 'local', need: 0, core: () => kron(g('id'), g('id')) },
  { name: 'cx', need: 1, core: () => g('cx') },
  { name: 'cz', need: 1, core: () => g('cz') },
  { name: 'crx(pi)', need: 1, core: () => g('crx', Math.PI) },
  { name: 'cp(theta)', need: 2, core: (r) => g('cp', 0.1 + r.next() * 3) },
  { name: 'rxx·ryy', need: 2, core: (r) => matmul(g('rxx', r.next() * 7), g('ryy', r.next() * 7)) },
  { name: 'iswap', need: 2, core: () => g('iswap') },
  { name: 'swap·cx', need: 2, core: () => matmul(g('swap'), g('cx')) },
  {
    name: 'rxx·ryy·rzz',
    need: 3,
    core: (r) => matmul(g('rxx', 0.2 + r.next() * 2), matmul(g('ryy', 0.2 + r.next() * 2), g('rzz', 0.2 + r.next() * 2))),
  },
  { name: 'swap', need: 3, core: () => g('swap') },
  { name: 'swap·cp', need: 3, core: (r) => matmul(g('swap'), g('cp', 0.1 + r.next() * 3)) },
];

describe('KAK synthesis with the fewest entanglers', () => {
  for (const cls of CLASSES) {
    it(`${cls.name}: ${cls.need} CX, exact to 1e-8 with the returned phase (100 random dressings)`, () => {
      const rng = createRng(31 + cls.name.length);
      let worst = 0;
      for (let k = 0; k < 100; k++) {
        const u = dress(rng, cls.core(rng));
        const s = synthesizeTwoQubit(u);
        expect(s.ops.filter((o) => o.op === 'cx').length, `case ${k}`).toBe(cls.need);
        expect(entanglersNeeded(s.coefficients)).toBe(cls.need);
        expect(quickEntanglerCount(u)).toBe(cls.need);
        worst = Math.max(worst, maxAbsDiff(scale(productMatrix(s.ops), Math.cos(s.phase), Math.sin(s.phase)), u));
      }
      expect(worst).toBeLessThan(1e-8);
    });
  }

  it('canonical coordinates of named gates', () => {
    const q = Math.PI / 4;
    const close = (a: readonly number[], b: readonly number[]) => a.forEach((x, i) => expect(x).toBeCloseTo(b[i], 10));
    close(weylCoordinates(synthesizeTwoQubit(g('cx')).coefficients), [q, 0, 0]);
    close(weylCoordinates(synthesizeTwoQubit(g('iswap')).coefficients), [q, q, 0]);
    close(weylCoordinates(synthesizeTwoQubit(g('swap')).coefficients).map(Math.abs), [q, q, q]);
    close(weylCoordinates(synthesizeTwoQubit(g('rzz', 0.6)).coefficients), [0.3, 0, 0]);
  });

  it('compiled for CZ and ECR devices: a 4x4 unitary costs what its class needs, and stays exact', () => {
    const rng = createRng(77);
    for (const target of ['ibm_heron', 'ibm_eagle', 'iqm_garnet'].map(presetTarget)) {
      for (const cls of CLASSES) {
        const u = dress(rng, cls.core(rng));
        const c = new CircuitBuilder(2).unitary(u, [0, 1]).build();
        for (const level of [0, 2] as const) {
          const r = compile(c, target, { level });
          expect(r.stats.twoQubitGates, `${target.name} ${cls.name} level ${level}`).toBe(cls.need);
          expect(equivalenceError(c, r)).toBeLessThan(1e-8);
        }
      }
    }
  });

  it('consolidation re-synthesises gate runs that are cheaper than written', () => {
    const heron = presetTarget('ibm_heron');
    // rzz(0.3)·(H⊗H)·rzz(0.5)·(H⊗H) written with 4 CX is rzz·rxx: canonical c = 0, so 2 CZ.
    const zzxx = new CircuitBuilder(2).cx(0, 1).rz(0.3, 1).cx(0, 1).h(0).h(1).cx(0, 1).rz(0.5, 1).cx(0, 1).h(0).h(1).build();
    // Four alternating CX are SWAP·CX: 2 CZ, not 4.
    const swapcx = new CircuitBuilder(2).cx(0, 1).cx(1, 0).cx(0, 1).cx(1, 0).build();
    // A CX sandwich around a Z rotation stays 2; around an X rotation on the target it is 0.
    const cxrzcx = new CircuitBuilder(2).cx(0, 1).rz(0.7, 1).cx(0, 1).build();
    const cxrxcx = new CircuitBuilder(2).cx(0, 1).rx(0.7, 1).cx(0, 1).build();
    for (const [c, want] of [
      [zzxx, 2],
      [swapcx, 2],
      [cxrzcx, 2],
      [cxrxcx, 0],
    ] as const) {
      const r0 = compile(c, heron, { level: 0 });
      const r2 = compile(c, heron, { level: 2 });
      expect(r2.stats.twoQubitGates).toBe(want);
      expect(r0.stats.twoQubitGates).toBeGreaterThanOrEqual(want);
      expect(equivalenceError(c, r2)).toBeLessThan(1e-8);
    }
  });
});
