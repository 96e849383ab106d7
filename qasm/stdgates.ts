import { getGate, hasGate, type Angle } from '../src/index.js';

/**
 * Gate libraries the front end knows without reading a file: OpenQASM 3 `stdgates.inc` (the
 * registry's own names), OpenQASM 2 `qelib1.inc`, and Amazon Braket's gate names. Each entry maps a
 * source gate onto a registry gate; when a source gate is a controlled form (c3x, csx, cv) the
 * leading `ctrls` qubits become IR controls.
 */

export interface Alias {
  readonly params: number;
  readonly qubits: number;
  /** Registry gate, its parameters, and how many leading qubits are controls. */
  readonly to: (p: readonly Angle[]) => { op: string; params: readonly Angle[]; ctrls: number };
}

const PI = Math.PI;
const direct = (op: string): Alias => {
  const g = getGate(op);
  return { params: g.paramNames.length, qubits: g.numQubits, to: (p) => ({ op, params: p, ctrls: 0 }) };
};
const ctrlOf = (op: string, ctrls: number): Alias => {
  const g = getGate(op);
  return { params: g.paramNames.length, qubits: g.numQubits + ctrls, to: (p) => ({ op, params: p, ctrls }) };
};

/**
 * OpenQASM 2 `qelib1.inc`. Conventions follow the file: u3 is exactly U (no global phase, unlike
 * stdgates' u3), u2(φ,λ) = U(π/2,φ,λ), u1 = p, cu3 = controlled U, cu1 = cp. qelib1's rz and rzz
 * differ from the registry's only by a global phase, which OpenQASM 2 (no `ctrl @`) cannot observe.
 */
export const QELIB1: ReadonlyMap<string, Alias> = new Map<string, Alias>([
  ['u3', { params: 3, qubits: 1, to: (p) => ({ op: 'U', params: p, ctrls: 0 }) }],
  ['u', { params: 3, qubits: 1, to: (p) => ({ op: 'U', params: p, ctrls: 0 }) }],
  ['u2', { params: 2, qubits: 1, to: (p) => ({ op: 'U', params: [PI / 2, p[0], p[1]], ctrls: 0 }) }],
  ['u1', { params: 1, qubits: 1, to: (p) => ({ op: 'p', params: p, ctrls: 0 }) }],
  ['u0', { params: 1, qubits: 1, to: () => ({ op: 'id', params: [], ctrls: 0 }) }],
  ['cu1', { params: 1, qubits: 2, to: (p) => ({ op: 'cp', params: p, ctrls: 0 }) }],
  ['cu3', { params: 3, qubits: 2, to: (p) => ({ op: 'cu', params: [p[0], p[1], p[2], 0], ctrls: 0 }) }],
  ['CX', direct('cx')],
  ['csx', ctrlOf('sx', 1)],
  ['c3x', ctrlOf('x', 3)],
  ['c4x', ctrlOf('x', 4)],
  ['c3sqrtx', ctrlOf('sx', 3)],
  ...[
    'id',
    'p',
    'x',
    'y',
    'z',
    'h',
    's',
    'sdg',
    't',
    'tdg',
    'rx',
    'ry',
    'rz',
    'sx',
    'sxdg',
    'cx',
    'cz',
    'cy',
    'swap',
    'ch',
    'ccx',
    'cswap',
    'crx',
    'cry',
    'crz',
    'cp',
    'cu',
    'rxx',
    'rzz',
  ].map((n): [string, Alias] => [n, direct(n)]),
]);

/** Braket's OpenQASM gate names that differ from the registry's. */
export const BRAKET_ALIASES: ReadonlyMap<string, Alias> = new Map<string, Alias>([
  ['cnot', direct('cx')],
  ['ccnot', direct('ccx')],
  ['cphaseshift', direct('cp')],
  ['phaseshift', direct('p')],
  ['i', direct('id')],
  ['si', direct('sdg')],
  ['ti', direct('tdg')],
  ['v', direct('sx')],
  ['vi', direct('sxdg')],
  ['xx', direct('rxx')],
  ['yy', direct('ryy')],
  ['zz', direct('rzz')],
  ['cv', ctrlOf('sx', 1)],
]);

