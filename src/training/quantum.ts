import { validationError } from '../errors.js';
import { parameterShift, type ShiftPlan } from '../gradients/parameterShift.js';
import { makeCircuit, type Circuit } from '../ir/circuit.js';
import type { Bindings } from '../ir/params.js';
import type { EstimatorPub, EstimatorResult, EstimatorRunOptions } from '../primitives/estimator.js';
import type { QuantumLayer } from '../qcnn/model.js';
import { AdjointDifferentiator } from '../sim/adjoint.js';
import { expectation } from '../sim/expectation.js';
import { Program, allocState } from '../sim/program.js';
import { createRng, type Rng } from '../sim/rng.js';
import { splitTerminal } from '../sim/statevector.js';

/**
 * A quantum function evaluates a quantum layer on a batch of input rows at one weight vector:
 * values[r*K + k] = <O_k>(row r; θ) and, when asked, jacobian[(r*K + k)*P + p] = d<O_k>/dθ_p.
 * It is asynchronous because hardware is; the trainer awaits it BEFORE the synchronous tfjs step.
 */
export interface QuantumBatch {
  readonly values: Float64Array;
  readonly jacobian?: Float64Array;
  /** Provider jobs this call submitted (0 for the in-process simulator). */
  readonly jobs: number;
  readonly shots: number;
  /** Circuit executions (bindings x measurement settings) this call cost. */
  readonly executions: number;
}

export interface QuantumFunction {
  /** How values and gradients are obtained, for logs ("adjoint, exact, local simulator"). */
  readonly description: string;
  run(
    layer: QuantumLayer,
    inputs: Float64Array,
    rows: number,
    weights: Float64Array,
    options: { readonly jacobian: boolean; readonly signal?: AbortSignal },
  ): Promise<QuantumBatch>;
}

function checkShapes(layer: QuantumLayer, inputs: Float64Array, rows: number, weights: Float64Array): void {
  if (inputs.length !== rows * layer.inputs.length) {
    throw validationError(`quantum layer: ${rows} rows need ${rows * layer.inputs.length} input values, got ${inputs.length}`);
  }
  if (weights.length !== layer.weights.length) {
    throw validationError(`quantum layer: expected ${layer.weights.length} weights, got ${weights.length}`);
  }
}

/** Where each of a program's parameters comes from: input j (>= 0) or weight j (encoded as -1 - j). */
function sourceMap(parameters: readonly string[], layer: QuantumLayer): Int32Array {
  const inputIndex = new Map(layer.inputs.map((s, i) => [s, i]));
  const weightIndex = new Map(layer.weights.map((s, i) => [s, i]));
  return Int32Array.from(parameters, (p) => {
    const i = inputIndex.get(p);
    if (i !== undefined) return i;
    const w = weightIndex.get(p);
    if (w !== undefined) return -1 - w;
    throw validationError(`circuit symbol '${p}' is neither an input nor a weight of the layer`);
  });
}

interface SimPlan {
  readonly n: number;
  readonly tail: Circuit;
  readonly forward: Program;
  readonly adjoint: AdjointDifferentiator;
  readonly source: Int32Array;
  readonly values: Float64Array;
}

/**
 * Exact expectation values on the local statevector simulator, gradients by adjoint differentiation
 * (one forward and one backward sweep per row, however many weights), differentiating the weights
 * only. The circuit is prepared once per layer and reused for every row (a parameter vector per row,
 * typed arrays throughout); a state-preparation encoder is replaced by its state.
 */
export class SimulatorQuantumFunction implements QuantumFunction {
  readonly description = 'local statevector simulator, exact values, adjoint gradients';
  private readonly plans = new WeakMap<QuantumLayer, SimPlan>();

