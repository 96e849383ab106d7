import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CircuitBuilder, type Backend, type Circuit, type RunRequest, type RunResult } from '../../../src/index.js';
import type { EmulatedJobs } from '../../../backends/common/emulatedJobs.js';
import type { EmulatorServer } from '../../../backends/common/emulatorServer.js';
import { HttpClient, type HttpStats } from '../../../backends/common/http.js';

/**
 * The provider emulators as the reliability tests see them: one "rig" per provider whose emulator
 * module exists in the tree (IonQ always; IBM and Braket once their `start<Vendor>Emulator` land),
 * with the fake credentials and the device each test runs on. Adapters are configured only through
 * their environment variables (the emulator's `env` plus the credentials), as a user would.
 */
export type RigProvider = 'ionq' | 'ibm' | 'braket';

export interface RigEmulator {
  readonly url: string;
  readonly env: Readonly<Record<string, string>>;
  readonly server: EmulatorServer;
  /** The emulator's jobs (IonQ's and IBM's expose their EmulatedJobs). */
  readonly jobs?: EmulatedJobs<unknown>;
  /** Distinct tasks created (Braket's emulator, which does not expose its jobs). */
  readonly tasks?: () => number;
  close(): Promise<void>;
}

/** Jobs the emulator created (not submissions: an idempotent replay creates none). */
export function jobsCreated(emu: RigEmulator): number {
  if (emu.jobs) return emu.jobs.all().length;
  if (emu.tasks) return emu.tasks();
  throw new Error('the emulator exposes neither jobs nor tasks()');
}

export interface Rig {
  readonly provider: RigProvider;
  /** What follows `provider:` in `--backend`. */
  readonly device: string;
  /** `--backend` spec, e.g. `ionq:simulator`. */
  readonly spec: string;
  /** Fake credentials: environment variable -> value (long and unique so a leak is unmistakable). */
  readonly credentials: Readonly<Record<string, string>>;
  /** Whether the device is noiseless (counts exact up to shot noise). */
  readonly ideal: boolean;
  /** Starts the emulator; vendor-specific options (IonQ `apiKeys`, IBM `apiKey`) pass through. */
  start(options?: { faults?: string; pollsPerStep?: number; noiseFrom?: string; [vendor: string]: unknown }): Promise<RigEmulator>;
  /** The adapter, configured from `env` (emulator URLs + credentials) with test-sized retry timing. */
  backend(env: Readonly<Record<string, string>>, options?: AdapterTiming): Promise<Backend>;
}

export interface AdapterTiming {
  /** Per-request timeout of the HTTP client. */
  readonly timeoutMs?: number;
  /** First backoff delay (the adapters pass it to HttpClient; maxDelay = 8x). */
  readonly minDelayMs?: number;
  readonly retries?: number;
  readonly trace?: (line: string) => void;
}

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A vendor module, or undefined while it is not in the tree yet (IBM and Braket land separately). */
async function vendor(provider: RigProvider): Promise<Record<string, unknown> | undefined> {
  if (!existsSync(`${ROOT}backends/${provider}/index.ts`)) return undefined;
  const path = `../../../backends/${provider}/index.js`;
  return (await import(path)) as Record<string, unknown>;
}

type Fn = (...args: unknown[]) => Promise<unknown>;

function rig(
  provider: RigProvider,
  mod: Record<string, unknown>,
  device: string,
  credentials: Record<string, string>,
  ideal: boolean,
): Rig | undefined {
  const cap = { ionq: 'Ionq', ibm: 'Ibm', braket: 'Braket' }[provider];
  const start = mod[`start${cap}Emulator`];
  const factory = mod[`${provider}BackendFor`];
  if (typeof start !== 'function' || typeof factory !== 'function') return undefined;
  return {
    provider,
    device,
    spec: `${provider}:${device}`,
    credentials,
    ideal,
    start: async (o = {}) => (await (start as Fn)(o)) as RigEmulator,
    backend: async (env, t = {}) => {
      const timing = {
        ...(t.timeoutMs !== undefined ? { timeoutMs: t.timeoutMs } : {}),
        minDelayMs: t.minDelayMs ?? 2,
        retries: t.retries ?? 6,
      };
      const trace = t.trace ? { trace: t.trace } : {};
      if (provider === 'braket') {
        // The Braket client reads its endpoints and AWS credentials from process.env only (no `env` option).
        Object.assign(process.env, env);
        return (await (factory as Fn)(device, { clientOptions: timing, ...trace })) as Backend;
      }
      return (await (factory as Fn)(device, { env: { ...env }, ...timing, ...trace })) as Backend;
    },
  };
}

/** Fake credentials: unique, long, with characters that URL-encode (a leak of either form is caught). */
export const FAKE = {
  ionq: 'ionq-FAKE-key+9f3c/a17e=QZ',
  ibm: 'ibm-FAKE-apikey+4b1d/77aa=XY',
  ibmCrn: 'crn:v1:bluemix:public:quantum-computing:us-east:a/fake0acct:fake0inst::',
  awsKeyId: 'AKIAFAKE7Q3K9ZLM2WXY',
  awsSecret: 'fakeSecret+Kq8/Zr5tLw2Ux9Hv3Nb7Mc4Pd6Ye1=',
  awsSession: 'FwoGZXIvYXdzFAKEsession+token/Zz9==',
  rigetti: 'rigetti-FAKE-refresh+token/5566=',
} as const;