/**
 * Library gates easiest to state in OpenQASM itself (checked against their matrices in the tests).
 * Braket's matrices are printed with qubit 0 most significant; these bodies use qbridge's order.
 */
export const BUILTIN_DEFS_SOURCE = `
gate rccx a, b, c { U(pi/2, 0, pi) c; p(pi/4) c; cx b, c; p(-pi/4) c; cx a, c; p(pi/4) c; cx b, c; p(-pi/4) c; U(pi/2, 0, pi) c; }
gate rc3x a, b, c, d { U(pi/2, 0, pi) d; p(pi/4) d; cx c, d; p(-pi/4) d; U(pi/2, 0, pi) d; cx a, d; p(pi/4) d; cx b, d; p(-pi/4) d; cx a, d; p(pi/4) d; cx b, d; p(-pi/4) d; U(pi/2, 0, pi) d; p(pi/4) d; cx c, d; p(-pi/4) d; U(pi/2, 0, pi) d; }
gate xy(t) a, b { rxx(-t/2) a, b; ryy(-t/2) a, b; }
gate pswap(t) a, b { swap a, b; rzz(t) a, b; gphase(t/2); }
gate cphaseshift00(l) a, b { x a; x b; cp(l) a, b; x a; x b; }
gate cphaseshift01(l) a, b { negctrl @ p(l) a, b; }
gate cphaseshift10(l) a, b { x b; cp(l) a, b; x b; }
`;
/** Which built-in definitions belong to qelib1.inc (the rest are Braket's). */
export const QELIB1_DEFS = new Set(['rccx', 'rc3x']);

/** Registry gates usable by name in OpenQASM 3 (stdgates.inc plus qbridge's extra gates). */
export function registryGate(name: string): Alias | undefined {
  if (!hasGate(name)) return undefined;
  return direct(name);
}

/**
 * A controlled registry gate as (base, number of controls), so extra `ctrl @` modifiers merge:
 * ctrl @ cx -> ccx.
 */
export const CONTROLLED_FORMS: Readonly<Record<string, { base: string; ctrls: number }>> = {
  cx: { base: 'x', ctrls: 1 },
  CX: { base: 'x', ctrls: 1 },
  ccx: { base: 'x', ctrls: 2 },
  cy: { base: 'y', ctrls: 1 },
  cz: { base: 'z', ctrls: 1 },
  ch: { base: 'h', ctrls: 1 },
  cp: { base: 'p', ctrls: 1 },
  cphase: { base: 'p', ctrls: 1 },
  crx: { base: 'rx', ctrls: 1 },
  cry: { base: 'ry', ctrls: 1 },
  crz: { base: 'rz', ctrls: 1 },
  cswap: { base: 'swap', ctrls: 1 },
};

/** The registry's named form of (base gate, number of positive controls), when one exists. */
export const NAMED_CONTROLLED: Readonly<Record<string, Readonly<Record<number, string>>>> = {
  x: { 1: 'cx', 2: 'ccx' },
  y: { 1: 'cy' },
  z: { 1: 'cz' },
  h: { 1: 'ch' },
  p: { 1: 'cp' },
  phase: { 1: 'cp' },
  u1: { 1: 'cp' },
  rx: { 1: 'crx' },
  ry: { 1: 'cry' },
  rz: { 1: 'crz' },
  swap: { 1: 'cswap' },
};

/** Gates whose k-th power is the same gate with every angle scaled by k (one-parameter groups). */
export const ROTATION_GATES = new Set([
  'rx',
  'ry',
  'rz',
  'p',
  'phase',
  'u1',
  'rxx',
  'ryy',
  'rzz',
  'crx',
  'cry',
  'crz',
  'cp',
  'cphase',
  'gphase',
]);
