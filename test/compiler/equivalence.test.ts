import { describe, expect, it } from 'vitest';
import { compile, createRng, gateNames, getGate, presetTarget, type Bindings, type Circuit } from '../../src/index.js';
import { SYMBOLS, equivalenceError, randomTestCircuit } from './equivalence.js';

/**
 * The compiler's property test (issue 5): 300 random circuits (1-8 qubits, 8-30 gates drawn from
 * every registered gate, with extra and negated controls, symbolic angles, and constant 1- and
 * 2-qubit `unitary` matrices, one of them controlled) compiled for the presets at levels 0-3 equal
 * their source up to global phase, layout and final permutation, to 1e-8, by simulation.
 *
 * Sampling (to stay inside CI time on two cores): the 20 (preset, level) combinations are numbered
 * c = 5·level + preset; circuit k is compiled for combinations k mod 20 and (k + 7) mod 20, so all
 * 300 circuits are compiled twice, each combination gets 30 different circuits, and the two
 * compilations of a circuit differ in both preset and level. QBRIDGE_COMPILE_FULL=1 compiles every
 * circuit for every combination (6000 compilations, a few minutes).
 */
const PRESETS = ['ibm_heron', 'ibm_eagle', 'ionq_forte', 'iqm_garnet', 'rigetti'] as const;
const LEVELS = [0, 1, 2, 3] as const;
const CIRCUITS = 300;
const FULL = process.env.QBRIDGE_COMPILE_FULL === '1';

const cases: { circuit: Circuit; bindings: Bindings }[] = Array.from({ length: CIRCUITS }, (_, k) => {
  const rng = createRng(7919 + k);
  const n = 1 + Math.floor(rng.next() * 8);
  const circuit = randomTestCircuit(rng, n);
  const bindings = Object.fromEntries(SYMBOLS.map((s) => [s, (rng.next() - 0.5) * 8]));
  return { circuit, bindings };
});

function circuitsFor(preset: number, level: number): number[] {
  const c = 5 * level + preset;
  return Array.from({ length: CIRCUITS }, (_, k) => k).filter((k) => FULL || k % 20 === c || (k + 7) % 20 === c);
}

describe('the sample', () => {
  it('uses all 300 circuits, every gate, up to 8 qubits, and every combination equally', () => {
    const seen = new Set<number>();
    for (const p of PRESETS.keys())
      for (const l of LEVELS) {
        const ks = circuitsFor(p, l);
        expect(ks.length).toBe(FULL ? CIRCUITS : 30);
        for (const k of ks) seen.add(k);
      }
    expect(seen.size).toBe(CIRCUITS);
    expect(Math.max(...cases.map((c) => c.circuit.numQubits))).toBe(8);
    const ops = new Set(cases.flatMap((c) => c.circuit.ops.map((i) => i.op)));
    expect(gateNames().filter((g) => getGate(g).numQubits > 0 && !ops.has(g))).toEqual([]);
  });
});

describe.each(PRESETS)('compile for %s', (name) => {
  it.each(LEVELS)('level %i: compiled circuits equal their source (up to phase, layout, permutation)', (level) => {
    const target = presetTarget(name);
    let worst = 0;
    for (const k of circuitsFor(PRESETS.indexOf(name), level)) {
      const { circuit: c, bindings } = cases[k];
      const r = compile(c, target, { level, seed: k });
      const err = equivalenceError(c, r, bindings, k);
      worst = Math.max(worst, err);
      expect(err, `circuit ${k} (${c.numQubits} qubits, ${c.ops.length} ops)`).toBeLessThan(1e-8);
    }
    expect(worst).toBeLessThan(1e-8);
  });
});
