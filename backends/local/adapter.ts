import { randomUUID } from 'node:crypto';
import {
  DensityMatrixProgram,
  countsFromProbabilities,
  MAX_SIM_QUBITS,
  QError,
  TrajectoryProgram,
  advance,
  createRng,
  densityExpectation,
  expectation,
  isTerminal,
  pollUntil,
  prepare,
  prepareSampler,
  validateRequest,
  validationError,
  type Backend,
  type BindingResult,
  type Capabilities,
  type NoiseModel,
  type OptimizationLevel,
  type Target,
  type JobHandle,
  type JobStatus,
  type RunRequest,
  type RunResult,
  type WaitOptions,
} from '../../src/index.js';
import { prepareNoisy, remapObservable, type NoisyCircuit } from './noisy.js';

/**
 * The local simulator as a Backend: the same submit/attach contract as a provider, so code written
 * against it runs unchanged on hardware. Jobs run asynchronously (a macrotask per job), move through
 * submitted -> running -> done, can be cancelled between bindings, and stay attachable by id for the
 * life of the process.
 */
export interface LocalBackendOptions {
  readonly id?: string;
  readonly numQubits?: number;
  /**
   * Simulate under this noise model: shots through the density-matrix engine up to
   * `densityMatrixMaxQubits` active qubits and through seeded trajectories above (readout error is
   * applied to the counts either way); exact mode (shots 0) gives Tr(O ρ) from the density matrix
   * (gate noise only: no measurement is made, so readout error does not enter).
   */
  readonly noise?: NoiseModel;
  /**
   * Compile every circuit to this device first (`compile(c, target, {level})`), so the noise model's
   * rules, which name the device's native gates and physical qubits, match. Counts keep the caller's
   * classical bits (measurements travel with routing) and exact-mode observables are moved to the
   * physical qubits the logical ones end on (`finalPermutation`). Only the qubits the compiled circuit
   * touches are simulated.
   */
  readonly target?: Target;
  /** Optimisation level for `target` (default 1). */
  readonly compileLevel?: OptimizationLevel;
  /** Largest active-qubit count simulated with the density matrix (default 12; 16·4^n bytes). */
  readonly densityMatrixMaxQubits?: number;
  /** Shots drawn from each trajectory above the density-matrix limit (default 1: unbiased). */
  readonly shotsPerTrajectory?: number;
}

interface LocalJob {
  status: JobStatus;
  result?: RunResult;
  error?: QError;
  cancelRequested: boolean;
  readonly done: Promise<void>;
}

export class LocalBackend implements Backend {
  readonly id: string;
  readonly provider = 'local';
  readonly numQubits: number;
  readonly capabilities: Capabilities;
  readonly noise: NoiseModel | undefined;
  readonly target: Target | undefined;
  private readonly options: LocalBackendOptions;
  private readonly jobs = new Map<string, LocalJob>();

  constructor(options: LocalBackendOptions = {}) {
    this.options = options;
    this.noise = options.noise;
    this.target = options.target;
    if (options.target && !options.noise) throw validationError('LocalBackend: a target is only used with a noise model');
    this.id = options.id ?? (options.noise ? `local:noisy=${options.noise.name ?? 'model'}` : 'local');
    this.numQubits = options.numQubits ?? options.target?.numQubits ?? MAX_SIM_QUBITS;
    this.capabilities = {
      maxShots: 100_000_000,
      maxExecutions: 1_000_000,
      parametric: true,
      exact: true,
      noise: options.noise ? 'model' : 'none',
      paid: false,
    };
  }

  async submit(request: RunRequest, options: { signal?: AbortSignal } = {}): Promise<JobHandle> {
    validateRequest(request, this.capabilities, this.numQubits, this.id);
    if (options.signal?.aborted) throw new QError('CANCELLED', `${this.id}: submission aborted`);
    // Noisy runs are compiled and planned now, so a circuit the engines cannot take is refused at submit.
    const noisy = this.noise ? this.prepareAll(request) : undefined;
    const id = randomUUID();
    let resolveDone = (): void => undefined;
    const job: LocalJob = { status: 'created', cancelRequested: false, done: new Promise<void>((r) => (resolveDone = r)) };
    this.jobs.set(id, job);
    job.status = advance(job.status, 'submitted', id);
    setImmediate(() => {
      try {
        if (job.cancelRequested) {
          job.status = advance(job.status, 'cancelled', id);
        } else {
          job.status = advance(job.status, 'running', id);
          const result = noisy ? this.executeNoisy(id, request, job, noisy) : this.execute(id, request, job);
          if (result) {
            job.result = result;
            job.status = advance(job.status, 'done', id);
          } else job.status = advance(job.status, 'cancelled', id);
        }
      } catch (e) {
        job.error =
          e instanceof QError ? e : new QError('JOB_FAILED', `${this.id}: job ${id} failed: ${(e as Error).message}`, { cause: e });
        job.status = 'failed';
      }
      resolveDone();
    });
    return this.handle(id);
  }

  async attach(jobId: string): Promise<JobHandle> {
    if (!this.jobs.has(jobId)) throw validationError(`${this.id}: no job '${jobId}' (local jobs live as long as the process)`);
    return this.handle(jobId);
  }

