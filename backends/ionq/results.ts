import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { QError } from '../../src/index.js';
import type { MeasureMap } from './translate.js';

/**
 * IonQ results -> qbridge counts.
 *
 * IonQ's v1 result artifacts are keyed by the decimal integer of the WHOLE qubit state, little-endian
 * (bit i of the integer is qubit i; research/providers.md §2.4). They are per qubit, not per classical
 * bit, so each key is re-read through the circuit's measurement map (qubit -> clbit) into a bitstring
 * over the circuit's classical bits, classical bit 0 rightmost. Unmeasured classical bits read 0.
 */

/** The qbridge counts key of an IonQ decimal state key. */
export function clbitKey(decimal: string, map: MeasureMap): string {
  if (!/^\d+$/.test(decimal)) throw new QError('PROVIDER', `IonQ: result key '${decimal.slice(0, 40)}' is not a decimal state`);
  const state = BigInt(decimal);
  const bits = new Array<string>(map.numClbits).fill('0');
  for (const [q, c] of map.pairs) if ((state >> BigInt(q)) & 1n) bits[map.numClbits - 1 - c] = '1';
  return bits.join('');
}

/** Sums a decimal-keyed map (probabilities or counts) onto classical-bit keys. */
export function remap(values: Readonly<Record<string, number>>, map: MeasureMap): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of Object.entries(values)) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
      throw new QError('PROVIDER', `IonQ: result value for '${k}' is not a non-negative number`);
    const key = clbitKey(k, map);
    out.set(key, (out.get(key) ?? 0) + v);
  }
  return out;
}

/**
 * Probabilities -> integer counts summing exactly to `shots`, by largest-remainder (Hamilton)
 * rounding: floor(p·shots) each, the shortfall handed to the largest fractional parts (ties broken
 * by key, so the result is deterministic). Probabilities are renormalised first (IonQ's sum to 1
 * only up to float error). This is what IonQ's probabilities mean for a QPU run of `shots` shots;
 * for the ideal simulator it is the expected histogram, not a sample.
 */
export function countsFromProbabilities(probs: ReadonlyMap<string, number>, shots: number): Record<string, number> {
  const entries = [...probs.entries()].filter(([, p]) => p > 0);
  const total = entries.reduce((a, [, p]) => a + p, 0);
  if (total <= 0) throw new QError('PROVIDER', 'IonQ: the result has no probability mass');
  const rows = entries.map(([k, p]) => {
    const exact = (p / total) * shots;
    const base = Math.floor(exact);
    return { k, base, frac: exact - base };
  });
  let left = shots - rows.reduce((a, r) => a + r.base, 0);
  const order = [...rows].sort((a, b) => b.frac - a.frac || (a.k < b.k ? -1 : 1));
  for (let i = 0; left > 0 && order.length > 0; i = (i + 1) % order.length, left--) order[i].base++;
  const counts: Record<string, number> = {};
  for (const r of rows) if (r.base > 0) counts[r.k] = r.base;
  return counts;
}

/** Counts from per-shot decimal states (`ionq.result.shots.json.v1`). */
export function countsFromShots(shots: readonly string[], map: MeasureMap): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of shots) {
    const k = clbitKey(String(s), map);
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
}

/** Counts from an integer histogram (`ionq.result.histogram.json.v1`). */
export function countsFromHistogram(hist: Readonly<Record<string, number>>, map: MeasureMap): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [k, v] of remap(hist, map)) if (v > 0) counts[k] = Math.round(v);
  return counts;
}

// ---------------------------------------------------------------------------------------------
// What the adapter needs to decode a job later, kept in the job's own `metadata` (a string -> string
// map), so `attach(id)` from a fresh process works without the original request.

export interface JobLayout {
  readonly v: 1;
  readonly shots: number;
  /** Measurement map of each circuit of the request. */
  readonly circuits: readonly MeasureMap[];
  /** Bindings per circuit; executions are circuit-major (circuit 0's bindings first). */
  readonly bindings: readonly number[];
  /** This IonQ job carries executions [first, first + count) of the request. */
  readonly first: number;
  readonly count: number;
  /** Executions of the whole request (all parts). */
  readonly total: number;
}

/** IonQ does not publish a metadata size limit; values are kept short (qiskit-ionq also chunks). */
const CHUNK = 400;
export const LAYOUT_KEY = 'qbridge_layout';

export function encodeLayout(layout: JobLayout): Record<string, string> {
  const packed = deflateRawSync(Buffer.from(JSON.stringify(layout))).toString('base64');
  const out: Record<string, string> = {};
  const n = Math.ceil(packed.length / CHUNK);
  out[`${LAYOUT_KEY}_n`] = String(n);
  for (let i = 0; i < n; i++) out[`${LAYOUT_KEY}_${i}`] = packed.slice(i * CHUNK, (i + 1) * CHUNK);
  return out;
}

export function decodeLayout(meta: Readonly<Record<string, string>> | null | undefined): JobLayout | undefined {
  const n = Number(meta?.[`${LAYOUT_KEY}_n`]);
  if (!meta || !Number.isInteger(n) || n < 1) return undefined;
  let packed = '';
  for (let i = 0; i < n; i++) {
    const part = meta[`${LAYOUT_KEY}_${i}`];
    if (typeof part !== 'string') return undefined;
    packed += part;
  }
  try {
    const v = JSON.parse(inflateRawSync(Buffer.from(packed, 'base64')).toString('utf8')) as JobLayout;
    return v && v.v === 1 && Array.isArray(v.circuits) ? v : undefined;
  } catch {
    return undefined;
  }
}
