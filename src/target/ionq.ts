import { validationError } from '../errors.js';
import { instructionMap, type InstructionProps, type Target } from './target.js';

/**
 * A Target from an IonQ characterization (`GET /backends/{b}/characterizations/{id}`, v0.4; shape in
 * research/providers.md §2.2). IonQ publishes device-wide figures, not per-qubit ones, so every qubit
 * and pair gets the same calibration. Timing is in seconds.
 */
export interface IonqCharacterization {
  backend: string;
  qubits: number;
  date?: string;
  /** Coupled pairs; an empty or missing list means all-to-all (every trapped-ion device so far). */
  connectivity?: number[][];
  fidelity: { spam?: { median?: number }; '1q'?: { mean?: number; median?: number }; '2q'?: { mean?: number; median?: number } };
  timing?: { t1?: number; t2?: number; '1q'?: number; '2q'?: number; readout?: number; reset?: number };
}

export interface IonqTargetOptions {
  name?: string;
  /** Native gates to expose; default IonQ's native set gpi, gpi2, ms (Forte also offers zz). */
  nativeGates?: readonly ('gpi' | 'gpi2' | 'ms' | 'zz')[];
  source?: string;
}

export function targetFromIonq(ch: IonqCharacterization, options: IonqTargetOptions = {}): Target {
  const n = ch.qubits;
  if (!Number.isInteger(n) || n < 1) throw validationError(`IonQ characterization: missing or invalid field 'qubits'`, { field: 'qubits' });
  if (!ch.fidelity) throw validationError(`IonQ characterization: missing field 'fidelity'`, { field: 'fidelity' });
  const f1 = ch.fidelity['1q']?.mean ?? ch.fidelity['1q']?.median;
  const f2 = ch.fidelity['2q']?.mean ?? ch.fidelity['2q']?.median;
  const spam = ch.fidelity.spam?.median;
  const props = (f: number | undefined, t: number | undefined): InstructionProps => ({
    ...(f === undefined ? {} : { error: 1 - f }),
    ...(t === undefined ? {} : { durationS: t }),
  });
  const one = props(f1, ch.timing?.['1q']);
  const two = props(f2, ch.timing?.['2q']);
  const gates = options.nativeGates ?? ['gpi', 'gpi2', 'ms'];
  const instructions: Record<string, Record<string, InstructionProps>> = {};
  const pairs: [number, number][] = [];
  if (ch.connectivity && ch.connectivity.length > 0) {
    for (const [a, b] of ch.connectivity) pairs.push([a, b], [b, a]);
  } else {
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) if (a !== b) pairs.push([a, b]);
  }
  for (const g of gates) {
    const sites: Record<string, InstructionProps> = {};
    // MS and ZZ are symmetric interactions: both orders of each pair are listed.
    if (g === 'ms' || g === 'zz') for (const [a, b] of pairs) sites[`${a},${b}`] = two;
    else for (let q = 0; q < n; q++) sites[String(q)] = one;
    instructions[g === 'zz' ? 'rzz' : g] = sites;
  }
  const measure: Record<string, InstructionProps> = {};
  for (let q = 0; q < n; q++) measure[String(q)] = props(spam, ch.timing?.readout);
  instructions.measure = measure;
  const e = spam === undefined ? undefined : 1 - spam;
  return {
    name: options.name ?? ch.backend,
    numQubits: n,
    instructions: instructionMap(instructions),
    ...(e === undefined ? {} : { readout: Array.from({ length: n }, () => ({ p01: e, p10: e })) }),
    ...(ch.timing?.t1 === undefined ? {} : { t1S: new Array<number>(n).fill(ch.timing.t1) }),
    ...(ch.timing?.t2 === undefined ? {} : { t2S: new Array<number>(n).fill(ch.timing.t2) }),
    source: options.source ?? `IonQ ${ch.backend} characterization${ch.date ? ` of ${ch.date}` : ''}`,
  };
}
