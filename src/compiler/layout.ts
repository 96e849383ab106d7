import { QError } from '../errors.js';
import type { Circuit } from '../ir/circuit.js';
import { connectedComponents, UNREACHABLE, type CouplingGraph } from '../target/coupling.js';
import { gateError, nativeGates, readoutError, type Target } from '../target/target.js';
import type { PassContext } from './context.js';

/**
 * Noise-aware initial layout: pick a connected patch of physical qubits with low gate and readout
 * errors, then place the circuit's most-interacting logical qubits next to each other inside it.
 * Placement cost is the expected extra SWAP work (hop distance minus one, per 2-qubit gate) plus the
 * errors of the qubits and couplers used, so a good patch wins over a merely compact one.
 */

/** Pairwise 2-qubit gate counts of a circuit (symmetric, n x n). */
export function interactionWeights(c: Circuit): Float64Array {
  const n = c.numQubits;
  const w = new Float64Array(n * n);
  for (const ins of c.ops) {
    if (ins.qubits.length !== 2 || ins.op === 'barrier' || ins.op === 'measure') continue;
    const [a, b] = ins.qubits;
    w[a * n + b] += 1;
    w[b * n + a] += 1;
  }
  return w;
}

/** Per physical qubit: mean 1-qubit gate error plus readout error. Per coupler: the best 2-qubit gate error. */
export interface NoiseScores {
  readonly qubit: Float64Array;
  edge(a: number, b: number): number;
}

const scoreCache = new WeakMap<Target, NoiseScores>();

export function noiseScores(t: Target, g: CouplingGraph): NoiseScores {
  const hit = scoreCache.get(t);
  if (hit) return hit;
  const { oneQubit, twoQubit } = nativeGates(t);
  const one = oneQubit.filter((x) => x !== 'rz' && x !== 'id' && x !== 'measure');
  const qubit = new Float64Array(t.numQubits);
  for (let q = 0; q < t.numQubits; q++) {
    let e = 0;
    for (const gname of one) e += gateError(t, gname, [q]);
    qubit[q] = (one.length ? e / one.length : 0) + readoutError(t, q);
  }
  const edgeErr = new Map<number, number>();
  for (const [a, b] of g.edges) {
    let best = 1;
    for (const gname of twoQubit) {
      for (const qs of [
        [a, b],
        [b, a],
      ]) {
        if (t.instructions.get(gname)?.has(qs.join(','))) best = Math.min(best, gateError(t, gname, qs));
      }
    }
    edgeErr.set(a * t.numQubits + b, best);
  }
  const n = t.numQubits;
  const s: NoiseScores = { qubit, edge: (a, b) => edgeErr.get(Math.min(a, b) * n + Math.max(a, b)) ?? 1 };
  scoreCache.set(t, s);
  return s;
}

/** Checks that the circuit fits the device at all; errors name the sizes. */
export function checkFits(c: Circuit, ctx: PassContext): void {
  const t = ctx.target;
  if (c.numQubits > t.numQubits) {
    throw new QError('COMPILE', `the circuit uses ${c.numQubits} qubits but target '${t.name}' has only ${t.numQubits}`, {
      details: { qubits: c.numQubits, targetQubits: t.numQubits },
    });
  }
  const first2q = c.ops.findIndex((ins) => ins.qubits.length >= 2 && ins.op !== 'barrier' && ins.op !== 'measure');
  if (first2q < 0) return;
  if (ctx.coupling.edges.length === 0) {
    const ins = c.ops[first2q];
    throw new QError(
      'COMPILE',
      `instruction ${first2q}: gate '${ins.op}' on qubits ${ins.qubits.join(',')} has no decomposition to target '${t.name}': the target has no 2-qubit gate (native: ${nativeNames(t)})`,
      {
        details: { index: first2q, gate: ins.op, qubits: ins.qubits },
      },
    );
  }
  const needed = Math.max(0, ...interactionComponents(c).map((g) => g.length));
  const largest = connectedComponents(ctx.coupling)[0]?.length ?? 0;
  if (needed > largest) {
    throw new QError(
      'COMPILE',
      `target '${t.name}' has a disconnected coupling map: its largest connected piece has ${largest} qubits, and the circuit needs ${needed} connected qubits`,
      { details: { largestComponent: largest, needed } },
    );
  }
}

function nativeNames(t: Target): string {
  const { oneQubit, twoQubit } = nativeGates(t);
  return [...oneQubit, ...twoQubit].join(', ');
}

