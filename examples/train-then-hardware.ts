/**
 * Train on the simulator, then evaluate and fine-tune on a quantum provider.
 *
 *   1. trains a small QCNN on the exact local simulator (or loads one with --model DIR);
 *   2. evaluates it on the provider with shots (one job for the whole evaluation batch);
 *   3. fine-tunes it there for a few steps by parameter shift: every shifted binding of every image
 *      of a minibatch rides in ONE job, so each training step costs exactly one provider job;
 *   4. the fine-tuning epoch ends with a second evaluation on the same test images (one more job).
 *
 * Where it runs: without credentials, against the provider's emulator started in this process
 * (`startEmulator`: IBM Qiskit Runtime's REST API on 127.0.0.1, backed by the noisy simulator with a
 * real device's calibration). With credentials for the chosen provider (QBRIDGE_IBM_API_KEY and
 * QBRIDGE_IBM_CRN; QBRIDGE_IONQ_API_KEY; AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, in the
 * environment or .env) it uses the service they point at, through the job journal (a crashed run
 * re-attaches to its jobs instead of paying twice) and the shot budget guard (QBRIDGE_BUDGET_SHOTS;
 * a step over it needs --yes).
 *
 * Run:   npx tsx examples/train-then-hardware.ts [--quick] [--provider ibm|ionq|braket] [--device NAME]
 *          [--model DIR] [--shots N] [--steps N] [--batch B] [--eval K] [--journal DIR] [--yes]
 * `--quick` (or QBRIDGE_EXAMPLE_QUICK=1): 2 steps of 2 images, 16 test images, 256 shots.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  Estimator,
  EstimatorQuantumFunction,
  JobJournal,
  JournaledBackend,
  QError,
  SimulatorQuantumFunction,
  applyPreprocessing,
  buildModel,
  loadClasses,
  loadModel,
  parameterShift,
  predict,
  accuracy,
  trainModel,
  type Backend,
  type HybridModel,
  type JobHandle,
  type TrainedWeights,
} from '../src/index.js';
import { backendFor, startEmulator, type EmulatorHandle } from '../backends/registry.js';
import { credential } from '../backends/common/credentials.js';

const PROVIDERS = {
  ibm: { credentials: ['QBRIDGE_IBM_API_KEY', 'QBRIDGE_IBM_CRN'], device: 'ibm_fez' },
  ionq: { credentials: ['QBRIDGE_IONQ_API_KEY'], device: 'qpu.forte-1' },
  braket: { credentials: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'], device: 'rigetti' },
} as const;
type Provider = keyof typeof PROVIDERS;

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: process.env['QBRIDGE_EXAMPLE_QUICK'] === '1' },
    provider: { type: 'string', default: 'ibm' },
    device: { type: 'string' },
    model: { type: 'string' },
    shots: { type: 'string' },
    steps: { type: 'string' },
    batch: { type: 'string' },
    eval: { type: 'string' },
    seed: { type: 'string', default: '1' },
    journal: { type: 'string' },
    'poll-ms': { type: 'string' },
    yes: { type: 'boolean', default: false },
  },
});

function count(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1) throw new QError('VALIDATION', `--${name} must be a positive integer, got '${v}'`);
  return n;
}

async function main(): Promise<void> {
  if (!(args.provider! in PROVIDERS)) {
    throw new QError('VALIDATION', `--provider must be one of ${Object.keys(PROVIDERS).join(', ')}, got '${args.provider}'`);
  }
  const provider = args.provider as Provider;
  const quick = args.quick ?? false;
  const seed = count('seed', args.seed, 1);
  const shots = count('shots', args.shots, quick ? 256 : 1000);
  const steps = count('steps', args.steps, quick ? 2 : 5);
  const batch = count('batch', args.batch, quick ? 2 : 4);
  const evalImages = count('eval', args.eval, quick ? 16 : 100);
  const device = args.device ?? PROVIDERS[provider].device;
  const classes = [0, 1];

  // ---- 1. a model trained on the exact simulator (or loaded) ----
  // A small QCNN: qcnn8's 8 -> 4 -> 2 -> 1 stack with the 4-angle convolution of Sim et al.'s circuit 15
  // shared per level and parameter-free CNOT pooling: 12 quantum parameters, so a parameter-shift
  // gradient needs 105 bindings per image instead of the 447 of the 51-parameter SU(4) default.
  let model: HybridModel;
  let weights: TrainedWeights;
  const raw = loadClasses(classes, { trainLimit: quick ? 600 : 3000, testLimit: evalImages });
  if (args.model) {
    const file = existsSync(args.model) && statSync(args.model).isDirectory() ? join(args.model, 'model.json') : args.model;
    ({ model, weights } = loadModel(file));
    console.log(`loaded ${model.name} from ${file}`);
  } else {
    const built = buildModel('qcnn8', { classes, conv: 'u15', pool: 'entangle' }, raw);
    model = built.model;
    const t = await trainModel(
      model,
      { train: built.train, test: built.test },
      { epochs: quick ? 1 : 2, batch: 32, lr: 0.1, seed, quantum: new SimulatorQuantumFunction() },
    );
    weights = t.weights;
    console.log(
      `simulator: trained qcnn8 (circuit-15 convolutions, CNOT pooling; ${model.quantum!.weights.length} quantum parameters) on ${built.train.count} images, ideal test accuracy ${(100 * t.testAccuracy).toFixed(2)}% on ${built.test.count} images`,
    );
  }
  const layer = model.quantum;
  if (!layer) throw new QError('VALIDATION', `${model.name} has no quantum layer: nothing to run on a provider`);
  const test = applyPreprocessing(raw.test, model.preprocessing);
  // Fine-tuning images: the first steps x batch training images (a fresh slice would do as well).
  const tuneRaw = loadClasses(model.classes, { trainLimit: steps * batch, testLimit: 0 });
  const tune = applyPreprocessing(tuneRaw.train, model.preprocessing);

  // ---- 2. the provider: real credentials, or the emulator in this process ----
  const realCredentials = PROVIDERS[provider].credentials.every((v) => credential(v) !== undefined);
  let emulator: EmulatorHandle | undefined;
  if (!realCredentials) {
    emulator = await startEmulator(provider, { seed } as Parameters<typeof startEmulator>[1]);
    // The emulator's endpoints and placeholder credentials, exactly as `qbridge emulate` prints them.
    Object.assign(process.env, { QBRIDGE_IONQ_API_KEY: 'emulator-api-key' }, emulator.env);
    console.log(`no ${provider} credentials: using the ${provider} emulator at ${emulator.url}`);
  } else {
    console.log(`${provider} credentials found: using the real service`);
  }
  const spec = `${provider}:${device}`;
  const inner = await backendFor(spec);

  // The journal: the default one (.qbridge/jobs or $QBRIDGE_HOME/jobs) for a real provider; a throwaway
  // one for the emulator, whose jobs die with it (a replay from an old journal would skip submissions).
  const journalDir = args.journal ?? (emulator ? mkdtempSync(join(tmpdir(), 'qbridge-example-jobs-')) : undefined);
  // Over-budget submissions are confirmed by --yes (the emulator is free); otherwise the guard refuses them.
  const confirm = (): boolean => emulator !== undefined || (args.yes ?? false);
  const journaled = new JournaledBackend(inner, { ...(journalDir ? { journal: new JobJournal(journalDir) } : {}), confirm });

  /** Polls every `ms` (the IBM adapter's default is 2 s, right for the service, slow for an emulator). */
  function polling(b: Backend, ms: number | undefined): Backend {
    if (ms === undefined) return b;
    const fast = (h: JobHandle): JobHandle => ({
      get id() {
        return h.id;
      },
      get backend() {
        return h.backend;
      },
      get status() {
        return h.status;
      },
      refresh: () => h.refresh(),
      cancel: () => h.cancel(),
      wait: (o = {}) => h.wait({ pollMs: ms, ...o }),
    });
    return {
      id: b.id,
      provider: b.provider,
      capabilities: b.capabilities,
      numQubits: b.numQubits,
      submit: async (r, o) => fast(await b.submit(r, o)),
      attach: async (id, c) => fast(await b.attach(id, c)),
    };
  }
  const pollMs = args['poll-ms'] !== undefined ? count('poll-ms', args['poll-ms'], 1) : emulator ? 25 : undefined;
  const backend = polling(journaled, pollMs);

  const submissions = (): number => (emulator?.server.stats as { submissions?: number } | undefined)?.submissions ?? NaN;
  const jobs: { bindings: number; shots: number }[] = [];
  const qf = new EstimatorQuantumFunction(new Estimator(backend, { seed }), {
    shots,
    seed,
    gradient: 'parameter-shift',
    onJob: (j) => jobs.push({ bindings: j.bindings, shots: j.shots }),
  });
  const perImage = (() => {
    const b: Record<string, number> = {};
    for (const s of layer.circuit.parameters) b[s] = 0.1;
    return parameterShift(layer.circuit, { wrt: layer.weights }).expand(b).batch.length;
  })();
  console.log(
    `${spec}: ${shots} shots per binding; a training step = ${batch} images x ${perImage} parameter-shift bindings = ${batch * perImage} bindings, ${batch * perImage * shots} shots, in one job`,
  );

  try {
    // ---- 3. evaluation on the provider: one job for all test images ----
    const before = await predict(model, weights, test, qf, { evalBatch: test.count });
    console.log(
      `${spec}: test accuracy ${(100 * accuracy(before.predictions, test.y)).toFixed(2)}% on ${test.count} images before fine-tuning (${before.jobs} job, ${before.shots} shots)`,
    );

    // ---- 4. fine-tuning: ONE job per step ----
    const perStep: number[] = [];
    let jobsSeen = jobs.length;
    let epochJobs = 0; // StepInfo.jobs counts the epoch so far
    let submitted = submissions();
    const tuned = await trainModel(
      model,
      { train: tune, test },
      {
        epochs: 1,
        batch,
        lr: 0.02,
        headLr: 0.02,
        seed,
        quantum: qf,
        initial: weights,
        evalBatch: test.count,
        onStep: (s) => {
          const mine = jobs.slice(jobsSeen);
          jobsSeen = jobs.length;
          const stepJobs = s.jobs - epochJobs;
          epochJobs = s.jobs;
          perStep.push(stepJobs);
          const counted = emulator ? `; emulator submissions +${submissions() - submitted}` : '';
          submitted = submissions();
          console.log(
            `step ${s.step}/${s.steps}: ${stepJobs} job${stepJobs === 1 ? '' : 's'} (${mine.map((j) => `${j.bindings} bindings, ${j.shots} shots`).join('; ')}), mean loss so far ${s.loss.toFixed(4)}${counted}`,
          );
        },
      },
    );
    const e = tuned.epochs[0]!;
    console.log(
      `${spec}: test accuracy ${(100 * e.testAccuracy).toFixed(2)}% on ${test.count} images after ${perStep.length} fine-tuning steps (${e.jobs} jobs, ${e.shots} shots in the epoch, evaluation included)`,
    );
    console.log(`jobs per training step: ${perStep.join(', ')}`);
    if (emulator) console.log(`emulator: ${submissions()} submissions in all`);
  } finally {
    await emulator?.close();
    if (emulator && !args.journal && journalDir) rmSync(journalDir, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (e) {
  // One line, as the CLI does: a refused budget or a provider error is an outcome to read, not a crash.
  console.error(`train-then-hardware: ${(e as Error).message}`);
  process.exitCode = 1;
}
