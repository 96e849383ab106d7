import { QError } from '../errors.js';
import { depth, type Circuit } from '../ir/circuit.js';
import { DIRECTIVES, gateError, readoutError, type Target } from '../target/target.js';
import { makeContext, type OptimizationLevel, type Pass, type PassContext } from './context.js';
import { consolidateBlocks } from './consolidate.js';
import { unroll } from './decompose.js';
import { checkFits, noiseAwareLayout, noiseScores, perfectLayout, trivialLayout } from './layout.js';
import { cancelInversePairs, deferTerminalMeasurements, elideSwaps, optimizeWorkingForm } from './optimize.js';
import { reversedForRouting, route, type RouteResult } from './route.js';
import { mergeNativePulses, mergeRz, synthesizeSingleQubit, translateTwoQubit } from './translate.js';
import { validateForTarget } from './validate.js';

/**
 * The compiler: unroll -> optimise -> layout -> route -> translate -> optimise -> validate, each stage a
 * plain function of (circuit, context). Levels trade compile time for quality:
 *   0  trivial layout, greedy routing, no optimisation (a reference point, and for debugging);
 *   1  noise-aware layout, SABRE routing with look-ahead, 1-qubit merging and cancellation;
 *   2  + SABRE's forward-backward layout refinement over a few seeds, Z gates commuted through CZ;
 *   3  + more layout seeds and trials, optimisation repeated to a fixed point.
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
  refineSeeds: number;
  lookahead: number;
}

const PLANS: Readonly<Record<OptimizationLevel, LevelPlan>> = {
  0: { optRounds: 0, layoutStarts: [0], refineSeeds: 0, lookahead: 0 },
  1: { optRounds: 1, layoutStarts: [8], refineSeeds: 0, lookahead: 0.5 },
  2: { optRounds: 2, layoutStarts: [16], refineSeeds: 1, lookahead: 0.5 },
  3: { optRounds: 6, layoutStarts: [8, 16, 48], refineSeeds: 2, lookahead: 0.5 },
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
  const tryRoute = (layout: readonly number[], seed: number): RouteResult => route(c, layout, g, { seed, lookahead: plan.lookahead });
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
          const back = route(reversed, fwd.finalLayout, g, { seed: ctx.seed + 7 * s + round, lookahead: plan.lookahead });
          layout = back.finalLayout;
        }
        consider(layout, tryRoute(layout, ctx.seed + s));
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
  const circuit = ctx.level >= 2 ? consolidateBlocks(r.circuit) : r.circuit;
  let cx = 0;
  let err = 0;
  for (const ins of circuit.ops) {
    if (ins.qubits.length !== 2 || DIRECTIVES.has(ins.op)) continue;
    const e = s.edge(ins.qubits[0], ins.qubits[1]);
    const k = ins.op === 'swap' ? 3 : 1;
    cx += k;
    err += k * e;
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
