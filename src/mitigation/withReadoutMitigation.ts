import { validationError } from '../errors.js';
import type { CircuitRun } from '../exec/backend.js';
import { makeCircuit, type Circuit, type Instruction } from '../ir/circuit.js';
import { pauliAt, type PauliSum } from '../ir/pauli.js';
import { checkBindings, unitaryPart } from '../primitives/common.js';
import { Estimator, type EstimatorPub, type EstimatorPubResult, type EstimatorRunOptions } from '../primitives/estimator.js';
import { checkObservable, groupQubitWise, padPauli } from '../primitives/grouping.js';
import type { ReadoutError } from '../noise/noiseModel.js';
import { mergeMetadata, observablesOf, type EstimatorLike, type EstimatorMiddleware, type MitigatedEstimatorResult } from './pipe.js';
import {
  M3Subspace,
  applyTensoredInverse,
  calibrationCircuits,
  calibrationFromCounts,
  checkCalibration,
  denseDistribution,
  mitigatedObservable,
  nearestProbability,
  readoutOf,
  type ReadoutCalibration,
} from './readout.js';

export interface ReadoutMitigationOptions {
  /**
   * 'tensored' (default): ⊗A_q⁻¹ applied exactly through the observables, so it wraps ANY estimator
   * (and stacks under ZNE or twirling); no extra circuits beyond calibration, honest standard errors.
   * 'projected': ⊗A_q⁻¹ on each setting's counts, then projected to the nearest probability vector.
   * 'm3': the M3 subspace correction on each setting's counts (Hamming `distance`).
   * The last two need counts, so they must wrap the primitives' Estimator directly (first in `pipe`).
   */
  readonly method?: 'tensored' | 'projected' | 'm3';
  /** M3: largest Hamming distance between observed bitstrings the correction couples (default 3). */
  readonly distance?: number;
  /** Use these assignment errors instead of running calibration circuits. */
  readonly calibration?: ReadoutCalibration;
  /** Shots of each calibration circuit (default: the run's shots per setting). */
  readonly calibrationShots?: number;
}

/** Seed offset for calibration jobs, so they do not replay the main job's random stream. */
const CAL_SEED = 1_000_003;

/** Qubits each observable of a pub measures (any non-identity letter), by circuit width. */
function measuredQubits(pubs: readonly EstimatorPub[]): Map<number, Set<number>> {
  const byWidth = new Map<number, Set<number>>();
  for (const pub of pubs) {
    const n = pub.circuit.numQubits;
    const set = byWidth.get(n) ?? new Set<number>();
    for (const o of observablesOf(pub))
      for (const t of o) for (let q = 0; q < Math.min(n, t.pauli.length); q++) if (pauliAt(t.pauli, q) !== 'I') set.add(q);
    byWidth.set(n, set);
  }
  return byWidth;
}

function report(method: string, cal: ReadoutCalibration, circuits: number, shots: number) {
  return {
    technique: 'readout' as const,
    extraCircuits: circuits,
    extraShots: shots,
    details: { method, calibrationShots: cal.shots, calibration: cal.errors },
  };
}

/**
 * Readout-error mitigation as an Estimator middleware. Unless calibration figures are given, each
 * run first measures the assignment errors of the qubits the observables touch, with two
 * calibration circuits per circuit width (all |0>, all |1>) run through the same stack, and
 * reports them (`mitigation[].details.calibration`) with their cost. Readout errors are physical:
 * calibrate the qubits the measurements really land on, so wrap circuits that are already compiled
 * to the device (see `withCompilation`) when the backend would otherwise choose its own layout.
 */
export function withReadoutMitigation(options: ReadoutMitigationOptions = {}): EstimatorMiddleware {
  const method = options.method ?? 'tensored';
  if (!['tensored', 'projected', 'm3'].includes(method))
    throw validationError(`withReadoutMitigation: method must be 'tensored', 'projected' or 'm3', got '${String(method)}'`);
  if (options.calibration) checkCalibration(options.calibration, 'withReadoutMitigation calibration');
  if (options.calibrationShots !== undefined && !(Number.isInteger(options.calibrationShots) && options.calibrationShots > 1))
    throw validationError(`withReadoutMitigation: calibrationShots must be an integer above 1, got ${String(options.calibrationShots)}`);
  const distance = options.distance ?? 3;
  if (!Number.isInteger(distance) || distance < 0)
    throw validationError(`withReadoutMitigation: distance must be a non-negative integer, got ${String(distance)}`);

  return (next: EstimatorLike): EstimatorLike => {
    if (method !== 'tensored' && !(next instanceof Estimator)) {
      throw validationError(
        `withReadoutMitigation: method '${method}' corrects counts, so it must wrap the primitives' Estimator directly (put it first in pipe(...)); method 'tensored' wraps any estimator`,
      );
    }
    return {
      run: (pubs, runOptions = {}) =>
        method === 'tensored'
          ? runTensored(next, pubs, runOptions, options.calibration, options.calibrationShots)
          : runOnCounts(next as Estimator, pubs, runOptions, method as 'projected' | 'm3', distance, options),
    };
  };
}

