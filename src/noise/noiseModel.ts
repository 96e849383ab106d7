import { validationError } from '../errors.js';
import type { Instruction } from '../ir/circuit.js';
import { channelQubits, checkChannel, type Channel } from './channels.js';

/** The document tag and version a serialised noise model carries. */
export const NOISE_MODEL_FORMAT = 'qbridge.noise-model';
export const NOISE_MODEL_VERSION = 1;

/**
 * Attaches a channel after gates. A rule matches an instruction when its op is in `gates` (any gate
 * when absent) and its qubit list equals one of `qubits` in order (any qubits when absent).
 * `on` picks positions in the gate's qubit list (controls first) for the channel; without it a
 * channel as wide as the gate covers all its qubits, and a 1-qubit channel is applied to each qubit
 * of the gate on its own. Every matching rule applies, in the model's order, so a gate error built
 * from parts (relaxation on each qubit, then a 2-qubit depolarizing) is a run of rules.
 */
export interface NoiseRule {
  readonly gates?: readonly string[];
  readonly qubits?: readonly (readonly number[])[];
  readonly on?: readonly number[];
  readonly channel: Channel;
}

/** Classical assignment error of one qubit's measurement: p(read 1 | was 0) and p(read 0 | was 1). */
export interface ReadoutError {
  readonly qubit: number;
  readonly p1Given0: number;
  readonly p0Given1: number;
}

/** A noise model as data: what JSON.stringify writes is the whole model. */
export interface NoiseModel {
  readonly format: typeof NOISE_MODEL_FORMAT;
  readonly version: typeof NOISE_MODEL_VERSION;
  readonly name?: string;
  /** Qubits the model describes (a device's size); circuits wider than this are refused. */
  readonly numQubits?: number;
  readonly rules: readonly NoiseRule[];
  readonly readout: readonly ReadoutError[];
}

export interface NoiseModelSpec {
  name?: string;
  numQubits?: number;
  rules?: readonly NoiseRule[];
  readout?: readonly ReadoutError[];
}

function qubitIndex(q: unknown, where: string, numQubits: number | undefined): number {
  if (typeof q !== 'number' || !Number.isInteger(q) || q < 0)
    throw validationError(`${where}: qubit ${String(q)} is not a non-negative integer`);
  if (numQubits !== undefined && q >= numQubits) {
    throw validationError(`${where}: qubit ${q} does not exist (the model describes ${numQubits} qubits)`, { qubit: q, numQubits });
  }
  return q;
}

function checkRule(r: NoiseRule, i: number, numQubits: number | undefined): NoiseRule {
  const where = `noise rule ${i}`;
  if (r === null || typeof r !== 'object') throw validationError(`${where}: expected an object`);
  const channel = checkChannel(r.channel, `${where} channel`);
  const k = channelQubits(channel);
  const out: { -readonly [K in keyof NoiseRule]: NoiseRule[K] } = { channel };
  if (r.gates !== undefined) {
    if (!Array.isArray(r.gates) || r.gates.length === 0 || r.gates.some((g) => typeof g !== 'string' || !g)) {
      throw validationError(`${where}: gates must be a non-empty list of gate names`);
    }
    out.gates = Object.freeze([...r.gates]);
  }
  if (r.qubits !== undefined) {
    if (!Array.isArray(r.qubits) || r.qubits.length === 0)
      throw validationError(`${where}: qubits must be a non-empty list of qubit tuples`);
    out.qubits = Object.freeze(
      r.qubits.map((t) => {
        if (!Array.isArray(t) || t.length === 0) throw validationError(`${where}: each qubit tuple must be a non-empty list`);
        const tuple = t.map((q) => qubitIndex(q, where, numQubits));
        if (new Set(tuple).size !== tuple.length) throw validationError(`${where}: qubit tuple [${tuple.join(',')}] repeats a qubit`);
        if (r.on === undefined && k !== 1 && k !== tuple.length) {
          throw validationError(
            `${where}: a ${k}-qubit channel does not fit the ${tuple.length}-qubit tuple [${tuple.join(',')}]; give 'on'`,
          );
        }
        return Object.freeze(tuple);
      }),
    );
  }
  if (r.on !== undefined) {
    if (!Array.isArray(r.on) || r.on.length !== k)
      throw validationError(`${where}: 'on' must list ${k} position(s) for a ${k}-qubit channel`);
    if (r.on.some((p) => !Number.isInteger(p) || p < 0) || new Set(r.on).size !== r.on.length) {
      throw validationError(`${where}: 'on' must hold distinct non-negative positions in the gate's qubit list`);
    }
    for (const t of out.qubits ?? []) {
      if (r.on.some((p) => p >= t.length)) throw validationError(`${where}: 'on' points past the ${t.length}-qubit tuple [${t.join(',')}]`);
    }
    out.on = Object.freeze([...r.on]);
  }
  return Object.freeze(out);
}