/** Every rig available in the tree right now. */
export async function availableRigs(): Promise<Rig[]> {
  const out: Rig[] = [];
  const ionq = await vendor('ionq');
  const r1 = ionq && rig('ionq', ionq, 'simulator', { QBRIDGE_IONQ_API_KEY: FAKE.ionq }, true);
  if (r1) out.push(r1);
  const ibm = await vendor('ibm');
  const r2 = ibm && rig('ibm', ibm, 'ibm_heron', { QBRIDGE_IBM_API_KEY: FAKE.ibm, QBRIDGE_IBM_CRN: FAKE.ibmCrn }, false);
  if (r2) out.push(r2);
  const braket = await vendor('braket');
  const r3 =
    braket &&
    rig(
      'braket',
      braket,
      'arn:aws:braket:::device/quantum-simulator/amazon/sv1',
      {
        AWS_ACCESS_KEY_ID: FAKE.awsKeyId,
        AWS_SECRET_ACCESS_KEY: FAKE.awsSecret,
        AWS_SESSION_TOKEN: FAKE.awsSession,
        AWS_REGION: 'us-east-1',
      },
      true,
    );
  if (r3) out.push(r3);
  return out;
}

/** The environment an adapter (or a child `qbridge`) needs for an emulator: its URLs and the fake credentials. */
export function rigEnv(rig: Rig, emu: RigEmulator): Record<string, string> {
  const env: Record<string, string> = { ...emu.env };
  // The emulators' own placeholder credentials are replaced by the rig's fake secrets.
  for (const k of Object.keys(env)) if (/KEY|SECRET|TOKEN|CRN/.test(k)) delete env[k];
  return { ...env, ...rig.credentials };
}

/** Every HttpClient reachable from a backend (a few levels of own properties): their retry counters. */
export function httpStats(backend: Backend): HttpStats {
  const total: HttpStats = { requests: 0, retries: 0, rateLimited: 0 };
  const seen = new Set<unknown>();
  const walk = (v: unknown, depth: number): void => {
    if (v === null || typeof v !== 'object' || seen.has(v) || depth > 3) return;
    seen.add(v);
    if (v instanceof HttpClient) {
      total.requests += v.stats.requests;
      total.retries += v.stats.retries;
      total.rateLimited += v.stats.rateLimited;
      return;
    }
    if (v instanceof Map) for (const x of v.values()) walk(x, depth + 1);
    else for (const k of Object.keys(v)) walk((v as Record<string, unknown>)[k], depth + 1);
  };
  walk(backend, 0);
  return total;
}

/**
 * The asymmetric test state: qubit 0 flipped (bit 0 always 1), qubit 1 idle (bit 1 always 0), qubit 2
 * rotated by ry(t) so bit 2 is 1 with probability sin²(t/2). A reversed bit order or a swapped binding
 * shows at once.
 */
export function asymmetricCircuit(): Circuit {
  return new CircuitBuilder(3).x(0).ry('t', 2).measureAll().build();
}

/** Two bindings: P(bit 2 = 1) = 0.75, then 0.25. */
export const BINDINGS = [{ t: (2 * Math.PI) / 3 }, { t: Math.PI / 3 }] as const;
export const P_BIT2 = [0.75, 0.25] as const;

/** The same state as an OpenQASM 3 file for `qbridge run` (one binding: P(bit 2 = 1) = 0.75). */
export const ASYMMETRIC_QASM = `OPENQASM 3.0;
include "stdgates.inc";
qubit[3] q;
bit[3] c;
x q[0];
ry(${(2 * Math.PI) / 3}) q[2];
c = measure q;
`;

export function asymmetricRequest(shots: number, tag: string): RunRequest {
  return { runs: [{ circuit: asymmetricCircuit(), bindings: BINDINGS.map((b) => ({ ...b })) }], shots, seed: 11, tags: { test: tag } };
}

/**
 * Checks a result of `asymmetricRequest`: shape, shot totals, bit 0 = 1 and bit 1 = 0 (up to the
 * noise allowance), and bit 2's frequency within 5 standard deviations of the binomial plus the noise
 * allowance. Returns a list of problems (empty when correct).
 */
export function checkAsymmetric(result: RunResult, shots: number, ideal: boolean, pBit2: readonly number[] = P_BIT2): string[] {
  const problems: string[] = [];
  const rows = result.results;
  if (rows.length !== 1 || rows[0]!.length !== pBit2.length)
    return [`expected 1 circuit x ${pBit2.length} bindings, got ${rows.map((r) => r.length).join(',')}`];
  const noise = ideal ? 0 : 0.08 * shots;
  rows[0]!.forEach((b, i) => {
    const counts = b.counts ?? {};
    const total = Object.values(counts).reduce((a, c) => a + c, 0);
    if (total !== shots) problems.push(`binding ${i}: ${total} shots counted, ${shots} expected`);
    for (const k of Object.keys(counts)) if (!/^[01]{3}$/.test(k)) problems.push(`binding ${i}: key '${k}' is not 3 bits`);
    const bit = (k: string, j: number): boolean => k[k.length - 1 - j] === '1';
    const sum = (f: (k: string) => boolean): number => Object.entries(counts).reduce((a, [k, c]) => a + (f(k) ? c : 0), 0);
    const wrong0 = sum((k) => !bit(k, 0));
    const wrong1 = sum((k) => bit(k, 1));
    if (wrong0 > noise) problems.push(`binding ${i}: bit 0 read 0 in ${wrong0} shots (bit order reversed?)`);
    if (wrong1 > noise) problems.push(`binding ${i}: bit 1 read 1 in ${wrong1} shots`);
    const p = pBit2[i]!;
    const ones = sum((k) => bit(k, 2));
    const tol = 5 * Math.sqrt(shots * p * (1 - p)) + noise;
    if (Math.abs(ones - p * shots) > tol)
      problems.push(`binding ${i}: bit 2 was 1 in ${ones} of ${shots} shots, expected ${p * shots} ± ${tol.toFixed(0)}`);
  });
  return problems;
}
