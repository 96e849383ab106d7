import { describe, expect, it } from 'vitest';
import { QError, advance, isTerminal, pollUntil } from '../../src/index.js';

describe('job state machine', () => {
  it('moves forward, tolerates skipped and repeated reports, never leaves a terminal state', () => {
    expect(advance('created', 'submitted')).toBe('submitted');
    expect(advance('submitted', 'running')).toBe('running'); // queued skipped
    expect(advance('running', 'running')).toBe('running');
    expect(advance('queued', 'done')).toBe('done');
    expect(() => advance('done', 'running', 'j1')).toThrow(/j1: invalid status change done -> running/);
    expect(() => advance('cancelled', 'done')).toThrow(QError);
    expect(() => advance('running', 'queued')).toThrow(/running -> queued/);
    expect(['done', 'failed', 'cancelled'].every((s) => isTerminal(s as 'done'))).toBe(true);
    expect(isTerminal('running')).toBe(false);
  });

  it('polls with a deadline and honours an abort signal', async () => {
    let calls = 0;
    expect(await pollUntil(async () => (++calls >= 3 ? 'ok' : undefined), 'x', { pollMs: 1 })).toBe('ok');
    await expect(pollUntil(async () => undefined, 'slow job', { pollMs: 5, timeoutMs: 20 })).rejects.toMatchObject({ code: 'TIMEOUT' });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 10);
    await expect(pollUntil(async () => undefined, 'y', { pollMs: 5, signal: ac.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
