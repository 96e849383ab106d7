import { Estimator, pipe, presetTarget, withCompilation, withReadoutMitigation, withZne, EstimatorQuantumFunction } from '../src/index.js';
import { LocalBackend, localBackendFor, parseLocalSpec } from '../backends/local/index.js';

export const MITIGATIONS = ['none', 'readout', 'zne', 'readout+zne'] as const;
export type Mitigation = (typeof MITIGATIONS)[number];

/** What EstimatorQuantumFunction takes: an Estimator or a mitigation wrapper around one. */
export type EstimatorLike = ConstructorParameters<typeof EstimatorQuantumFunction>[0];

/**
 * The estimator for a backend spec and mitigation mode. On a noisy device every mode compiles each
 * circuit to the device ONCE, outside the mitigation layers (level 1, the same layout for all modes),
 * and the noisy local backend runs such ISA circuits as given, so readout calibration and ZNE folds
 * act on the physical circuit that is simulated:
 *   none: compile; readout: readout(compile); zne: zne(compile); readout+zne: readout(zne(compile)).
 */
export function estimatorFor(spec: string, mitigation: Mitigation, seed: number): EstimatorLike {
  const p = parseLocalSpec(spec);
  if (p.kind === 'ideal') {
    const base = new Estimator(new LocalBackend(), { seed });
    if (mitigation === 'none') return base;
    const layers = [];
    if (mitigation === 'readout' || mitigation === 'readout+zne') layers.push(withReadoutMitigation());
    if (mitigation === 'zne' || mitigation === 'readout+zne') layers.push(withZne());
    return pipe(...layers)(base);
  }
  const target = presetTarget(p.preset);
  const base = new Estimator(localBackendFor(spec), { seed });
  switch (mitigation) {
    case 'none':
      return pipe(withCompilation(target))(base);
    case 'readout':
      return pipe(withReadoutMitigation(), withCompilation(target))(base);
    case 'zne':
      return pipe(withZne({ target }))(base);
    default:
      return pipe(withReadoutMitigation(), withZne({ target }))(base);
  }
}

export interface EvaluationReport {
  readonly model: string;
  readonly classes: readonly number[];
  readonly backend: string;
  readonly mitigation: Mitigation;
  readonly samples: number;
  readonly testAccuracy: number;
  /** confusion[true][predicted], in class order. */
  readonly confusion: number[][];
  readonly shots: number;
  readonly jobs: number;
  readonly seconds: number;
  readonly exact: boolean;
}

/** confusion[true][predicted] over class indices 0..classes-1. */
export function confusionMatrix(labels: ArrayLike<number>, predictions: ArrayLike<number>, classes: number): number[][] {
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; i++) confusion[labels[i]][predictions[i]]++;
  return confusion;
}
