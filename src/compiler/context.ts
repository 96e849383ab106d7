import type { Circuit } from '../ir/circuit.js';
import { couplingGraph, type CouplingGraph } from '../target/coupling.js';
import type { Target } from '../target/target.js';

export type OptimizationLevel = 0 | 1 | 2 | 3;

/**
 * What passes share: the target, the level, a seed, and the results earlier stages leave for later
 * ones (layout, routing statistics), much as Qiskit's PropertySet. Passes stay plain functions
 * `(circuit, ctx) => circuit`; only these fields are mutable.
 */
export interface PassContext {
  readonly target: Target;
  readonly level: OptimizationLevel;
  readonly seed: number;
  /** Coupling graph without broken couplers (error >= 1). */
  readonly coupling: CouplingGraph;
  /** Logical qubit i starts on physical qubit initialLayout[i]; set by the layout stage. */
  initialLayout?: number[];
  /** Logical qubit i ends on physical qubit finalLayout[i]; set by routing. */
  finalLayout?: number[];
  /** SWAPs the router inserted. */
  swaps: number;
  /** Wall time of each pass, milliseconds. */
  readonly timings: Record<string, number>;
}

export type Pass = (c: Circuit, ctx: PassContext) => Circuit;

export function makeContext(target: Target, level: OptimizationLevel, seed: number): PassContext {
  return { target, level, seed, coupling: couplingGraph(target), swaps: 0, timings: {} };
}