  private plan(layer: QuantumLayer): SimPlan {
    let p = this.plans.get(layer);
    if (p) return p;
    const c = layer.circuit;
    const { unitary } = splitTerminal(c);
    if (!unitary) throw validationError('a quantum layer circuit must not measure mid-circuit');
    const ops = layer.statePrep ? unitary.slice(layer.statePrep.gates) : unitary;
    const tail = makeCircuit(c.numQubits, 0, ops);
    const forward = new Program(c.numQubits, ops, tail.parameters, 'all');
    const adjoint = new AdjointDifferentiator(tail, { wrt: layer.weights });
    p = {
      n: c.numQubits,
      tail,
      forward,
      adjoint,
      source: sourceMap(tail.parameters, layer),
      values: new Float64Array(tail.parameters.length),
    };
    this.plans.set(layer, p);
    return p;
  }

  async run(
    layer: QuantumLayer,
    inputs: Float64Array,
    rows: number,
    weights: Float64Array,
    options: { readonly jacobian: boolean },
  ): Promise<QuantumBatch> {
    checkShapes(layer, inputs, rows, weights);
    const p = this.plan(layer);
    const I = layer.inputs.length;
    const K = layer.observables.length;
    const P = layer.weights.length;
    const values = new Float64Array(rows * K);
    const jacobian = options.jacobian ? new Float64Array(rows * K * P) : undefined;
    const v = p.values;
    const src = p.source;
    const prep = layer.statePrep;
    const state = options.jacobian ? undefined : allocState(p.n);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < src.length; j++) v[j] = src[j] >= 0 ? inputs[r * I + src[j]] : weights[-1 - src[j]];
      const init = prep ? prep.state(inputs, r * I) : undefined;
      if (jacobian) {
        const g = p.adjoint.gradient(layer.observables, v, init ? { initialState: init } : {});
        for (let k = 0; k < K; k++) {
          values[r * K + k] = g.values[k];
          jacobian.set(g.jacobian[k], (r * K + k) * P);
        }
      } else {
        const s = state as Float64Array;
        if (init) {
          // A prepared state must fill the whole register: a shorter one would leave the previous
          // sample's amplitudes behind (the adjoint path checks the same).
          if (init.length !== s.length) {
            throw validationError(`quantum layer: statePrep returned ${init.length} numbers for a ${p.n}-qubit state (${s.length})`);
          }
          s.set(init);
          p.forward.bind(v);
          p.forward.apply(s);
        } else p.forward.run(v, s);
        for (let k = 0; k < K; k++) values[r * K + k] = expectation(s, p.n, layer.observables[k]);
      }
    }
    return { values, jacobian, jobs: 0, shots: 0, executions: rows };
  }
}

/** What the trainer needs of an Estimator (the primitive, or a mitigation wrapper around one). */
export interface EstimatorLike {
  run(pubs: readonly EstimatorPub[], options?: EstimatorRunOptions): Promise<EstimatorResult>;
}

export interface EstimatorQuantumOptions {
  /** Shots per measurement setting (omit for exact values on an exact backend). */
  readonly shots?: number;
  /** Gradient estimator (default parameter-shift). */
  readonly gradient?: 'parameter-shift' | 'spsa';
  /** SPSA perturbation size (default 0.1 rad) and seed. */
  readonly spsaStep?: number;
  readonly seed?: number;
  /** Called after each job with its id, size and shots (the per-step job log). */
  readonly onJob?: (info: { jobId: string; bindings: number; executions: number; shots: number }) => void;
}

/**
 * Values and gradients through an Estimator, for shot-based backends and hardware. Every binding a
 * call needs (each row's unshifted binding plus all its shifted ones, for every row of the
 * minibatch) is ONE pub of ONE parametric circuit, so a training step is ONE job:
 * - parameter-shift: the exact shift rules of each weight-dependent gate (2 bindings per 2-term
 *   occurrence, 4 for controlled rotations), data-only gates never shifted;
 * - SPSA: 2 extra bindings per row along one shared random ±1 direction, J ≈ (f+ - f-)/(2c) Δᵀ.
 */
export class EstimatorQuantumFunction implements QuantumFunction {
  readonly description: string;
  private readonly plans = new WeakMap<QuantumLayer, ShiftPlan>();
  private readonly rng: Rng;
  private calls = 0;

