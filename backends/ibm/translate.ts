import {
  QError,
  compile,
  validationError,
  type BindingResult,
  type Circuit,
  type JobStatus,
  type OptimizationLevel,
  type RunRequest,
  type Target,
} from '../../src/index.js';
import { emitQasmDetailed } from '../../qasm/index.js';
import type { IbmApiStatus, IbmPub, IbmResults } from './client.js';

/**
 * qbridge requests <-> IBM Sampler V2 PUBs and results.
 *
 * Out: each circuit is compiled to ISA form for the backend (native gates on coupled physical
 * qubits, `$n`), printed in the `ibm` OpenQASM dialect with its symbols left as `input float[64]`,
 * and sent as ONE PUB `[qasm, values, shots]` whose `values` has one row per binding, so all the
 * bindings of a training step ride in one job. The inputs are declared in name order and the value
 * columns follow that order: the service binds an array by the circuit's parameter order, which
 * Qiskit keeps sorted by name, so declaration order and the service's order cannot disagree.
 * A circuit without symbols but with several bindings becomes one `[qasm, null, shots]` PUB per
 * binding (there is nothing to broadcast over).
 *
 * In: `results[pub].data.<register>.samples` holds one hex string per shot (an array of them per
 * binding when the PUB had a row per binding); the integer's bit k is bit k of that register.
 * Registers are concatenated in classical-bit order into qbridge keys (classical bit 0 rightmost).
 */
export interface ClassicalRegister {
  readonly name: string;
  readonly size: number;
}

/** What decoding one PUB needs: its classical registers in bit order and its number of bindings. */
export interface PubLayout {
  readonly registers: readonly ClassicalRegister[];
  readonly bindings: number;
}

export interface TranslatedRequest {
  readonly pubs: IbmPub[];
  readonly layouts: PubLayout[];
  /** PUB indices of each circuit of the request, in binding order. */
  readonly circuitPubs: number[][];
}

export interface TranslateOptions {
  readonly target: Target;
  readonly level?: OptimizationLevel;
  /** Compiler seed (fixed by default so a re-sent request is byte-identical). */
  readonly seed?: number;
}

/** Native gates of a target, as the `ibm` dialect's basis. */
export function basisOf(target: Target): string[] {
  return [...target.instructions.keys()].filter((g) => g !== 'measure');
}

/** Compiles and prints one circuit; `inputs` are its IR parameter names in declaration (= value column) order. */
export function toIsaQasm(circuit: Circuit, options: TranslateOptions): { qasm: string; inputs: string[]; compiled: Circuit } {
  const compiled = compile(circuit, options.target, { level: options.level ?? 1, seed: options.seed ?? 11 }).circuit;
  const basisGates = basisOf(options.target);
  let order = [...compiled.parameters];
  // The printer names inputs in `parameters` order (renaming non-identifiers and collisions); sort by
  // the printed names and print again until the order is stable (one round unless names collide).
  for (let round = 0; round < 4; round++) {
    const e = emitQasmDetailed({ ...compiled, parameters: order }, { dialect: 'ibm', basisGates });
    const sorted = [...order].sort((a, b) => codePointCompare(e.parameterMap[a] ?? a, e.parameterMap[b] ?? b));
    if (sorted.every((p, k) => p === order[k])) return { qasm: e.source, inputs: order, compiled };
    order = sorted;
  }
  throw new QError('COMPILE', `IBM Quantum: could not give the circuit's parameters a stable input order (${order.join(', ')})`);
}

function codePointCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The request as Sampler V2 PUBs, with what it takes to decode the results. */
export function toPubs(request: RunRequest, options: TranslateOptions): TranslatedRequest {
  const pubs: IbmPub[] = [];
  const layouts: PubLayout[] = [];
  const circuitPubs: number[][] = [];
  request.runs.forEach((run, i) => {
    if (run.circuit.numClbits === 0 || !run.circuit.ops.some((o) => o.op === 'measure')) {
      throw validationError(`IBM Quantum: circuit ${i} measures nothing; the Sampler returns only measured classical registers`, {
        circuit: i,
      });
    }
    const { qasm, inputs } = toIsaQasm(run.circuit, options);
    const registers = registersOf(qasm);
    const bindings = run.bindings && run.bindings.length > 0 ? run.bindings : [{}];
    const mine: number[] = [];
    if (inputs.length > 0) {
      const values = bindings.map((b, k) =>
        inputs.map((p) => {
          const v = b[p];
          if (typeof v !== 'number' || !Number.isFinite(v)) {
            throw validationError(`IBM Quantum: circuit ${i}, binding ${k}: '${p}' needs a finite number`, { circuit: i, binding: k });
          }
          return v;
        }),
      );
      mine.push(pubs.length);
      pubs.push([qasm, values, request.shots]);
      layouts.push({ registers, bindings: bindings.length });
    } else {
      for (let k = 0; k < bindings.length; k++) {
        mine.push(pubs.length);
        pubs.push([qasm, null, request.shots]);
        layouts.push({ registers, bindings: 1 });
      }
    }
    circuitPubs.push(mine);
  });
  return { pubs, layouts, circuitPubs };
}

/** Classical registers declared in an OpenQASM 3 (`bit[n] c;`, `bit c;`) or 2 (`creg c[n];`) text, in bit order. */
export function registersOf(qasm: string): ClassicalRegister[] {
  const out: ClassicalRegister[] = [];
  const re = /^\s*(?:bit\s*(?:\[\s*(\d+)\s*\])?\s+([A-Za-z_][A-Za-z0-9_]*)|creg\s+([A-Za-z_][A-Za-z0-9_]*)\s*\[\s*(\d+)\s*\])\s*;/gm;
  for (const m of qasm.matchAll(re)) {
    if (m[2] !== undefined) out.push({ name: m[2], size: m[1] === undefined ? 1 : Number(m[1]) });
    else out.push({ name: m[3]!, size: Number(m[4]) });
  }
  return out;
}

/** Number of bindings a PUB's parameter values describe (a row per binding; null or a flat row is one). */
export function bindingsOfValues(values: unknown): number {
  if (Array.isArray(values) && values.length > 0 && Array.isArray(values[0])) return values.length;
  if (values && typeof values === 'object' && !Array.isArray(values)) {
    // {name: value | values[]}
    const first = Object.values(values as Record<string, unknown>)[0];
    return Array.isArray(first) ? first.length : 1;
  }
  return 1;
}

/** PUB layouts from a job's own `params.pubs` (attach after a restart, when only the job id is known). */
export function layoutsFromPubs(pubs: readonly unknown[]): PubLayout[] {
  return pubs.map((pub, i) => {
    const p = Array.isArray(pub) ? pub : [pub];
    if (typeof p[0] !== 'string') {
      throw new QError('PROVIDER', `IBM Quantum: PUB ${i} of the job is not an OpenQASM text (was it submitted by another client?)`);
    }
    return { registers: registersOf(p[0]), bindings: bindingsOfValues(p[1]) };
  });
}

/** Groups PUBs into circuits: with the original request, by its bindings; without, one circuit per PUB. */
export function groupPubs(layouts: readonly PubLayout[], request?: RunRequest): number[][] {
  if (!request) return layouts.map((_, i) => [i]);
  const out: number[][] = [];
  let next = 0;
  for (const run of request.runs) {
    const want = Math.max(1, run.bindings?.length ?? 1);
    const mine: number[] = [];
    let have = 0;
    while (have < want && next < layouts.length) {
      mine.push(next);
      have += layouts[next]!.bindings;
      next++;
    }
    if (have !== want) {
      throw new QError('PROVIDER', `IBM Quantum: the job's PUBs do not match the request (${have} bindings where ${want} were sent)`);
    }
    out.push(mine);
  }
  if (next !== layouts.length)
    throw new QError('PROVIDER', `IBM Quantum: the job has ${layouts.length} PUBs, the request accounts for ${next}`);
  return out;
}

/** Bits of one hex sample, most significant first, padded to `width`. */
export function hexToBits(sample: string, width: number): string {
  if (typeof sample !== 'string' || !/^0x[0-9a-fA-F]+$/.test(sample)) {
    throw new QError('PROVIDER', `IBM Quantum: a result sample is not a hex string: ${JSON.stringify(sample).slice(0, 40)}`, {
      details: { malformed: true },
    });
  }
  const bits = sample.length <= 15 ? parseInt(sample.slice(2), 16).toString(2) : BigInt(sample).toString(2);
  if (bits.length > width) {
    throw new QError('PROVIDER', `IBM Quantum: sample ${sample} does not fit a ${width}-bit register`, { details: { malformed: true } });
  }
  return bits.padStart(width, '0');
}

