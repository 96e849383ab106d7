/**
 * What each output dialect accepts. Facts from the providers' documentation
 * (research/providers.md): IBM wants ISA circuits on physical qubits with only basis gates and no
 * modifiers or gate definitions; Braket has no include files and its own gate names; IonQ's
 * `ionq.qasm3.v1` input rejects physical qubits.
 */

export type Dialect = 'generic' | 'ibm' | 'braket' | 'ionq';

/** IBM Heron's basis (ibm_kingston `basis_gates`); measure, reset, barrier and delay are always allowed. */
export const IBM_HERON_BASIS: readonly string[] = ['cz', 'id', 'rz', 'sx', 'x'];

/** IR gate name -> Braket OpenQASM name, for gates Braket has under its own name. */
export const BRAKET_NAMES: Readonly<Record<string, string>> = {
  x: 'x',
  y: 'y',
  z: 'z',
  h: 'h',
  s: 's',
  t: 't',
  sdg: 'si',
  tdg: 'ti',
  id: 'i',
  sx: 'v',
  sxdg: 'vi',
  p: 'phaseshift',
  phase: 'phaseshift',
  u1: 'phaseshift',
  rx: 'rx',
  ry: 'ry',
  rz: 'rz',
  cx: 'cnot',
  CX: 'cnot',
  cy: 'cy',
  cz: 'cz',
  cp: 'cphaseshift',
  cphase: 'cphaseshift',
  ccx: 'ccnot',
  swap: 'swap',
  cswap: 'cswap',
  iswap: 'iswap',
  ecr: 'ecr',
  rxx: 'xx',
  ryy: 'yy',
  rzz: 'zz',
  gpi: 'gpi',
  gpi2: 'gpi2',
  ms: 'ms',
  prx: 'prx',
  U: 'U',
  gphase: 'gphase',
};

/**
 * Definitions, in stdgates terms, of the registry gates stdgates.inc lacks. Each is exactly the
 * registry matrix, global phase included (test/qasm/emit.test.ts checks every one).
 */
export const EXTRA_GATE_DEFS: Readonly<Record<string, { deps: readonly string[]; text: string }>> = {
  rzz: { deps: [], text: 'gate rzz(theta) a, b { cx a, b; rz(theta) b; cx a, b; }' },
  rxx: { deps: [], text: 'gate rxx(theta) a, b { h a; h b; cx a, b; rz(theta) b; cx a, b; h a; h b; }' },
  ryy: { deps: [], text: 'gate ryy(theta) a, b { rx(pi/2) a; rx(pi/2) b; cx a, b; rz(theta) b; cx a, b; rx(-pi/2) a; rx(-pi/2) b; }' },
  sxdg: { deps: [], text: 'gate sxdg a { inv @ sx a; }' },
  ecr: { deps: [], text: 'gate ecr a, b { h b; cx a, b; rz(pi/4) b; cx a, b; h b; x a; h b; cx a, b; rz(-pi/4) b; cx a, b; h b; }' },
  iswap: { deps: [], text: 'gate iswap a, b { s a; s b; h a; cx a, b; cx b, a; h b; }' },
  gpi: { deps: [], text: 'gate gpi(phi) a { U(pi, phi, pi - phi) a; }' },
  gpi2: { deps: [], text: 'gate gpi2(phi) a { U(pi/2, phi - pi/2, pi/2 - phi) a; }' },
  prx: { deps: [], text: 'gate prx(theta, phi) a { U(theta, phi - pi/2, pi/2 - phi) a; }' },
  ms: { deps: ['rxx'], text: 'gate ms(phi0, phi1, theta) a, b { rz(-phi0) a; rz(-phi1) b; rxx(theta) a, b; rz(phi0) a; rz(phi1) b; }' },
};

/** Words that cannot name a register or an input in emitted OpenQASM. */
export const RESERVED = new Set([
  'OPENQASM', 'include', 'qubit', 'qreg', 'bit', 'creg', 'gate', 'measure', 'reset', 'barrier', 'delay', 'box', 'input', 'output',
  'const', 'int', 'uint', 'float', 'angle', 'bool', 'complex', 'duration', 'stretch', 'array', 'void', 'mutable', 'readonly',
  'for', 'in', 'while', 'if', 'else', 'def', 'defcal', 'defcalgrammar', 'cal', 'extern', 'return', 'let', 'switch', 'case', 'default',
  'break', 'continue', 'end', 'true', 'false', 'pi', 'tau', 'euler', 'π', 'τ', 'ℯ', 'U', 'CX', 'gphase', 'ctrl', 'negctrl', 'inv', 'pow',
  'durationof', 'sizeof', 'im', 'dt', 'ns', 'us', 'ms', 's', 'pragma', 'opaque', 'sin', 'cos', 'tan', 'arcsin', 'arccos', 'arctan',
  'exp', 'log', 'sqrt', 'mod', 'popcount', 'rotl', 'rotr', 'real', 'imag', 'ceiling', 'floor',
]);
