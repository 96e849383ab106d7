import { parseQubitKey, type Target } from './target.js';

/**
 * The coupling graph a target implies: directed edges are the sites of its 2-qubit instructions,
 * routing works on the undirected version (a wrong direction is fixed with 1-qubit gates, not a swap),
 * and distances are BFS hop counts. Derived once per Target object and cached.
 */
export interface CouplingGraph {
  readonly numQubits: number;
  /** Directed pairs "a,b" on which some 2-qubit gate runs. */
  readonly directed: ReadonlySet<string>;
  /** Undirected neighbours of each qubit, ascending. */
  readonly neighbours: readonly (readonly number[])[];
  /** Undirected edges [a, b] with a < b. */
  readonly edges: readonly (readonly [number, number])[];
  /** Hop distance between qubits; UNREACHABLE where no path exists. */
  readonly distance: Int32Array;
  /** Connected component id of each qubit (qubits without a coupler get their own). */
  readonly component: Int32Array;
}

export const UNREACHABLE = 1 << 29;

export interface CouplingOptions {
  /** Leave out couplers whose every 2-qubit gate has error >= this (IBM reports broken couplers as 1). Default 1. */
  readonly maxError?: number;
}

const cache = new WeakMap<Target, Map<number, CouplingGraph>>();

export function couplingGraph(t: Target, options: CouplingOptions = {}): CouplingGraph {
  const maxError = options.maxError ?? 1;
  let perTarget = cache.get(t);
  if (!perTarget) {
    perTarget = new Map();
    cache.set(t, perTarget);
  }
  const hit = perTarget.get(maxError);
  if (hit) return hit;
  const n = t.numQubits;
  const directed = new Set<string>();
  const best = new Map<string, number>(); // directed pair -> lowest error over gates
  for (const sites of t.instructions.values()) {
    for (const [key, props] of sites) {
      const qs = parseQubitKey(key);
      if (qs.length !== 2) continue;
      const e = props.error ?? 0;
      best.set(key, Math.min(best.get(key) ?? Infinity, e));
    }
  }
  for (const [key, e] of best) if (e < maxError) directed.add(key);
  const adj: Set<number>[] = Array.from({ length: n }, () => new Set<number>());
  for (const key of directed) {
    const [a, b] = parseQubitKey(key);
    if (a === b || a < 0 || b < 0 || a >= n || b >= n) continue;
    adj[a].add(b);
    adj[b].add(a);
  }
  const neighbours = adj.map((s) => [...s].sort((x, y) => x - y));
  const edges: [number, number][] = [];
  for (let a = 0; a < n; a++) for (const b of neighbours[a]) if (a < b) edges.push([a, b]);
  const g: CouplingGraph = {
    numQubits: n,
    directed,
    neighbours,
    edges,
    distance: bfsDistances(neighbours),
    component: components(neighbours),
  };
  perTarget.set(maxError, g);
  return g;
}

/** All-pairs hop distances by one BFS per qubit (O(n·E), trivial for a few hundred qubits). */
export function bfsDistances(neighbours: readonly (readonly number[])[]): Int32Array {
  const n = neighbours.length;
  const d = new Int32Array(n * n).fill(UNREACHABLE);
  const queue = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    const row = s * n;
    d[row + s] = 0;
    let head = 0;
    let tail = 0;
    queue[tail++] = s;
    while (head < tail) {
      const u = queue[head++];
      const du = d[row + u];
      for (const v of neighbours[u]) {
        if (d[row + v] === UNREACHABLE) {
          d[row + v] = du + 1;
          queue[tail++] = v;
        }
      }
    }
  }
  return d;
}

function components(neighbours: readonly (readonly number[])[]): Int32Array {
  const n = neighbours.length;
  const comp = new Int32Array(n).fill(-1);
  let id = 0;
  for (let s = 0; s < n; s++) {
    if (comp[s] >= 0) continue;
    const stack = [s];
    comp[s] = id;
    while (stack.length) {
      const u = stack.pop() as number;
      for (const v of neighbours[u])
        if (comp[v] < 0) {
          comp[v] = id;
          stack.push(v);
        }
    }
    id++;
  }
  return comp;
}

/** Hop distance between two qubits (UNREACHABLE when disconnected). */
export function qubitDistance(g: CouplingGraph, a: number, b: number): number {
  return g.distance[a * g.numQubits + b];
}

/** Whether the given qubits (default: all of them) lie in one connected piece of the coupling graph. */
export function isConnected(g: CouplingGraph, qubits?: readonly number[]): boolean {
  const qs = qubits ?? Array.from({ length: g.numQubits }, (_, i) => i);
  if (qs.length <= 1) return true;
  const c = g.component[qs[0]];
  return qs.every((q) => g.component[q] === c);
}

/** Sizes of the connected components, largest first, each with its qubits. */
export function connectedComponents(g: CouplingGraph): number[][] {
  const groups = new Map<number, number[]>();
  g.component.forEach((c, q) => {
    const list = groups.get(c);
    if (list) list.push(q);
    else groups.set(c, [q]);
  });
  return [...groups.values()].sort((a, b) => b.length - a.length);
}

/** One shortest path from a to b (inclusive), or undefined when there is none. */
export function shortestPath(g: CouplingGraph, a: number, b: number): number[] | undefined {
  if (qubitDistance(g, a, b) >= UNREACHABLE) return undefined;
  const path = [a];
  let u = a;
  while (u !== b) {
    const d = qubitDistance(g, u, b);
    const next = g.neighbours[u].find((v) => qubitDistance(g, v, b) === d - 1);
    if (next === undefined) return undefined;
    path.push(next);
    u = next;
  }
  return path;
}
