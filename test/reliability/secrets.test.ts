import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobJournal } from '../../src/index.js';
import { ROOT, runCliChild, spawnCli, waitFor } from './helpers/child.js';
import { startEchoProxy, type EchoProxy } from './helpers/echoProxy.js';
import { ASYMMETRIC_QASM, FAKE, availableRigs, rigEnv, type Rig, type RigEmulator } from './helpers/providers.js';

/**
 * The secret scan. Every child `qbridge` process gets the same known fake credentials for every
 * provider (IonQ, IBM, AWS, Rigetti) in its environment, then runs commands that log, trace HTTP
 * (`--verbose`), journal, show jobs, and fail: against a proxy that refuses the request with
 * an error body quoting its headers and body back (the provider that echoes your key). Everything
 * they print and every file they leave in the journal directory is scanned for each secret and its
 * URL-encoded form: none may appear.
 */

const SECRETS: Readonly<Record<string, string>> = {
  QBRIDGE_IONQ_API_KEY: FAKE.ionq,
  QBRIDGE_IBM_API_KEY: FAKE.ibm,
  AWS_ACCESS_KEY_ID: FAKE.awsKeyId,
  AWS_SECRET_ACCESS_KEY: FAKE.awsSecret,
  AWS_SESSION_TOKEN: FAKE.awsSession,
  QBRIDGE_RIGETTI_REFRESH_TOKEN: FAKE.rigetti,
};
const NEEDLES = Object.entries(SECRETS).flatMap(([name, v]) => [
  { name, form: 'raw', value: v },
  { name, form: 'URL-encoded', value: encodeURIComponent(v) },
  // Form bodies (IAM's apikey=...) encode spaces as '+' but keep the rest like encodeURIComponent.
  { name, form: 'form-encoded', value: new URLSearchParams({ v }).toString().slice(2) },
]);

/** Every secret occurrence in `text`, as "NAME (form) in WHERE". */
function leaks(text: string, where: string): string[] {
  return NEEDLES.filter((n) => text.includes(n.value)).map((n) => `${n.name} (${n.form}) in ${where}`);
}

function journalText(home: string): { files: number; text: string } {
  const dir = join(home, 'jobs');
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return { files: 0, text: '' };
  }
  return { files: names.length, text: names.map((f) => readFileSync(join(dir, f), 'utf8')).join('\n') };
}

