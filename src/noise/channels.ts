import { validationError } from '../errors.js';
import { dagger, dimOf, identity, kron, matmul, maxAbsDiff, type CMatrix } from '../ir/matrix.js';

/**
 * Quantum channels as plain, JSON-serialisable data. Each kind follows the convention of Braket's
 * noise pragmas (and Cirq), so a model emits to `#pragma braket noise ...` unchanged:
 *
 * - `depolarizing` p: with probability p one of the 4^k - 1 non-identity Paulis, uniformly. On one
 *   qubit the Bloch vector shrinks by 1 - 4p/3. (Qiskit's `depolarizing_error(λ, k)` is the same
 *   channel with λ = p·4^k / (4^k - 1).)
 * - `bit_flip` / `phase_flip` p: X (or Z) with probability p.
 * - `pauli` probs: Pauli labels (qubit 0 of the channel rightmost, as PauliSum labels) to
 *   probabilities; the identity takes what is left.
 * - `amplitude_damping` gamma: |1> decays to |0> with probability gamma.
 * - `generalized_amplitude_damping` gamma, p: decay towards the thermal state whose |0> population
 *   is p (p = 1 is plain amplitude damping).
 * - `phase_damping` gamma: coherences shrink by sqrt(1 - gamma), populations stay.
 * - `thermal_relaxation` t1S, t2S, timeS, excitedPopulation: T1 decay and T2 dephasing over a gate
 *   of the given duration. T2 is capped at 2·T1 (the physical limit), as Qiskit Aer's device models do.
 * - `kraus` operators: each a 2^k x 2^k matrix, interleaved re/im, row-major, channel qubit 0 the
 *   least significant bit; checked to be trace preserving.
 */
export type Channel =
  | { readonly kind: 'depolarizing'; readonly p: number; readonly numQubits: number }
  | { readonly kind: 'bit_flip'; readonly p: number }
  | { readonly kind: 'phase_flip'; readonly p: number }
  | { readonly kind: 'pauli'; readonly probs: Readonly<Record<string, number>> }
  | { readonly kind: 'amplitude_damping'; readonly gamma: number }
  | { readonly kind: 'generalized_amplitude_damping'; readonly gamma: number; readonly p: number }
  | { readonly kind: 'phase_damping'; readonly gamma: number }
  | {
      readonly kind: 'thermal_relaxation';
      readonly t1S: number;
      readonly t2S: number;
      readonly timeS: number;
      readonly excitedPopulation?: number;
    }
  | { readonly kind: 'kraus'; readonly operators: readonly (readonly number[])[] };

export type ChannelKind = Channel['kind'];

/** Σ K†K may differ from the identity by this much before a Kraus channel is refused. */
export const CPTP_TOLERANCE = 1e-9;

/** Largest channel the engines apply (a k-qubit channel's superoperator is 4^k x 4^k). */
export const MAX_CHANNEL_QUBITS = 3;

// ---- constructors (each validates) -------------------------------------------------------------

export function depolarizing(p: number, numQubits = 1): Channel {
  return checkChannel({ kind: 'depolarizing', p, numQubits });
}
export function bitFlip(p: number): Channel {
  return checkChannel({ kind: 'bit_flip', p });
}
export function phaseFlip(p: number): Channel {
  return checkChannel({ kind: 'phase_flip', p });
}
export function pauliChannel(probs: Readonly<Record<string, number>>): Channel {
  return checkChannel({ kind: 'pauli', probs: { ...probs } });
}
export function amplitudeDamping(gamma: number): Channel {
  return checkChannel({ kind: 'amplitude_damping', gamma });
}
export function generalizedAmplitudeDamping(gamma: number, p: number): Channel {
  return checkChannel({ kind: 'generalized_amplitude_damping', gamma, p });
}
export function phaseDamping(gamma: number): Channel {
  return checkChannel({ kind: 'phase_damping', gamma });
}
export function thermalRelaxation(o: { t1S: number; t2S: number; timeS: number; excitedPopulation?: number }): Channel {
  const c: Channel = { kind: 'thermal_relaxation', t1S: o.t1S, t2S: o.t2S, timeS: o.timeS };
  return checkChannel(o.excitedPopulation === undefined ? c : { ...c, excitedPopulation: o.excitedPopulation });
}
/** A general channel from its Kraus operators (CMatrix or plain interleaved arrays). */
export function krausChannel(operators: readonly ArrayLike<number>[]): Channel {
  return checkChannel({ kind: 'kraus', operators: operators.map((k) => Array.from(k)) });
}

