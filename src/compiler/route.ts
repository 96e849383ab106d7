import { QError } from '../errors.js';
import type { Circuit, Instruction } from '../ir/circuit.js';
import { createRng } from '../sim/rng.js';
import { shortestPath, UNREACHABLE, type CouplingGraph } from '../target/coupling.js';

/**
 * SABRE-style routing (Li, Ding, Xie 2019): walk the circuit's dependency graph; run every gate
 * whose qubits are adjacent; when the front is blocked, insert the SWAP that most reduces the
 * distance of the blocked gates plus a discounted look-ahead set, with a decay term that spreads
 * SWAPs over different qubits. Output is on physical qubits; 'swap' stays a gate here and is
 * translated to the device's entangler afterwards. Directions are not considered: routing works on
 * the undirected graph and translation fixes directions with 1-qubit gates.
 */
export interface RouteResult {
  readonly circuit: Circuit;
  readonly finalLayout: number[];
  readonly swaps: number;
}

export interface RouteOptions {
  readonly seed?: number;
  /** Weight of the look-ahead set (0 disables it: the greedy "basic" router). */
  readonly lookahead?: number;
  /** Size of the look-ahead set, in 2-qubit gates. */
  readonly extendedSize?: number;
  /**
   * Weight of a SWAP's own cost in CX once block consolidation has merged it with the gates just
   * before it on the same pair (NASSC; Liu, Li & Zhou 2022): a SWAP right after a CX on its pair
   * costs 1 extra CX, not 3. 0 ignores it (plain SABRE, every SWAP alike).
   */
  readonly mergeWeight?: number;
}

/** Extra CX a SWAP costs after consolidation, by the CX count already in the open block on its pair. */
const SWAP_EXTRA = [3, 1, 1, 0];

const DECAY_STEP = 0.001;
const DECAY_RESET = 5;

export function route(c: Circuit, layout: readonly number[], g: CouplingGraph, options: RouteOptions = {}): RouteResult {
  const N = g.numQubits;
  const n = c.numQubits;
  const rng = createRng(options.seed ?? 0);
  const W = options.lookahead ?? 0.5;
  const EXT = options.extendedSize ?? 20;
  const MERGE = options.mergeWeight ?? 0;
  const l2p = Int32Array.from(layout);
  const p2l = new Int32Array(N).fill(-1);
  for (let l = 0; l < n; l++) p2l[l2p[l]] = l;

  // Dependency graph over wires (qubits, then classical bits).
  const ops = c.ops;
  const m = ops.length;
  const indeg = new Int32Array(m);
  const succ: number[][] = Array.from({ length: m }, () => []);
  const last = new Int32Array(n + c.numClbits).fill(-1);
  for (let i = 0; i < m; i++) {
    const ins = ops[i];
    const wires = [...ins.qubits, ...(ins.clbits ?? []).map((b) => n + b)];
    const preds = new Set<number>();
    for (const w of wires) {
      if (last[w] >= 0) preds.add(last[w]);
      last[w] = i;
    }
    for (const p of preds) {
      succ[p].push(i);
      indeg[i]++;
    }
  }
  const isTwo = (ins: Instruction) => ins.qubits.length === 2 && ins.op !== 'barrier' && ins.op !== 'measure';
  for (const ins of ops) {
    if (ins.qubits.length > 2 && ins.op !== 'barrier') {
      throw new QError('COMPILE', `routing needs 1- and 2-qubit gates; '${ins.op}' acts on ${ins.qubits.length} qubits (unroll first)`, {
        details: { gate: ins.op },
      });
    }
  }

  const out: Instruction[] = [];
  let front: number[] = [];
  for (let i = 0; i < m; i++) if (indeg[i] === 0) front.push(i);
  const decay = new Float64Array(N).fill(1);
  let swaps = 0;
  let swapsSinceProgress = 0;
  let swapsSinceReset = 0;
  const dist = (a: number, b: number) => g.distance[a * N + b];

  // The open 2-qubit block on each physical qubit, as consolidation will see it: partner and CX count.
  const partner = new Int32Array(N).fill(-1);
  const blockCx = new Int32Array(N);
  const track = (ins: Instruction, qs: readonly number[]) => {
    if (qs.length === 2 && isTwo(ins)) {
      const [p, q] = qs;
      const k = ins.op === 'cx' ? 1 : 3;
      const open = partner[p] === q && partner[q] === p;
      partner[p] = q;
      partner[q] = p;
      blockCx[p] = blockCx[q] = open ? blockCx[p] + k : k;
    } else if (ins.op !== 'U' || !ins.params.every((x) => typeof x === 'number')) {
      // symbolic or non-U 1-qubit work, measurements, barriers: consolidation stops here
      for (const p of qs) partner[p] = -1;
    }
  };
  const swapExtra = (a: number, b: number) => (partner[a] === b && partner[b] === a ? SWAP_EXTRA[Math.min(3, blockCx[a])] : 3);

  const emit = (ins: Instruction) => {
    const qs = ins.qubits.map((q) => l2p[q]);
    out.push({ ...ins, qubits: qs });
    if (MERGE) track(ins, qs);
  };
  const doSwap = (a: number, b: number) => {
    const ins: Instruction = { op: 'swap', qubits: [a, b], params: [] };
    out.push(ins);
    if (MERGE) track(ins, [a, b]);
    const la = p2l[a];
    const lb = p2l[b];
    p2l[a] = lb;
    p2l[b] = la;
    if (la >= 0) l2p[la] = b;
    if (lb >= 0) l2p[lb] = a;
    swaps++;
    swapsSinceProgress++;
  };

  while (front.length) {
    // Execute everything that can run.
    let progressed = true;
    while (progressed) {
      progressed = false;
      const next: number[] = [];
      for (const i of front) {
        const ins = ops[i];
        if (isTwo(ins)) {
          const d = dist(l2p[ins.qubits[0]], l2p[ins.qubits[1]]);
          if (d >= UNREACHABLE) {
            throw new QError(
              'COMPILE',
              `qubits ${ins.qubits.join(' and ')} of '${ins.op}' were placed on disconnected parts of the coupling map`,
              { details: { gate: ins.op, qubits: ins.qubits } },
            );
          }
          if (d !== 1) {
            next.push(i);
            continue;
          }
        }
        emit(ins);
        progressed = true;
        for (const s of succ[i]) if (--indeg[s] === 0) next.push(s);
      }
      front = next;
      if (progressed) {
        swapsSinceProgress = 0;
        decay.fill(1);
        swapsSinceReset = 0;
      }
    }
    if (!front.length) break;

    const blocked = front.filter((i) => isTwo(ops[i]));
    // Release valve: if SWAPs stop helping, walk the first blocked gate's qubits together.
    if (swapsSinceProgress > Math.max(10, 2 * N)) {
      const ins = ops[blocked[0]];
      const path = shortestPath(g, l2p[ins.qubits[0]], l2p[ins.qubits[1]]) as number[];
      for (let k = 0; k + 2 < path.length; k++) doSwap(path[k], path[k + 1]);
      continue;
    }
    const extended = lookaheadSet(front, ops, succ, indeg, isTwo, EXT);
    let bestScore = Infinity;
    let cands: [number, number][] = [];
    const seen = new Set<number>();
    for (const i of blocked) {
      for (const lq of ops[i].qubits) {
        const p = l2p[lq];
        for (const q of g.neighbours[p]) {
          const key = Math.min(p, q) * N + Math.max(p, q);
          if (seen.has(key)) continue;
          seen.add(key);
          let score = swapScore(p, q, blocked, extended, ops, l2p, p2l, dist, W) * Math.max(decay[p], decay[q]);
          if (MERGE) score += (MERGE * swapExtra(p, q)) / 3;
          if (score < bestScore - 1e-12) {
            bestScore = score;
            cands = [[p, q]];
          } else if (Math.abs(score - bestScore) <= 1e-12) cands.push([p, q]);
        }
      }
    }
    const [a, b] = cands[Math.floor(rng.next() * cands.length)];
    doSwap(a, b);
    decay[a] += DECAY_STEP;
    decay[b] += DECAY_STEP;
    if (++swapsSinceReset >= DECAY_RESET) {
      decay.fill(1);
      swapsSinceReset = 0;
    }
  }
  return { circuit: { ...c, numQubits: N, ops: out }, finalLayout: Array.from(l2p), swaps };
}