/** Measures assignment errors through an estimator: <Z_q> on |0...0> is 1 - 2p(1|0), on |1...1> it is 2p(0|1) - 1. */
async function calibrateThrough(
  next: EstimatorLike,
  pubs: readonly EstimatorPub[],
  runOptions: EstimatorRunOptions,
  shots: number | undefined,
): Promise<{ cal: ReadoutCalibration; result?: MitigatedEstimatorResult }> {
  const calPubs: EstimatorPub[] = [];
  const order: number[][] = [];
  for (const [n, set] of measuredQubits(pubs)) {
    const qubits = [...set].sort((a, b) => a - b);
    if (qubits.length === 0) continue;
    const obs = qubits.map((q) => [{ coeff: 1, pauli: zLabel(q, n) }]);
    const [c0, c1] = calibrationCircuits(n, qubits);
    calPubs.push({ circuit: c0, observables: obs }, { circuit: c1, observables: obs });
    order.push(qubits);
  }
  if (calPubs.length === 0) return { cal: { errors: [], shots: 0 } };
  const seed = runOptions.seed === undefined ? undefined : runOptions.seed + CAL_SEED;
  const opts: EstimatorRunOptions = shots !== undefined ? { shots, seed, signal: runOptions.signal } : { ...runOptions, seed };
  const result = await next.run(calPubs, opts);
  const errors: ReadoutError[] = [];
  let calShots = Infinity;
  order.forEach((qubits, w) => {
    const r0 = result.pubs[2 * w];
    const r1 = result.pubs[2 * w + 1];
    calShots = Math.min(calShots, r0.shotsPerSetting, r1.shotsPerSetting);
    qubits.forEach((q, j) => {
      const clip = (p: number) => Math.min(1, Math.max(0, p));
      errors.push({ qubit: q, p1Given0: clip((1 - r0.values[0][j]) / 2), p0Given1: clip((1 + r1.values[0][j]) / 2) });
    });
  });
  return { cal: { errors, shots: calShots }, result };
}

function zLabel(q: number, n: number): string {
  const chars = new Array<string>(Math.max(n, q + 1)).fill('I');
  chars[chars.length - 1 - q] = 'Z';
  return chars.join('');
}

async function runTensored(
  next: EstimatorLike,
  pubs: readonly EstimatorPub[],
  runOptions: EstimatorRunOptions,
  given: ReadoutCalibration | undefined,
  calibrationShots: number | undefined,
): Promise<MitigatedEstimatorResult> {
  if (!Array.isArray(pubs) || pubs.length === 0) throw validationError('Estimator.run needs at least one pub');
  pubs.forEach((p, i) =>
    observablesOf(p).forEach((o, k) => checkObservable(o, p.circuit.numQubits, `Estimator pub ${i}, observable ${k}`)),
  );
  const { cal, result: calResult } = given
    ? { cal: given, result: undefined }
    : await calibrateThrough(next, pubs, runOptions, calibrationShots ?? runOptions.shots);
  if (calResult?.metadata.exact) {
    // Exact values involve no measurement, hence no readout error: nothing to correct.
    const main = await next.run(pubs, runOptions);
    const merged = mergeMetadata([calResult, main]);
    return {
      pubs: main.pubs,
      metadata: merged.metadata,
      mitigation: [...merged.mitigation, report('none (exact values)', cal, calResult.metadata.circuits, 0)],
    };
  }
  const mapped = pubs.map((p, i) => {
    const list = observablesOf(p).map((o, k) => mitigatedObservable(o, cal, `readout mitigation, pub ${i} observable ${k}`));
    return { ...p, observables: list };
  });
  const main = await next.run(mapped, runOptions);
  const merged = mergeMetadata(calResult ? [calResult, main] : [main]);
  return {
    pubs: main.pubs,
    metadata: merged.metadata,
    mitigation: [...merged.mitigation, report('tensored', cal, calResult?.metadata.circuits ?? 0, calResult?.metadata.shots ?? 0)],
  };
}