// ---- validation --------------------------------------------------------------------------------

function probability(x: unknown, what: string, where: string): void {
  if (typeof x !== 'number' || !Number.isFinite(x) || x < 0 || x > 1) {
    throw validationError(`${where}: ${what} must be a probability in [0, 1], got ${String(x)}`, { value: x });
  }
}

function positive(x: unknown, what: string, where: string, allowZero = false): void {
  if (typeof x !== 'number' || !Number.isFinite(x) || x < 0 || (!allowZero && x === 0)) {
    throw validationError(`${where}: ${what} must be a finite ${allowZero ? 'non-negative' : 'positive'} number, got ${String(x)}`, {
      value: x,
    });
  }
}

const PAULI_LABEL = /^[IXYZ]+$/;

/**
 * Checks a channel (from a constructor or a parsed document) and returns it frozen. Non-physical
 * parameters and Kraus sets that are not trace preserving are VALIDATION errors naming `where`.
 */
export function checkChannel(c: Channel, where = 'channel'): Channel {
  if (c === null || typeof c !== 'object') throw validationError(`${where}: expected a channel object`);
  const at = `${where} (${String((c as { kind?: unknown }).kind)})`;
  switch (c.kind) {
    case 'depolarizing':
      probability(c.p, 'p', at);
      if (!Number.isInteger(c.numQubits) || c.numQubits < 1 || c.numQubits > MAX_CHANNEL_QUBITS) {
        throw validationError(`${at}: numQubits must be an integer from 1 to ${MAX_CHANNEL_QUBITS}, got ${String(c.numQubits)}`);
      }
      break;
    case 'bit_flip':
    case 'phase_flip':
      probability(c.p, 'p', at);
      break;
    case 'pauli': {
      if (c.probs === null || typeof c.probs !== 'object') throw validationError(`${at}: probs must map Pauli labels to probabilities`);
      const labels = Object.keys(c.probs);
      if (labels.length === 0) throw validationError(`${at}: no Pauli terms`);
      let total = 0;
      for (const l of labels) {
        if (!PAULI_LABEL.test(l)) throw validationError(`${at}: '${l}' is not a Pauli label over I, X, Y, Z`);
        if (l.length !== labels[0].length)
          throw validationError(`${at}: labels '${labels[0]}' and '${l}' act on different numbers of qubits`);
        probability(c.probs[l], `probability of '${l}'`, at);
        total += c.probs[l];
      }
      if (labels[0].length > MAX_CHANNEL_QUBITS) throw validationError(`${at}: acts on more than ${MAX_CHANNEL_QUBITS} qubits`);
      if (total > 1 + 1e-12) throw validationError(`${at}: probabilities sum to ${total}, more than 1`, { total });
      break;
    }
    case 'amplitude_damping':
    case 'phase_damping':
      probability(c.gamma, 'gamma', at);
      break;
    case 'generalized_amplitude_damping':
      probability(c.gamma, 'gamma', at);
      probability(c.p, 'p', at);
      break;
    case 'thermal_relaxation':
      positive(c.t1S, 't1S', at);
      positive(c.t2S, 't2S', at);
      positive(c.timeS, 'timeS', at, true);
      if (c.excitedPopulation !== undefined) probability(c.excitedPopulation, 'excitedPopulation', at);
      break;
    case 'kraus':
      checkKraus(c.operators, at);
      break;
    default:
      throw validationError(`${where}: unknown channel kind '${String((c as { kind?: unknown }).kind)}'`);
  }
  return Object.freeze(c);
}

function checkKraus(ops: readonly (readonly number[])[], at: string): void {
  if (!Array.isArray(ops) || ops.length === 0) throw validationError(`${at}: needs at least one Kraus operator`);
  const len = ops[0]?.length;
  const d = Math.round(Math.sqrt((len ?? 0) / 2));
  if (!Array.isArray(ops[0]) || 2 * d * d !== len || d < 2 || (d & (d - 1)) !== 0) {
    throw validationError(
      `${at}: each Kraus operator must be a 2^k x 2^k complex matrix as 2·4^k interleaved numbers, got ${String(len)} numbers`,
    );
  }
  if (d > 1 << MAX_CHANNEL_QUBITS) throw validationError(`${at}: acts on more than ${MAX_CHANNEL_QUBITS} qubits`);
  ops.forEach((k, i) => {
    if (!Array.isArray(k) || k.length !== len)
      throw validationError(`${at}: Kraus operator ${i} has ${String(k?.length)} numbers, expected ${len}`);
    for (const x of k)
      if (typeof x !== 'number' || !Number.isFinite(x)) throw validationError(`${at}: Kraus operator ${i} holds a non-finite entry`);
  });
  const dev = completenessDeviation(ops.map((k) => Float64Array.from(k)));
  if (dev > CPTP_TOLERANCE) {
    throw validationError(
      `${at}: not trace preserving: Σ K†K differs from the identity by ${dev.toExponential(2)} (tolerance ${CPTP_TOLERANCE})`,
      {
        deviation: dev,
      },
    );
  }
}

