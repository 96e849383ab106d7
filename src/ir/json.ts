import { validationError } from '../errors.js';
import { makeCircuit, type Circuit, type Instruction, type Register } from './circuit.js';
import { normalize, type Angle, type ParamTerm } from './params.js';

/** The versioned document a circuit is saved as. The schema is versioned, not the type names. */
export interface CircuitDocument {
  readonly format: 'qbridge.circuit';
  readonly version: 1;
  readonly numQubits: number;
  readonly numClbits: number;
  readonly ops: readonly Instruction[];
  readonly name?: string;
  readonly pragmas?: readonly string[];
  readonly qubitRegisters?: readonly Register[];
  readonly clbitRegisters?: readonly Register[];
}

export function circuitToJSON(c: Circuit): CircuitDocument {
  const doc: CircuitDocument = {
    format: 'qbridge.circuit',
    version: 1,
    numQubits: c.numQubits,
    numClbits: c.numClbits,
    ops: c.ops,
    ...(c.name === undefined ? {} : { name: c.name }),
    ...(c.pragmas ? { pragmas: c.pragmas } : {}),
    ...(c.qubitRegisters ? { qubitRegisters: c.qubitRegisters } : {}),
    ...(c.clbitRegisters ? { clbitRegisters: c.clbitRegisters } : {}),
  };
  return doc;
}

export function circuitToJSONString(c: Circuit): string {
  return JSON.stringify(circuitToJSON(c));
}

function fail(path: string, what: string): never {
  throw validationError(`circuit JSON: ${path} ${what}`, { path });
}

function readAngle(v: unknown, path: string): Angle {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) fail(path, 'is not a finite number');
    return v;
  }
  if (typeof v !== 'object' || v === null) fail(path, 'must be a number or {terms, offset}');
  const o = v as { terms?: unknown; offset?: unknown };
  if (!Array.isArray(o.terms)) fail(`${path}.terms`, 'must be an array');
  if (typeof o.offset !== 'number' || !Number.isFinite(o.offset)) fail(`${path}.offset`, 'must be a finite number');
  const terms: ParamTerm[] = o.terms.map((t: unknown, i: number) => {
    const tt = t as { name?: unknown; coeff?: unknown };
    if (typeof tt?.name !== 'string' || !tt.name) fail(`${path}.terms[${i}].name`, 'must be a non-empty string');
    if (typeof tt.coeff !== 'number' || !Number.isFinite(tt.coeff)) fail(`${path}.terms[${i}].coeff`, 'must be a finite number');
    return { name: tt.name, coeff: tt.coeff };
  });
  return normalize(terms, o.offset);
}

function intArray(v: unknown, path: string): number[] {
  if (!Array.isArray(v) || !v.every((x) => Number.isInteger(x))) fail(path, 'must be an array of integers');
  return v as number[];
}

function readRegisters(v: unknown, path: string): Register[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) fail(path, 'must be an array');
  return v.map((r: unknown, i: number) => {
    const rr = r as { name?: unknown; size?: unknown };
    if (typeof rr?.name !== 'string' || !Number.isInteger(rr.size)) fail(`${path}[${i}]`, 'must be {name, size}');
    return { name: rr.name, size: rr.size as number };
  });
}

/** Reads and validates a circuit document (object or JSON text); errors give the JSON path. */
export function circuitFromJSON(input: unknown): Circuit {
  let doc = input;
  if (typeof input === 'string') {
    try {
      doc = JSON.parse(input);
    } catch (e) {
      throw validationError(`circuit JSON: not valid JSON (${(e as Error).message})`);
    }
  }
  if (typeof doc !== 'object' || doc === null) fail('$', 'must be an object');
  const d = doc as Record<string, unknown>;
  if (d.format !== 'qbridge.circuit') fail('$.format', `must be 'qbridge.circuit'`);
  if (d.version !== 1) fail('$.version', `${JSON.stringify(d.version)} is not supported (this qbridge reads version 1)`);
  if (!Number.isInteger(d.numQubits)) fail('$.numQubits', 'must be an integer');
  if (!Number.isInteger(d.numClbits)) fail('$.numClbits', 'must be an integer');
  if (!Array.isArray(d.ops)) fail('$.ops', 'must be an array');
  const ops: Instruction[] = d.ops.map((raw: unknown, i: number) => {
    const path = `$.ops[${i}]`;
    const o = raw as Record<string, unknown>;
    if (typeof o !== 'object' || o === null) fail(path, 'must be an object');
    if (typeof o.op !== 'string') fail(`${path}.op`, 'must be a string');
    const params =
      o.params === undefined
        ? []
        : Array.isArray(o.params)
          ? o.params.map((a, k) => readAngle(a, `${path}.params[${k}]`))
          : fail(`${path}.params`, 'must be an array');
    const ins: Record<string, unknown> = { op: o.op, qubits: intArray(o.qubits, `${path}.qubits`), params };
    if (o.clbits !== undefined) ins.clbits = intArray(o.clbits, `${path}.clbits`);
    if (o.ctrl !== undefined) ins.ctrl = o.ctrl;
    if (o.ctrlState !== undefined) ins.ctrlState = o.ctrlState;
    if (o.matrix !== undefined) {
      if (!Array.isArray(o.matrix) || !o.matrix.every((x) => typeof x === 'number' && Number.isFinite(x)))
        fail(`${path}.matrix`, 'must be an array of finite numbers');
      ins.matrix = o.matrix;
    }
    if (o.annotations !== undefined) ins.annotations = o.annotations;
    if (o.durationS !== undefined) ins.durationS = o.durationS;
    return ins as unknown as Instruction;
  });
  const qubitRegisters = readRegisters(d.qubitRegisters, '$.qubitRegisters');
  const clbitRegisters = readRegisters(d.clbitRegisters, '$.clbitRegisters');
  return makeCircuit(d.numQubits as number, d.numClbits as number, ops, {
    ...(typeof d.name === 'string' ? { name: d.name } : {}),
    ...(Array.isArray(d.pragmas) ? { pragmas: d.pragmas.map(String) } : {}),
    ...(qubitRegisters ? { qubitRegisters } : {}),
    ...(clbitRegisters ? { clbitRegisters } : {}),
  });
}
