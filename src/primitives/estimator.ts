import { validationError } from '../errors.js';
import type { Backend, CircuitRun } from '../exec/backend.js';
import { makeCircuit, type Circuit, type Instruction } from '../ir/circuit.js';
import type { Bindings } from '../ir/params.js';
import type { PauliSum } from '../ir/pauli.js';
import { checkBindings, checkPositiveInt, unitaryPart } from './common.js';
import { checkObservable, groupQubitWise, padPauli, type MeasurementSetting } from './grouping.js';

/** One estimator input: a circuit, one or several observables, bindings, and an optional target precision. */
export interface EstimatorPub {
  readonly circuit: Circuit;
  readonly observables: PauliSum | readonly PauliSum[];
  readonly bindings?: readonly Bindings[];
  /** Target standard error of every value of this pub (sets the shots per setting). */
  readonly precision?: number;
}

export interface EstimatorOptions {
  /** Shots per measurement setting when shots are used but neither shots nor a precision is asked (default 4096). */
  readonly defaultShots?: number;
  readonly seed?: number;
}

export interface EstimatorRunOptions {
  /** Target standard error for pubs that give none: shots per setting ≈ (Σ|coeff|)² / precision². */
  readonly precision?: number;
  /** Shots per measurement setting (overrides precision). */
  readonly shots?: number;
  readonly seed?: number;
  readonly signal?: AbortSignal;
}

export interface EstimatorPubResult {
  /** values[b][o]: binding b, observable o (a single PauliSum counts as a list of one). */
  readonly values: number[][];
  /** Standard errors, same shape (0 for exact values). */
  readonly stdErrors: number[][];
  readonly exact: boolean;
  /** Shots of each setting at each binding (0 when exact). */
  readonly shotsPerSetting: number;
  /** The shared measurement settings the pub's terms were grouped into (empty when exact). */
  readonly settings: readonly MeasurementSetting[];
}

export interface EstimatorResult {
  readonly pubs: EstimatorPubResult[];
  readonly metadata: {
    readonly jobId: string;
    readonly backend: string;
    readonly exact: boolean;
    /** Circuits in the job (settings summed over pubs) and executions (× bindings). */
    readonly circuits: number;
    readonly executions: number;
    /** Total shots spent (executions × shots per setting). */
    readonly shots: number;
    /** True when the requested precision needed more shots than the backend allows. */
    readonly shotsCapped: boolean;
  };
}

interface TermRef {
  /** Coefficient summed over duplicates of the string in this observable. */
  coeff: number;
  /** Classical bits (of the setting circuit) whose parity is the term's eigenvalue. */
  bits: number[];
}

interface PubPlan {
  readonly n: number;
  readonly observables: readonly PauliSum[];
  readonly bindings: readonly Bindings[];
  readonly base: Circuit;
  readonly settings: MeasurementSetting[];
  /** per observable: the identity part, and per setting the terms it measures. */
  readonly constants: number[];
  readonly terms: TermRef[][][];
  /** Σ|coeff| of the non-identity terms, the largest over the observables. */
  readonly norm: number;
}

function isSingle(o: PauliSum | readonly PauliSum[]): o is PauliSum {
  return Array.isArray(o) && (o.length === 0 || !Array.isArray(o[0]));
}

/** The setting's circuit: the base, then H (X) or Sdg·H (Y) on each measured qubit, then measurements into bits 0..k-1. */
function settingCircuit(base: Circuit, basis: string): { circuit: Circuit; clbitOf: Map<number, number> } {
  const n = base.numQubits;
  const ops: Instruction[] = [...base.ops];
  const clbitOf = new Map<number, number>();
  for (let q = 0; q < n; q++) {
    const b = basis[n - 1 - q];
    if (b === 'I') continue;
    if (b === 'Y') ops.push({ op: 'sdg', qubits: [q], params: [] });
    if (b === 'X' || b === 'Y') ops.push({ op: 'h', qubits: [q], params: [] });
    clbitOf.set(q, clbitOf.size);
  }
  for (const [q, k] of clbitOf) ops.push({ op: 'measure', qubits: [q], params: [], clbits: [k] });
  return { circuit: makeCircuit(n, clbitOf.size, ops, { name: `${base.name ?? 'circuit'}[${basis}]` }), clbitOf };
}

