import { validationError } from '../errors.js';
import { addAngles, negAngle, type Angle } from './params.js';
import { cmat, controlled, scale, type CMatrix } from './matrix.js';

/**
 * The gate registry: every gate the IR knows, with its matrix, inverse and parameter-shift rule.
 * Angles are in radians for every gate, the IonQ and IQM native gates included (as Braket's OpenQASM
 * defines them); an adapter converts to a provider's units (IonQ turns) at its edge.
 */

/** The frequencies of an expectation value as a function of one angle: unit * {1, ..., max}. */
export interface Spectrum {
  readonly unit: number;
  readonly max: number;
}

/** d<O>/dθ = Σ coeffs[i] · <O>(θ + shifts[i]). */
export interface ShiftRule {
  readonly shifts: readonly number[];
  readonly coeffs: readonly number[];
}

/** One call of a registered gate on the same qubits, used for inverses. */
export interface GateCall {
  readonly op: string;
  readonly params: readonly Angle[];
}

export interface GateDef {
  readonly name: string;
  readonly numQubits: number;
  readonly paramNames: readonly string[];
  /** Declared by OpenQASM 3's stdgates.inc (or built in: U, gphase). */
  readonly stdgates: boolean;
  readonly description: string;
  readonly matrix: (p: ArrayLike<number>) => CMatrix;
  /** Gates whose product is this gate's inverse, on the same qubits. */
  readonly inverse: (p: readonly Angle[]) => readonly GateCall[];
  /** Per parameter: the expectation's spectrum when the gate is applied plainly. */
  readonly spectrum: readonly Spectrum[];
  /** Per parameter: the spectrum when the gate is controlled (a control adds a zero eigenvalue). */
  readonly ctrlSpectrum: readonly Spectrum[];
  /** For controlled gates: the target operation, so simulators use a controlled kernel. */
  readonly ctrlBase?: { readonly ctrls: number; readonly matrix: (p: ArrayLike<number>) => CMatrix };
}

const PI = Math.PI;
const R2 = Math.SQRT1_2;
const ONE: Spectrum = { unit: 1, max: 1 };
const HALF2: Spectrum = { unit: 0.5, max: 2 };
const ONE2: Spectrum = { unit: 1, max: 2 };
const TWO: Spectrum = { unit: 2, max: 1 };

const registry = new Map<string, GateDef>();

