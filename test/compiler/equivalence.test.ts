import { describe, expect, it } from 'vitest';
import { CircuitBuilder, compile, createRng, getGate, kron, matmul, presetTarget, type Circuit, type Rng } from '../../src/index.js';
import { randomCircuit } from '../helpers/random.js';
import { equivalenceError } from './equivalence.js';

/**
 * The compiler's property test (issue 5): random circuits over every registered gate, with extra
 * (and negated) controls, symbolic angles and constant 1- and 2-qubit `unitary` matrices, compiled
 * for every preset at every level, equal their source up to global phase, layout and final
 * permutation to 1e-8. QBRIDGE_COMPILE_CASES sets circuits per (preset, level); the default 15 makes
 * 5 x 4 x 15 = 300 compilations.
 */
const PRESETS = ['ibm_heron', 'ibm_eagle', 'ionq_forte', 'iqm_garnet', 'rigetti'] as const;
const CASES = Number(process.env.QBRIDGE_COMPILE_CASES ?? 15);
const SYMBOLS = ['a', 'b', 'c'];

function randomU1(rng: Rng): Float64Array {
  return getGate('U').matrix([rng.next() * 7, rng.next() * 7, rng.next() * 7]);
}

function randomU2(rng: Rng): Float64Array {
  let m = kron(randomU1(rng), randomU1(rng));
  for (const g of ['rxx', 'ryy', 'rzz']) m = matmul(getGate(g).matrix([rng.next() * 7]), m);
  return matmul(kron(randomU1(rng), randomU1(rng)), m);
}

/** Up to 8 qubits, 8-30 gates of every kind, plus a few `unitary` matrices (one controlled). */
export function randomTestCircuit(rng: Rng, n: number): Circuit {
  const base = randomCircuit(rng, n, 8 + Math.floor(rng.next() * 22), { symbols: SYMBOLS, controls: true });
  const b = new CircuitBuilder(n).compose(base);
  const q = () => Math.floor(rng.next() * n);
  b.unitary(randomU1(rng), [q()]);
  if (n >= 2) {
    const a = q();
    const c = (a + 1 + Math.floor(rng.next() * (n - 1))) % n;
    b.unitary(randomU2(rng), [a, c]);
    b.append({
      op: 'unitary',
      qubits: [c, a],
      params: [],
      matrix: Array.from(randomU1(rng)),
      ctrl: 1,
      ctrlState: rng.next() < 0.5 ? 0 : 1,
    });
  }
  return b.build();
}

describe.each(PRESETS)('compile for %s', (name) => {
  it.each([0, 1, 2, 3] as const)('level %i: compiled circuits equal their source (up to phase, layout, permutation)', (level) => {
    const target = presetTarget(name);
    const rng = createRng(7919 * (PRESETS.indexOf(name) + 1) + level);
    let worst = 0;
    for (let k = 0; k < CASES; k++) {
      const n = 1 + Math.floor(rng.next() * 8);
      const c = randomTestCircuit(rng, n);
      const bindings = Object.fromEntries(SYMBOLS.map((s) => [s, (rng.next() - 0.5) * 8]));
      const r = compile(c, target, { level, seed: k });
      const err = equivalenceError(c, r, bindings, k);
      worst = Math.max(worst, err);
      expect(err, `case ${k} (${n} qubits, ${c.ops.length} ops)`).toBeLessThan(1e-8);
    }
    expect(worst).toBeLessThan(1e-8);
  });
});