/**
 * Qiskit-V2-style Estimator over any Backend. `run(pubs)` gives, per pub, values[b][o] and standard
 * errors of each observable at each binding. With shots, the non-identity Pauli terms of a pub are
 * grouped into qubit-wise-commuting measurement settings (one circuit each, basis rotations appended),
 * every setting × binding of every pub goes into ONE backend job, and each value's standard error comes
 * from the per-setting sample variances: SE² = Σ_settings s²_g / shots. Without shots or precision on a
 * backend with exact expectation values, the values are exact (SE 0), again in one job.
 */
export class Estimator {
  constructor(
    readonly backend: Backend,
    readonly options: EstimatorOptions = {},
  ) {
    checkPositiveInt(options.defaultShots, 'Estimator defaultShots');
  }

  private plan(pub: EstimatorPub, i: number): PubPlan {
    const where = `Estimator pub ${i}`;
    if (!pub || !pub.circuit) throw validationError(`${where}: needs a circuit`);
    const observables = isSingle(pub.observables) ? [pub.observables] : [...pub.observables];
    if (observables.length === 0) throw validationError(`${where}: needs at least one observable`);
    const n = pub.circuit.numQubits;
    observables.forEach((o, k) => checkObservable(o, n, `${where}, observable ${k}`));
    if (pub.precision !== undefined && !(pub.precision > 0 && Number.isFinite(pub.precision)))
      throw validationError(`${where}: precision must be a positive number, got ${String(pub.precision)}`);
    const bindings = checkBindings(pub.bindings, where);
    const base = unitaryPart(pub.circuit, where);
    const settings = groupQubitWise(
      observables.flatMap((o) => o.map((t) => t.pauli)),
      n,
    );
    const settingOf = new Map<string, number>();
    settings.forEach((s, g) => s.members.forEach((m) => settingOf.set(m, g)));
    const clbits = settings.map((s) => settingCircuit(base, s.basis).clbitOf);
    const constants: number[] = [];
    const terms: TermRef[][][] = [];
    let norm = 0;
    for (const o of observables) {
      let constant = 0;
      const merged = new Map<string, number>();
      for (const t of o) {
        const p = padPauli(t.pauli, n);
        if (!settingOf.has(p)) constant += t.coeff;
        else merged.set(p, (merged.get(p) ?? 0) + t.coeff);
      }
      const perSetting: TermRef[][] = settings.map(() => []);
      let l1 = 0;
      for (const [p, coeff] of merged) {
        const g = settingOf.get(p) as number;
        const bits: number[] = [];
        for (let q = 0; q < n; q++) if (p[n - 1 - q] !== 'I') bits.push(clbits[g].get(q) as number);
        perSetting[g].push({ coeff, bits });
        l1 += Math.abs(coeff);
      }
      constants.push(constant);
      terms.push(perSetting);
      norm = Math.max(norm, l1);
    }
    return { n, observables, bindings, base, settings, constants, terms, norm };
  }

