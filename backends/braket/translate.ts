import { createHash } from 'node:crypto';
import {
  QError,
  braketNoisePragmas,
  compile,
  makeCircuit,
  validationError,
  type Bindings,
  type BindingResult,
  type Circuit,
  type Instruction,
  type NoiseModel,
  type OptimizationLevel,
  type RunRequest,
  type Target,
} from '../../src/index.js';
import { emitQasmDetailed, qasmToCircuit } from '../../qasm/index.js';

/**
 * qbridge requests <-> Braket OpenQASM actions and results (research/providers.md §3.3, §3.7).
 *
 * A request becomes as few quantum tasks as the device allows: on devices whose capabilities list the
 * `braket.ir.openqasm.program_set` action, every (circuit, binding) pair rides in one program set
 * (one program per circuit, its bindings as `inputs` lists), split only where the device's
 * `maximumExecutables` or `maximumTotalShots` say so; elsewhere one task per (circuit, binding), its
 * values in `inputs`.
 */

export const PROGRAM_HEADER = { name: 'braket.ir.openqasm.program', version: '1' } as const;
export const PROGRAM_SET_HEADER = { name: 'braket.ir.openqasm.program_set', version: '1' } as const;

/** The program-set limits a device publishes (absent: no program sets). */
export interface ProgramSetLimits {
  readonly maximumExecutables: number;
  readonly maximumTotalShots: number;
}

export interface ProgramOptions {
  /** Compile to this device and send a verbatim box of native gates on physical qubits. */
  readonly target?: Target;
  readonly verbatim?: boolean;
  readonly level?: OptimizationLevel;
  /** DM1: the noise model, written as `#pragma braket noise` lines after the gates it follows. */
  readonly noise?: NoiseModel;
  /** With `noise`: compile to this device first (a device-derived model names its native gates and qubits). */
  readonly noiseTarget?: Target;
}

/** One circuit as Braket OpenQASM: the text and the `input` name of each IR parameter. */
export interface PreparedProgram {
  readonly source: string;
  /** IR parameter name -> input name in `source`. */
  readonly inputs: Readonly<Record<string, string>>;
  /** Parts of the noise model the pragmas could not carry (readout error). */
  readonly notEmitted?: readonly string[];
}

/** Measures qubit i into bit i when a circuit measures nothing (qbridge's rule, written out so it survives compiling). */
export function withExplicitMeasurements(c: Circuit): Circuit {
  if (c.ops.some((op) => op.op === 'measure')) return c;
  const n = c.numQubits;
  const m: Instruction[] = Array.from({ length: n }, (_, q) => ({ op: 'measure', qubits: [q], params: [], clbits: [q] }));
  return makeCircuit(n, Math.max(c.numClbits, n), [...c.ops, ...m]);
}

/** The circuit on plain registers `q` and `c` (names the noise pragmas can refer to). */
function plain(c: Circuit): Circuit {
  return makeCircuit(c.numQubits, c.numClbits, c.ops);
}

/** Braket documents `input float name;`; the emitter writes the explicit width. */
function braketInputs(source: string): string {
  return source.replace(/^input float\[64\] /gm, 'input float ');
}

/** A compiled circuit's qubits renamed to the device's own qubit numbers (IQM counts from 1). */
function toDeviceLabels(c: Circuit, target: Target): Circuit {
  const labels = target.qubitLabels;
  if (!labels) return c;
  const num = labels.map((l) => Number(l));
  if (num.some((x) => !Number.isInteger(x) || x < 0))
    throw validationError(`device ${target.name} names its qubits ${labels.slice(0, 3).join(', ')}...: not numbers, cannot write $n`);
  const ops = c.ops.map((ins) => ({ ...ins, qubits: ins.qubits.map((q) => num[q]) }));
  return makeCircuit(Math.max(...num) + 1, c.numClbits, ops);
}

/** A circuit as the Braket program a device takes. */
export function prepareProgram(circuit: Circuit, o: ProgramOptions = {}): PreparedProgram {
  let c = withExplicitMeasurements(circuit);
  if (o.target && o.verbatim !== false) {
    const r = compile(c, o.target, { level: o.level ?? 1, seed: 0 });
    const native = [...o.target.instructions.keys()].filter((g) => g !== 'measure');
    const physical = toDeviceLabels(r.circuit, o.target);
    const e = emitQasmDetailed(physical, { dialect: 'braket', verbatim: true, nativeGates: native });
    return { source: braketInputs(e.source), inputs: e.parameterMap };
  }
  if (o.noise) return prepareNoisy(c, o.noise, o);
  // Simulators and QPUs with their own compiler: Braket gate names on a qubit register.
  c = plain(c);
  const e = emitQasmDetailed(dropBarriers(c), { dialect: 'braket' });
  return { source: braketInputs(e.source), inputs: e.parameterMap };
}

