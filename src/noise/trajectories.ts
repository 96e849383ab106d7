import { validationError } from '../errors.js';
import type { Circuit } from '../ir/circuit.js';
import { dagger, matmul, type CMatrix } from '../ir/matrix.js';
import type { Bindings } from '../ir/params.js';
import type { PauliSum } from '../ir/pauli.js';
import { expectation, probabilities } from '../sim/expectation.js';
import * as K from '../sim/kernels.js';
import { checkStateMemory } from '../sim/memory.js';
import { allocState, kernelsOf, Program } from '../sim/program.js';
import { createRng, type Rng } from '../sim/rng.js';
import type { WasmKernels } from '../sim/wasm/index.js';
import type { PauliMixture } from './channels.js';
import type { NoiseModel } from './noiseModel.js';
import { applyReadoutToProbabilities, checkShots, countsFromProbabilities, planNoisy, type NoisyPlan } from './noisyPlan.js';
import type { NoisyCountsResult } from './densityMatrix.js';

/**
 * Monte-Carlo trajectories ("quantum jumps") on the statevector: each run draws one Kraus operator
 * per channel application, with probability ||K ψ||², and renormalises, so the average of |ψ><ψ|
 * over runs is the density matrix. Memory stays at one statevector, which is what makes circuits
 * beyond the density-matrix engine's ~13 qubits reachable; the price is statistical error, reported
 * as a standard error with every estimate.
 */

interface KrausStep {
  readonly kind: 'kraus';
  readonly qubits: readonly number[];
  readonly ops: readonly CMatrix[];
  /** K†K per operator: p_j = Tr(K_j†K_j ρ_local), read off the qubits' reduced density matrix. */
  readonly effects: readonly CMatrix[];
  readonly pos: Int32Array;
  readonly offsets: Int32Array;
  readonly local: Float64Array;
  readonly scaled: Float64Array;
  readonly scratch: Float64Array;
}

interface MixtureStep {
  readonly kind: 'mixture';
  readonly qubits: readonly number[];
  readonly labels: readonly string[];
  readonly cdf: Float64Array;
}

type TrajStep = { readonly kind: 'gates'; readonly prog: Program } | KrausStep | MixtureStep;

function mixtureStep(qubits: readonly number[], m: PauliMixture): MixtureStep {
  const cdf = new Float64Array(m.probs.length);
  let acc = 0;
  m.probs.forEach((p, i) => {
    acc += p;
    cdf[i] = acc;
  });
  return { kind: 'mixture', qubits, labels: m.labels, cdf };
}

function krausStep(qubits: readonly number[], ops: readonly CMatrix[]): KrausStep {
  const k = qubits.length;
  const dk = 1 << k;
  const offsets = new Int32Array(dk);
  for (let a = 0; a < dk; a++) {
    let o = 0;
    for (let j = 0; j < k; j++) if ((a >> j) & 1) o |= 1 << qubits[j];
    offsets[a] = o;
  }
  return {
    kind: 'kraus',
    qubits,
    ops,
    effects: ops.map((op) => matmul(dagger(op), op)),
    pos: Int32Array.from(qubits).sort(),
    offsets,
    local: new Float64Array(2 * dk * dk),
    scaled: new Float64Array(2 * dk * dk),
    scratch: new Float64Array(2 * dk),
  };
}

/** The reduced density matrix of the step's qubits, into step.local (ρ[a][b] at 2(a·dk + b)). */
function reducedDensity(s: Float64Array, n: number, st: KrausStep): void {
  const { pos, offsets, local } = st;
  const dk = offsets.length;
  if (dk === 2) {
    reducedDensity1(s, n, st.qubits[0], local);
    return;
  }
  local.fill(0);
  const count = 1 << (n - pos.length);
  let mask = 0;
  for (const b of pos) mask |= 1 << b;
  for (let k = 0, i0 = 0; k < count; k++, i0 = ((i0 | mask) + 1) & ~mask) {
    for (let a = 0; a < dk; a++) {
      const ia = 2 * (i0 | offsets[a]);
      const ar = s[ia];
      const ai = s[ia + 1];
      if (ar === 0 && ai === 0) continue;
      for (let b = 0; b < dk; b++) {
        const ib = 2 * (i0 | offsets[b]);
        const br = s[ib];
        const bi = s[ib + 1];
        // ψ_a · conj(ψ_b)
        local[2 * (a * dk + b)] += ar * br + ai * bi;
        local[2 * (a * dk + b) + 1] += ai * br - ar * bi;
      }
    }
  }
}

