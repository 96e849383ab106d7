import { describe, expect, it } from 'vitest';
import { CircuitBuilder, compile, couplingGraph, presetTarget, runCounts, PRESET_TARGETS, type Circuit } from '../../src/index.js';

function qft(n: number): Circuit {
  const b = new CircuitBuilder(n);
  for (let i = n - 1; i >= 0; i--) {
    b.h(i);
    for (let j = i - 1; j >= 0; j--) b.cp(Math.PI / 2 ** (i - j), j, i);
  }
  for (let i = 0; i < n / 2; i++) b.swap(i, n - 1 - i);
  return b.build();
}

/** The compiled circuit restricted to the physical qubits it touches (to sample it). */
function compact(c: Circuit): Circuit {
  const used = [...new Set(c.ops.flatMap((i) => i.qubits))].sort((a, b) => a - b);
  const idx = new Map(used.map((p, i) => [p, i]));
  return { ...c, numQubits: used.length, ops: c.ops.map((i) => ({ ...i, qubits: i.qubits.map((q) => idx.get(q) as number) })) };
}

describe('layout and routing', () => {
  it('layouts are injective, every 2-qubit gate sits on a coupler, counts map back through measurements', () => {
    // A classical reversible circuit: its output bitstring is known, and the CX pattern forces SWAPs.
    const n = 6;
    const b = new CircuitBuilder(n).x(0).x(3);
    for (let r = 0; r < 3; r++) for (let i = 0; i < n; i++) b.cx(i, (i + 2 + r) % n);
    const c = b.measureAll().build();
    let state = 0b001001;
    for (let r = 0; r < 3; r++) for (let i = 0; i < n; i++) if ((state >> i) & 1) state ^= 1 << ((i + 2 + r) % n);
    const want = state.toString(2).padStart(n, '0');
    for (const name of PRESET_TARGETS) {
      const t = presetTarget(name);
      const g = couplingGraph(t);
      for (const level of [0, 1, 2, 3] as const) {
        const r = compile(c, t, { level });
        expect(new Set(r.initialLayout).size).toBe(n);
        expect(new Set(r.finalPermutation).size).toBe(n);
        for (const ins of r.circuit.ops)
          if (ins.qubits.length === 2) expect(g.directed.has(ins.qubits.join(',')), `${name} ${ins.op} ${ins.qubits}`).toBe(true);
        const counts = runCounts(compact(r.circuit), { shots: 16, seed: 1 }).counts;
        expect(counts, `${name} level ${level}`).toEqual({ [want]: 16 });
      }
    }
  });

  it('needs no SWAP on an all-to-all device, and none for a GHZ chain on the square lattice', () => {
    const ghz = new CircuitBuilder(10).h(0);
    for (let i = 1; i < 10; i++) ghz.cx(i - 1, i);
    expect(compile(qft(8), presetTarget('ionq_forte'), { level: 2 }).stats.swaps).toBe(0);
    const r = compile(ghz.build(), presetTarget('rigetti'), { level: 2 });
    expect(r.stats.swaps).toBe(0);
    expect(r.stats.twoQubitGates).toBe(18); // 9 CX, 2 iSWAP each
  });

  it('QFT-8 on heavy-hex: routing overhead figures (level 2 and 3)', () => {
    // Unrouted: 28 controlled phases (2 CX each) + 4 SWAPs (3 each) = 68 two-qubit gates; level >= 1
    // removes the closing SWAPs by relabelling (56). Heavy-hex has degree <= 3, so QFT needs SWAPs.
    const heron = presetTarget('ibm_heron');
    const l2 = compile(qft(8), heron, { level: 2 });
    const l3 = compile(qft(8), heron, { level: 3 });
    expect(l3.stats.twoQubitGates).toBeLessThanOrEqual(l2.stats.twoQubitGates + 6);
    expect(l2.stats.twoQubitGates / 68).toBeLessThan(1.75);
    // The bound: within 1.5x of the unrouted count (56 CX once the closing SWAPs are relabelled).
    expect(l2.stats.twoQubitGates).toBeLessThanOrEqual(1.5 * 56);
    expect(l3.stats.twoQubitGates).toBeLessThanOrEqual(1.5 * 56);
    expect(compile(qft(8), heron, { level: 0 }).stats.twoQubitGates).toBeGreaterThan(l2.stats.twoQubitGates);
  });

  it('prefers good qubits: the noise-aware layout avoids a coupler IBM reports broken', () => {
    const heron = presetTarget('ibm_heron');
    const r = compile(new CircuitBuilder(2).h(0).cx(0, 1).build(), heron, { level: 1 });
    const pair = r.circuit.ops.find((i) => i.op === 'cz')?.qubits ?? [];
    const err = heron.instructions.get('cz')?.get(pair.join(','))?.error ?? 1;
    expect(err).toBeLessThan(0.005); // the median cz error on ibm_fez is 0.0039
  });
});
