import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  accuracy,
  atomicWriteFileSync,
  buildQkc,
  initTfjs,
  loadQkc,
  predictQkc,
  predictQkcMaps,
  quanvolveOn,
  loadClasses,
  qkcInfo,
  saveQkc,
  trainQkc,
  validationError,
  type EpochMetrics,
  type QkcTrainResult,
} from '../src/index.js';
import { parseLocalSpec } from '../backends/local/index.js';
import { confusionMatrix, estimatorFor, type EvaluationReport, type Mitigation } from './estimatorFor.js';
import { printJson, progressBar } from './output.js';

/** The `qbridge train` options qkc honours (the rest of train's options do not apply to it). */
export interface QkcCliOptions {
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
  trainLimit?: number;
  testLimit?: number;
  data?: string;
  json?: boolean;
}

/**
 * `qbridge train --model qkc`: the quanvolution is fixed, so its feature maps are computed once
 * (exactly, cached under OUT/cache) and only the CNN trains; `--baseline` trains the same CNN after
 * a random classical filter bank of the same shape (identical trained-parameter count).
 */
export async function runQkcTrain(o: QkcCliOptions): Promise<void> {
  if (o.backend !== 'local')
    throw validationError(`qkc trains on the local simulator only (its filters are fixed and precomputed); got --backend ${o.backend}`);
  if (o.init) throw validationError('--init is not supported for qkc (its quantum filters are fixed; retrain the CNN instead)');
  const log = (s: string): void => {
    if (!o.json) process.stderr.write(s);
  };
  const classes = o.classes ?? [...qkcInfo.defaultClasses];
  const epochs = o.epochs ?? qkcInfo.defaults.epochs;
  const batch = o.batch ?? qkcInfo.defaults.batch;
  const lr = o.lr ?? qkcInfo.defaults.lr;
  const out = o.out ?? join('runs', `qkc-${classes.join('')}`);
  if (o.resume && !existsSync(join(out, 'checkpoint.json'))) {
    throw validationError(`nothing to resume: ${join(out, 'checkpoint.json')} does not exist (give the --out of the interrupted run)`, {
      file: out,
    });
  }
  mkdirSync(out, { recursive: true });
  const raw = loadClasses(classes, { dir: o.data, trainLimit: o.trainLimit, testLimit: o.testLimit });
  const model = buildQkc({ classes });
  log(
    `qkc: ${qkcInfo.description}\n  ${model.layer.qubits} qubits per patch, ${model.layer.filters} fixed filters -> ${model.spec.input.join('x')} maps, classes ${classes.join(',')}, ${raw.train.count} training / ${raw.test.count} test images\n`,
  );
  const run = async (m: typeof model, dir: string, label: string): Promise<QkcTrainResult> => {
    const steps = Math.ceil(raw.train.count / batch);
    const bar = progressBar(epochs * steps, label, !o.json);
    let done = 0;
    return trainQkc(m, raw, {
      epochs,
      batch,
      lr,
      seed: o.seed,
      checkpointDir: dir,
      resume: o.resume && existsSync(join(dir, 'checkpoint.json')),
      cacheDir: join(out, 'cache'),
      onFeatures: (f) =>
        log(
          `  ${m.name === 'qkc' ? 'quanvolution' : 'classical filter bank'} of ${raw.train.count + raw.test.count} images: ${f.seconds.toFixed(1)} s\n`,
        ),
      onStep: (s) => {
        const target = (s.epoch - 1) * steps + s.step;
        bar.tick(target - done, `epoch ${s.epoch} loss ${s.loss.toFixed(4)} acc ${(100 * s.accuracy).toFixed(1)}%`);
        done = target;
      },
      onEpoch: (e: EpochMetrics) => {
        bar.done();
        log(
          `epoch ${e.epoch}/${epochs}  loss ${e.loss.toFixed(4)}  train ${(100 * e.trainAccuracy).toFixed(2)}%  test ${(100 * e.testAccuracy).toFixed(2)}%  ${e.seconds.toFixed(1)} s\n`,
        );
      },
    });
  };
  const result = await run(model, out, 'train');
  log(`tfjs backend: ${result.tfjsBackend}\n`);
  const epochList = (r: QkcTrainResult) =>
    r.epochs.map((e) => ({ loss: e.loss, trainAccuracy: e.trainAccuracy, testAccuracy: e.testAccuracy, seconds: e.seconds }));
  const metrics: Record<string, unknown> = {
    model: 'qkc',
    classes,
    epochs: epochList(result),
    testAccuracy: result.testAccuracy,
    seconds: result.seconds,
    featureSeconds: result.featureSeconds,
    quantumParameters: result.quantumParameters,
    classicalParameters: result.classicalParameters,
    qubits: model.layer.qubits,
    backend: o.backend,
    seed: o.seed,
    batch,
    lr,
    tfjsBackend: result.tfjsBackend,
    trainImages: raw.train.count,
    testImages: raw.test.count,
  };
  saveQkc(join(out, 'model.json'), model, result.weights, { ...metrics });
  if (o.baseline) {
    const bmodel = buildQkc({ classes, filter: 'classical' });
    const bdir = join(out, 'baseline');
    mkdirSync(bdir, { recursive: true });
    const b = await run(bmodel, bdir, 'baseline');
    saveQkc(join(out, 'baseline.json'), bmodel, b.weights);
    metrics.baseline = {
      model: bmodel.name,
      parameters: b.classicalParameters,
      testAccuracy: b.testAccuracy,
      seconds: b.seconds,
      epochs: epochList(b),
    };
    log(
      `baseline: the same CNN after a random classical tanh filter bank (${b.classicalParameters} parameters): test ${(100 * b.testAccuracy).toFixed(2)}%  vs qkc (${result.classicalParameters} parameters): ${(100 * result.testAccuracy).toFixed(2)}%\n`,
    );
  }
  atomicWriteFileSync(join(out, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
  if (o.json) {
    printJson({ ...metrics, out });
    return;
  }
  process.stdout.write(
    `qkc (${classes.join(',')}): test accuracy ${(100 * result.testAccuracy).toFixed(2)}% on ${raw.test.count} images after ${result.epochs.length} epochs, ${result.seconds.toFixed(1)} s\n  ${result.quantumParameters} quantum + ${result.classicalParameters} classical parameters; model and metrics in ${out}/\n`,
  );
}

/** Whether a model file holds a qkc model (or its baseline), which `evaluate` runs through its own path. */
export function isQkcModelFile(path: string): boolean {
  try {
    const m = /"model"\s*:\s*"([^"]*)"/.exec(readFileSync(path, 'utf8'));
    return m !== null && (m[1] === 'qkc' || m[1] === 'baseline:qkc');
  } catch {
    return false; // the regular loader reports unreadable files
  }
}