/** One qubit's reduced density matrix: the case nearly every channel needs, in one strided pass. */
function reducedDensity1(s: Float64Array, n: number, q: number, out: Float64Array): void {
  let r00 = 0;
  let r11 = 0;
  let xr = 0; // ρ01 = Σ ψ_0 conj(ψ_1)
  let xi = 0;
  const len = 2 << n;
  const half = 2 << q;
  for (let base = 0; base < len; base += 2 * half) {
    const end = base + half;
    for (let i = base; i < end; i += 2) {
      const ar = s[i],
        ai = s[i + 1],
        br = s[i + half],
        bi = s[i + half + 1];
      r00 += ar * ar + ai * ai;
      r11 += br * br + bi * bi;
      xr += ar * br + ai * bi;
      xi += ai * br - ar * bi;
    }
  }
  out[0] = r00;
  out[1] = 0;
  out[2] = xr;
  out[3] = xi;
  out[4] = xr;
  out[5] = -xi;
  out[6] = r11;
  out[7] = 0;
}

/** Applies a (not necessarily unitary) 2^k x 2^k matrix to the step's qubits. */
function applyLocal(
  s: Float64Array,
  n: number,
  st: { qubits: readonly number[]; pos: Int32Array; offsets: Int32Array; scratch: Float64Array },
  m: Float64Array,
  w: WasmKernels | undefined,
): void {
  const q = st.qubits;
  if (q.length === 1) {
    if (w) w.apply1(q[0], m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7]);
    else K.apply1(s, n, q[0], m);
  } else if (q.length === 2) {
    if (w) w.apply2(q[0], q[1], 0, 0, m);
    else K.apply2(s, n, q[0], q[1], m, st.pos, 0);
  } else {
    K.applyK(s, n, m, st.offsets, st.pos, 0, st.scratch);
  }
}

function applyPauli(s: Float64Array, n: number, q: number, p: string, w: WasmKernels | undefined): void {
  switch (p) {
    case 'X':
      if (w) w.apply1Anti(q, 1, 0, 1, 0);
      else K.apply1Anti(s, n, q, 1, 0, 1, 0);
      return;
    case 'Y': // [[0, -i], [i, 0]]
      if (w) w.apply1Anti(q, 0, -1, 0, 1);
      else K.apply1Anti(s, n, q, 0, -1, 0, 1);
      return;
    case 'Z':
      if (w) w.apply1Diag(q, 1, 0, -1, 0);
      else K.apply1Diag(s, n, q, 1, 0, -1, 0);
      return;
    default:
      return;
  }
}

export interface TrajectoryEstimate {
  /** Mean over trajectories of each observable's exact value in the trajectory's final state. */
  readonly values: number[];
  /** Standard error of each mean: sample standard deviation / sqrt(trajectories) (NaN for one trajectory). */
  readonly stdErrors: number[];
  readonly trajectories: number;
}

/** A circuit under a noise model prepared for trajectory sampling, for repeated bindings. */
export class TrajectoryProgram {
  readonly plan: NoisyPlan;
  readonly numQubits: number;
  private readonly steps: TrajStep[];
  private readonly paramsOnly: Program;
  private work: Float64Array | undefined;

  constructor(c: Circuit, model: NoiseModel) {
    checkStateMemory(c.numQubits, 1);
    this.numQubits = c.numQubits;
    this.plan = planNoisy(c, model);
    this.paramsOnly = new Program(c.numQubits, [], c.parameters);
    this.steps = this.plan.steps.map((st) => {
      if (st.kind === 'gates') return st;
      return st.mixture ? mixtureStep(st.app.qubits, st.mixture) : krausStep(st.app.qubits, st.kraus);
    });
  }

  values(bindings?: Bindings | Float64Array): Float64Array {
    return this.paramsOnly.values(bindings);
  }

  private bind(values: Float64Array): void {
    for (const st of this.steps) if (st.kind === 'gates') st.prog.bind(values);
  }