/** Groups of logical qubits linked by multi-qubit gates (each group must sit in one device component). */
export function interactionComponents(c: Circuit): number[][] {
  const parent = Array.from({ length: c.numQubits }, (_, i) => i);
  const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x])));
  const linked = new Set<number>();
  for (const ins of c.ops) {
    if (ins.qubits.length < 2 || ins.op === 'barrier' || ins.op === 'measure') continue;
    for (const q of ins.qubits) linked.add(q);
    for (let i = 1; i < ins.qubits.length; i++) parent[find(ins.qubits[i])] = find(ins.qubits[0]);
  }
  const groups = new Map<number, number[]>();
  for (const q of linked) {
    const r = find(q);
    const g = groups.get(r);
    if (g) g.push(q);
    else groups.set(r, [q]);
  }
  return [...groups.values()].sort((a, b) => b.length - a.length);
}

export function activeQubits(c: Circuit): number[] {
  const used = new Set<number>();
  for (const ins of c.ops) if (ins.op !== 'barrier') for (const q of ins.qubits) used.add(q);
  return [...used].sort((a, b) => a - b);
}

/** Logical i -> physical i (level 0), when those qubits are connected enough for routing. */
export function trivialLayout(c: Circuit, ctx: PassContext): number[] | undefined {
  const layout = Array.from({ length: c.numQubits }, (_, i) => i);
  const comp = ctx.coupling.component;
  const act = activeQubits(c).filter((q) => c.ops.some((ins) => ins.qubits.length === 2 && ins.qubits.includes(q)));
  if (act.length && !act.every((q) => comp[q] === comp[act[0]])) return undefined;
  return layout;
}

/**
 * The noise-aware layout: logical -> physical. `starts` bounds how many seed qubits are tried
 * (each grows one patch); more starts find better patches on large devices at a linear cost.
 */
export function noiseAwareLayout(c: Circuit, ctx: PassContext, starts: number): number[] {
  const t = ctx.target;
  const g = ctx.coupling;
  const n = c.numQubits;
  const N = t.numQubits;
  const w = interactionWeights(c);
  const scores = noiseScores(t, g);
  const used = new Set<number>();
  const map = new Map<number, number>();
  // Largest group of interacting qubits first; each gets its own connected patch of free qubits.
  for (const group of interactionComponents(c)) {
    const k = group.length;
    const freeIn = new Map<number, number>();
    for (let p = 0; p < N; p++) if (!used.has(p)) freeIn.set(g.component[p], (freeIn.get(g.component[p]) ?? 0) + 1);
    const seedScore = (p: number) => scores.qubit[p] + Math.min(1, ...g.neighbours[p].map((q) => scores.edge(p, q)));
    const seeds = Array.from({ length: N }, (_, p) => p)
      .filter((p) => !used.has(p) && (freeIn.get(g.component[p]) ?? 0) >= k)
      .sort((a, b) => seedScore(a) - seedScore(b) || a - b)
      .slice(0, Math.max(1, starts));
    let best: Map<number, number> | undefined;
    let bestCost = Infinity;
    for (const s of seeds) {
      const patch = growPatch(s, k, g, scores, used);
      if (patch.length < k) continue;
      const placed = place(group, patch, w, n, g, scores);
      const cost = layoutCost(placed, group, w, n, g, scores);
      if (cost < bestCost) {
        bestCost = cost;
        best = placed;
      }
    }
    if (!best) {
      throw new QError('COMPILE', `no connected set of ${k} free qubits on target '${t.name}' for logical qubits ${group.join(',')}`, {
        details: { qubits: group },
      });
    }
    for (const [l, p] of best) {
      map.set(l, p);
      used.add(p);
    }
  }
  return fillIdle(map, n, N, scores);
}

/** Grows a connected set from `seed`, each step adding the frontier qubit with the cheapest link and own error. */
function growPatch(seed: number, k: number, g: CouplingGraph, s: NoiseScores, used: ReadonlySet<number>): number[] {
  const inSet = new Set([seed]);
  const patch = [seed];
  while (patch.length < k) {
    let bestQ = -1;
    let bestV = Infinity;
    for (const p of patch)
      for (const q of g.neighbours[p]) {
        if (inSet.has(q) || used.has(q)) continue;
        // Prefer qubits with more links into the patch: fewer swaps later.
        let links = 0;
        for (const r of g.neighbours[q]) if (inSet.has(r)) links++;
        const v = s.qubit[q] + s.edge(p, q) - 0.002 * links;
        if (v < bestV) {
          bestV = v;
          bestQ = q;
        }
      }
    if (bestQ < 0) break;
    inSet.add(bestQ);
    patch.push(bestQ);
  }
  return patch;
}