/**
 * `qbridge evaluate` of a qkc model: on ideal `local` without shots the quanvolution is exact (no
 * jobs); otherwise every group of 50 test images is ONE job whose pubs are the filter circuits bound
 * to the group's distinct patches, measured on the backend with the asked mitigation, and the
 * measured maps go through the trained CNN.
 */
export async function evaluateQkcFile(
  path: string,
  o: { backend: string; shots?: number; mitigation?: Mitigation; limit?: number; seed?: number; progress?: boolean; dataDir?: string },
): Promise<EvaluationReport> {
  const { model, weights } = loadQkc(path);
  await initTfjs();
  const mitigation = o.mitigation ?? 'none';
  const spec = parseLocalSpec(o.backend);
  const exact = spec.kind === 'ideal' && o.shots === undefined && mitigation === 'none';
  if (model.name === 'baseline:qkc' && !exact)
    throw validationError(
      `${path} is the classical baseline of qkc (no quantum part): evaluate it with --backend local and no --shots or --mitigation`,
      { file: path },
    );
  const classes = model.config.classes;
  const raw = loadClasses(classes, { dir: o.dataDir, trainLimit: 0, testLimit: o.limit });
  const test = raw.test;
  const t0 = performance.now();
  let predictions: Uint8Array;
  let jobs = 0;
  let shots = 0;
  if (exact) predictions = predictQkc(model, weights, test);
  else {
    const bar = progressBar(test.count, `evaluate ${o.backend}${mitigation === 'none' ? '' : ` +${mitigation}`}`, o.progress ?? false);
    let done = 0;
    const r = await quanvolveOn(model.layer, test, estimatorFor(o.backend, mitigation, o.seed ?? 0), {
      shots: o.shots,
      seed: o.seed,
      onJob: (j) => {
        bar.tick(j.images - done);
        done = j.images;
      },
    });
    bar.done();
    predictions = predictQkcMaps(model, weights, r.maps);
    jobs = r.jobs;
    shots = r.shots;
  }
  return {
    model: model.name,
    classes,
    backend: o.backend,
    mitigation,
    samples: test.count,
    testAccuracy: accuracy(predictions, test.y),
    confusion: confusionMatrix(test.y, predictions, classes.length),
    shots,
    jobs,
    seconds: (performance.now() - t0) / 1000,
    exact: o.shots === undefined,
  };
}
