import { QError } from '../errors.js';
import type { JobStatus } from './backend.js';

/** States a job never leaves. */
export const TERMINAL_STATES: ReadonlySet<JobStatus> = new Set(['done', 'failed', 'cancelled']);

const NEXT: Readonly<Record<JobStatus, readonly JobStatus[]>> = {
  created: ['submitted', 'failed', 'cancelled'],
  submitted: ['queued', 'running', 'done', 'failed', 'cancelled'],
  queued: ['running', 'done', 'failed', 'cancelled'],
  running: ['done', 'failed', 'cancelled'],
  done: [],
  failed: [],
  cancelled: [],
};

export function isTerminal(s: JobStatus): boolean {
  return TERMINAL_STATES.has(s);
}

/**
 * The one place a job's status changes. Providers report states out of order (a poll can see
 * 'running' after a cached 'queued', or skip states entirely); a forward move is accepted, a
 * same-state report is a no-op, and leaving a terminal state is an error naming both states.
 */
export function advance(from: JobStatus, to: JobStatus, jobId = ''): JobStatus {
  if (from === to) return from;
  if (NEXT[from].includes(to)) return to;
  if (!isTerminal(from) && order(to) > order(from)) return to;
  throw new QError('JOB_FAILED', `job ${jobId}: invalid status change ${from} -> ${to}`, { details: { jobId, from, to } });
}

function order(s: JobStatus): number {
  return ['created', 'submitted', 'queued', 'running', 'done', 'failed', 'cancelled'].indexOf(s);
}