/** max |Σ K†K - I| over entries. */
export function completenessDeviation(ops: readonly CMatrix[]): number {
  const d = dimOf(ops[0]);
  const sum = new Float64Array(2 * d * d);
  for (const k of ops) {
    const p = matmul(dagger(k), k);
    for (let i = 0; i < sum.length; i++) sum[i] += p[i];
  }
  return maxAbsDiff(sum, identity(d));
}

// ---- derived forms -----------------------------------------------------------------------------

/** Number of qubits a channel acts on. */
export function channelQubits(c: Channel): number {
  switch (c.kind) {
    case 'depolarizing':
      return c.numQubits;
    case 'pauli':
      return Object.keys(c.probs)[0].length;
    case 'kraus':
      return Math.round(Math.log2(Math.sqrt(c.operators[0].length / 2)));
    default:
      return 1;
  }
}

/** A channel that is a mixture of Pauli strings: labels (identity included) and their probabilities. */
export interface PauliMixture {
  readonly labels: readonly string[];
  readonly probs: readonly number[];
}

function allPaulis(k: number): string[] {
  let out = [''];
  for (let i = 0; i < k; i++) out = out.flatMap((s) => ['I', 'X', 'Y', 'Z'].map((c) => c + s));
  return out;
}

/**
 * The Pauli-mixture form of a channel where it has one (depolarizing, flips, Pauli channels), for
 * trajectories: a mixed-unitary channel is sampled by fixed probabilities, with no norm to compute.
 */
export function pauliMixtureOf(c: Channel): PauliMixture | undefined {
  switch (c.kind) {
    case 'depolarizing': {
      const labels = allPaulis(c.numQubits);
      const each = c.p / (labels.length - 1);
      return { labels, probs: labels.map((l) => (/^I+$/.test(l) ? 1 - c.p : each)) };
    }
    case 'bit_flip':
      return { labels: ['I', 'X'], probs: [1 - c.p, c.p] };
    case 'phase_flip':
      return { labels: ['I', 'Z'], probs: [1 - c.p, c.p] };
    case 'pauli': {
      const k = channelQubits(c);
      const id = 'I'.repeat(k);
      const labels = Object.keys(c.probs).filter((l) => l !== id);
      const probs = labels.map((l) => c.probs[l]);
      const rest = Math.max(0, 1 - probs.reduce((a, b) => a + b, 0));
      return { labels: [id, ...labels], probs: [rest, ...probs] };
    }
    default:
      return undefined;
  }
}

const PAULI_1: Record<string, CMatrix> = {
  I: identity(2),
  X: Float64Array.of(0, 0, 1, 0, 1, 0, 0, 0),
  Y: Float64Array.of(0, 0, 0, -1, 0, 1, 0, 0),
  Z: Float64Array.of(1, 0, 0, 0, 0, 0, -1, 0),
};

/** The matrix of a Pauli label; the rightmost character acts on bit 0. */
export function pauliMatrix(label: string): CMatrix {
  let m = PAULI_1[label[0]];
  for (let i = 1; i < label.length; i++) m = kron(m, PAULI_1[label[i]]);
  return m;
}

const m2 = (a: number, b: number, c: number, d: number): CMatrix => Float64Array.of(a, 0, b, 0, c, 0, d, 0);

/** sqrt(1 - gamma) and friends without a negative argument from rounding. */
const sq = (x: number): number => Math.sqrt(Math.max(0, x));

function gadKraus(gamma: number, p: number): CMatrix[] {
  const a = sq(p);
  const b = sq(1 - p);
  return [m2(a, 0, 0, a * sq(1 - gamma)), m2(0, a * sq(gamma), 0, 0), m2(b * sq(1 - gamma), 0, 0, b), m2(0, 0, b * sq(gamma), 0)];
}

