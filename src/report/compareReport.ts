import { validationError } from '../errors.js';

/**
 * `compare.json`: everything `qbridge compare` measured, as plain data. The terminal table, the HTML
 * page and the PNG charts are all drawn from this one value, so a report can be re-rendered (or
 * checked by a script) without re-running a single job.
 */

export const COMPARE_REPORT_SCHEMA = 'qbridge.compare/1';

/** Results of one backend x mitigation pair. */
export interface PairResult {
  readonly backend: string;
  /** 'none', 'readout', 'zne', 'readout+zne', ... */
  readonly mitigation: string;
  /** Test accuracy over the samples; null when there are no labels (a QASM file with observables). */
  readonly accuracy: number | null;
  /** Mean and max of |measured - ideal| over every (sample, observable) expectation value. */
  readonly meanAbsDeviation: number;
  readonly maxAbsDeviation: number;
  /**
   * Total variation distance between the ideal output distribution and the backend's measured one,
   * averaged over samples; null when not measured. Mitigation acts on expectation values, so this is
   * the backend's raw distribution for every mitigation of one backend.
   */
  readonly tvd: number | null;
  /** Shots spent (all jobs of the pair: estimator circuits, calibration, folding, distribution runs). */
  readonly shots: number;
  /** Backend jobs submitted for the pair. */
  readonly jobs: number;
  /** Provider estimate in US dollars (null for simulators or when the provider publishes no price). */
  readonly estimatedCostUsd: number | null;
  /** Seconds the jobs waited in the provider's queue (null when unknown, e.g. simulators). */
  readonly queueSeconds: number | null;
  /** Wall-clock seconds for the pair. */
  readonly seconds: number;
}

/** A pair that was not run, and why (absent credentials, nothing to mitigate on an ideal simulator). */
export interface SkippedPair {
  readonly backend: string;
  readonly mitigation: string;
  readonly reason: string;
}

/** One expectation value measured on a pair next to its ideal value (the scatter plot's points). */
export interface ExpectationPoint {
  readonly backend: string;
  readonly mitigation: string;
  readonly sample: number;
  readonly observable: number;
  readonly ideal: number;
  readonly measured: number;
  readonly stdError?: number;
}

export interface DeviceNode {
  readonly qubit: number;
  /** Drawing position (arbitrary units, one coupler ~ 1 apart). */
  readonly x: number;
  readonly y: number;
  /** Mean readout error, when the device reports it. */
  readonly readoutError?: number;
}

export interface DeviceEdge {
  readonly a: number;
  readonly b: number;
  /** Lowest 2-qubit gate error over the coupler's gates and directions; null when unknown. */
  readonly error: number | null;
}

/** A device's coupling map with its 2-qubit gate errors and the layout a comparison ran on. */
export interface DeviceMap {
  readonly backend: string;
  readonly target: string;
  readonly numQubits: number;
  readonly nodes: readonly DeviceNode[];
  readonly edges: readonly DeviceEdge[];
  /** Logical qubit i was placed on physical qubit layout[i] (empty when unknown). */
  readonly layout: readonly number[];
  readonly source?: string;
}

export interface EpochRecord {
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy?: number;
  readonly valLoss?: number;
  readonly valAccuracy?: number;
}

export type CompareSource =
  | { readonly kind: 'model'; readonly path: string; readonly model?: string }
  | { readonly kind: 'qasm'; readonly path: string; readonly observables: readonly string[] };

export interface CompareReport {
  readonly schema: typeof COMPARE_REPORT_SCHEMA;
  readonly createdAt: string;
  readonly source: CompareSource;
  readonly settings: {
    readonly backends: readonly string[];
    readonly mitigations: readonly string[];
    readonly shots: number;
    readonly samples: number;
    readonly seed: number;
  };
  readonly pairs: readonly PairResult[];
  readonly skipped: readonly SkippedPair[];
  readonly points: readonly ExpectationPoint[];
  readonly devices: readonly DeviceMap[];
  /** Per-epoch training curves when the model directory has them. */
  readonly training?: readonly EpochRecord[];
}

