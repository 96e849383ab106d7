import { validationError } from '../errors.js';
import type { Circuit, Instruction } from '../ir/circuit.js';
import type { CMatrix } from '../ir/matrix.js';
import { Program } from '../sim/program.js';
import { splitTerminal } from '../sim/statevector.js';
import { sampleHistogram } from '../sim/histogram.js';
import { krausOf, pauliMixtureOf, type PauliMixture } from './channels.js';
import { channelsAfter, checkModelFits, type ChannelApplication, type NoiseModel } from './noiseModel.js';

/** A run of noiseless gates (one Program, fused as the statevector engine fuses), or one channel. */
export type NoisyStep =
  | { readonly kind: 'gates'; readonly prog: Program }
  | {
      readonly kind: 'channel';
      readonly app: ChannelApplication;
      readonly kraus: readonly CMatrix[];
      readonly mixture: PauliMixture | undefined;
    };

/**
 * A circuit under a noise model, laid out for either noisy engine: gate runs split wherever a channel
 * follows a gate (gates fuse only between noise points), final measurements, and per-qubit readout.
 */
export interface NoisyPlan {
  readonly numQubits: number;
  readonly numClbits: number;
  readonly parameters: readonly string[];
  readonly steps: readonly NoisyStep[];
  readonly measurements: readonly { readonly qubit: number; readonly clbit: number }[];
  /** True when the circuit had no measurement and every qubit was measured into bit i. */
  readonly implicitMeasurement: boolean;
  /** Per qubit, [p(1|0), p(0|1)] at [2q, 2q+1]; undefined when the model has no readout error. */
  readonly readout: Float64Array | undefined;
  readonly channelCount: number;
}

export function planNoisy(c: Circuit, model: NoiseModel): NoisyPlan {
  const n = c.numQubits;
  checkModelFits(model, n);
  const split = splitTerminal(c);
  if (!split.unitary) {
    throw validationError(
      'noisy simulation supports circuits whose measurements are final; this one acts on a qubit after measuring or resetting it',
    );
  }
  const steps: NoisyStep[] = [];
  let run: Instruction[] = [];
  let channelCount = 0;
  const flush = (): void => {
    if (run.length) steps.push({ kind: 'gates', prog: new Program(n, run, c.parameters, 'all') });
    run = [];
  };
  c.ops.forEach((ins, index) => {
    if (ins.op === 'measure' || ins.op === 'reset' || ins.op === 'barrier' || ins.op === 'delay') return;
    run.push(ins);
    const apps = channelsAfter(model, ins, index);
    if (apps.length === 0) return;
    flush();
    for (const app of apps) {
      steps.push({ kind: 'channel', app, kraus: krausOf(app.channel), mixture: pauliMixtureOf(app.channel) });
      channelCount++;
    }
  });
  flush();
  let measurements = split.measurements;
  let numClbits = c.numClbits;
  const implicitMeasurement = measurements.length === 0;
  if (implicitMeasurement) {
    measurements = Array.from({ length: n }, (_, q) => ({ qubit: q, clbit: q }));
    numClbits = Math.max(numClbits, n);
  }
  let readout: Float64Array | undefined;
  if (model.readout.length) {
    readout = new Float64Array(2 * n);
    for (const e of model.readout) {
      if (e.qubit >= n) continue; // a device-sized model may describe more qubits than the circuit uses
      readout[2 * e.qubit] = e.p1Given0;
      readout[2 * e.qubit + 1] = e.p0Given1;
    }
  }
  return { numQubits: n, numClbits, parameters: c.parameters, steps, measurements, implicitMeasurement, readout, channelCount };
}

/**
 * Applies per-qubit readout confusion to a probability vector over basis states, in place: on each
 * measured qubit the column-stochastic [[1 - a, b], [a, 1 - b]] with a = p(1|0), b = p(0|1). Exact,
 * so the density-matrix engine's outcome probabilities include readout error.
 */
export function applyReadoutToProbabilities(probs: Float64Array, plan: NoisyPlan): void {
  const ro = plan.readout;
  if (!ro) return;
  const N = probs.length;
  const done = new Set<number>();
  for (const { qubit: q } of plan.measurements) {
    if (done.has(q)) continue;
    done.add(q);
    const a = ro[2 * q];
    const b = ro[2 * q + 1];
    if (a === 0 && b === 0) continue;
    const bit = 1 << q;
    for (let i = 0; i < N; i++) {
      if (i & bit) continue;
      const p0 = probs[i];
      const p1 = probs[i | bit];
      probs[i] = (1 - a) * p0 + b * p1;
      probs[i | bit] = a * p0 + (1 - b) * p1;
    }
  }
}

/** Samples `shots` outcomes from probabilities over basis states and maps them to classical bitstrings. */
export function countsFromProbabilities(probs: Float64Array, plan: NoisyPlan, shots: number, next: () => number): Record<string, number> {
  const N = probs.length;
  const hits = sampleHistogram(probs, shots, next);
  const counts: Record<string, number> = {};
  for (let i = 0; i < N; i++) if (hits[i]) addCount(counts, bitstringOf(i, plan), hits[i]);
  return counts;
}

/** The classical bitstring (bit 0 rightmost) a basis-state index reads as under the plan's measurements. */
export function bitstringOf(index: number, plan: NoisyPlan): string {
  const bits = new Array<string>(plan.numClbits).fill('0');
  for (const m of plan.measurements) bits[plan.numClbits - 1 - m.clbit] = (index >>> m.qubit) & 1 ? '1' : '0';
  return bits.join('');
}

export function addCount(counts: Record<string, number>, key: string, k: number): void {
  counts[key] = (counts[key] ?? 0) + k;
}

const MAX_SHOTS = 100_000_000;

export function checkShots(shots: number, what = 'shots'): void {
  if (!Number.isInteger(shots) || shots < 1 || shots > MAX_SHOTS) {
    throw validationError(`${what} must be an integer from 1 to ${MAX_SHOTS}, got ${shots}`);
  }
}