/** Places interacting logical qubits onto a patch: most-connected first, each next to its partners. */
function place(
  logical: readonly number[],
  patch: readonly number[],
  w: Float64Array,
  n: number,
  g: CouplingGraph,
  s: NoiseScores,
): Map<number, number> {
  const N = g.numQubits;
  const deg = (l: number) => {
    let d = 0;
    for (let j = 0; j < n; j++) d += w[l * n + j];
    return d;
  };
  const map = new Map<number, number>();
  const free = new Set(patch);
  const order: number[] = [];
  const left = new Set(logical);
  while (left.size) {
    // next: the unplaced qubit most tied to placed ones (or the heaviest, to start a component)
    let pick = -1;
    let pickV = -1;
    for (const l of left) {
      let tie = 0;
      for (const m of order) tie += w[l * n + m];
      const v = tie * 1e6 + deg(l);
      if (v > pickV) {
        pickV = v;
        pick = l;
      }
    }
    left.delete(pick);
    order.push(pick);
    let bestP = -1;
    let bestV = Infinity;
    for (const p of free) {
      let v = s.qubit[p];
      for (const [m, pm] of map) {
        const wt = w[pick * n + m];
        if (wt === 0) continue;
        const d = g.distance[p * N + pm];
        v += wt * (d >= UNREACHABLE ? 1e6 : d === 1 ? s.edge(p, pm) : 3 * (d - 1) * 0.01 + 0.01);
      }
      if (map.size === 0) v -= 0.001 * g.neighbours[p].filter((q) => free.has(q)).length;
      if (v < bestV) {
        bestV = v;
        bestP = p;
      }
    }
    map.set(pick, bestP);
    free.delete(bestP);
  }
  return map;
}

function layoutCost(
  map: Map<number, number>,
  logical: readonly number[],
  w: Float64Array,
  n: number,
  g: CouplingGraph,
  s: NoiseScores,
): number {
  const N = g.numQubits;
  let cost = 0;
  for (const l of logical) {
    const p = map.get(l) as number;
    cost += s.qubit[p];
    for (const m of logical) {
      if (m <= l) continue;
      const wt = w[l * n + m];
      if (!wt) continue;
      const q = map.get(m) as number;
      const d = g.distance[p * N + q];
      // A 2-qubit gate at distance d costs about 3(d-1) extra CX (one SWAP per hop).
      cost += wt * (d === 1 ? s.edge(p, q) : (3 * (d - 1) + 1) * 0.01);
    }
  }
  return cost;
}

/** Gives logical qubits without 2-qubit gates the best remaining physical qubits. */
function fillIdle(map: Map<number, number>, n: number, N: number, s: NoiseScores): number[] {
  const used = new Set(map.values());
  const rest = Array.from({ length: N }, (_, p) => p)
    .filter((p) => !used.has(p))
    .sort((a, b) => s.qubit[a] - s.qubit[b] || a - b);
  const out: number[] = [];
  let r = 0;
  for (let l = 0; l < n; l++) out.push(map.get(l) ?? rest[r++]);
  return out;
}

/**
 * A layout that needs no SWAP at all, when the circuit's interaction graph embeds in the coupling
 * graph (chains, trees and ladders usually do): depth-first search over logical qubits in BFS order,
 * each placed on a free neighbour of an already placed partner and adjacent to all its placed partners,
 * with backtracking under a step budget. Tried from the best seeds; the lowest-error embedding wins.
 * Undefined when none is found within the budget.
 */
