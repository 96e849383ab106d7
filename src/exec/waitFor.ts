import { QError } from '../errors.js';

/** Sleeps `ms`, rejecting with a CANCELLED error as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new QError('CANCELLED', 'aborted'));
      return;
    }
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new QError('CANCELLED', 'aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Polls `check` until it returns a value, with a deadline and an abort signal; the delay grows
 * from `pollMs` by 1.5x up to 10x (providers ask clients not to hammer status endpoints).
 */
export async function pollUntil<T>(
  check: () => Promise<T | undefined>,
  what: string,
  options: { signal?: AbortSignal; timeoutMs?: number; pollMs?: number } = {},
): Promise<T> {
  const start = Date.now();
  const base = options.pollMs ?? 1000;
  let delay = base;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (options.timeoutMs !== undefined && Date.now() - start + delay > options.timeoutMs) {
      throw new QError('TIMEOUT', `${what}: not finished after ${options.timeoutMs} ms`, {
        retriable: true,
        details: { timeoutMs: options.timeoutMs },
      });
    }
    await sleep(delay, options.signal);
    delay = Math.min(delay * 1.5, base * 10);
  }
}
