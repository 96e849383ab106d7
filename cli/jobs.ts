import type { Command } from 'commander';
import { JobJournal, JournaledBackend, validationError, type JournalEntry, type RunResult } from '../src/index.js';
import { backendFor } from '../backends/registry.js';
import { printJson } from './output.js';

/**
 * `qbridge jobs list|show|resume|cancel`: the job journal (.qbridge/jobs, or $QBRIDGE_HOME/jobs) from
 * the command line. `resume` re-attaches to every unfinished job (or one) and stores its results, so
 * a crashed run's paid jobs are never lost.
 */
function summary(e: JournalEntry): Record<string, unknown> {
  return {
    key: e.key.slice(0, 12),
    backend: e.backend,
    state: e.state,
    providerJobId: e.providerJobId ?? null,
    shots: e.shots,
    executions: e.executions,
    attempt: e.attempt,
    updatedAt: e.updatedAt,
    ...(e.error ? { error: e.error.message } : {}),
  };
}

function table(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return 'no jobs in the journal';
  const cols = ['key', 'backend', 'state', 'providerJobId', 'shots', 'executions', 'updatedAt'];
  const cells = rows.map((r) => cols.map((c) => String(r[c] ?? '-')));
  const w = cols.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const line = (r: string[]): string =>
    r
      .map((c, i) => c.padEnd(w[i]!))
      .join('  ')
      .trimEnd();
  return [line(cols), ...cells.map(line)].join('\n');
}

function entryOf(journal: JobJournal, id: string): JournalEntry {
  const e = journal.find(id);
  if (!e)
    throw validationError(`no job '${id}' in the journal ${journal.dir} (give a key prefix or a provider job id; see qbridge jobs list)`);
  return e;
}

function countsSummary(r: RunResult): string {
  return r.results.map((bs, i) => `circuit ${i}: ${bs.length} binding(s), ${bs.reduce((a, b) => a + b.shots, 0)} shots`).join('; ');
}

export function registerJobs(program: Command): void {
  const jobs = program.command('jobs').description('inspect, resume and cancel journaled provider jobs');
  const dirOption = (c: Command): Command => c.option('--dir <path>', 'journal directory (default .qbridge/jobs or $QBRIDGE_HOME/jobs)');

  dirOption(jobs.command('list').description('list journaled jobs, newest first').option('--json', 'machine-readable output')).action(
    (o: { dir?: string; json?: boolean }) => {
      const journal = new JobJournal(o.dir);
      const rows = journal.list().map(summary);
      if (o.json) printJson({ jobs: rows });
      else process.stdout.write(`${table(rows)}\n`);
    },
  );

  dirOption(
    jobs
      .command('show')
      .description('show one job (key prefix or provider job id)')
      .argument('<id>')
      .option('--json', 'machine-readable output'),
  ).action((id: string, o: { dir?: string; json?: boolean }) => {
    const e = entryOf(new JobJournal(o.dir), id);
    if (o.json) {
      printJson({ ...e, request: undefined });
      return;
    }
    const s = summary(e);
    for (const [k, v] of Object.entries({ ...s, key: e.key })) process.stdout.write(`${k.padEnd(14)} ${String(v)}\n`);
    if (e.result) process.stdout.write(`${'results'.padEnd(14)} ${countsSummary(e.result)}\n`);
  });

  dirOption(
    jobs
      .command('resume')
      .description('re-attach to unfinished jobs (all, or one) and record their results')
      .argument('[id]')
      .option('--timeout <seconds>', 'give up waiting after this long (the job stays resumable)', Number, 3600)
      .option('--json', 'machine-readable output'),
  ).action(async (id: string | undefined, o: { dir?: string; timeout: number; json?: boolean }) => {
    const journal = new JobJournal(o.dir);
    const entries = id ? [entryOf(journal, id)] : journal.unfinished();
    const out: Record<string, unknown>[] = [];
    for (const e of entries) {
      const backend = new JournaledBackend(await backendFor(e.backend), { journal });
      const h = await backend.resume(e);
      if (!h) {
        out.push({ ...summary(e), note: 'nothing to resume' });
        continue;
      }
      const result = await h.wait({ timeoutMs: o.timeout * 1000 });
      out.push({ ...summary(journal.get(e.key)!), results: countsSummary(result) });
    }
    if (o.json) printJson({ resumed: out });
    else if (out.length === 0) process.stdout.write('no unfinished jobs\n');
    else
      for (const r of out)
        process.stdout.write(`${String(r['key'])} ${String(r['backend'])} ${String(r['state'])}: ${String(r['results'] ?? r['note'])}\n`);
  });

  dirOption(
    jobs
      .command('cancel')
      .description('cancel a job at the provider and mark it cancelled')
      .argument('<id>')
      .option('--json', 'machine-readable output'),
  ).action(async (id: string, o: { dir?: string; json?: boolean }) => {
    const journal = new JobJournal(o.dir);
    const e = entryOf(journal, id);
    if (e.state === 'done' || e.state === 'failed' || e.state === 'cancelled')
      throw validationError(`job ${e.key.slice(0, 12)} is already ${e.state}`);
    await new JournaledBackend(await backendFor(e.backend), { journal }).cancelEntry(e);
    if (o.json) printJson(summary(journal.get(e.key)!));
    else process.stdout.write(`cancelled ${e.key.slice(0, 12)} (${e.backend}${e.providerJobId ? `, job ${e.providerJobId}` : ''})\n`);
  });
}