function dropBarriers(c: Circuit): Circuit {
  if (!c.ops.some((op) => op.op === 'barrier')) return c;
  return makeCircuit(
    c.numQubits,
    c.numClbits,
    c.ops.filter((op) => op.op !== 'barrier'),
  );
}

/**
 * DM1 with a noise model: each instruction followed by its `#pragma braket noise` lines. The emitter
 * writes an instruction as one or more lines, so an empty barrier marks where an instruction's
 * pragmas go and is then replaced by them (DM1 is a simulator: the circuit's own barriers mean nothing there).
 */
function prepareNoisy(circuit: Circuit, model: NoiseModel, o: ProgramOptions): PreparedProgram {
  let c = dropBarriers(circuit);
  if (o.noiseTarget) {
    const r = compile(c, o.noiseTarget, { level: o.level ?? 1, seed: 0 });
    // Only the qubits the compiled circuit touches: DM1 simulates every declared qubit.
    const used = [...new Set(r.circuit.ops.flatMap((ins) => [...ins.qubits]))].sort((a, b) => a - b);
    const index = new Map(used.map((q, k) => [q, k]));
    const ops = r.circuit.ops
      .filter((op) => op.op !== 'barrier')
      .map((ins) => ({ ...ins, qubits: ins.qubits.map((q) => index.get(q) as number) }));
    c = makeCircuit(Math.max(1, used.length), r.circuit.numClbits, ops);
    model = restrictNoise(model, used);
  }
  c = plain(c);
  const { after, notEmitted } = braketNoisePragmas(c, model);
  const ops: Instruction[] = [];
  const blocks: string[][] = [];
  c.ops.forEach((ins, i) => {
    ops.push(ins);
    if (after[i].length) {
      ops.push({ op: 'barrier', qubits: [], params: [] });
      blocks.push([...after[i]]);
    }
  });
  const marked = makeCircuit(c.numQubits, c.numClbits, ops);
  const e = emitQasmDetailed(marked, { dialect: 'braket' });
  let k = 0;
  const lines = e.source.split('\n').flatMap((line) => (line === 'barrier;' ? (blocks[k++] ?? []) : [line]));
  if (k !== blocks.length) throw new QError('COMPILE', `Braket noise pragmas: placed ${k} of ${blocks.length} blocks`);
  return { source: braketInputs(lines.join('\n')), inputs: e.parameterMap, notEmitted };
}

/** A device-sized model on the qubits a compiled circuit uses, renumbered 0..k-1. */
function restrictNoise(m: NoiseModel, physical: readonly number[]): NoiseModel {
  const index = new Map(physical.map((q, k) => [q, k]));
  const rules = m.rules.flatMap((r) => {
    if (!r.qubits) return [r];
    const tuples = r.qubits.filter((t) => t.every((q) => index.has(q))).map((t) => t.map((q) => index.get(q) as number));
    return tuples.length ? [{ ...r, qubits: tuples }] : [];
  });
  const readout = m.readout.filter((e) => index.has(e.qubit)).map((e) => ({ ...e, qubit: index.get(e.qubit) as number }));
  return { ...m, numQubits: physical.length, rules, readout };
}

// ---- tasks ------------------------------------------------------------------------------------

/** One (circuit, binding) pair of a request. */
export interface Executable {
  readonly run: number;
  readonly binding: number;
}

export interface TaskSpec {
  /** The action, a JSON document as a string (what CreateQuantumTask's `action` holds). */
  readonly action: string;
  /** Shots of the task: per execution for a program, the total for a program set. */
  readonly shots: number;
  /** The executions, in the order the result lists them. */
  readonly slice: readonly Executable[];
  readonly programSet: boolean;
}

function bindingsOf(req: RunRequest, run: number): readonly Bindings[] {
  const b = req.runs[run].bindings;
  return b && b.length ? b : [{}];
}

function inputValues(p: PreparedProgram, b: Bindings, params: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of params) out[p.inputs[name] ?? name] = b[name];
  return out;
}