/** The setting's circuit: basis rotations, then the measured qubits into bits 0..k-1 in ascending order. */
function settingCircuit(base: Circuit, basis: string): { circuit: Circuit; measured: number[] } {
  const n = base.numQubits;
  const ops: Instruction[] = [...base.ops];
  const measured: number[] = [];
  for (let q = 0; q < n; q++) {
    const b = basis[n - 1 - q];
    if (b === 'I') continue;
    if (b === 'Y') ops.push({ op: 'sdg', qubits: [q], params: [] });
    if (b === 'X' || b === 'Y') ops.push({ op: 'h', qubits: [q], params: [] });
    measured.push(q);
  }
  measured.forEach((q, k) => ops.push({ op: 'measure', qubits: [q], params: [], clbits: [k] }));
  return { circuit: makeCircuit(n, measured.length, ops, { name: `${base.name ?? 'circuit'}[${basis}]` }), measured };
}

interface SettingPlan {
  readonly basis: string;
  readonly members: readonly string[];
  readonly circuit: Circuit;
  readonly measured: number[];
  /** Per observable: the terms measured here, each a coefficient and a bit mask over the k measured bits. */
  readonly terms: { coeff: number; mask: number }[][];
}

/** Count-level correction ('projected' or 'm3'): one job with every setting and the calibration circuits. */
async function runOnCounts(
  base: Estimator,
  pubs: readonly EstimatorPub[],
  runOptions: EstimatorRunOptions,
  method: 'projected' | 'm3',
  distance: number,
  options: ReadoutMitigationOptions,
): Promise<MitigatedEstimatorResult> {
  if (!Array.isArray(pubs) || pubs.length === 0) throw validationError('Estimator.run needs at least one pub');
  const plans = pubs.map((pub, i) => {
    const where = `Estimator pub ${i}`;
    const n = pub.circuit.numQubits;
    const observables = observablesOf(pub);
    observables.forEach((o, k) => checkObservable(o, n, `${where}, observable ${k}`));
    const bindings = checkBindings(pub.bindings, where);
    const circuit = unitaryPart(pub.circuit, where);
    const settings = groupQubitWise(
      observables.flatMap((o) => o.map((t) => t.pauli)),
      n,
    );
    const settingOf = new Map<string, number>();
    settings.forEach((s, g) => s.members.forEach((m) => settingOf.set(m, g)));
    const sp: SettingPlan[] = settings.map((s) => ({
      basis: s.basis,
      members: s.members,
      ...settingCircuit(circuit, s.basis),
      terms: observables.map(() => []),
    }));
    const constants = observables.map(() => 0);
    let norm = 0;
    observables.forEach((o: PauliSum, oi) => {
      let l1 = 0;
      for (const t of o) {
        const p = padPauli(t.pauli, n);
        const g = settingOf.get(p);
        if (g === undefined) {
          constants[oi] += t.coeff;
          continue;
        }
        let mask = 0;
        sp[g].measured.forEach((q, k) => {
          if (p[n - 1 - q] !== 'I') mask |= 1 << k;
        });
        sp[g].terms[oi].push({ coeff: t.coeff, mask });
        l1 += Math.abs(t.coeff);
      }
      norm = Math.max(norm, l1);
    });
    if (sp.some((s) => s.measured.length > 30))
      throw validationError(`${where}: count-level readout correction handles at most 30 measured qubits per setting`);
    return { n, bindings, settings: sp, constants, norm, precision: pub.precision };
  });

  const caps = base.backend.capabilities;
  let shots = runOptions.shots ?? 0;
  if (runOptions.shots === undefined) {
    for (const p of plans) {
      const precision = p.precision ?? runOptions.precision;
      shots = Math.max(shots, precision === undefined ? (base.options.defaultShots ?? 4096) : Math.ceil((p.norm / precision) ** 2));
    }
  }
  const capped = shots > caps.maxShots;
  shots = Math.max(2, Math.min(shots, caps.maxShots));

  const runs: CircuitRun[] = [];
  for (const p of plans) for (const s of p.settings) runs.push({ circuit: s.circuit, bindings: p.bindings });
  const mainRuns = runs.length;
  const calWidths: { n: number; qubits: number[] }[] = [];
  if (!options.calibration) {
    const byWidth = new Map<number, Set<number>>();
    for (const p of plans) for (const s of p.settings) for (const q of s.measured) byWidth.set(p.n, (byWidth.get(p.n) ?? new Set()).add(q));
    for (const [n, set] of byWidth) {
      const qubits = [...set].sort((a, b) => a - b);
      const [c0, c1] = calibrationCircuits(n, qubits);
      runs.push({ circuit: c0 }, { circuit: c1 });
      calWidths.push({ n, qubits });
    }
  }
  // Calibration circuits ride in the same job, at the same shot count (readout noise is per shot).
  const seed = runOptions.seed ?? base.options.seed;
  const job = await base.backend.submit(
    { runs, shots, seed, tags: { primitive: 'estimator', mitigation: `readout-${method}` } },
    { signal: runOptions.signal },
  );
  const result = await job.wait({ signal: runOptions.signal });
  const calByWidth = new Map<number, ReadoutCalibration>();
  calWidths.forEach((w, i) => {
    const r0 = result.results[mainRuns + 2 * i][0];
    const r1 = result.results[mainRuns + 2 * i + 1][0];
    calByWidth.set(w.n, calibrationFromCounts(w.qubits, r0.counts ?? {}, r1.counts ?? {}));
  });

  let run = 0;
  let executions = 0;
  const out: EstimatorPubResult[] = plans.map((p, i) => {
    const cal = options.calibration ?? (calByWidth.get(p.n) as ReadoutCalibration);
    const values = p.bindings.map(() => [...p.constants]);
    const variances = p.bindings.map(() => p.constants.map(() => 0));
    for (const s of p.settings) {
      const errs = s.measured.map((q) => readoutOf(cal, q, `readout mitigation, pub ${i}`));
      const k = s.measured.length;
      result.results[run++].forEach((br, b) => {
        executions++;
        const counts = br.counts ?? {};
        const N = br.shots;
        if (method === 'projected') {
          const { probs } = denseDistribution(counts, k);
          const corrected = nearestProbability(applyTensoredInverse(Float64Array.from(probs), errs));
          s.terms.forEach((ts, oi) => {
            if (ts.length === 0) return;
            const y = eigenvalues(ts, 1 << k, (x) => x);
            let v = 0;
            for (let x = 0; x < y.length; x++) v += corrected[x] * y[x];
            // Standard error of the linear (unprojected) estimator Σ p̂(x)·w(x), w = (A⁻¹)ᵀ y.
            const w = applyTensoredInverse(Float64Array.from(y), errs, true);
            values[b][oi] += v;
            variances[b][oi] += plugInVariance(probs, w) / N;
          });
        } else {
          const sub = new M3Subspace(counts, errs, distance);
          const quasi = sub.solve(sub.probs);
          s.terms.forEach((ts, oi) => {
            if (ts.length === 0) return;
            const y = eigenvalues(ts, sub.size, (i2) => sub.states[i2]);
            let v = 0;
            for (let x = 0; x < y.length; x++) v += quasi[x] * y[x];
            const w = sub.solve(y, true);
            values[b][oi] += v;
            variances[b][oi] += plugInVariance(sub.probs, w) / N;
          });
        }
      });
    }
    return {
      values,
      stdErrors: variances.map((row) => row.map((v) => Math.sqrt(v))),
      exact: false,
      shotsPerSetting: shots,
      settings: p.settings.map((s) => ({ basis: s.basis, members: s.members })),
    };
  });
  const calCircuits = runs.length - mainRuns;
  return {
    pubs: out,
    metadata: {
      jobId: result.jobId,
      backend: base.backend.id,
      exact: false,
      circuits: runs.length,
      executions: executions + calCircuits,
      shots: (executions + calCircuits) * shots,
      shotsCapped: capped,
    },
    mitigation: [report(method, options.calibration ?? mergeCal([...calByWidth.values()]), calCircuits, calCircuits * shots)],
  };
}

function mergeCal(cals: readonly ReadoutCalibration[]): ReadoutCalibration {
  return { errors: cals.flatMap((c) => c.errors), shots: Math.min(...cals.map((c) => c.shots)) };
}

/** The per-outcome value Σ coeff·(-1)^{|x ∧ mask|} of a setting's terms, at `size` outcomes. */
function eigenvalues(ts: readonly { coeff: number; mask: number }[], size: number, outcome: (i: number) => number): Float64Array {
  const y = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const x = outcome(i);
    let v = 0;
    for (const t of ts) {
      let m = (x & t.mask) >>> 0;
      let odd = 0;
      while (m) {
        odd ^= 1;
        m &= m - 1;
      }
      v += odd ? -t.coeff : t.coeff;
    }
    y[i] = v;
  }
  return y;
}

/** Σ p w² - (Σ p w)²: the variance of w under the empirical distribution p (divide by N for the mean's). */
function plugInVariance(p: Float64Array, w: Float64Array): number {
  let m1 = 0;
  let m2 = 0;
  for (let i = 0; i < p.length; i++) {
    m1 += p[i] * w[i];
    m2 += p[i] * w[i] * w[i];
  }
  return Math.max(0, m2 - m1 * m1);
}