/** Builds and validates a noise model; the result is frozen plain data. */
export function noiseModel(spec: NoiseModelSpec = {}): NoiseModel {
  const { numQubits } = spec;
  if (numQubits !== undefined && (!Number.isInteger(numQubits) || numQubits < 1)) {
    throw validationError(`noise model: numQubits must be a positive integer, got ${String(numQubits)}`);
  }
  if (spec.rules !== undefined && !Array.isArray(spec.rules)) throw validationError('noise model: rules must be a list');
  if (spec.readout !== undefined && !Array.isArray(spec.readout)) throw validationError('noise model: readout must be a list');
  const rules = (spec.rules ?? []).map((r, i) => checkRule(r, i, numQubits));
  const seen = new Set<number>();
  const readout = (spec.readout ?? []).map((e, i) => {
    const where = `readout error ${i}`;
    if (e === null || typeof e !== 'object') throw validationError(`${where}: expected an object`);
    const q = qubitIndex(e.qubit, where, numQubits);
    if (seen.has(q)) throw validationError(`${where}: qubit ${q} has two readout errors`);
    seen.add(q);
    for (const key of ['p1Given0', 'p0Given1'] as const) {
      const p = e[key];
      if (typeof p !== 'number' || !Number.isFinite(p) || p < 0 || p > 1) {
        throw validationError(`${where}: ${key} of qubit ${q} must be a probability in [0, 1], got ${String(p)}`);
      }
    }
    return Object.freeze({ qubit: q, p1Given0: e.p1Given0, p0Given1: e.p0Given1 });
  });
  const m: NoiseModel = {
    format: NOISE_MODEL_FORMAT,
    version: NOISE_MODEL_VERSION,
    ...(spec.name !== undefined ? { name: String(spec.name) } : {}),
    ...(numQubits !== undefined ? { numQubits } : {}),
    rules: Object.freeze(rules),
    readout: Object.freeze(readout),
  };
  return Object.freeze(m);
}

/** The model as a JSON document (versioned). */
export function noiseModelToJSON(m: NoiseModel, space?: number): string {
  return JSON.stringify(m, null, space);
}

/** Reads a model written by noiseModelToJSON (text or parsed object), validating all of it. */
export function noiseModelFromJSON(doc: string | unknown): NoiseModel {
  let v: unknown = doc;
  if (typeof doc === 'string') {
    try {
      v = JSON.parse(doc);
    } catch (e) {
      throw validationError(`noise model: not valid JSON (${(e as Error).message})`);
    }
  }
  if (v === null || typeof v !== 'object') throw validationError('noise model: expected a JSON object');
  const o = v as Record<string, unknown>;
  if (o.format !== NOISE_MODEL_FORMAT)
    throw validationError(`noise model: format must be '${NOISE_MODEL_FORMAT}', got ${JSON.stringify(o.format)}`);
  if (o.version !== NOISE_MODEL_VERSION) {
    throw validationError(
      `noise model: version ${JSON.stringify(o.version)} is not supported (this build reads version ${NOISE_MODEL_VERSION})`,
    );
  }
  return noiseModel({
    name: o.name as string | undefined,
    numQubits: o.numQubits as number | undefined,
    rules: o.rules as NoiseRule[] | undefined,
    readout: o.readout as ReadoutError[] | undefined,
  });
}

/** One channel application: the channel and the circuit qubits it acts on (channel qubit 0 first). */
export interface ChannelApplication {
  readonly channel: Channel;
  readonly qubits: readonly number[];
}

function sameTuple(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The channels that follow one instruction, in order. Only gates carry noise here; measurement
 * errors are the readout entries. `index` names the instruction in errors.
 */
export function channelsAfter(m: NoiseModel, ins: Instruction, index: number): ChannelApplication[] {
  if (ins.op === 'measure' || ins.op === 'reset' || ins.op === 'barrier' || ins.op === 'delay') return [];
  const out: ChannelApplication[] = [];
  m.rules.forEach((r, ri) => {
    if (r.gates && !r.gates.includes(ins.op)) return;
    if (r.qubits && !r.qubits.some((t) => sameTuple(t, ins.qubits))) return;
    const k = channelQubits(r.channel);
    if (r.on) {
      if (r.on.some((p) => p >= ins.qubits.length)) {
        throw validationError(
          `noise rule ${ri}: 'on' points past the qubits of instruction ${index} (${ins.op} on [${ins.qubits.join(',')}])`,
        );
      }
      out.push({ channel: r.channel, qubits: r.on.map((p) => ins.qubits[p]) });
    } else if (k === ins.qubits.length) {
      out.push({ channel: r.channel, qubits: ins.qubits });
    } else if (k === 1) {
      for (const q of ins.qubits) out.push({ channel: r.channel, qubits: [q] });
    } else {
      throw validationError(
        `noise rule ${ri}: a ${k}-qubit channel cannot follow instruction ${index} (${ins.op} on ${ins.qubits.length} qubit(s)); give 'on'`,
      );
    }
  });
  return out;
}

/** Checks that a model can be applied to a circuit of `numQubits` qubits. */
export function checkModelFits(m: NoiseModel, numQubits: number): void {
  if (m.numQubits !== undefined && numQubits > m.numQubits) {
    throw validationError(`the circuit has ${numQubits} qubits but the noise model describes only ${m.numQubits}`, {
      circuitQubits: numQubits,
      modelQubits: m.numQubits,
    });
  }
  // A model without a declared size was written for some circuit; readout for a qubit this circuit
  // lacks means the two do not belong together (a device-sized model may be wider than the circuit).
  if (m.numQubits === undefined) {
    for (const e of m.readout) {
      if (e.qubit >= numQubits) {
        throw validationError(`readout error for qubit ${e.qubit}, but the circuit has only ${numQubits} qubits`, {
          qubit: e.qubit,
          numQubits,
        });
      }
    }
  }
}