  constructor(
    private readonly estimator: EstimatorLike,
    private readonly options: EstimatorQuantumOptions = {},
  ) {
    const g = options.gradient ?? 'parameter-shift';
    this.description = `estimator${options.shots ? `, ${options.shots} shots per setting` : ', exact'}, ${g} gradients, one job per step`;
    this.rng = createRng(options.seed ?? 0);
  }

  private bindingsOf(layer: QuantumLayer, inputs: Float64Array, r: number, weights: Float64Array): Record<string, number> {
    const b: Record<string, number> = {};
    const I = layer.inputs.length;
    layer.inputs.forEach((s, i) => (b[s] = inputs[r * I + i]));
    layer.weights.forEach((s, i) => (b[s] = weights[i]));
    return b;
  }

  async run(
    layer: QuantumLayer,
    inputs: Float64Array,
    rows: number,
    weights: Float64Array,
    options: { readonly jacobian: boolean; readonly signal?: AbortSignal },
  ): Promise<QuantumBatch> {
    checkShapes(layer, inputs, rows, weights);
    const K = layer.observables.length;
    const P = layer.weights.length;
    const method = this.options.gradient ?? 'parameter-shift';
    const base = Array.from({ length: rows }, (_, r) => this.bindingsOf(layer, inputs, r, weights));
    let circuit = layer.circuit;
    let bindings: Bindings[] = base;
    let combine: ((vals: number[][]) => { values: Float64Array; jacobian?: Float64Array }) | undefined;
    if (options.jacobian && method === 'parameter-shift') {
      let plan = this.plans.get(layer);
      if (!plan) {
        plan = parameterShift(layer.circuit, { wrt: layer.weights });
        this.plans.set(layer, plan);
      }
      circuit = plan.circuit;
      const expansions = base.map((b) => (plan as ShiftPlan).expand(b));
      bindings = expansions.flatMap((e) => e.batch);
      combine = (vals) => {
        const values = new Float64Array(rows * K);
        const jacobian = new Float64Array(rows * K * P);
        let at = 0;
        expansions.forEach((e, r) => {
          const part = vals.slice(at, at + e.batch.length);
          at += e.batch.length;
          const g = e.combine(part);
          for (let k = 0; k < K; k++) {
            values[r * K + k] = g.values[k];
            jacobian.set(g.jacobian[k], (r * K + k) * P);
          }
        });
        return { values, jacobian };
      };
    } else if (options.jacobian) {
      const c = this.options.spsaStep ?? 0.1;
      const delta = Float64Array.from({ length: P }, () => (this.rng.next() < 0.5 ? -1 : 1));
      const shifted = (sign: number): Float64Array => Float64Array.from(weights, (w, p) => w + sign * c * delta[p]);
      const plus = shifted(1);
      const minus = shifted(-1);
      bindings = base.flatMap((b, r) => [b, this.bindingsOf(layer, inputs, r, plus), this.bindingsOf(layer, inputs, r, minus)]);
      combine = (vals) => {
        const values = new Float64Array(rows * K);
        const jacobian = new Float64Array(rows * K * P);
        for (let r = 0; r < rows; r++) {
          for (let k = 0; k < K; k++) {
            values[r * K + k] = vals[3 * r][k];
            const d = (vals[3 * r + 1][k] - vals[3 * r + 2][k]) / (2 * c);
            for (let p = 0; p < P; p++) jacobian[(r * K + k) * P + p] = d * delta[p];
          }
        }
        return { values, jacobian };
      };
    }
    this.calls++;
    const res = await this.estimator.run([{ circuit, observables: [...layer.observables], bindings }], {
      ...(this.options.shots ? { shots: this.options.shots } : {}),
      seed: ((this.options.seed ?? 0) + 104729 * this.calls) >>> 0,
      signal: options.signal,
    });
    const vals = res.pubs[0].values;
    const m = res.metadata;
    this.options.onJob?.({ jobId: m.jobId, bindings: bindings.length, executions: m.executions, shots: m.shots });
    const out = combine ? combine(vals) : { values: Float64Array.from(vals.flat()) };
    return { ...out, jobs: m.jobId ? 1 : 0, shots: m.shots, executions: m.executions };
  }
}