/** The label a pair is drawn and tabulated under. */
export function pairLabel(p: { backend: string; mitigation: string }): string {
  return `${p.backend} / ${p.mitigation}`;
}

// ---- reading compare.json back (a file may have been edited or truncated: check every field) ----

type Rec = Record<string, unknown>;

function isRec(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function need<T>(ok: boolean, where: string, what: string, v: T): T {
  if (!ok) throw validationError(`compare report: ${where} must be ${what}`, { where });
  return v;
}

const str = (o: Rec, k: string, where: string): string => need(typeof o[k] === 'string', `${where}.${k}`, 'a string', o[k] as string);
const num = (o: Rec, k: string, where: string): number =>
  need(typeof o[k] === 'number' && Number.isFinite(o[k]), `${where}.${k}`, 'a finite number', o[k] as number);
const numOrNull = (o: Rec, k: string, where: string): number | null => (o[k] === null ? null : num(o, k, where));
const optNum = (o: Rec, k: string, where: string): number | undefined => (o[k] === undefined ? undefined : num(o, k, where));
const nonNeg = (o: Rec, k: string, where: string): number => need(num(o, k, where) >= 0, `${where}.${k}`, 'non-negative', o[k] as number);

function arr(o: Rec, k: string, where: string): unknown[] {
  return need(Array.isArray(o[k]), `${where}.${k}`, 'an array', o[k] as unknown[]);
}

function rec(v: unknown, where: string): Rec {
  return need(isRec(v), where, 'an object', v as Rec);
}

/** Parses and checks a `compare.json` document (text or parsed value); a VALIDATION error names the bad field. */
export function compareReportFromJSON(input: string | unknown): CompareReport {
  let doc: unknown = input;
  if (typeof input === 'string') {
    try {
      doc = JSON.parse(input);
    } catch (e) {
      throw validationError(`compare report: not JSON (${(e as Error).message})`);
    }
  }
  const o = rec(doc, 'report');
  need(o.schema === COMPARE_REPORT_SCHEMA, 'report.schema', `'${COMPARE_REPORT_SCHEMA}'`, 0);
  const src = rec(o.source, 'report.source');
  let source: CompareSource;
  if (src.kind === 'model')
    source = { kind: 'model', path: str(src, 'path', 'source'), model: src.model === undefined ? undefined : str(src, 'model', 'source') };
  else if (src.kind === 'qasm')
    source = {
      kind: 'qasm',
      path: str(src, 'path', 'source'),
      observables: arr(src, 'observables', 'source').map((v, i) =>
        need(typeof v === 'string', `source.observables[${i}]`, 'a string', v as string),
      ),
    };
  else throw validationError(`compare report: source.kind must be 'model' or 'qasm'`);
  const s = rec(o.settings, 'report.settings');
  const strings = (k: string) =>
    arr(s, k, 'settings').map((v, i) => need(typeof v === 'string', `settings.${k}[${i}]`, 'a string', v as string));
  const settings = {
    backends: strings('backends'),
    mitigations: strings('mitigations'),
    shots: nonNeg(s, 'shots', 'settings'),
    samples: nonNeg(s, 'samples', 'settings'),
    seed: num(s, 'seed', 'settings'),
  };
  const pairs = arr(o, 'pairs', 'report').map((v, i): PairResult => {
    const w = `pairs[${i}]`;
    const p = rec(v, w);
    const accuracy = numOrNull(p, 'accuracy', w);
    need(accuracy === null || (accuracy >= 0 && accuracy <= 1), `${w}.accuracy`, 'in [0, 1] or null', 0);
    const tvd = numOrNull(p, 'tvd', w);
    need(tvd === null || (tvd >= 0 && tvd <= 1), `${w}.tvd`, 'in [0, 1] or null', 0);
    return {
      backend: str(p, 'backend', w),
      mitigation: str(p, 'mitigation', w),
      accuracy,
      meanAbsDeviation: nonNeg(p, 'meanAbsDeviation', w),
      maxAbsDeviation: nonNeg(p, 'maxAbsDeviation', w),
      tvd,
      shots: nonNeg(p, 'shots', w),
      jobs: nonNeg(p, 'jobs', w),
      estimatedCostUsd: numOrNull(p, 'estimatedCostUsd', w),
      queueSeconds: numOrNull(p, 'queueSeconds', w),
      seconds: nonNeg(p, 'seconds', w),
    };
  });
  const skipped = arr(o, 'skipped', 'report').map((v, i): SkippedPair => {
    const p = rec(v, `skipped[${i}]`);
    return {
      backend: str(p, 'backend', `skipped[${i}]`),
      mitigation: str(p, 'mitigation', `skipped[${i}]`),
      reason: str(p, 'reason', `skipped[${i}]`),
    };
  });
  const points = arr(o, 'points', 'report').map((v, i): ExpectationPoint => {
    const w = `points[${i}]`;
    const p = rec(v, w);
    const stdError = optNum(p, 'stdError', w);
    return {
      backend: str(p, 'backend', w),
      mitigation: str(p, 'mitigation', w),
      sample: nonNeg(p, 'sample', w),
      observable: nonNeg(p, 'observable', w),
      ideal: num(p, 'ideal', w),
      measured: num(p, 'measured', w),
      ...(stdError === undefined ? {} : { stdError }),
    };
  });
  const devices = arr(o, 'devices', 'report').map((v, i): DeviceMap => {
    const w = `devices[${i}]`;
    const d = rec(v, w);
    const numQubits = nonNeg(d, 'numQubits', w);
    const qubit = (x: unknown, where: string): number =>
      need(Number.isInteger(x) && (x as number) >= 0 && (x as number) < numQubits, where, `a qubit index below ${numQubits}`, x as number);
    return {
      backend: str(d, 'backend', w),
      target: str(d, 'target', w),
      numQubits,
      nodes: arr(d, 'nodes', w).map((nv, k) => {
        const n = rec(nv, `${w}.nodes[${k}]`);
        const readoutError = optNum(n, 'readoutError', `${w}.nodes[${k}]`);
        return {
          qubit: qubit(n.qubit, `${w}.nodes[${k}].qubit`),
          x: num(n, 'x', `${w}.nodes[${k}]`),
          y: num(n, 'y', `${w}.nodes[${k}]`),
          ...(readoutError === undefined ? {} : { readoutError }),
        };
      }),
      edges: arr(d, 'edges', w).map((ev, k) => {
        const e = rec(ev, `${w}.edges[${k}]`);
        return {
          a: qubit(e.a, `${w}.edges[${k}].a`),
          b: qubit(e.b, `${w}.edges[${k}].b`),
          error: numOrNull(e, 'error', `${w}.edges[${k}]`),
        };
      }),
      layout: arr(d, 'layout', w).map((q, k) => qubit(q, `${w}.layout[${k}]`)),
      ...(d.source === undefined ? {} : { source: str(d, 'source', w) }),
    };
  });
  const training =
    o.training === undefined
      ? undefined
      : arr(o, 'training', 'report').map((v, i): EpochRecord => {
          const w = `training[${i}]`;
          const e = rec(v, w);
          const out: { -readonly [K in keyof EpochRecord]: EpochRecord[K] } = { epoch: num(e, 'epoch', w), loss: num(e, 'loss', w) };
          for (const k of ['accuracy', 'valLoss', 'valAccuracy'] as const) {
            const x = optNum(e, k, w);
            if (x !== undefined) out[k] = x;
          }
          return out;
        });
  return {
    schema: COMPARE_REPORT_SCHEMA,
    createdAt: str(o, 'createdAt', 'report'),
    source,
    settings,
    pairs,
    skipped,
    points,
    devices,
    ...(training === undefined ? {} : { training }),
  };
}
