import { QError } from '../errors.js';
import { depth, type Circuit } from '../ir/circuit.js';
import { DIRECTIVES, gateError, readoutError, type Target } from '../target/target.js';
import { makeContext, type OptimizationLevel, type Pass, type PassContext } from './context.js';
import { consolidateBlocks, consolidatedCost } from './consolidate.js';
import { unroll } from './decompose.js';
import { createRng } from '../sim/rng.js';
import { chainLayout, checkFits, interactionComponents, noiseAwareLayout, noiseScores, perfectLayout, trivialLayout } from './layout.js';
import { cancelInversePairs, deferTerminalMeasurements, elideSwaps, optimizeWorkingForm } from './optimize.js';
import { reversedForRouting, route, type RouteResult } from './route.js';
import { mergeNativePulses, mergeRz, synthesizeSingleQubit, translateTwoQubit } from './translate.js';
import { validateForTarget } from './validate.js';

/**
 * The compiler: unroll -> optimise -> layout -> route -> translate -> optimise -> validate, each stage a
 * plain function of (circuit, context). Levels trade compile time for quality:
 *   0  trivial layout, greedy routing, no optimisation (a reference point, and for debugging);
 *   1  noise-aware layout, SABRE routing with look-ahead that prices each SWAP by what it costs once
 *      merged with its neighbours, 1-qubit merging and cancellation, 2-qubit block re-synthesis;
 *   2  + SABRE's forward-backward layout refinement from several starts (noise-aware patch, an
 *      embedding when one exists, a low-error path for dense circuits, random re-deals of the patch),
 *      keeping the routing with the fewest CX after consolidation (then lowest error);
 *   3  + more starts, seeds and trials, optimisation repeated to a fixed point.
 */
export interface CompileOptions {
  level?: OptimizationLevel;
  seed?: number;
  /** Start from this layout (logical i -> physical) instead of choosing one. */
  initialLayout?: readonly number[];
}

export interface CompileStats {
  readonly depth: number;
  readonly twoQubitGates: number;
  readonly oneQubitGates: number;
  readonly swaps: number;
  /** Product of (1 - error) over gates and measured qubits' readout. */
  readonly estimatedSuccess: number;
  readonly compileMs: number;
  readonly timings: Readonly<Record<string, number>>;
}

export interface CompileResult {
  /** On the device's physical qubits (numQubits = target.numQubits); classical bits unchanged. */
  readonly circuit: Circuit;
  /** Logical qubit i starts on physical qubit initialLayout[i]. */
  readonly initialLayout: readonly number[];
  /** Logical qubit i ends on physical qubit finalPermutation[i] (routing moves qubits with SWAPs). */
  readonly finalPermutation: readonly number[];
  readonly stats: CompileStats;
}

interface LevelPlan {
  optRounds: number;
  /** Seed-qubit counts for the noise-aware layout; each gives one starting layout (0: trivial). */
  layoutStarts: number[];
  /** Forward-backward layout refinements per start, each with its own seed. */
  refineSeeds: number;
  /** Forward routings (different seeds) of each candidate layout; the best is kept. */
  swapTrials: number;
  /** Extra starts: the first layout's qubits dealt to the logical qubits at random (SABRE's random trials). */
  shuffles: number;
  /** Also start from a low-error path (dense circuits on sparse lattices). */
  chain: boolean;
  lookahead: number;
  mergeWeight: number;
}

const PLANS: Readonly<Record<OptimizationLevel, LevelPlan>> = {
  0: { optRounds: 0, layoutStarts: [0], chain: false, shuffles: 0, refineSeeds: 0, swapTrials: 1, lookahead: 0, mergeWeight: 0 },
  1: { optRounds: 1, layoutStarts: [8], chain: false, shuffles: 0, refineSeeds: 0, swapTrials: 1, lookahead: 0.5, mergeWeight: 0.6 },
  2: { optRounds: 2, layoutStarts: [16], chain: true, shuffles: 2, refineSeeds: 1, swapTrials: 1, lookahead: 0.5, mergeWeight: 0.6 },
  3: { optRounds: 6, layoutStarts: [8, 16, 48], chain: true, shuffles: 6, refineSeeds: 2, swapTrials: 1, lookahead: 0.5, mergeWeight: 0.6 },
};