const RIGS = await availableRigs();
const homes: string[] = [];
afterAll(() => {
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

/** Which request a hostile provider echoes back, and with what status (a credential refusal). */
const ECHO: Record<string, { match: (method: string, path: string) => boolean; status: number }> = {
  ionq: { match: (m, p) => m === 'POST' && p.endsWith('/jobs'), status: 401 },
  ibm: { match: (m, p) => m === 'POST' && p.endsWith('/identity/token'), status: 400 },
  braket: { match: (m, p) => m === 'POST' && p.endsWith('/quantum-task'), status: 403 },
};

interface Scan {
  readonly label: string;
  readonly code: number | null;
  readonly output: string;
  readonly journalFiles: number;
  readonly leaks: string[];
}

describe.concurrent.each(RIGS.map((r) => [r.provider, r] as const))('secrets never leak: %s', (_p, rig: Rig) => {
  let emu: RigEmulator;
  let proxy: EchoProxy;
  const scans: Scan[] = [];

  beforeAll(async () => {
    emu = await rig.start({ pollsPerStep: 1 });
    const e = ECHO[rig.provider]!;
    proxy = await startEchoProxy(emu.url, e.match, e.status);
  });
  afterAll(async () => {
    await proxy?.close();
    await emu?.close();
    for (const s of scans)
      console.log(
        `secrets [${rig.provider}] ${s.label}: exit ${s.code}, ${s.output.length} chars of output, ${s.journalFiles} journal file(s), leaks ${s.leaks.length}`,
      );
  });

  /** Runs one CLI command in a fresh process with every fake secret set, and scans what it left. */
  const scan = async (label: string, home: string, args: string[], env: Record<string, string>): Promise<Scan> => {
    const r = await runCliChild(args, { ...env, ...SECRETS, QBRIDGE_HOME: home }, 90_000);
    const j = journalText(home);
    const output = `${r.stdout}\n${r.stderr}`;
    const s: Scan = {
      label,
      code: r.code,
      output,
      journalFiles: j.files,
      leaks: [...leaks(r.stdout, `${label} stdout`), ...leaks(r.stderr, `${label} stderr`), ...leaks(j.text, `${label} journal`)],
    };
    scans.push(s);
    return s;
  };

  const newHome = (): { home: string; file: string } => {
    const home = mkdtempSync(join(tmpdir(), `qbridge-secrets-${rig.provider}-`));
    homes.push(home);
    const file = join(home, 'asymmetric.qasm');
    writeFileSync(file, ASYMMETRIC_QASM);
    return { home, file };
  };

  it('a verbose run (HTTP trace), its journal, and `jobs show --json`', async () => {
    const { home, file } = newHome();
    const env = rigEnv(rig, emu);
    const run = await scan('run --verbose', home, ['run', file, '--backend', rig.spec, '--shots', '100', '--verbose'], env);
    expect(run.code, run.output).toBe(0);
    // The trace really ran (one line per HTTP exchange), and the job was journaled.
    expect(run.output).toMatch(/\bPOST http:\/\/127\.0\.0\.1:\d+\S* -> 20\d/);
    expect(run.journalFiles).toBe(1);
    const key = new JobJournal(join(home, 'jobs')).list()[0]!.key;
    const show = await scan('jobs show --json', home, ['jobs', 'show', key.slice(0, 12), '--json'], env);
    expect(show.code).toBe(0);
    expect(show.output).toContain('"state":"done"');
    expect([...run.leaks, ...show.leaks]).toEqual([]);
  });

  it('a provider that refuses the credential and echoes the request back: a clear error, no secret', async () => {
    const { home, file } = newHome();
    const env = Object.fromEntries(Object.entries(rigEnv(rig, emu)).map(([k, v]) => [k, proxy.rewrite(v)]));
    const before = proxy.echoed();
    const s = await scan('run against an echoing provider', home, ['run', file, '--backend', rig.spec, '--shots', '100', '--verbose'], env);
    expect(proxy.echoed()).toBeGreaterThan(before);
    expect(s.code).toBe(1);
    // The failure is explained, not a stack trace.
    expect(s.output).toMatch(/qbridge: .*(refused|rejected|invalid|failed)/i);
    // Where the adapter quotes the provider's text, the echoed credential in it is redacted (IBM's IAM
    // refusal is reported without the body, which is also safe).
    if (s.output.includes('invalid credentials in request')) expect(s.output).toContain('[REDACTED]');
    expect(s.leaks).toEqual([]);
  });
});

describe('qbridge emulate', () => {
  it('prints its URL and variables, never the credentials of the environment it runs in', async () => {
    const home = mkdtempSync(join(tmpdir(), 'qbridge-secrets-emulate-'));
    homes.push(home);
    const child = spawnCli(['emulate', '--provider', RIGS.some((r) => r.provider === 'ibm') ? 'ibm' : 'ionq'], {
      ...SECRETS,
      QBRIDGE_HOME: home,
    });
    const ready = await waitFor(() => (/^export /m.test(child.stdout) && /listening/.test(child.stderr) ? true : undefined), 60_000);
    await child.kill();
    expect(ready, child.stderr).toBe(true);
    expect(child.stdout.split('\n')[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
    expect([...leaks(child.stdout, 'emulate stdout'), ...leaks(child.stderr, 'emulate stderr')]).toEqual([]);
  });
});

describe('secret files', () => {
  it('.env is ignored by git; .env.example lists names only', () => {
    const ignore = readFileSync(join(ROOT, '.gitignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim());
    expect(ignore).toContain('.env');
    const example = readFileSync(join(ROOT, '.env.example'), 'utf8').split('\n');
    const vars = example.filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
    expect(vars.length).toBeGreaterThan(0);
    for (const l of vars) expect(l, `.env.example line "${l}" must be NAME= with no value`).toMatch(/^[A-Z][A-Z0-9_]*=$/);
    // Every credential variable the adapters read is listed.
    for (const name of Object.keys(SECRETS)) expect(vars).toContain(`${name}=`);
  });
});