/** The tasks for a request: program sets where `limits` allow, else one program per execution. */
export function planTasks(req: RunRequest, programs: readonly PreparedProgram[], limits: ProgramSetLimits | undefined): TaskSpec[] {
  const all: Executable[] = [];
  req.runs.forEach((_, run) => bindingsOf(req, run).forEach((__, binding) => all.push({ run, binding })));
  const params = (run: number) => req.runs[run].circuit.parameters;
  if (!limits) {
    return all.map((x) => ({
      action: JSON.stringify({
        braketSchemaHeader: PROGRAM_HEADER,
        source: programs[x.run].source,
        inputs: inputValues(programs[x.run], bindingsOf(req, x.run)[x.binding], params(x.run)),
      }),
      shots: req.shots,
      slice: [x],
      programSet: false,
    }));
  }
  const perTask = Math.max(1, Math.min(limits.maximumExecutables, Math.floor(limits.maximumTotalShots / Math.max(1, req.shots))));
  if (req.shots > limits.maximumTotalShots) {
    throw validationError(`${req.shots} shots exceed the device's program-set limit of ${limits.maximumTotalShots} shots per task`);
  }
  const tasks: TaskSpec[] = [];
  for (let i = 0; i < all.length; i += perTask) {
    const slice = all.slice(i, i + perTask);
    const entries: Record<string, unknown>[] = [];
    // Consecutive bindings of one parametric circuit share a program (inputs as lists); a circuit
    // without parameters is one executable per program, repeated once per binding.
    for (let j = 0; j < slice.length;) {
      const run = slice[j].run;
      const p = programs[run];
      const names = params(run);
      if (names.length === 0) {
        entries.push({ braketSchemaHeader: PROGRAM_HEADER, source: p.source, inputs: {} });
        j++;
        continue;
      }
      let k = j;
      while (k < slice.length && slice[k].run === run) k++;
      const inputs: Record<string, number[]> = {};
      for (const name of names) inputs[p.inputs[name] ?? name] = slice.slice(j, k).map((x) => bindingsOf(req, run)[x.binding][name]);
      entries.push({ braketSchemaHeader: PROGRAM_HEADER, source: p.source, inputs });
      j = k;
    }
    tasks.push({
      action: JSON.stringify({ braketSchemaHeader: PROGRAM_SET_HEADER, programs: entries }),
      shots: req.shots * slice.length,
      slice,
      programSet: true,
    });
  }
  return tasks;
}

/**
 * The slice as a tag value, so a task can be decoded without the original request (attach after a
 * restart): `R:A-B` entries (circuit R, bindings A..B) joined by '/', with runs of single-binding
 * circuits folded to `R1-R2:0-0`. AWS tag values allow letters, digits, spaces and `_.:/=+-@`.
 */
export function encodeSlice(slice: readonly Executable[]): string {
  const groups: { r0: number; r1: number; a: number; b: number }[] = [];
  for (const x of slice) {
    const g = groups[groups.length - 1];
    if (g && g.r0 === g.r1 && g.r1 === x.run && g.b + 1 === x.binding) g.b++;
    else if (g && g.a === 0 && g.b === 0 && x.binding === 0 && x.run === g.r1 + 1) g.r1++;
    else groups.push({ r0: x.run, r1: x.run, a: x.binding, b: x.binding });
  }
  return groups.map((g) => `${g.r0 === g.r1 ? g.r0 : `${g.r0}-${g.r1}`}:${g.a}-${g.b}`).join('/');
}

export function decodeSlice(tag: string): Executable[] {
  const out: Executable[] = [];
  for (const part of tag.split('/')) {
    const m = /^(\d+)(?:-(\d+))?:(\d+)-(\d+)$/.exec(part.trim());
    if (!m) throw new QError('PROVIDER', `Amazon Braket: task tag qbridge-slice '${tag}' is not readable`);
    const r0 = Number(m[1]);
    const r1 = m[2] === undefined ? r0 : Number(m[2]);
    for (let r = r0; r <= r1; r++) for (let b = Number(m[3]); b <= Number(m[4]); b++) out.push({ run: r, binding: b });
  }
  return out;
}

/** A clientToken (1-64 characters) for task k of a submission, stable for a given base token. */
export function taskClientToken(base: string, k: number, count: number): string {
  const t = count === 1 ? base : `${base}.${k}`;
  if (t.length <= 64) return t;
  return createHash('sha256').update(`${base}\u0000${k}`).digest('hex').slice(0, 64);
}

// ---- results ----------------------------------------------------------------------------------

/** Where each measured column lands: the circuit's classical bits for Braket's `measuredQubits`. */
export interface MeasureMap {
  readonly numClbits: number;
  /** Column j of the result -> classical bit, or -1 when the column is not read into a bit. */
  readonly columns: readonly number[];
}

const mapCache = new Map<string, { numClbits: number; stmts: { qubit: number; clbit: number }[] }>();