function phaseDampingKraus(gamma: number): CMatrix[] {
  return [m2(1, 0, 0, sq(1 - gamma)), m2(0, 0, 0, sq(gamma))];
}

/**
 * The parameters thermal relaxation reduces to: amplitude damping gamma = 1 - e^{-t/T1} (towards the
 * thermal state), then pure dephasing. Amplitude damping alone shrinks coherences by e^{-t/2T1}; the
 * rest of the e^{-t/T2} decay is phase damping with sqrt(1 - λ) = e^{-t/Tφ}, 1/Tφ = 1/T2 - 1/(2T1) ≥ 0
 * once T2 is capped at 2·T1.
 */
export function thermalRelaxationParams(c: Extract<Channel, { kind: 'thermal_relaxation' }>): {
  gamma: number;
  lambda: number;
  t2S: number;
  excitedPopulation: number;
} {
  const t2 = Math.min(c.t2S, 2 * c.t1S);
  const gamma = -Math.expm1(-c.timeS / c.t1S);
  const rate = Math.max(0, 1 / t2 - 1 / (2 * c.t1S));
  const lambda = -Math.expm1(-2 * c.timeS * rate);
  return { gamma, lambda, t2S: t2, excitedPopulation: c.excitedPopulation ?? 0 };
}

function frobenius2(k: CMatrix): number {
  let s = 0;
  for (const x of k) s += x * x;
  return s;
}

/** Kraus operators of any channel (zero operators dropped). */
export function krausOf(c: Channel): CMatrix[] {
  const mix = pauliMixtureOf(c);
  if (mix) {
    return mix.labels.flatMap((l, i) => (mix.probs[i] > 0 ? [scaleReal(pauliMatrix(l), Math.sqrt(mix.probs[i]))] : []));
  }
  let ops: CMatrix[];
  switch (c.kind) {
    case 'amplitude_damping':
      ops = gadKraus(c.gamma, 1);
      break;
    case 'generalized_amplitude_damping':
      ops = gadKraus(c.gamma, c.p);
      break;
    case 'phase_damping':
      ops = phaseDampingKraus(c.gamma);
      break;
    case 'thermal_relaxation': {
      const t = thermalRelaxationParams(c as Extract<Channel, { kind: 'thermal_relaxation' }>);
      ops = [];
      for (const pd of phaseDampingKraus(t.lambda)) for (const ad of gadKraus(t.gamma, 1 - t.excitedPopulation)) ops.push(matmul(pd, ad));
      break;
    }
    case 'kraus':
      ops = c.operators.map((k) => Float64Array.from(k));
      break;
    default:
      throw validationError(`no Kraus form for channel '${(c as Channel).kind}'`);
  }
  const kept = ops.filter((k) => frobenius2(k) > 1e-30);
  return kept.length ? kept : [identity(dimOf(ops[0]))];
}

function scaleReal(m: CMatrix, s: number): CMatrix {
  const out = new Float64Array(m.length);
  for (let i = 0; i < m.length; i++) out[i] = m[i] * s;
  return out;
}

/** Process (entanglement) fidelity with the identity channel: Σ_k |Tr K_k|² / d². */
export function processFidelity(ops: readonly CMatrix[]): number {
  const d = dimOf(ops[0]);
  let f = 0;
  for (const k of ops) {
    let re = 0;
    let im = 0;
    for (let i = 0; i < d; i++) {
      re += k[2 * (i * d + i)];
      im += k[2 * (i * d + i) + 1];
    }
    f += re * re + im * im;
  }
  return f / (d * d);
}

/** Average gate fidelity from the process fidelity: F_avg = (d·F_pro + 1) / (d + 1). */
export function averageGateFidelity(ops: readonly CMatrix[]): number {
  const d = dimOf(ops[0]);
  return (d * processFidelity(ops) + 1) / (d + 1);
}

/** Kraus operators of a ⊗ b (b on the low qubits), for channels acting side by side. */
export function tensorKraus(hi: readonly CMatrix[], lo: readonly CMatrix[]): CMatrix[] {
  return hi.flatMap((h) => lo.map((l) => kron(h, l)));
}

/** Kraus operators of "first, then second" on the same qubits. */
export function composeKraus(first: readonly CMatrix[], second: readonly CMatrix[]): CMatrix[] {
  return second.flatMap((s) => first.map((f) => matmul(s, f)));
}
