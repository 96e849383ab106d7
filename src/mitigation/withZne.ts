import { validationError } from '../errors.js';
import type { OptimizationLevel } from '../compiler/context.js';
import { unitaryPart } from '../primitives/common.js';
import type { EstimatorPub, EstimatorPubResult } from '../primitives/estimator.js';
import type { Target } from '../target/target.js';
import { compilePub, nativeSet } from './compilation.js';
import { richardson, type Extrapolator } from './extrapolate.js';
import { foldCircuit, type FoldMethod } from './folding.js';
import { mergeMetadata, type EstimatorLike, type EstimatorMiddleware, type MitigatedEstimatorResult } from './pipe.js';

export interface ZneOptions {
  /** Noise scale factors (>= 1). Default [1, 3, 5] (Qiskit Runtime's default factors). */
  readonly scales?: readonly number[];
  /** Default richardson() (exact for a noise curve of degree scales - 1). */
  readonly extrapolator?: Extrapolator;
  /** Default 'global'. */
  readonly fold?: FoldMethod;
  /** Local folding: 'all' gates (default) or only 'two-qubit' gates. */
  readonly gates?: 'all' | 'two-qubit';
  /**
   * Compile each pub to this device first and fold the compiled circuit, so no optimiser can
   * cancel the folds (the backend must run the circuits as given). Without it the circuits are
   * folded as they come: wrap already-compiled circuits, or use a backend that does not optimise.
   */
  readonly target?: Target;
  readonly compileLevel?: OptimizationLevel;
  /** Seed of the random subset a fractional local scale folds once more (default 0). */
  readonly seed?: number;
}

/** What ZNE adds to a pub's result: the raw values at each (achieved) scale, so users can refit. */
export interface ZnePubResult extends EstimatorPubResult {
  readonly zne: {
    readonly extrapolator: string;
    /** Achieved scale factors of this pub (folding rounds to whole gates). */
    readonly scales: readonly number[];
    /** values[s][b][o] and standard errors at scale s. */
    readonly values: readonly number[][][];
    readonly stdErrors: readonly number[][][];
    /** Count of (binding, observable) values whose exponential fit fell back to linear. */
    readonly fallbacks: number;
  };
}

/**
 * Zero-noise extrapolation as an Estimator middleware: every pub is (compiled, then) folded to each
 * scale, all scaled pubs go to the inner estimator in ONE run, and each value is extrapolated to zero
 * noise from its per-scale values, which are returned too (`pubs[i].zne`).
 */
export function withZne(options: ZneOptions = {}): EstimatorMiddleware {
  const scales = [...(options.scales ?? [1, 3, 5])];
  const extrapolator = options.extrapolator ?? richardson();
  if (!extrapolator || typeof extrapolator.extrapolate !== 'function')
    throw validationError('withZne: extrapolator must come from linear(), richardson(), polynomial(k) or exponential()');
  for (const s of scales)
    if (!(Number.isFinite(s) && s >= 1)) throw validationError(`withZne: noise scales must be numbers >= 1, got ${String(s)}`);
  const distinct = new Set(scales).size;
  if (distinct !== scales.length) throw validationError(`withZne: noise scales must be distinct, got ${scales.join(', ')}`);
  if (distinct < extrapolator.minScales) {
    throw validationError(
      `withZne: ${extrapolator.name} extrapolation needs at least ${extrapolator.minScales} noise scales, got ${distinct} (${scales.join(', ')})`,
      { scales, needed: extrapolator.minScales },
    );
  }
  // Fail on a bad fold configuration now, not at the first run.
  foldCircuit({ numQubits: 1, numClbits: 0, ops: [], parameters: [] }, 1, { method: options.fold, gates: options.gates });
  const native = options.target ? nativeSet(options.target) : undefined;

  return (next: EstimatorLike): EstimatorLike => ({
    async run(pubs, runOptions = {}): Promise<MitigatedEstimatorResult> {
      if (!Array.isArray(pubs) || pubs.length === 0) throw validationError('Estimator.run needs at least one pub');
      const prepared = pubs.map((p, i) => {
        const where = `Estimator pub ${i}`;
        const q = options.target ? compilePub(p, options.target, { level: options.compileLevel ?? 1 }, where).pub : p;
        return { ...q, circuit: unitaryPart(q.circuit, where) };
      });
      const achieved: number[][] = prepared.map(() => []);
      const scaled: EstimatorPub[] = [];
      for (const s of scales) {
        prepared.forEach((p, i) => {
          const f = foldCircuit(p.circuit, s, { method: options.fold, gates: options.gates, seed: (options.seed ?? 0) + i, native });
          achieved[i].push(f.scale);
          scaled.push({ ...p, circuit: f.circuit });
        });
      }
      const inner = await next.run(scaled, runOptions);
      const P = pubs.length;
      const out: ZnePubResult[] = prepared.map((_p, i) => {
        const per = scales.map((_s, k) => inner.pubs[k * P + i]);
        const first = per[0];
        let fallbacks = 0;
        const values = first.values.map((row, b) =>
          row.map((_v, o) => {
            const ys = per.map((r) => r.values[b][o]);
            const ses = per.map((r) => r.stdErrors[b][o]);
            const fit = extrapolator.extrapolate(achieved[i], ys, ses);
            if (fit.fallback) fallbacks++;
            return fit;
          }),
        );
        return {
          values: values.map((row) => row.map((f) => f.value)),
          stdErrors: values.map((row) => row.map((f) => f.stdError)),
          exact: first.exact,
          shotsPerSetting: first.shotsPerSetting,
          settings: first.settings,
          zne: {
            extrapolator: extrapolator.name,
            scales: achieved[i],
            values: per.map((r) => r.values),
            stdErrors: per.map((r) => r.stdErrors),
            fallbacks,
          },
        };
      });
      // Cost beyond the unscaled run: every scale but the first.
      let extraCircuits = 0;
      let extraShots = 0;
      scales.forEach((_s, k) => {
        if (k === 0) return;
        for (let i = 0; i < P; i++) {
          const r = inner.pubs[k * P + i];
          const circuits = r.exact ? 1 : r.settings.length;
          extraCircuits += circuits;
          extraShots += circuits * r.values.length * r.shotsPerSetting;
        }
      });
      const merged = mergeMetadata([inner]);
      return {
        pubs: out,
        metadata: merged.metadata,
        mitigation: [
          ...merged.mitigation,
          {
            technique: 'zne',
            extraCircuits,
            extraShots,
            details: {
              scales,
              achievedScales: achieved,
              extrapolator: extrapolator.name,
              fold: options.fold ?? 'global',
              gates: options.gates ?? 'all',
            },
          },
        ],
      };
    },
  });
}