function timed(name: string, pass: Pass): Pass {
  return (c, ctx) => {
    const t0 = performance.now();
    const out = pass(c, ctx);
    ctx.timings[name] = (ctx.timings[name] ?? 0) + performance.now() - t0;
    return out;
  };
}

export function compile(c: Circuit, target: Target, options: CompileOptions = {}): CompileResult {
  const level = options.level ?? 2;
  if (![0, 1, 2, 3].includes(level)) throw new QError('VALIDATION', `optimisation level must be 0, 1, 2 or 3, got ${String(level)}`);
  const t0 = performance.now();
  const ctx = makeContext(target, level, options.seed ?? 0);
  const plan = PLANS[level];
  checkFits(c, ctx);

  let relabel: number[] | undefined;
  let source = c;
  if (plan.optRounds > 0) ({ circuit: source, relabel } = elideSwaps(c));
  let work = timed('unroll', unroll)(source, ctx);
  if (plan.optRounds > 0) work = timed('optimize', (x, k) => optimizeWorkingForm(x, k, plan.optRounds))(work, ctx);
  const routed = timed('layout+route', (x, k) => layoutAndRoute(x, k, plan, options.initialLayout))(work, ctx);
  let out = plan.optRounds > 0 ? timed('consolidate', consolidateBlocks)(routed, ctx) : routed;
  out = timed('translate', translateTwoQubit)(out, ctx);
  if (plan.optRounds > 0) out = timed('optimize', (x, k) => optimizeWorkingForm(x, k, plan.optRounds))(out, ctx);
  out = timed('synthesize1q', synthesizeSingleQubit)(out, ctx);
  if (plan.optRounds > 0) out = timed('optimize', (x, k) => cancelInversePairs(mergeNativePulses(mergeRz(x, k), k), k))(out, ctx);
  out = deferTerminalMeasurements(out);
  timed('validate', (x) => {
    validateForTarget(x, target);
    return x;
  })(out, ctx);

  const twoQubitGates = out.ops.filter((i) => i.qubits.length === 2 && !DIRECTIVES.has(i.op)).length;
  const oneQubitGates = out.ops.filter((i) => i.qubits.length === 1 && !DIRECTIVES.has(i.op)).length;
  return {
    circuit: out,
    initialLayout: ctx.initialLayout ?? [],
    finalPermutation: relabel && ctx.finalLayout ? relabel.map((w) => (ctx.finalLayout as number[])[w]) : (ctx.finalLayout ?? []),
    stats: {
      depth: depth({ ...out, ops: out.ops.filter((i) => i.op !== 'barrier') }),
      twoQubitGates,
      oneQubitGates,
      swaps: ctx.swaps,
      estimatedSuccess: estimatedSuccess(out, target),
      compileMs: performance.now() - t0,
      timings: ctx.timings,
    },
  };
}

