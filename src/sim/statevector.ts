import { validationError } from '../errors.js';
import type { Circuit, Instruction } from '../ir/circuit.js';
import type { Bindings } from '../ir/params.js';
import type { PauliSum } from '../ir/pauli.js';
import { expectation, probabilities } from './expectation.js';
import { checkStateMemory } from './memory.js';
import { Program, type FuseMode } from './program.js';
import { createRng, type Rng } from './rng.js';
import { sampleHistogram } from './histogram.js';

export interface PrepareOptions {
  fuse?: FuseMode;
}

/** Prepares the unitary part of a circuit for repeated runs (checks memory first). */
export function prepare(c: Circuit, options: PrepareOptions = {}): Program {
  // A working buffer plus the caller's copy.
  checkStateMemory(c.numQubits, 2);
  const { unitary } = splitTerminal(c);
  if (!unitary) {
    throw validationError(
      'the circuit measures or resets a qubit and then acts on it again; its state is not deterministic (sample it with runCounts instead)',
    );
  }
  return new Program(c.numQubits, unitary, c.parameters, options.fuse ?? 'all');
}

export interface TerminalSplit {
  /** The gates, or undefined when a measurement or reset is followed by more operations on its qubit. */
  unitary: Instruction[] | undefined;
  /** (qubit, clbit) pairs measured at the end, in program order. */
  measurements: { qubit: number; clbit: number }[];
}

/**
 * Separates a circuit into gates and final measurements. A reset before any gate touches its qubit
 * is a no-op on |0> and is dropped; a gate or reset after a measurement of the same qubit makes the
 * circuit dynamic (unitary: undefined).
 */
export function splitTerminal(c: Circuit): TerminalSplit {
  const touched = new Set<number>();
  const measured = new Set<number>();
  const unitary: Instruction[] = [];
  const measurements: { qubit: number; clbit: number }[] = [];
  for (const ins of c.ops) {
    if (ins.op === 'barrier' || ins.op === 'delay') continue;
    if (ins.op === 'measure') {
      ins.qubits.forEach((q, k) => {
        measured.add(q);
        touched.add(q);
        measurements.push({ qubit: q, clbit: (ins.clbits ?? [])[k] });
      });
      continue;
    }
    if (ins.op === 'reset') {
      for (const q of ins.qubits) if (touched.has(q)) return { unitary: undefined, measurements };
      continue;
    }
    for (const q of ins.qubits) {
      if (measured.has(q)) return { unitary: undefined, measurements };
      touched.add(q);
    }
    unitary.push(ins);
  }
  return { unitary, measurements };
}

/** The final statevector (interleaved re/im, qubit 0 least significant); terminal measurements are ignored. */
export function statevector(c: Circuit, bindings?: Bindings): Float64Array {
  const prog = prepare(c);
  return prog.run(prog.values(bindings));
}

/** Exact <O> for each observable at one binding. */
export function expectationValues(c: Circuit, observables: readonly PauliSum[], bindings?: Bindings): number[] {
  const s = statevector(c, bindings);
  return observables.map((o) => expectation(s, c.numQubits, o));
}

export interface CountsOptions {
  shots: number;
  seed?: number;
  bindings?: Bindings;
}

export interface CountsResult {
  /** Bitstring over the classical bits, bit 0 rightmost, to number of shots. */
  counts: Record<string, number>;
  shots: number;
  /** True when the circuit had no measurement and every qubit was measured into bit i. */
  implicitMeasurement: boolean;
}

const MAX_SHOTS = 100_000_000;

/**
 * Samples one circuit at many bindings: the circuit is prepared once (terminal measurements) and
 * only bound and run per binding. Dynamic circuits fall back to shot-by-shot simulation.
 */
export function prepareSampler(c: Circuit): (bindings: Bindings | undefined, shots: number, seed: number) => Record<string, number> {
  let circuit = c;
  if (!c.ops.some((o) => o.op === 'measure')) {
    const ops: Instruction[] = [...c.ops];
    for (let q = 0; q < c.numQubits; q++) ops.push({ op: 'measure', qubits: [q], params: [], clbits: [q] });
    circuit = { ...c, numClbits: Math.max(c.numClbits, c.numQubits), ops };
  }
  const split = splitTerminal(circuit);
  if (!split.unitary) return (bindings, shots, seed) => sampleDynamic(circuit, shots, createRng(seed), bindings);
  checkStateMemory(c.numQubits, 2);
  const prog = new Program(c.numQubits, split.unitary, c.parameters, 'all');
  return (bindings, shots, seed) =>
    sampleFromState(circuit, prog.run(prog.values(bindings), prog.workState()), split.measurements, shots, createRng(seed));
}

/** Samples shots. Circuits whose measurements are all final are simulated once; others shot by shot. */
export function runCounts(c: Circuit, options: CountsOptions): CountsResult {
  const { shots } = options;
  if (!Number.isInteger(shots) || shots < 1 || shots > MAX_SHOTS) {
    throw validationError(`shots must be an integer from 1 to ${MAX_SHOTS}, got ${shots}`);
  }
  const rng = createRng(options.seed ?? 0);
  let circuit = c;
  let implicit = false;
  if (!c.ops.some((o) => o.op === 'measure')) {
    implicit = true;
    const ops: Instruction[] = [...c.ops];
    for (let q = 0; q < c.numQubits; q++) ops.push({ op: 'measure', qubits: [q], params: [], clbits: [q] });
    circuit = { ...c, numClbits: Math.max(c.numClbits, c.numQubits), ops };
  }
  const split = splitTerminal(circuit);
  const counts = split.unitary
    ? sampleTerminal(circuit, split.unitary, split.measurements, shots, rng, options.bindings)
    : sampleDynamic(circuit, shots, rng, options.bindings);
  return { counts, shots, implicitMeasurement: implicit };
}