/** Up to `size` 2-qubit gates that follow the front layer, breadth first. */
function lookaheadSet(
  front: readonly number[],
  ops: readonly Instruction[],
  succ: readonly number[][],
  indeg: Int32Array,
  isTwo: (i: Instruction) => boolean,
  size: number,
): number[] {
  if (size <= 0) return [];
  const out: number[] = [];
  const pending = new Map<number, number>();
  const queue = [...front];
  let h = 0;
  while (h < queue.length && out.length < size) {
    const i = queue[h++];
    for (const s of succ[i]) {
      const left = (pending.get(s) ?? indeg[s]) - 1;
      pending.set(s, left);
      if (left === 0) {
        if (isTwo(ops[s])) out.push(s);
        queue.push(s);
      }
    }
  }
  return out;
}

function swapScore(
  a: number,
  b: number,
  blocked: readonly number[],
  extended: readonly number[],
  ops: readonly Instruction[],
  l2p: Int32Array,
  p2l: Int32Array,
  dist: (x: number, y: number) => number,
  W: number,
): number {
  const la = p2l[a];
  const lb = p2l[b];
  const where = (l: number) => (l === la ? b : l === lb ? a : l2p[l]);
  let f = 0;
  for (const i of blocked) f += dist(where(ops[i].qubits[0]), where(ops[i].qubits[1]));
  f /= blocked.length;
  if (W === 0 || extended.length === 0) return f;
  let e = 0;
  for (const i of extended) e += dist(where(ops[i].qubits[0]), where(ops[i].qubits[1]));
  return f + (W * e) / extended.length;
}

/** The circuit read backwards (for SABRE's reverse pass); only the dependency order matters here. */
export function reversedForRouting(c: Circuit): Circuit {
  return {
    ...c,
    ops: c.ops
      .filter((ins) => ins.op !== 'measure' && ins.op !== 'reset')
      .slice()
      .reverse(),
  };
}
