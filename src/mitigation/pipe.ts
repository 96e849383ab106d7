import { validationError } from '../errors.js';
import type { EstimatorPub, EstimatorPubResult, EstimatorResult, EstimatorRunOptions } from '../primitives/estimator.js';

/**
 * What one mitigation layer cost on top of the run it wraps: extra circuits (calibration circuits,
 * noise-scaled copies, twirled instances) and the shots spent on them. `details` holds the layer's
 * own figures (scales, calibration, instances).
 */
export interface MitigationReport {
  readonly technique: 'readout' | 'zne' | 'twirling' | 'compilation';
  readonly extraCircuits: number;
  readonly extraShots: number;
  readonly details: Readonly<Record<string, unknown>>;
}

/** An estimator result that may carry the reports of the mitigation layers it went through (outermost last). */
export interface MitigatedEstimatorResult extends EstimatorResult {
  readonly mitigation?: readonly MitigationReport[];
}

/**
 * The estimator contract mitigation speaks: the primitives' `Estimator` satisfies it, and every
 * middleware returns one, so techniques stack (`pipe(withReadoutMitigation(), withZne())(estimator)`).
 */
export interface EstimatorLike {
  run(pubs: readonly EstimatorPub[], options?: EstimatorRunOptions): Promise<MitigatedEstimatorResult>;
}

export type EstimatorMiddleware = (next: EstimatorLike) => EstimatorLike;

/**
 * Composes middlewares left to right: the first wraps the estimator, the next wraps that, so
 * `pipe(withReadoutMitigation(), withZne())` measures readout-corrected values at each noise scale
 * and then extrapolates them.
 */
export function pipe(...layers: readonly EstimatorMiddleware[]): EstimatorMiddleware {
  layers.forEach((l, i) => {
    if (typeof l !== 'function') throw validationError(`pipe: layer ${i} is not an estimator middleware (a function next => estimator)`);
  });
  return (next) => layers.reduce<EstimatorLike>((inner, layer) => layer(inner), next);
}

/** A pub result's list of observables, normalised (a single PauliSum counts as a list of one). */
export function observablesOf(pub: EstimatorPub): readonly (readonly { coeff: number; pauli: string }[])[] {
  const o = pub.observables;
  const single = Array.isArray(o) && (o.length === 0 || !Array.isArray(o[0]));
  return single ? [o as readonly { coeff: number; pauli: string }[]] : (o as readonly (readonly { coeff: number; pauli: string }[])[]);
}

/** Executions and shots a result's inner run spent, for cost reports. */
export function costOf(r: EstimatorResult): { circuits: number; shots: number } {
  return { circuits: r.metadata.circuits, shots: r.metadata.shots };
}

/** Sums the metadata of several inner runs into one (job ids joined), keeping their mitigation reports. */
export function mergeMetadata(results: readonly MitigatedEstimatorResult[]): {
  metadata: EstimatorResult['metadata'];
  mitigation: MitigationReport[];
} {
  const m = results.map((r) => r.metadata);
  return {
    metadata: {
      jobId: m
        .map((x) => x.jobId)
        .filter(Boolean)
        .join(','),
      backend: m[0]?.backend ?? '',
      exact: m.every((x) => x.exact),
      circuits: m.reduce((s, x) => s + x.circuits, 0),
      executions: m.reduce((s, x) => s + x.executions, 0),
      shots: m.reduce((s, x) => s + x.shots, 0),
      shotsCapped: m.some((x) => x.shotsCapped),
    },
    mitigation: results.flatMap((r) => r.mitigation ?? []),
  };
}

export type { EstimatorPub, EstimatorPubResult, EstimatorRunOptions };