function cis(t: number): [number, number] {
  return [Math.cos(t), Math.sin(t)];
}
function mul(a: [number, number], b: [number, number]): [number, number] {
  return [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
}
function sc(a: [number, number], k: number): [number, number] {
  return [a[0] * k, a[1] * k];
}

interface Spec {
  name: string;
  qubits: number;
  params?: string[];
  std?: boolean;
  description: string;
  matrix: (p: ArrayLike<number>) => CMatrix;
  inverse: (p: readonly Angle[]) => readonly GateCall[];
  spectrum?: Spectrum[];
  ctrlSpectrum?: Spectrum[];
  ctrlBase?: { ctrls: number; matrix: (p: ArrayLike<number>) => CMatrix };
}

function define(s: Spec): void {
  const n = s.params?.length ?? 0;
  const spectrum = s.spectrum ?? [];
  if (spectrum.length !== n) throw new Error(`gate ${s.name}: spectrum for ${n} parameters needed`);
  registry.set(s.name, {
    name: s.name,
    numQubits: s.qubits,
    paramNames: s.params ?? [],
    stdgates: s.std ?? true,
    description: s.description,
    matrix: s.matrix,
    inverse: s.inverse,
    spectrum,
    ctrlSpectrum: s.ctrlSpectrum ?? spectrum,
    ctrlBase: s.ctrlBase,
  });
}

const self = (name: string) => (): GateCall[] => [{ op: name, params: [] }];
const negAll =
  (name: string) =>
  (p: readonly Angle[]): GateCall[] => [{ op: name, params: p.map(negAngle) }];
const constant = (m: CMatrix) => (): CMatrix => m;

// ---- matrices -------------------------------------------------------------------------------

export const U = (t: number, f: number, l: number): CMatrix => {
  const c = Math.cos(t / 2);
  const s = Math.sin(t / 2);
  return cmat([
    [[c, 0], sc(cis(l), -s)],
    [sc(cis(f), s), sc(cis(f + l), c)],
  ]);
};
const X = cmat([
  [0, 1],
  [1, 0],
]);
const Y = cmat([
  [0, [0, -1]],
  [[0, 1], 0],
]);
const Z = cmat([
  [1, 0],
  [0, -1],
]);
const H = cmat([
  [R2, R2],
  [R2, -R2],
]);
const I2 = cmat([
  [1, 0],
  [0, 1],
]);
const phase = (l: number): CMatrix =>
  cmat([
    [1, 0],
    [0, cis(l)],
  ]);
const rx = (t: number): CMatrix => {
  const c = Math.cos(t / 2);
  const s = Math.sin(t / 2);
  return cmat([
    [c, [0, -s]],
    [[0, -s], c],
  ]);
};
const ry = (t: number): CMatrix => {
  const c = Math.cos(t / 2);
  const s = Math.sin(t / 2);
  return cmat([
    [c, -s],
    [s, c],
  ]);
};
const rz = (t: number): CMatrix =>
  cmat([
    [cis(-t / 2), 0],
    [0, cis(t / 2)],
  ]);
const SX = cmat([
  [
    [0.5, 0.5],
    [0.5, -0.5],
  ],
  [
    [0.5, -0.5],
    [0.5, 0.5],
  ],
]);
const SXDG = cmat([
  [
    [0.5, -0.5],
    [0.5, 0.5],
  ],
  [
    [0.5, 0.5],
    [0.5, -0.5],
  ],
]);
const SWAP = cmat([
  [1, 0, 0, 0],
  [0, 0, 1, 0],
  [0, 1, 0, 0],
  [0, 0, 0, 1],
]);
/** exp(-i θ/2 P⊗P) for a Pauli pair with the given 4x4 matrix P⊗P. */
function pauliRotation(pp: CMatrix, t: number): CMatrix {
  const c = Math.cos(t / 2);
  const s = Math.sin(t / 2);
  const m = new Float64Array(32);
  for (let k = 0; k < 32; k += 2) {
    // c*I - i*s*PP
    m[k] = s * pp[k + 1];
    m[k + 1] = -s * pp[k];
  }
  for (let i = 0; i < 4; i++) m[2 * (i * 4 + i)] += c;
  return m;
}
const XX = cmat([
  [0, 0, 0, 1],
  [0, 0, 1, 0],
  [0, 1, 0, 0],
  [1, 0, 0, 0],
]);
const YY = cmat([
  [0, 0, 0, -1],
  [0, 0, 1, 0],
  [0, 1, 0, 0],
  [-1, 0, 0, 0],
]);
const ZZ = cmat([
  [1, 0, 0, 0],
  [0, -1, 0, 0],
  [0, 0, -1, 0],
  [0, 0, 0, 1],
]);
// ECR on (q0, q1) as Qiskit defines it with q0 the control: (IX - XY)/√2 in Qiskit's little-endian order.
const ECR = cmat([
  [0, R2, 0, [0, R2]],
  [R2, 0, [0, -R2], 0],
  [0, [0, R2], 0, R2],
  [[0, -R2], 0, R2, 0],
]);
const ISWAP = cmat([
  [1, 0, 0, 0],
  [0, 0, [0, 1], 0],
  [0, [0, 1], 0, 0],
  [0, 0, 0, 1],
]);
const gpi = (f: number): CMatrix =>
  cmat([
    [0, cis(-f)],
    [cis(f), 0],
  ]);
const gpi2 = (f: number): CMatrix =>
  cmat([
    [R2, sc(mul([0, -1], cis(-f)), R2)],
    [sc(mul([0, -1], cis(f)), R2), R2],
  ]);
// IonQ and Braket print MS with qubit 0 as the most significant bit; rows 1 and 2 swap roles here.
const ms = (f0: number, f1: number, t: number): CMatrix => {
  const c = Math.cos(t / 2);
  const s = Math.sin(t / 2);
  const mi = (a: number): [number, number] => sc(mul([0, -1], cis(a)), s);
  return cmat([
    [c, 0, 0, mi(-(f0 + f1))],
    [0, c, mi(f0 - f1), 0],
    [0, mi(-(f0 - f1)), c, 0],
    [mi(f0 + f1), 0, 0, c],
  ]);
};
const prx = (t: number, f: number): CMatrix => {
  const c = Math.cos(t / 2);
  const s = Math.sin(t / 2);
  return cmat([
    [c, sc(mul([0, -1], cis(-f)), s)],
    [sc(mul([0, -1], cis(f)), s), c],
  ]);
};
const u3 = (t: number, f: number, l: number): CMatrix => {
  const g = cis(-(f + l) / 2);
  return scale(U(t, f, l), g[0], g[1]);
};
const cuBase = (t: number, f: number, l: number, g: number): CMatrix => {
  const e = cis(g);
  return scale(U(t, f, l), e[0], e[1]);
};

function ctrl1(base: (p: ArrayLike<number>) => CMatrix, ctrls = 1) {
  return {
    ctrlBase: { ctrls, matrix: base },
    matrix: (p: ArrayLike<number>) => controlled(base(p), ctrls),
  };
}

// ---- the registry -----------------------------------------------------------------------------

define({ name: 'id', qubits: 1, description: 'identity', matrix: constant(I2), inverse: self('id') });
define({ name: 'x', qubits: 1, description: 'Pauli X (NOT)', matrix: constant(X), inverse: self('x') });
define({ name: 'y', qubits: 1, description: 'Pauli Y', matrix: constant(Y), inverse: self('y') });
define({ name: 'z', qubits: 1, description: 'Pauli Z', matrix: constant(Z), inverse: self('z') });
define({ name: 'h', qubits: 1, description: 'Hadamard', matrix: constant(H), inverse: self('h') });
define({ name: 's', qubits: 1, description: 'sqrt(Z)', matrix: constant(phase(PI / 2)), inverse: self('sdg') });
define({ name: 'sdg', qubits: 1, description: 'S inverse', matrix: constant(phase(-PI / 2)), inverse: self('s') });
define({ name: 't', qubits: 1, description: 'fourth root of Z', matrix: constant(phase(PI / 4)), inverse: self('tdg') });
define({ name: 'tdg', qubits: 1, description: 'T inverse', matrix: constant(phase(-PI / 4)), inverse: self('t') });
define({ name: 'sx', qubits: 1, description: 'sqrt(X)', matrix: constant(SX), inverse: self('sxdg') });
define({ name: 'sxdg', qubits: 1, std: false, description: 'sqrt(X) inverse', matrix: constant(SXDG), inverse: self('sx') });
for (const name of ['p', 'phase', 'u1']) {
  define({
    name,
    qubits: 1,
    params: ['lambda'],
    description: 'phase gate diag(1, e^{iλ})',
    matrix: (p) => phase(p[0]),
    inverse: negAll(name),
    spectrum: [ONE],
  });
}
define({
  name: 'rx',
  qubits: 1,
  params: ['theta'],
  description: 'X rotation exp(-iθX/2)',
  matrix: (p) => rx(p[0]),
  inverse: negAll('rx'),
  spectrum: [ONE],
  ctrlSpectrum: [HALF2],
});
define({
  name: 'ry',
  qubits: 1,
  params: ['theta'],
  description: 'Y rotation exp(-iθY/2)',
  matrix: (p) => ry(p[0]),
  inverse: negAll('ry'),
  spectrum: [ONE],
  ctrlSpectrum: [HALF2],
});
define({
  name: 'rz',
  qubits: 1,
  params: ['theta'],
  description: 'Z rotation exp(-iθZ/2)',
  matrix: (p) => rz(p[0]),
  inverse: negAll('rz'),
  spectrum: [ONE],
  ctrlSpectrum: [HALF2],
});
const uInverse =
  (name: string) =>
  (p: readonly Angle[]): GateCall[] => [{ op: name, params: [negAngle(p[0]), negAngle(p[2]), negAngle(p[1])] }];
define({
  name: 'U',
  qubits: 1,
  params: ['theta', 'phi', 'lambda'],
  description: 'OpenQASM 3 built-in single-qubit gate U(θ, φ, λ)',
  matrix: (p) => U(p[0], p[1], p[2]),
  inverse: uInverse('U'),
  spectrum: [ONE, ONE, ONE],
  ctrlSpectrum: [HALF2, ONE, ONE],
});
define({
  name: 'u3',
  qubits: 1,
  params: ['theta', 'phi', 'lambda'],
  description: 'U(θ, φ, λ) with global phase e^{-i(φ+λ)/2}, as stdgates.inc',
  matrix: (p) => u3(p[0], p[1], p[2]),
  inverse: uInverse('u3'),
  spectrum: [ONE, ONE, ONE],
  ctrlSpectrum: [HALF2, HALF2, HALF2],
});
define({
  name: 'u2',
  qubits: 1,
  params: ['phi', 'lambda'],
  description: 'u3(π/2, φ, λ)',
  matrix: (p) => u3(PI / 2, p[0], p[1]),
  inverse: (p) => [{ op: 'u3', params: [-PI / 2, negAngle(p[1]), negAngle(p[0])] }],
  spectrum: [ONE, ONE],
  ctrlSpectrum: [HALF2, HALF2],
});
define({
  name: 'gphase',
  qubits: 0,
  params: ['gamma'],
  description: 'global phase e^{iγ}',
  matrix: (p) => cmat([[cis(p[0])]]),
  inverse: negAll('gphase'),
  spectrum: [ONE],
});

// two-qubit controlled gates: qubits[0] is the control
define({ name: 'cx', qubits: 2, description: 'controlled X (CNOT)', ...ctrl1(() => X), inverse: self('cx') });
define({ name: 'CX', qubits: 2, description: 'controlled X (OpenQASM 2 spelling)', ...ctrl1(() => X), inverse: self('CX') });
define({ name: 'cy', qubits: 2, description: 'controlled Y', ...ctrl1(() => Y), inverse: self('cy') });
define({ name: 'cz', qubits: 2, description: 'controlled Z', ...ctrl1(() => Z), inverse: self('cz') });
define({ name: 'ch', qubits: 2, description: 'controlled H', ...ctrl1(() => H), inverse: self('ch') });
for (const name of ['cp', 'cphase']) {
  define({
    name,
    qubits: 2,
    params: ['lambda'],
    description: 'controlled phase',
    ...ctrl1((p) => phase(p[0])),
    inverse: negAll(name),
    spectrum: [ONE],
  });
}
define({
  name: 'crx',
  qubits: 2,
  params: ['theta'],
  description: 'controlled RX',
  ...ctrl1((p) => rx(p[0])),
  inverse: negAll('crx'),
  spectrum: [HALF2],
});
define({
  name: 'cry',
  qubits: 2,
  params: ['theta'],
  description: 'controlled RY',
  ...ctrl1((p) => ry(p[0])),
  inverse: negAll('cry'),
  spectrum: [HALF2],
});
define({
  name: 'crz',
  qubits: 2,
  params: ['theta'],
  description: 'controlled RZ',
  ...ctrl1((p) => rz(p[0])),
  inverse: negAll('crz'),
  spectrum: [HALF2],
});
define({
  name: 'cu',
  qubits: 2,
  params: ['theta', 'phi', 'lambda', 'gamma'],
  description: 'controlled U(θ, φ, λ) with phase γ on the control',
  ...ctrl1((p) => cuBase(p[0], p[1], p[2], p[3])),
  inverse: (p) => [{ op: 'cu', params: [negAngle(p[0]), negAngle(p[2]), negAngle(p[1]), negAngle(p[3])] }],
  spectrum: [HALF2, ONE, ONE, ONE],
});
define({ name: 'swap', qubits: 2, description: 'swap', matrix: constant(SWAP), inverse: self('swap') });
define({ name: 'ccx', qubits: 3, description: 'Toffoli', ...ctrl1(() => X, 2), inverse: self('ccx') });
define({ name: 'cswap', qubits: 3, description: 'Fredkin (controlled swap)', ...ctrl1(() => SWAP), inverse: self('cswap') });

// beyond stdgates
define({
  name: 'rxx',
  qubits: 2,
  std: false,
  params: ['theta'],
  description: 'exp(-iθ X⊗X/2)',
  matrix: (p) => pauliRotation(XX, p[0]),
  inverse: negAll('rxx'),
  spectrum: [ONE],
  ctrlSpectrum: [HALF2],
});
define({
  name: 'ryy',
  qubits: 2,
  std: false,
  params: ['theta'],
  description: 'exp(-iθ Y⊗Y/2)',
  matrix: (p) => pauliRotation(YY, p[0]),
  inverse: negAll('ryy'),
  spectrum: [ONE],
  ctrlSpectrum: [HALF2],
});
define({
  name: 'rzz',
  qubits: 2,
  std: false,
  params: ['theta'],
  description: 'exp(-iθ Z⊗Z/2)',
  matrix: (p) => pauliRotation(ZZ, p[0]),
  inverse: negAll('rzz'),
  spectrum: [ONE],
  ctrlSpectrum: [HALF2],
});
define({
  name: 'ecr',
  qubits: 2,
  std: false,
  description: 'echoed cross-resonance (IBM Eagle native)',
  matrix: constant(ECR),
  inverse: self('ecr'),
});
define({
  name: 'iswap',
  qubits: 2,
  std: false,
  description: 'iSWAP',
  matrix: constant(ISWAP),
  inverse: () => [
    { op: 'rxx', params: [PI / 2] },
    { op: 'ryy', params: [PI / 2] },
  ],
});
define({
  name: 'gpi',
  qubits: 1,
  std: false,
  params: ['phi'],
  description: 'IonQ GPI(φ), radians',
  matrix: (p) => gpi(p[0]),
  inverse: (p) => [{ op: 'gpi', params: p }],
  spectrum: [TWO],
  ctrlSpectrum: [ONE2],
});
define({
  name: 'gpi2',
  qubits: 1,
  std: false,
  params: ['phi'],
  description: 'IonQ GPI2(φ), radians',
  matrix: (p) => gpi2(p[0]),
  inverse: (p) => [{ op: 'gpi2', params: [addAngles(p[0], PI)] }],
  spectrum: [ONE2],
});
define({
  name: 'ms',
  qubits: 2,
  std: false,
  params: ['phi0', 'phi1', 'theta'],
  description: 'IonQ Mølmer-Sørensen MS(φ0, φ1, θ), radians (θ = π/2 is fully entangling)',
  matrix: (p) => ms(p[0], p[1], p[2]),
  inverse: (p) => [{ op: 'ms', params: [p[0], p[1], negAngle(p[2])] }],
  spectrum: [ONE2, ONE2, ONE],
  ctrlSpectrum: [ONE2, ONE2, HALF2],
});
define({
  name: 'prx',
  qubits: 1,
  std: false,
  params: ['theta', 'phi'],
  description: 'IQM phased RX: exp(-iθ(cos φ X + sin φ Y)/2)',
  matrix: (p) => prx(p[0], p[1]),
  inverse: (p) => [{ op: 'prx', params: [negAngle(p[0]), p[1]] }],
  spectrum: [ONE, ONE2],
  ctrlSpectrum: [HALF2, ONE2],
});

// ---- lookups and derived rules ----------------------------------------------------------------

export function hasGate(name: string): boolean {
  return registry.has(name);
}

export function getGate(name: string): GateDef {
  const g = registry.get(name);
  if (!g) throw validationError(`unknown gate '${name}'`, { gate: name });
  return g;
}

export function gateNames(): string[] {
  return [...registry.keys()];
}

const ruleCache = new Map<string, ShiftRule>();

/**
 * The general parameter-shift rule for equidistant frequencies unit·{1..R} (Wierichs et al. 2022):
 * shifts x_μ = (2μ-1)π/(2R) in the scaled variable, coefficients (-1)^(μ-1) / (4R sin²(x_μ/2)).
 * R = 1 gives the familiar ±π/2, ±1/2 rule; controlled rotations get the four-term rule.
 */
export function shiftRuleFor(s: Spectrum): ShiftRule {
  const key = `${s.unit}:${s.max}`;
  const hit = ruleCache.get(key);
  if (hit) return hit;
  const R = s.max;
  const shifts: number[] = [];
  const coeffs: number[] = [];
  for (let mu = 1; mu <= 2 * R; mu++) {
    const x = ((2 * mu - 1) * PI) / (2 * R);
    const sn = Math.sin(x / 2);
    // Map the shift into (-π/unit, π/unit] so it reads as ± a small angle.
    let shift = x / s.unit;
    const period = (2 * PI) / s.unit;
    if (shift > period / 2) shift -= period;
    shifts.push(shift);
    coeffs.push((s.unit * (mu % 2 === 1 ? 1 : -1)) / (4 * R * sn * sn));
  }
  const rule = { shifts, coeffs };
  ruleCache.set(key, rule);
  return rule;
}

/** The shift rule for parameter `k` of `gate`, plain or under control. */
export function shiftRule(gate: string, k: number, isControlled = false): ShiftRule {
  const g = getGate(gate);
  const spec = (isControlled ? g.ctrlSpectrum : g.spectrum)[k];
  if (!spec) throw validationError(`gate '${gate}' has no parameter ${k}`);
  return shiftRuleFor(spec);
}

/**
 * Exact derivative of a gate matrix with respect to parameter k. Every registered gate's entries are
 * trigonometric polynomials of degree <= 2 in θ/2, so spectral differentiation on five equispaced
 * points (period 4π) is exact, with no per-gate hand-written derivative to get wrong.
 */
export function gateDerivative(gate: GateDef, p: ArrayLike<number>, k: number): CMatrix {
  return matrixDerivative(gate.matrix, p, k);
}

/** The same exact spectral derivative for any matrix function of the registry's form. */
export function matrixDerivative(fn: (p: ArrayLike<number>) => CMatrix, p: ArrayLike<number>, k: number): CMatrix {
  const N = 5;
  const h = (2 * PI) / N; // step in u = θ/2
  const q = Array.from(p);
  let out: Float64Array | undefined;
  for (let j = 1; j < N; j++) {
    q[k] = p[k] + 2 * j * h;
    const m = fn(q);
    // Spectral differentiation weight -(1/2)(-1)^j / sin(jh/2), times 1/2 for d/dθ = (1/2) d/du.
    const w = (-0.5 * (j % 2 === 0 ? 1 : -1)) / Math.sin((j * h) / 2) / 2;
    if (!out) out = new Float64Array(m.length);
    for (let i = 0; i < m.length; i++) out[i] += w * m[i];
  }
  return out ?? new Float64Array(2);
}
