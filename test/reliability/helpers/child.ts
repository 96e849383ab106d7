import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * A `qbridge` child process run from source (node --import tsx helpers/cli.ts ...), with its output
 * collected, so the reliability tests can SIGKILL a real CLI at any instant and scan everything it
 * printed.
 */
export interface CliChild {
  readonly proc: ChildProcess;
  stdout: string;
  stderr: string;
  /** Resolves when the process has exited: its code, or the signal that ended it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const LAUNCHER = fileURLToPath(new URL('./cli.ts', import.meta.url));

/** Variables a child must not inherit from the test process (real credentials, other endpoints). */
const SCRUB = /^(QBRIDGE_|AWS_|IBM|IONQ|BRAKET)/;

/** The child's environment: the parent's minus credentials and endpoints, plus `env`. */
export function childEnv(env: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!SCRUB.test(k) && v !== undefined) out[k] = v;
  // No colour codes or TTY-only progress in captured output.
  return { ...out, NO_COLOR: '1', FORCE_COLOR: '0', ...env };
}

export function spawnCli(args: readonly string[], env: Readonly<Record<string, string>>, cwd: string = ROOT): CliChild {
  const proc = spawn(process.execPath, ['--import', 'tsx', LAUNCHER, ...args], {
    cwd,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const child: CliChild = {
    proc,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => proc.once('close', (code, signal) => resolve({ code, signal }))),
    kill: () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      return child.exited;
    },
  };
  proc.stdout?.setEncoding('utf8').on('data', (d: string) => (child.stdout += d));
  proc.stderr?.setEncoding('utf8').on('data', (d: string) => (child.stderr += d));
  return child;
}

/** Runs a CLI command to its end (with a deadline) and returns its exit code and output. */
export async function runCliChild(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  timeoutMs = 60_000,
  cwd: string = ROOT,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const c = spawnCli(args, env, cwd);
  const timer = setTimeout(() => void c.kill(), timeoutMs);
  const r = await c.exited; // 'close': the pipes have drained
  clearTimeout(timer);
  return { ...r, stdout: c.stdout, stderr: c.stderr };
}

/** Polls `check` every `everyMs` until it returns a value or the deadline passes (then undefined). */
export async function waitFor<T>(check: () => T | undefined, timeoutMs: number, everyMs = 20): Promise<T | undefined> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > end) return undefined;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