  private handle(id: string): JobHandle {
    const job = this.jobs.get(id) as LocalJob;
    const backend = this.id;
    return {
      id,
      backend,
      get status() {
        return job.status;
      },
      refresh: async () => job.status,
      wait: async (options: WaitOptions = {}) =>
        pollUntil(
          async () => {
            await Promise.race([job.done, new Promise((r) => setTimeout(r, 0))]);
            if (!isTerminal(job.status)) return undefined;
            if (job.status === 'done') return job.result as RunResult;
            if (job.status === 'cancelled') throw new QError('CANCELLED', `${backend}: job ${id} was cancelled`);
            throw job.error ?? new QError('JOB_FAILED', `${backend}: job ${id} failed`);
          },
          `${backend} job ${id}`,
          { pollMs: 5, ...options },
        ),
      cancel: async () => {
        if (isTerminal(job.status)) return;
        job.cancelRequested = true;
      },
    };
  }

  private prepareAll(r: RunRequest): NoisyCircuit[] {
    const o = this.options;
    const dmMax = o.densityMatrixMaxQubits ?? 12;
    return r.runs.map((run, i) => {
      const p = prepareNoisy(run.circuit, this.noise as NoiseModel, {
        target: o.target,
        level: o.compileLevel ?? 1,
        dmMax,
        exact: r.shots === 0,
      });
      if (r.shots === 0 && p.engine !== 'density') {
        throw validationError(
          `${this.id}: circuit ${i} simulates ${p.circuit.numQubits} qubits; exact noisy expectations (shots 0) use the density matrix, limited to ${dmMax}; ask for shots`,
        );
      }
      return p;
    });
  }

  /** The noisy engines: density matrix up to the limit, trajectories above. */
  private executeNoisy(id: string, r: RunRequest, job: LocalJob, prepared: readonly NoisyCircuit[]): RunResult | undefined {
    const seed = r.seed ?? Math.floor(Math.random() * 2 ** 31);
    const t0 = performance.now();
    let execution = 0;
    const results: BindingResult[][] = [];
    const engines: string[] = [];
    r.runs.forEach((run, ri) => {
      const p = prepared[ri];
      engines.push(p.engine);
      const bindings = run.bindings ?? [{}];
      const out: BindingResult[] = [];
      if (p.engine === 'density') {
        const prog = new DensityMatrixProgram(p.circuit, p.model);
        const obs = (r.observables ?? []).map((o) => remapObservable(o, p.logicalToSim, run.circuit.numQubits));
        for (const b of bindings) {
          if (job.cancelRequested) return;
          const values = prog.values(b);
          if (r.shots === 0) {
            const rho = prog.run(values);
            out.push({ shots: 0, expectations: obs.map((o) => densityExpectation(rho, o)) });
          } else {
            const probs = prog.probabilities(values);
            const rng = createRng((seed + 7919 * execution) >>> 0);
            out.push({ shots: r.shots, counts: countsFromProbabilities(probs, prog.plan, r.shots, rng.next) });
          }
          execution++;
        }
      } else {
        const prog = new TrajectoryProgram(p.circuit, p.model);
        for (const b of bindings) {
          if (job.cancelRequested) return;
          const rng = createRng((seed + 7919 * execution) >>> 0);
          out.push({ shots: r.shots, counts: prog.counts(prog.values(b), r.shots, rng, this.options.shotsPerTrajectory ?? 1) });
          execution++;
        }
      }
      results.push(out);
    });
    if (job.cancelRequested && results.length < r.runs.length) return undefined;
    return {
      jobId: id,
      backend: this.id,
      results,
      metadata: {
        seed,
        executions: execution,
        seconds: (performance.now() - t0) / 1000,
        noise: this.noise?.name ?? 'model',
        engines,
        compiled: prepared.map((p) => p.layout),
      },
    };
  }

  /** Runs every binding of every circuit; returns undefined when cancelled part-way. */
  private execute(id: string, r: RunRequest, job: LocalJob): RunResult | undefined {
    const seed = r.seed ?? Math.floor(Math.random() * 2 ** 31);
    const t0 = performance.now();
    let execution = 0;
    const results: BindingResult[][] = [];
    for (const run of r.runs) {
      const bindings = run.bindings ?? [{}];
      const out: BindingResult[] = [];
      if (r.shots === 0) {
        const prog = prepare(run.circuit);
        const obs = r.observables ?? [];
        for (const b of bindings) {
          if (job.cancelRequested) return undefined;
          const s = prog.run(prog.values(b), prog.workState());
          out.push({ shots: 0, expectations: obs.map((o) => expectation(s, run.circuit.numQubits, o)) });
          execution++;
        }
      } else {
        const sample = prepareSampler(run.circuit);
        for (const b of bindings) {
          if (job.cancelRequested) return undefined;
          // A distinct, reproducible stream per execution.
          out.push({ shots: r.shots, counts: sample(b, r.shots, (seed + 7919 * execution) >>> 0) });
          execution++;
        }
      }
      results.push(out);
    }
    return { jobId: id, backend: this.id, results, metadata: { seed, executions: execution, seconds: (performance.now() - t0) / 1000 } };
  }
}