export function perfectLayout(c: Circuit, ctx: PassContext, seeds: number, budget = 20000): number[] | undefined {
  const g = ctx.coupling;
  const n = c.numQubits;
  const N = g.numQubits;
  const w = interactionWeights(c);
  const scores = noiseScores(ctx.target, g);
  const partners: number[][] = Array.from({ length: n }, (_, l) => {
    const out: number[] = [];
    for (let m = 0; m < n; m++) if (m !== l && w[l * n + m] > 0) out.push(m);
    return out;
  });
  const maxDeg = Math.max(0, ...g.neighbours.map((x) => x.length));
  if (partners.some((p) => p.length > maxDeg)) return undefined;
  const groups = interactionComponents(c);
  if (groups.length !== 1) return undefined; // several groups: leave it to the patch layout
  // BFS order over the interaction graph from its highest-degree qubit.
  const start = groups[0].reduce((a, b) => (partners[b].length > partners[a].length ? b : a));
  const order = [start];
  const seen = new Set(order);
  for (let h = 0; h < order.length; h++)
    for (const m of partners[order[h]])
      if (!seen.has(m)) {
        seen.add(m);
        order.push(m);
      }
  const cands = Array.from({ length: N }, (_, p) => p)
    .filter((p) => g.neighbours[p].length >= partners[start].length)
    .sort((a, b) => scores.qubit[a] - scores.qubit[b] || a - b)
    .slice(0, Math.max(1, seeds));
  let best: number[] | undefined;
  let bestCost = Infinity;
  for (const seed of cands) {
    const phys = new Int32Array(n).fill(-1);
    const used = new Set<number>();
    let steps = 0;
    const dfs = (k: number): boolean => {
      if (k === order.length) return true;
      if (++steps > budget) return false;
      const l = order[k];
      const placed = partners[l].filter((m) => phys[m] >= 0);
      const options =
        k === 0
          ? [seed]
          : g.neighbours[phys[placed[0]]].filter(
              (p) => !used.has(p) && placed.every((m) => g.distance[p * N + phys[m]] === 1) && g.neighbours[p].length >= partners[l].length,
            );
      options.sort(
        (a, b) => scores.qubit[a] + scores.edge(a, phys[placed[0]] ?? a) - (scores.qubit[b] + scores.edge(b, phys[placed[0]] ?? b)),
      );
      for (const p of options) {
        phys[l] = p;
        used.add(p);
        if (dfs(k + 1)) return true;
        used.delete(p);
        phys[l] = -1;
      }
      return false;
    };
    if (!dfs(0)) continue;
    const map = new Map<number, number>();
    for (const l of order) map.set(l, phys[l]);
    const cost = layoutCost(map, order, w, n, g, scores);
    if (cost < bestCost) {
      bestCost = cost;
      best = fillIdle(map, n, N, scores);
    }
  }
  return best;
}

/**
 * A start for dense interaction graphs (QFT, all-to-all ansätze): the circuit's largest group of
 * interacting qubits along a simple path of low-error couplers, in an order where consecutive
 * logical qubits interact most. On a line, routing such a circuit becomes a swap network whose
 * SWAPs meet the gates they serve, which consolidation then merges (QFT-n in about 3 CX per pair),
 * while a compact patch on a degree-3 lattice gives no such structure. Undefined for sparse
 * interaction graphs, when no path of that length is found within the step budget, or when the
 * circuit has several groups.
 */
export function chainLayout(c: Circuit, ctx: PassContext, seeds: number, budget = 5000): number[] | undefined {
  const g = ctx.coupling;
  const n = c.numQubits;
  const N = g.numQubits;
  const groups = interactionComponents(c);
  if (groups.length !== 1 || groups[0].length < 3) return undefined;
  const group = groups[0];
  const k = group.length;
  const w = interactionWeights(c);
  let pairs = 0;
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) if (w[a * n + b] > 0) pairs++;
  if (pairs < 2 * k) return undefined; // sparse (mean degree < 4): the patch layouts serve it better
  const scores = noiseScores(ctx.target, g);
  // Logical order: greedy walk along the heaviest interactions, ties to the lower index.
  const order = [group.reduce((a, b) => (b < a ? b : a))];
  const left = new Set(group.filter((q) => q !== order[0]));
  while (left.size) {
    const last = order[order.length - 1];
    let pick = -1;
    let pickW = -1;
    for (const q of left) if (w[last * n + q] > pickW || (w[last * n + q] === pickW && q < pick)) [pick, pickW] = [q, w[last * n + q]];
    order.push(pick);
    left.delete(pick);
  }
  const cost = (p: number, q: number) => scores.qubit[q] + scores.edge(p, q);
  const cands = Array.from({ length: N }, (_, p) => p)
    .filter((p) => g.neighbours[p].length > 0)
    .sort((a, b) => scores.qubit[a] - scores.qubit[b] || a - b)
    .slice(0, Math.max(1, seeds));
  let best: number[] | undefined;
  let bestCost = Infinity;
  for (const seed of cands) {
    const path = [seed];
    const used = new Set(path);
    let steps = 0;
    const dfs = (): boolean => {
      if (path.length === k) return true;
      if (++steps > budget) return false;
      const end = path[path.length - 1];
      const next = g.neighbours[end].filter((q) => !used.has(q)).sort((a, b) => cost(end, a) - cost(end, b));
      for (const q of next) {
        path.push(q);
        used.add(q);
        if (dfs()) return true;
        path.pop();
        used.delete(q);
      }
      return false;
    };
    if (!dfs()) continue;
    let total = scores.qubit[path[0]];
    for (let i = 1; i < k; i++) total += cost(path[i - 1], path[i]);
    if (total < bestCost) {
      bestCost = total;
      const map = new Map(order.map((l, i) => [l, path[i]]));
      best = fillIdle(map, n, N, scores);
    }
  }
  return best;
}
