import { QError } from '../../src/index.js';

/**
 * Fault injection for the provider emulators, from a compact spec string (`--faults`):
 *
 *   KIND[=ARG][xCOUNT][@ROUTE], ...
 *
 * KIND: 429 (ARG = Retry-After seconds, default 1), 500, 502, 503, reset (the request is processed,
 * then the connection drops before the response: the ambiguous case), slow (ARG = delay ms, default
 * 5000), malformed (200 with truncated JSON), fail (the next job ends failed), cancel (the next job
 * ends cancelled), missing-register (the next job's result lacks a classical register/measurement
 * data), expire-token (the next authenticated request is refused 401 as if the token had expired).
 * COUNT: how many times (default 1). ROUTE: auth, submit, status, result, cancel, device or * (default).
 *
 * Example: `429=2x3@submit,503x2@status,reset@submit,fail`.
 */
export type FaultKind =
  '429' | '500' | '502' | '503' | 'reset' | 'slow' | 'malformed' | 'fail' | 'cancel' | 'missing-register' | 'expire-token';
export type RouteName = 'auth' | 'submit' | 'status' | 'result' | 'cancel' | 'device' | 'other';

export interface Fault {
  readonly kind: FaultKind;
  remaining: number;
  readonly arg?: number;
  readonly route: RouteName | '*';
}

const KINDS: readonly FaultKind[] = [
  '429',
  '500',
  '502',
  '503',
  'reset',
  'slow',
  'malformed',
  'fail',
  'cancel',
  'missing-register',
  'expire-token',
];
const ROUTES: readonly (RouteName | '*')[] = ['auth', 'submit', 'status', 'result', 'cancel', 'device', 'other', '*'];
/** Faults that change a job's outcome rather than one HTTP exchange. */
export const JOB_FAULTS: readonly FaultKind[] = ['fail', 'cancel', 'missing-register'];

export function parseFaults(spec: string | undefined): Fault[] {
  if (spec === undefined || spec.trim() === '') return [];
  return spec.split(',').map((raw, i) => {
    const item = raw.trim();
    const m = /^(\d+|[a-z-]+)(?:=(\d+(?:\.\d+)?))?(?:x(\d+))?(?:@([a-z*]+))?$/.exec(item);
    if (!m) throw new QError('VALIDATION', `--faults item ${i + 1} "${item}" is not KIND[=ARG][xCOUNT][@ROUTE]`);
    const kind = m[1] as FaultKind;
    if (!KINDS.includes(kind))
      throw new QError('VALIDATION', `--faults item ${i + 1}: unknown fault "${m[1]}" (one of ${KINDS.join(', ')})`);
    const route = (m[4] ?? '*') as RouteName | '*';
    if (!ROUTES.includes(route))
      throw new QError('VALIDATION', `--faults item ${i + 1}: unknown route "${m[4]}" (one of ${ROUTES.join(', ')})`);
    const count = m[3] === undefined ? 1 : Number(m[3]);
    return { kind, remaining: count, route, ...(m[2] !== undefined ? { arg: Number(m[2]) } : {}) };
  });
}

/** A queue of faults consumed in order, first match wins. */
export class FaultPlan {
  injected = 0;
  readonly log: { kind: FaultKind; route: string; at: number }[] = [];

  constructor(readonly faults: Fault[] = []) {}

  static from(spec: string | Fault[] | undefined): FaultPlan {
    return new FaultPlan(Array.isArray(spec) ? spec : parseFaults(spec));
  }

  add(spec: string): void {
    this.faults.push(...parseFaults(spec));
  }

  /** Takes the next HTTP-level fault for `route`, if any. */
  takeHttp(route: RouteName): Fault | undefined {
    return this.take((f) => !JOB_FAULTS.includes(f.kind) && (f.route === '*' || f.route === route), route);
  }

  /** Takes a job-outcome fault of one of `kinds`. */
  takeJob(kinds: readonly FaultKind[] = JOB_FAULTS): Fault | undefined {
    return this.take((f) => kinds.includes(f.kind), 'job');
  }

  private take(match: (f: Fault) => boolean, route: string): Fault | undefined {
    const f = this.faults.find((x) => x.remaining > 0 && match(x));
    if (!f) return undefined;
    f.remaining--;
    this.injected++;
    this.log.push({ kind: f.kind, route, at: Date.now() });
    return f;
  }

  pending(): number {
    return this.faults.reduce((a, f) => a + f.remaining, 0);
  }
}