  /** One trajectory from |0...0> into the working state (after bind). */
  private runOne(rng: Rng): Float64Array {
    const n = this.numQubits;
    this.work ??= allocState(n);
    const s = this.work;
    const w = kernelsOf(s);
    s.fill(0);
    s[0] = 1;
    for (const st of this.steps) {
      if (st.kind === 'gates') {
        st.prog.apply(s);
      } else if (st.kind === 'mixture') {
        const u = rng.next() * st.cdf[st.cdf.length - 1];
        let j = 0;
        while (j < st.cdf.length - 1 && st.cdf[j] <= u) j++;
        const label = st.labels[j];
        for (let i = 0; i < st.qubits.length; i++) applyPauli(s, n, st.qubits[i], label[label.length - 1 - i], w);
      } else {
        reducedDensity(s, n, st);
        const probs = st.effects.map((e) => {
          let p = 0;
          const dk = st.offsets.length;
          for (let a = 0; a < dk; a++)
            for (let b = 0; b < dk; b++) {
              // Re(E[b][a] · ρ[a][b])
              p += e[2 * (b * dk + a)] * st.local[2 * (a * dk + b)] - e[2 * (b * dk + a) + 1] * st.local[2 * (a * dk + b) + 1];
            }
          return Math.max(0, p);
        });
        const total = probs.reduce((x, y) => x + y, 0);
        let u = rng.next() * total;
        let j = 0;
        while (j < probs.length - 1 && (u >= probs[j] || probs[j] === 0)) {
          u -= probs[j];
          j++;
        }
        if (!(probs[j] > 0)) j = probs.indexOf(Math.max(...probs)); // rounding left u past the last non-zero branch
        const f = 1 / Math.sqrt(probs[j]);
        const op = st.ops[j];
        for (let i = 0; i < op.length; i++) st.scaled[i] = op[i] * f;
        applyLocal(s, n, st, st.scaled, w);
      }
    }
    return s;
  }

  /** Estimates of each observable over `trajectories` seeded runs. */
  expectations(values: Float64Array, observables: readonly PauliSum[], trajectories: number, rng: Rng): TrajectoryEstimate {
    checkShots(trajectories, 'trajectories');
    this.bind(values);
    const m = observables.length;
    const mean = new Float64Array(m);
    const m2 = new Float64Array(m);
    for (let t = 1; t <= trajectories; t++) {
      const s = this.runOne(rng);
      for (let o = 0; o < m; o++) {
        // Welford: stable running mean and sum of squared deviations.
        const x = expectation(s, this.numQubits, observables[o]);
        const delta = x - mean[o];
        mean[o] += delta / t;
        m2[o] += delta * (x - mean[o]);
      }
    }
    const T = trajectories;
    return {
      values: Array.from(mean),
      stdErrors: Array.from(m2, (v) => (T > 1 ? Math.sqrt(Math.max(0, v) / (T - 1) / T) : Number.NaN)),
      trajectories: T,
    };
  }

  /**
   * Counts: `shots` outcomes, drawn `shotsPerTrajectory` at a time from each trajectory's final state
   * (1 = one shot per trajectory, the unbiased default; more is faster and correlates the shots).
   * Readout error enters exactly, through each trajectory's outcome probabilities.
   */
  counts(values: Float64Array, shots: number, rng: Rng, shotsPerTrajectory = 1): Record<string, number> {
    checkShots(shots);
    checkShots(shotsPerTrajectory, 'shotsPerTrajectory');
    this.bind(values);
    const counts: Record<string, number> = {};
    const p = new Float64Array(2 ** this.numQubits);
    for (let done = 0; done < shots;) {
      const k = Math.min(shotsPerTrajectory, shots - done);
      const s = this.runOne(rng);
      probabilities(s, this.numQubits, p);
      applyReadoutToProbabilities(p, this.plan);
      for (const [key, v] of Object.entries(countsFromProbabilities(p, this.plan, k, rng.next))) counts[key] = (counts[key] ?? 0) + v;
      done += k;
    }
    return counts;
  }
}

export interface TrajectoryOptions {
  trajectories: number;
  seed?: number;
  bindings?: Bindings;
}

/** Trajectory estimates of <O> for each observable, with standard errors. */
export function trajectoryExpectations(
  c: Circuit,
  model: NoiseModel,
  observables: readonly PauliSum[],
  options: TrajectoryOptions,
): TrajectoryEstimate {
  if (!options || typeof options.trajectories !== 'number') throw validationError('trajectoryExpectations needs { trajectories }');
  const prog = new TrajectoryProgram(c, model);
  return prog.expectations(prog.values(options.bindings), observables, options.trajectories, createRng(options.seed ?? 0));
}

/** Noisy counts from trajectories (one trajectory per shot unless shotsPerTrajectory says otherwise). */
export function trajectoryCounts(
  c: Circuit,
  model: NoiseModel,
  options: { shots: number; seed?: number; bindings?: Bindings; shotsPerTrajectory?: number },
): NoisyCountsResult {
  const prog = new TrajectoryProgram(c, model);
  const counts = prog.counts(prog.values(options.bindings), options.shots, createRng(options.seed ?? 0), options.shotsPerTrajectory ?? 1);
  return { counts, shots: options.shots, implicitMeasurement: prog.plan.implicitMeasurement };
}