/** Counts of each binding of one PUB, keys in qbridge order (registers in bit order, bit 0 rightmost). */
export function decodePub(
  data: Readonly<Record<string, { samples?: unknown }>> | undefined,
  layout: PubLayout,
  where: string,
): BindingResult[] {
  if (!data || typeof data !== 'object') throw new QError('PROVIDER', `IBM Quantum: ${where} has no data`);
  if (layout.registers.length === 0) throw new QError('PROVIDER', `IBM Quantum: ${where}: the circuit declares no classical register`);
  const perRegister = layout.registers.map((r) => {
    const entry = data[r.name];
    if (!entry || !Array.isArray(entry.samples)) {
      throw new QError(
        'PROVIDER',
        `IBM Quantum: ${where} lacks classical register '${r.name}' (has ${Object.keys(data).join(', ') || 'none'})`,
        {
          details: { register: r.name },
        },
      );
    }
    const s = entry.samples as unknown[];
    const nested = s.length > 0 && Array.isArray(s[0]);
    const rows = (nested ? s : [s]) as string[][];
    // Every row must be a list of hex strings: a malformed result is a provider error, never a crash.
    rows.forEach((row, b) => {
      if (!Array.isArray(row) || row.some((x) => typeof x !== 'string')) {
        throw new QError('PROVIDER', `IBM Quantum: ${where}, register '${r.name}', binding ${b}: samples are not a list of hex strings`, {
          details: { register: r.name, binding: b },
        });
      }
    });
    if (rows.length !== layout.bindings) {
      throw new QError(
        'PROVIDER',
        `IBM Quantum: ${where}, register '${r.name}' has samples for ${rows.length} bindings, expected ${layout.bindings}`,
      );
    }
    return rows;
  });
  const results: BindingResult[] = [];
  for (let b = 0; b < layout.bindings; b++) {
    const shots = perRegister[0]![b]!.length;
    if (perRegister.some((rows) => rows[b]!.length !== shots)) {
      throw new QError('PROVIDER', `IBM Quantum: ${where}, binding ${b}: registers disagree on the number of shots`);
    }
    const counts: Record<string, number> = {};
    for (let s = 0; s < shots; s++) {
      let key = '';
      // Register 0 holds classical bits 0.., so it is the rightmost part of the key.
      layout.registers.forEach((r, ri) => {
        key = hexToBits(perRegister[ri]![b]![s]!, r.size) + key;
      });
      counts[key] = (counts[key] ?? 0) + 1;
    }
    results.push({ counts, shots });
  }
  return results;
}

/** All results of a job: results[circuit][binding]. */
export function decodeResults(
  res: IbmResults,
  layouts: readonly PubLayout[],
  circuitPubs: readonly number[][],
  jobId: string,
): BindingResult[][] {
  if (res.results.length !== layouts.length) {
    throw new QError('PROVIDER', `IBM Quantum: job ${jobId} returned ${res.results.length} PUB results for ${layouts.length} PUBs`);
  }
  return circuitPubs.map((pubIdx) => pubIdx.flatMap((p) => decodePub(res.results[p]?.data, layouts[p]!, `job ${jobId}, PUB ${p}`)));
}

/** IBM job state -> qbridge status; undefined for a state qbridge does not know (kept as it was). */
export function statusFromIbm(status: IbmApiStatus | undefined): JobStatus | undefined {
  switch ((status ?? '').toUpperCase()) {
    case 'QUEUED':
    case 'INITIALIZING':
    case 'VALIDATING':
      return 'queued';
    case 'RUNNING':
      return 'running';
    case 'COMPLETED':
    case 'DONE':
      return 'done';
    case 'FAILED':
    case 'ERROR':
      return 'failed';
    case 'CANCELLED':
    case 'CANCELED':
      return 'cancelled';
    default:
      return undefined;
  }
}
