import { CircuitBuilder, createRng, gateNames, getGate, sym, addAngles, scaleAngle, type Circuit, type Rng } from '../../src/index.js';

/** A random angle: a number, or an affine expression of the given symbols. */
export function randomAngle(rng: Rng, symbols: readonly string[]) {
  if (symbols.length === 0 || rng.next() < 0.4) return (rng.next() * 2 - 1) * Math.PI * 2;
  const s = symbols[Math.floor(rng.next() * symbols.length)];
  const k = [1, -1, 2, 0.5][Math.floor(rng.next() * 4)];
  return addAngles(scaleAngle(sym(s), k), rng.next() < 0.5 ? 0 : (rng.next() - 0.5) * 3);
}

/** 0..n-1 in a seeded random order (Fisher-Yates). */
export function shuffled(rng: Rng, n: number): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** Largest |a[i] - b[i]|. */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function pickQubits(rng: Rng, n: number, k: number): number[] {
  return shuffled(rng, n).slice(0, k);
}

/**
 * A random circuit over every registered gate (optionally with extra controls), with symbolic
 * angles drawn from `symbols`.
 */
export function randomCircuit(
  rng: Rng,
  n: number,
  gates: number,
  options: { symbols?: readonly string[]; controls?: boolean; names?: readonly string[] } = {},
): Circuit {
  const names = (options.names ?? gateNames()).filter((g) => getGate(g).numQubits <= n && getGate(g).numQubits > 0);
  const b = new CircuitBuilder(n);
  for (let i = 0; i < gates; i++) {
    const name = names[Math.floor(rng.next() * names.length)];
    const g = getGate(name);
    const extra = options.controls && g.numQubits < n && rng.next() < 0.2 ? 1 + Math.floor(rng.next() * Math.min(2, n - g.numQubits)) : 0;
    const qs = pickQubits(rng, n, g.numQubits + extra);
    const params = g.paramNames.map(() => randomAngle(rng, options.symbols ?? []));
    if (extra > 0) {
      const state = Math.floor(rng.next() * (1 << extra));
      b.controlled(name, qs.slice(0, extra), qs.slice(extra), params, state);
    } else b.gate(name, qs, params);
  }
  return b.build();
}

export { createRng };
