import { createRng, isQError, type Rng } from '../../src/index.js';

/**
 * A small seeded mutation fuzzer. Each target gets valid seed inputs; every case is a seed mutated
 * by one to four textual or structural edits. A target passes when every input is either accepted
 * or refused with a QError (a typed error a user can read), never any other exception, and no input
 * takes longer than `maxMs`. Used by test/reliability/fuzz.test.ts (5,000 cases per target in CI) and
 * by `npm run bench -- fuzz` (100,000+).
 */
export interface FuzzTarget {
  readonly name: string;
  readonly seeds: readonly string[];
  /** Structured seeds are mutated as JSON values too (types swapped, keys dropped, arrays blown up). */
  readonly json?: boolean;
  readonly dictionary?: readonly string[];
  /** Share of the per-target case count this target gets (default 1; big documents get less). */
  readonly weight?: number;
  run(input: string): unknown;
}

export interface FuzzReport {
  readonly target: string;
  readonly cases: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly crashes: readonly { input: string; error: string }[];
  readonly slow: readonly { input: string; ms: number }[];
  readonly maxMs: number;
  readonly seconds: number;
}

const WEIRD = [
  '',
  '0',
  '-0',
  '1e308',
  '-1e308',
  'NaN',
  'Infinity',
  '4294967296',
  '9007199254740993',
  '-1',
  '0.5',
  '"',
  '\\',
  '\u0000',
  '\u202e',
  '𝜃',
  '\n',
  ';',
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  ',',
];

function pick<T>(rng: Rng, a: readonly T[]): T {
  return a[Math.floor(rng.next() * a.length)]!;
}

function randInt(rng: Rng, n: number): number {
  return Math.floor(rng.next() * n);
}

/** One textual edit. */
function mutateText(rng: Rng, s: string, seeds: readonly string[], dict: readonly string[]): string {
  const i = randInt(rng, s.length + 1);
  const j = Math.min(s.length, i + 1 + randInt(rng, 16));
  switch (randInt(rng, 10)) {
    case 0:
      return s.slice(0, i) + s.slice(j); // delete a range
    case 1:
      return s.slice(0, j) + s.slice(i, j) + s.slice(j); // duplicate a range
    case 2:
      return s.slice(0, i) + pick(rng, dict.length ? dict : WEIRD) + s.slice(i); // insert a token
    case 3:
      return s.slice(0, i) + pick(rng, WEIRD) + s.slice(i);
    case 4:
      return s.slice(0, i) + String.fromCharCode(randInt(rng, 0x3000)) + s.slice(i + 1); // replace a char
    case 5:
      return s.slice(0, i); // truncate
    case 6: {
      const o = pick(rng, seeds);
      const k = randInt(rng, o.length + 1);
      return s.slice(0, i) + o.slice(k); // splice with another seed
    }
    case 7:
      return s.slice(0, i) + '('.repeat(1 + randInt(rng, 3000)) + s.slice(i); // deep nesting
    case 8:
      return s.replace(/\d+/, () => pick(rng, ['0', '-1', '99999999', '1e400', '3.5', '0x10', '1_0']));
    default:
      return s.slice(0, i) + s.slice(i, j).split('').reverse().join('') + s.slice(j);
  }
}

/** One structural edit of a JSON value. */
function mutateValue(rng: Rng, v: unknown, depth = 0): unknown {
  const r = rng.next();
  if (depth > 0 && r < 0.15) return pick(rng, [null, 0, -1, 1e308, '', 'x', true, [], {}, NaN, [1, 2, 3]]);
  if (Array.isArray(v)) {
    if (v.length === 0 || r < 0.2)
      return rng.next() < 0.5 ? [] : Array.from({ length: 1 + randInt(rng, 5) }, () => (v.length ? pick(rng, v) : 0));
    const a = v.slice();
    const k = randInt(rng, a.length);
    if (r < 0.35) a.splice(k, 1);
    else if (r < 0.45)
      a.push(...Array.from({ length: 500 }, () => a[k])); // blow up
    else a[k] = mutateValue(rng, a[k], depth + 1);
    return a;
  }
  if (v !== null && typeof v === 'object') {
    const o = { ...(v as Record<string, unknown>) };
    const keys = Object.keys(o);
    if (keys.length === 0) return { x: 1 };
    const k = pick(rng, keys);
    if (r < 0.3) delete o[k];
    else if (r < 0.4) o[`${k}_extra`] = o[k];
    else o[k] = mutateValue(rng, o[k], depth + 1);
    return o;
  }
  if (typeof v === 'number') return pick(rng, [0, -v, v * 1e9, v + 0.5, -1, 2 ** 31, NaN, Infinity, String(v)]);
  if (typeof v === 'string') return pick(rng, ['', v + v, v.slice(1), 'unknown', '1', ' ', v.toUpperCase()]);
  if (typeof v === 'boolean') return !v;
  return pick(rng, [0, '', {}, []]);
}

/** One fuzz case from the seeds. */
export function makeCase(rng: Rng, t: FuzzTarget): string {
  const seed = pick(rng, t.seeds);
  if (t.json && rng.next() < 0.6) {
    let v: unknown = JSON.parse(seed);
    const edits = 1 + randInt(rng, 3);
    for (let e = 0; e < edits; e++) v = mutateValue(rng, v);
    return JSON.stringify(v) ?? 'null';
  }
  let s = seed;
  const edits = 1 + randInt(rng, 4);
  for (let e = 0; e < edits; e++) s = mutateText(rng, s, t.seeds, t.dictionary ?? []);
  return s;
}

export function fuzz(t: FuzzTarget, options: { cases: number; seed?: number; maxMs?: number }): FuzzReport {
  const rng = createRng(options.seed ?? 1);
  const limit = options.maxMs ?? 1000;
  let accepted = 0;
  let rejected = 0;
  let maxMs = 0;
  const crashes: { input: string; error: string }[] = [];
  const slow: { input: string; ms: number }[] = [];
  const t0 = performance.now();
  for (let c = 0; c < options.cases; c++) {
    const input = makeCase(rng, t);
    const s = performance.now();
    try {
      t.run(input);
      accepted++;
    } catch (e) {
      if (isQError(e)) rejected++;
      else if (crashes.length < 20) crashes.push({ input: input.slice(0, 300), error: `${(e as Error)?.name}: ${(e as Error)?.message}` });
    }
    const ms = performance.now() - s;
    if (ms > maxMs) maxMs = ms;
    if (ms > limit && slow.length < 20) slow.push({ input: input.slice(0, 300), ms });
  }
  return { target: t.name, cases: options.cases, accepted, rejected, crashes, slow, maxMs, seconds: (performance.now() - t0) / 1000 };
}