/** Measure statements of a Braket program, in order (parsed from the text Braket ran). */
function measureStatements(source: string): { numClbits: number; stmts: { qubit: number; clbit: number }[] } {
  const hit = mapCache.get(source);
  if (hit) return hit;
  let c: Circuit;
  try {
    c = qasmToCircuit(source);
  } catch (e) {
    throw new QError('PROVIDER', `Amazon Braket: cannot read the program of a task to map its measurements: ${(e as Error).message}`, {
      cause: e,
    });
  }
  const stmts: { qubit: number; clbit: number }[] = [];
  for (const op of c.ops) if (op.op === 'measure') op.qubits.forEach((q, k) => stmts.push({ qubit: q, clbit: (op.clbits ?? [])[k] }));
  const v = { numClbits: c.numClbits, stmts };
  if (mapCache.size > 256) mapCache.clear();
  mapCache.set(source, v);
  return v;
}

/**
 * Maps Braket's `measuredQubits` to classical bits. Braket lists measured qubits in statement order
 * (its reference simulator does), so column j is statement j when they agree; otherwise each column
 * goes to the last bit its qubit was measured into. A program without measurements measures every
 * qubit (Braket's rule and qbridge's): qubit i into bit i.
 */
export function measureMap(source: string, measuredQubits: readonly number[]): MeasureMap {
  const { numClbits, stmts } = measureStatements(source);
  if (stmts.length === 0) return { numClbits: Math.max(numClbits, ...measuredQubits.map((q) => q + 1)), columns: [...measuredQubits] };
  if (stmts.length === measuredQubits.length && stmts.every((s, j) => s.qubit === measuredQubits[j])) {
    return { numClbits, columns: stmts.map((s) => s.clbit) };
  }
  const last = new Map<number, number>();
  for (const s of stmts) last.set(s.qubit, s.clbit);
  return { numClbits, columns: measuredQubits.map((q) => last.get(q) ?? -1) };
}

/** One shot (Braket order: column j is measuredQubits[j]) as a qbridge key: classical bit 0 rightmost. */
function key(row: ArrayLike<number | string>, map: MeasureMap): string {
  const bits = new Array<string>(map.numClbits).fill('0');
  for (let j = 0; j < map.columns.length; j++) {
    const b = map.columns[j];
    if (b >= 0 && (row[j] === 1 || row[j] === '1')) bits[map.numClbits - 1 - b] = '1';
  }
  return bits.join('');
}

export interface MeasurementData {
  readonly measurements?: readonly (readonly number[])[] | null;
  readonly measurementProbabilities?: Readonly<Record<string, number>> | null;
  readonly measuredQubits?: readonly number[] | null;
}

/** Counts in qbridge's bit order from Braket's per-shot measurements or outcome probabilities. */
export function countsFromBraket(data: MeasurementData, source: string, shots: number, where: string): BindingResult {
  const mq = data.measuredQubits;
  if (!Array.isArray(mq) || mq.length === 0) {
    throw new QError('PROVIDER', `Amazon Braket: ${where}: the result has no measuredQubits`, { details: { where } });
  }
  const map = measureMap(source, mq);
  const counts: Record<string, number> = {};
  if (Array.isArray(data.measurements) && data.measurements.length > 0) {
    for (const row of data.measurements) {
      if (!Array.isArray(row) || row.length !== mq.length) {
        throw new QError(
          'PROVIDER',
          `Amazon Braket: ${where}: a shot has ${Array.isArray(row) ? row.length : 0} values for ${mq.length} measured qubits`,
        );
      }
      const k = key(row, map);
      counts[k] = (counts[k] ?? 0) + 1;
    }
    return { counts, shots: data.measurements.length };
  }
  const probs = data.measurementProbabilities;
  if (probs && typeof probs === 'object' && Object.keys(probs).length > 0) {
    // Braket's SDK turns probabilities into shots by scaling; largest remainders keep the total exact.
    const entries = Object.entries(probs).map(([bits, p]) => {
      if (bits.length !== mq.length)
        throw new QError('PROVIDER', `Amazon Braket: ${where}: outcome '${bits}' does not match ${mq.length} measured qubits`);
      const x = p * shots;
      return { k: key(bits, map), n: Math.floor(x), r: x - Math.floor(x) };
    });
    let left = shots - entries.reduce((a, e) => a + e.n, 0);
    for (const e of [...entries].sort((a, b) => b.r - a.r)) {
      if (left <= 0) break;
      e.n++;
      left--;
    }
    for (const e of entries) if (e.n > 0) counts[e.k] = (counts[e.k] ?? 0) + e.n;
    return { counts, shots };
  }
  throw new QError('PROVIDER', `Amazon Braket: ${where}: the result has neither measurements nor measurementProbabilities`, {
    details: { where },
  });
}
