import { validationError } from '../errors.js';
import { compile } from '../compiler/pipeline.js';
import type { OptimizationLevel } from '../compiler/context.js';
import { pauliAt, type PauliSum } from '../ir/pauli.js';
import { unitaryPart } from '../primitives/common.js';
import type { EstimatorPub } from '../primitives/estimator.js';
import { nativeGates, type Target } from '../target/target.js';
import { observablesOf, type EstimatorLike, type EstimatorMiddleware } from './pipe.js';

export interface CompilationOptions {
  /** Optimisation level (default 1, as the noisy local backend). */
  readonly level?: OptimizationLevel;
  readonly seed?: number;
}

/** A pub compiled to the device: its circuit on physical qubits and its observables moved to where the logical qubits end. */
export interface CompiledPub {
  readonly pub: EstimatorPub;
  /** Physical qubit each logical qubit is measured on. */
  readonly finalLayout: readonly number[];
  readonly twoQubitGates: number;
}

/** An observable on logical qubits, written on the physical qubits they end on (`width` = device size). */
export function mapObservable(obs: PauliSum, layout: readonly number[], width: number): PauliSum {
  return obs.map((t) => {
    const chars = new Array<string>(width).fill('I');
    for (let q = 0; q < t.pauli.length; q++) {
      const p = pauliAt(t.pauli, q);
      if (p === 'I') continue;
      if (q >= layout.length) throw validationError(`observable acts on qubit ${q}, outside the circuit`);
      chars[width - 1 - layout[q]] = p;
    }
    return { coeff: t.coeff, pauli: chars.join('') };
  });
}

/**
 * Compiles a pub's circuit (measurements removed: estimation appends its own) to the target and
 * moves its observables to the physical qubits. Runs once per pub, so every noise-scaled or twirled
 * copy made from it shares one layout: the same physical qubits, the same noise.
 */
export function compilePub(pub: EstimatorPub, target: Target, options: CompilationOptions = {}, where = 'pub'): CompiledPub {
  const base = unitaryPart(pub.circuit, where);
  const r = compile(base, target, { level: options.level ?? 1, seed: options.seed ?? 0 });
  const identity = Array.from({ length: base.numQubits }, (_, i) => i);
  const layout = r.finalPermutation.length ? r.finalPermutation : r.initialLayout.length ? r.initialLayout : identity;
  const observables = observablesOf(pub).map((o) => mapObservable(o, layout, r.circuit.numQubits));
  return { pub: { ...pub, circuit: r.circuit, observables }, finalLayout: layout, twoQubitGates: r.stats.twoQubitGates };
}

/** The device's native gate names (for writing fold inverses natively). */
export function nativeSet(target: Target): ReadonlySet<string> {
  const g = nativeGates(target);
  return new Set([...g.oneQubit, ...g.twoQubit]);
}

/**
 * Compiles every pub to the device before the layers inside it, so they (readout calibration, ZNE
 * folding, twirling) act on the physical circuit the device runs. The backend must then run the
 * circuits as given (IBM's ISA contract), not re-lay them out.
 */
export function withCompilation(target: Target, options: CompilationOptions = {}): EstimatorMiddleware {
  if (!target || !(target.instructions instanceof Map)) throw validationError('withCompilation: needs a Target');
  return (next: EstimatorLike): EstimatorLike => ({
    async run(pubs, runOptions) {
      if (!Array.isArray(pubs) || pubs.length === 0) throw validationError('Estimator.run needs at least one pub');
      const compiled = pubs.map((p, i) => compilePub(p, target, options, `Estimator pub ${i}`));
      const r = await next.run(
        compiled.map((c) => c.pub),
        runOptions,
      );
      return {
        ...r,
        mitigation: [
          ...(r.mitigation ?? []),
          {
            technique: 'compilation',
            extraCircuits: 0,
            extraShots: 0,
            details: {
              target: target.name,
              layouts: compiled.map((c) => c.finalLayout),
              twoQubitGates: compiled.map((c) => c.twoQubitGates),
            },
          },
        ],
      };
    },
  });
}