/** Chooses the initial layout, routes, and records both layouts in the context. */
function layoutAndRoute(c: Circuit, ctx: PassContext, plan: LevelPlan, given?: readonly number[]): Circuit {
  const g = ctx.coupling;
  const opts = { lookahead: plan.lookahead, mergeWeight: plan.mergeWeight };
  const tryRoute = (layout: readonly number[], seed: number): RouteResult => route(c, layout, g, { ...opts, seed });
  let best: { layout: readonly number[]; r: RouteResult } | undefined;
  const consider = (layout: readonly number[], r: RouteResult) => {
    if (!best || score(r, ctx) < score(best.r, ctx)) best = { layout, r };
  };
  if (given) {
    checkLayout(given, c.numQubits, ctx.target);
    consider(given, tryRoute(given, ctx.seed));
  } else {
    const firsts: (readonly number[])[] = [];
    for (const k of plan.layoutStarts) {
      const l = k === 0 ? (trivialLayout(c, ctx) ?? noiseAwareLayout(c, ctx, 4)) : noiseAwareLayout(c, ctx, k);
      if (!firsts.some((f) => f.every((p, i) => p === l[i]))) firsts.push(l);
    }
    const maxStarts = Math.max(...plan.layoutStarts);
    if (maxStarts > 0) {
      const perfect = perfectLayout(c, ctx, maxStarts);
      if (perfect) firsts.push(perfect);
      else if (plan.chain) {
        const chain = chainLayout(c, ctx, maxStarts);
        if (chain) firsts.push(chain);
      }
    }
    const rng = createRng(ctx.seed + 17);
    const active = interactionComponents(c).flat();
    for (let k = 0; k < plan.shuffles && active.length > 1; k++) {
      const l = [...firsts[0]];
      const phys = active.map((q) => l[q]);
      for (let i = phys.length - 1; i > 0; i--) {
        const j = Math.floor(rng.next() * (i + 1));
        [phys[i], phys[j]] = [phys[j], phys[i]];
      }
      active.forEach((q, i) => (l[q] = phys[i]));
      firsts.push(l);
    }
    // SABRE's layout refinement: route forward, then the reversed circuit from where it ended; the
    // reverse pass's final layout is a start that suits the circuit's first gates.
    const reversed = reversedForRouting(c);
    for (const first of firsts) {
      consider(first, tryRoute(first, ctx.seed));
      for (let s = 0; s < plan.refineSeeds; s++) {
        let layout = first;
        for (let round = 0; round < 2; round++) {
          const fwd = tryRoute(layout, ctx.seed + 101 * s + round);
          const back = route(reversed, fwd.finalLayout, g, { ...opts, seed: ctx.seed + 7 * s + round });
          layout = back.finalLayout;
        }
        for (let t = 0; t < plan.swapTrials; t++) consider(layout, tryRoute(layout, ctx.seed + s + 1000 * t));
      }
    }
  }
  const chosen = best as { layout: readonly number[]; r: RouteResult };
  ctx.initialLayout = [...chosen.layout];
  ctx.finalLayout = chosen.r.finalLayout;
  ctx.swaps = chosen.r.swaps;
  return chosen.r.circuit;
}

/**
 * Lower is better: the CX count the routed circuit will have once SWAPs are merged with their
 * neighbours (so two routings are compared on what reaches the device), then coupler errors.
 */
function score(r: RouteResult, ctx: PassContext): number {
  const cached = scoreCache.get(r);
  if (cached !== undefined) return cached;
  const s = noiseScores(ctx.target, ctx.coupling);
  let cx = 0;
  let err = 0;
  if (ctx.level >= 1) ({ cx, error: err } = consolidatedCost(r.circuit, s.edge));
  else
    for (const ins of r.circuit.ops) {
      if (ins.qubits.length !== 2 || DIRECTIVES.has(ins.op)) continue;
      const k = ins.op === 'swap' ? 3 : 1;
      cx += k;
      err += k * s.edge(ins.qubits[0], ins.qubits[1]);
    }
  const v = cx + 10 * err;
  scoreCache.set(r, v);
  return v;
}
const scoreCache = new WeakMap<RouteResult, number>();

function checkLayout(layout: readonly number[], n: number, t: Target): void {
  if (layout.length !== n) throw new QError('VALIDATION', `initialLayout has ${layout.length} entries, the circuit has ${n} qubits`);
  const seen = new Set<number>();
  for (const p of layout) {
    if (!Number.isInteger(p) || p < 0 || p >= t.numQubits)
      throw new QError('VALIDATION', `initialLayout names physical qubit ${p}, outside target '${t.name}' (0..${t.numQubits - 1})`, {
        details: { qubit: p },
      });
    if (seen.has(p)) throw new QError('VALIDATION', `initialLayout uses physical qubit ${p} twice`, { details: { qubit: p } });
    seen.add(p);
  }
}

/** Π(1 - gate error) · Π(1 - readout error of each measured qubit), from the target's figures. */
export function estimatedSuccess(c: Circuit, t: Target): number {
  let p = 1;
  for (const ins of c.ops) {
    if (ins.op === 'measure') {
      for (const q of ins.qubits) p *= 1 - readoutError(t, q);
      continue;
    }
    if (DIRECTIVES.has(ins.op)) continue;
    p *= 1 - gateError(t, ins.op, ins.qubits);
  }
  return p;
}