function bitKey(bits: Uint8Array): string {
  let s = '';
  for (let b = bits.length - 1; b >= 0; b--) s += bits[b] ? '1' : '0';
  return s;
}

function sampleTerminal(
  c: Circuit,
  unitary: Instruction[],
  measurements: { qubit: number; clbit: number }[],
  shots: number,
  rng: Rng,
  bindings?: Bindings,
): Record<string, number> {
  checkStateMemory(c.numQubits, 2);
  const prog = new Program(c.numQubits, unitary, c.parameters, 'all');
  return sampleFromState(c, prog.run(prog.values(bindings), prog.workState()), measurements, shots, rng);
}

function sampleFromState(
  c: Circuit,
  s: Float64Array,
  measurements: { qubit: number; clbit: number }[],
  shots: number,
  rng: Rng,
): Record<string, number> {
  const N = 1 << c.numQubits;
  // Count per basis index in a typed array (no Map, no per-shot strings), then build each distinct
  // outcome's bitstring once.
  const hits = sampleHistogram(probabilities(s, c.numQubits), shots, rng.next);
  const counts: Record<string, number> = {};
  // The index itself is the key only when every qubit i is measured into bit i (and nothing else).
  const identity = measurements.length === c.numClbits && c.numClbits === c.numQubits && measurements.every((m) => m.qubit === m.clbit);
  const bits = new Uint8Array(c.numClbits);
  for (let index = 0; index < N; index++) {
    const n = hits[index];
    if (n === 0) continue;
    let key: string;
    if (identity) key = index.toString(2).padStart(c.numClbits, '0');
    else {
      bits.fill(0);
      for (const m of measurements) bits[m.clbit] = (index >>> m.qubit) & 1;
      key = bitKey(bits);
    }
    counts[key] = (counts[key] ?? 0) + n;
  }
  return counts;
}

/** Projects qubit q onto a random outcome drawn from the Born rule; returns the outcome. */
function collapse(s: Float64Array, n: number, q: number, rng: Rng): number {
  const N = 1 << n;
  const bit = 1 << q;
  let p1 = 0;
  for (let i = 0; i < N; i++) if (i & bit) p1 += s[2 * i] * s[2 * i] + s[2 * i + 1] * s[2 * i + 1];
  const outcome = rng.next() < p1 ? 1 : 0;
  const norm = 1 / Math.sqrt(outcome ? p1 : 1 - p1);
  for (let i = 0; i < N; i++) {
    if (((i & bit) !== 0) === (outcome === 1)) {
      s[2 * i] *= norm;
      s[2 * i + 1] *= norm;
    } else {
      s[2 * i] = 0;
      s[2 * i + 1] = 0;
    }
  }
  return outcome;
}

function flip(s: Float64Array, n: number, q: number): void {
  const N = 1 << n;
  const bit = 1 << q;
  for (let i = 0; i < N; i++) {
    if (i & bit) continue;
    const j = i | bit;
    const r = s[2 * i],
      im = s[2 * i + 1];
    s[2 * i] = s[2 * j];
    s[2 * i + 1] = s[2 * j + 1];
    s[2 * j] = r;
    s[2 * j + 1] = im;
  }
}

type Step = { kind: 'gates'; prog: Program } | { kind: 'measure'; qubit: number; clbit: number } | { kind: 'reset'; qubit: number };

function sampleDynamic(c: Circuit, shots: number, rng: Rng, bindings?: Bindings): Record<string, number> {
  checkStateMemory(c.numQubits, 1);
  const steps: Step[] = [];
  let run: Instruction[] = [];
  const flushRun = (): void => {
    if (run.length) steps.push({ kind: 'gates', prog: new Program(c.numQubits, run, c.parameters, 'all') });
    run = [];
  };
  for (const ins of c.ops) {
    if (ins.op === 'measure') {
      flushRun();
      ins.qubits.forEach((q, k) => steps.push({ kind: 'measure', qubit: q, clbit: (ins.clbits ?? [])[k] }));
    } else if (ins.op === 'reset') {
      flushRun();
      for (const q of ins.qubits) steps.push({ kind: 'reset', qubit: q });
    } else if (ins.op !== 'barrier' && ins.op !== 'delay') run.push(ins);
  }
  flushRun();
  const n = c.numQubits;
  const values = new Program(n, [], c.parameters).values(bindings);
  for (const st of steps) if (st.kind === 'gates') st.prog.bind(values);
  // One buffer for every shot: the first gate segment's working state (kernels follow the buffer).
  const firstGates = steps.find((st): st is Extract<Step, { kind: 'gates' }> => st.kind === 'gates');
  const s = firstGates ? firstGates.prog.workState() : new Float64Array(2 << n);
  const bits = new Uint8Array(c.numClbits);
  const counts: Record<string, number> = {};
  for (let shot = 0; shot < shots; shot++) {
    s.fill(0);
    s[0] = 1;
    bits.fill(0);
    for (const st of steps) {
      if (st.kind === 'gates') st.prog.apply(s);
      else if (st.kind === 'measure') bits[st.clbit] = collapse(s, n, st.qubit, rng);
      else if (collapse(s, n, st.qubit, rng) === 1) flip(s, n, st.qubit);
    }
    const key = bitKey(bits);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
