import { validationError } from '../errors.js';
import { hasGate, getGate } from '../ir/gates.js';
import { DIRECTIVES, instructionMap, instructionRecord, parseQubitKey, type InstructionProps, type Target } from './target.js';

/** The document a Target is saved as (`--target FILE.json`). The schema is versioned, not the type. */
export interface TargetDocument extends Omit<Target, 'instructions'> {
  readonly format: 'qbridge.target';
  readonly version: 1;
  readonly instructions: Readonly<Record<string, Readonly<Record<string, InstructionProps>>>>;
}

export function targetToJSON(t: Target): TargetDocument {
  return {
    format: 'qbridge.target',
    version: 1,
    name: t.name,
    numQubits: t.numQubits,
    instructions: instructionRecord(t.instructions),
    ...(t.readout ? { readout: t.readout } : {}),
    ...(t.t1S ? { t1S: t.t1S } : {}),
    ...(t.t2S ? { t2S: t.t2S } : {}),
    ...(t.qubitLabels ? { qubitLabels: t.qubitLabels } : {}),
    ...(t.source ? { source: t.source } : {}),
  };
}

export function targetToJSONString(t: Target): string {
  return JSON.stringify(targetToJSON(t));
}

function fail(path: string, what: string): never {
  throw validationError(`target JSON: ${path} ${what}`, { field: path });
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function field(o: Record<string, unknown>, name: string, path = name): unknown {
  if (!(name in o) || o[name] === undefined) fail(path, `is missing (required field '${name}')`);
  return o[name];
}

function finiteIn(x: unknown, path: string, lo: number, hi: number): number {
  if (typeof x !== 'number' || !Number.isFinite(x) || x < lo || x > hi)
    fail(path, `must be a number in [${lo}, ${hi === Infinity ? '∞' : hi}], got ${JSON.stringify(x)}`);
  return x;
}

function numberList(x: unknown, path: string, n: number): number[] {
  if (!Array.isArray(x) || x.length !== n) fail(path, `must be an array of ${n} numbers (one per qubit)`);
  return x.map((v, i) => finiteIn(v, `${path}[${i}]`, 0, Infinity));
}

/**
 * Reads and validates a target document (text or parsed). Every problem is a VALIDATION error naming
 * the field, e.g. "target JSON: numQubits is missing" or "instructions.cz['0,9'] names qubit 9 ...".
 */
export function targetFromJSON(input: string | unknown): Target {
  let doc: unknown = input;
  if (typeof input === 'string') {
    try {
      doc = JSON.parse(input);
    } catch (e) {
      throw validationError(`target JSON: not valid JSON (${(e as Error).message})`);
    }
  }
  if (!isRecord(doc)) fail('(document)', 'must be an object');
  if (doc.format !== undefined && doc.format !== 'qbridge.target')
    fail('format', `must be 'qbridge.target', got ${JSON.stringify(doc.format)}`);
  if (doc.version !== undefined && doc.version !== 1)
    fail('version', `${JSON.stringify(doc.version)} is not supported (this qbridge reads version 1)`);
  const name = field(doc, 'name');
  if (typeof name !== 'string' || name === '') fail('name', 'must be a non-empty string');
  const numQubits = field(doc, 'numQubits');
  if (typeof numQubits !== 'number' || !Number.isInteger(numQubits) || numQubits < 1)
    fail('numQubits', `must be a positive integer, got ${JSON.stringify(numQubits)}`);
  const rawInstr = field(doc, 'instructions');
  if (!isRecord(rawInstr)) fail('instructions', 'must be an object: gate -> {"<qubits>": {error?, durationS?}}');

  const instructions: Record<string, Record<string, InstructionProps>> = {};
  for (const [gate, sites] of Object.entries(rawInstr)) {
    const gpath = `instructions.${gate}`;
    if (!isRecord(sites)) fail(gpath, 'must be an object keyed by qubit tuples such as "0" or "0,1"');
    const arity = DIRECTIVES.has(gate) ? undefined : hasGate(gate) ? getGate(gate).numQubits : undefined;
    if (arity === undefined && !DIRECTIVES.has(gate)) fail(gpath, `names gate '${gate}', which qbridge does not know`);
    const out: Record<string, InstructionProps> = {};
    for (const [key, props] of Object.entries(sites)) {
      const spath = `${gpath}['${key}']`;
      const qs = parseQubitKey(key);
      if (qs.some((q) => !Number.isInteger(q) || q < 0)) fail(spath, 'is not a qubit tuple such as "3" or "0,1"');
      for (const q of qs) if (q >= numQubits) fail(spath, `names qubit ${q}, but the target has ${numQubits} qubits`);
      if (arity !== undefined && qs.length !== arity) fail(spath, `lists ${qs.length} qubit(s) for the ${arity}-qubit gate '${gate}'`);
      if (new Set(qs).size !== qs.length) fail(spath, 'repeats a qubit');
      if (props === null) {
        out[key] = {}; // a site listed without calibration
        continue;
      }
      if (!isRecord(props)) fail(spath, 'must be an object {error?, durationS?}');
      const p: { error?: number; durationS?: number } = {};
      if (props.error !== undefined) p.error = finiteIn(props.error, `${spath}.error`, 0, 1);
      if (props.durationS !== undefined) p.durationS = finiteIn(props.durationS, `${spath}.durationS`, 0, Infinity);
      out[key] = p;
    }
    instructions[gate] = out;
  }

  let readout: { p01: number; p10: number }[] | undefined;
  if (doc.readout !== undefined) {
    if (!Array.isArray(doc.readout) || doc.readout.length !== numQubits)
      fail('readout', `must be an array of ${numQubits} {p01, p10} objects (one per qubit)`);
    readout = doc.readout.map((r, q) => {
      if (!isRecord(r)) fail(`readout[${q}]`, 'must be an object {p01, p10}');
      return {
        p01: finiteIn(field(r, 'p01', `readout[${q}].p01`), `readout[${q}].p01`, 0, 1),
        p10: finiteIn(field(r, 'p10', `readout[${q}].p10`), `readout[${q}].p10`, 0, 1),
      };
    });
  }
  const t1S = doc.t1S === undefined ? undefined : numberList(doc.t1S, 't1S', numQubits);
  const t2S = doc.t2S === undefined ? undefined : numberList(doc.t2S, 't2S', numQubits);
  let qubitLabels: string[] | undefined;
  if (doc.qubitLabels !== undefined) {
    if (!Array.isArray(doc.qubitLabels) || doc.qubitLabels.length !== numQubits || !doc.qubitLabels.every((s) => typeof s === 'string')) {
      fail('qubitLabels', `must be an array of ${numQubits} strings`);
    }
    qubitLabels = doc.qubitLabels as string[];
  }
  if (doc.source !== undefined && typeof doc.source !== 'string') fail('source', 'must be a string');
  return {
    name,
    numQubits,
    instructions: instructionMap(instructions),
    ...(readout ? { readout } : {}),
    ...(t1S ? { t1S } : {}),
    ...(t2S ? { t2S } : {}),
    ...(qubitLabels ? { qubitLabels } : {}),
    ...(typeof doc.source === 'string' ? { source: doc.source } : {}),
  };
}