  async run(pubs: readonly EstimatorPub[], options: EstimatorRunOptions = {}): Promise<EstimatorResult> {
    if (!Array.isArray(pubs) || pubs.length === 0) throw validationError('Estimator.run needs at least one pub');
    checkPositiveInt(options.shots, 'Estimator shots');
    if (options.precision !== undefined && !(options.precision > 0 && Number.isFinite(options.precision)))
      throw validationError(`Estimator precision must be a positive number, got ${String(options.precision)}`);
    const plans = pubs.map((p, i) => this.plan(p, i));
    const asked = options.shots !== undefined || options.precision !== undefined || pubs.some((p) => p.precision !== undefined);
    const seed = options.seed ?? this.options.seed;
    const caps = this.backend.capabilities;
    if (!asked && caps.exact) return this.runExact(plans, seed, options.signal);

    // One job, so one shot count: the largest any pub needs for its precision.
    let shots = options.shots ?? 0;
    let capped = false;
    if (options.shots === undefined) {
      for (let i = 0; i < pubs.length; i++) {
        const precision = pubs[i].precision ?? options.precision;
        const need = precision === undefined ? (this.options.defaultShots ?? 4096) : Math.ceil((plans[i].norm / precision) ** 2);
        shots = Math.max(shots, need, 1);
      }
      if (shots > caps.maxShots) {
        shots = caps.maxShots;
        capped = true;
      }
    }
    // Each measurement needs at least two shots for a sample variance.
    shots = Math.max(shots, 2);
    const runs: CircuitRun[] = [];
    const firstRun: number[] = [];
    for (const p of plans) {
      firstRun.push(runs.length);
      for (const s of p.settings) runs.push({ circuit: settingCircuit(p.base, s.basis).circuit, bindings: p.bindings });
    }
    const out: EstimatorPubResult[] = plans.map((p) => ({
      values: p.bindings.map(() => [...p.constants]),
      stdErrors: p.bindings.map(() => p.constants.map(() => 0)),
      exact: false,
      shotsPerSetting: shots,
      settings: p.settings,
    }));
    if (runs.length === 0) {
      // Only identity terms: nothing to measure.
      return {
        pubs: out,
        metadata: { jobId: '', backend: this.backend.id, exact: false, circuits: 0, executions: 0, shots: 0, shotsCapped: false },
      };
    }
    const job = await this.backend.submit({ runs, shots, seed, tags: { primitive: 'estimator' } }, { signal: options.signal });
    const result = await job.wait({ signal: options.signal });
    let executions = 0;
    plans.forEach((p, i) => {
      p.settings.forEach((s, g) => {
        const byBinding = result.results[firstRun[i] + g];
        const k = s.basis.replace(/I/g, '').length;
        byBinding.forEach((br, b) => {
          executions++;
          const counts = Object.entries(br.counts ?? {});
          const N = br.shots;
          // Each outcome's bits, once per setting.
          const outcomes = counts.map(([key, c]) => ({ c, bit: (j: number) => key.charCodeAt(k - 1 - j) === 49 }));
          p.observables.forEach((_o, oi) => {
            const ts = p.terms[oi][g];
            if (ts.length === 0) return;
            let sum = 0;
            const ys = outcomes.map(({ c, bit }) => {
              let y = 0;
              for (const t of ts) {
                let odd = false;
                for (const j of t.bits) if (bit(j)) odd = !odd;
                y += odd ? -t.coeff : t.coeff;
              }
              sum += c * y;
              return y;
            });
            const mean = sum / N;
            let ss = 0;
            outcomes.forEach(({ c }, r) => (ss += c * (ys[r] - mean) ** 2));
            const variance = N > 1 ? ss / (N - 1) : Number.NaN;
            out[i].values[b][oi] += mean;
            // Accumulate variances of the mean; square-rooted below.
            out[i].stdErrors[b][oi] += variance / N;
          });
        });
      });
      out[i].stdErrors.forEach((row) => row.forEach((v, oi) => (row[oi] = Math.sqrt(v))));
    });
    return {
      pubs: out,
      metadata: {
        jobId: result.jobId,
        backend: this.backend.id,
        exact: false,
        circuits: runs.length,
        executions,
        shots: executions * shots,
        shotsCapped: capped,
      },
    };
  }

  private async runExact(plans: readonly PubPlan[], seed: number | undefined, signal?: AbortSignal): Promise<EstimatorResult> {
    // One job: every circuit evaluates the concatenated observable list, so circuits are widened to
    // the widest pub when widths differ (idle qubits change no value).
    const width = Math.max(...plans.map((p) => p.n));
    const observables: PauliSum[] = plans.flatMap((p) => p.observables);
    const offsets: number[] = [];
    let acc = 0;
    for (const p of plans) {
      offsets.push(acc);
      acc += p.observables.length;
    }
    const runs: CircuitRun[] = plans.map((p) => ({
      circuit: p.n === width ? p.base : makeCircuit(width, 0, p.base.ops),
      bindings: p.bindings,
    }));
    const job = await this.backend.submit({ runs, shots: 0, observables, seed, tags: { primitive: 'estimator' } }, { signal });
    const result = await job.wait({ signal });
    const pubs = plans.map((p, i) => {
      const values = result.results[i].map((br) => {
        const e = br.expectations;
        if (!e || e.length !== observables.length) throw validationError(`${this.backend.id}: exact mode returned no expectation values`);
        return e.slice(offsets[i], offsets[i] + p.observables.length);
      });
      return { values, stdErrors: values.map((row) => row.map(() => 0)), exact: true, shotsPerSetting: 0, settings: [] };
    });
    const executions = plans.reduce((s, p) => s + p.bindings.length, 0);
    return {
      pubs,
      metadata: {
        jobId: result.jobId,
        backend: this.backend.id,
        exact: true,
        circuits: runs.length,
        executions,
        shots: 0,
        shotsCapped: false,
      },
    };
  }
}
