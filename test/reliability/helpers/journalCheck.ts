import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JOURNAL_FORMAT, JobJournal, type JournalEntry } from '../../../src/index.js';

/**
 * The journal's on-disk invariants, checked after every step of the reliability tests: every file is
 * a complete JSON entry (no torn writes: temp files are never left behind by a finished write and
 * never read as entries), the entry's key is its file name, its state is one of the five, a `done`
 * entry carries results, and a `submitted` one carries the provider's job id.
 */
export function checkJournal(dir: string): { entries: JournalEntry[]; problems: string[] } {
  const problems: string[] = [];
  let files: string[] = [];
  try {
    files = readdirSync(dir);
  } catch {
    return { entries: [], problems };
  }
  for (const f of files) {
    if (f.endsWith('.tmp')) continue; // a write cut short by SIGKILL: harmless, never read as an entry
    if (!/^[0-9a-f]{64}\.json$/.test(f)) {
      problems.push(`unexpected file ${f}`);
      continue;
    }
    try {
      const doc = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Partial<JournalEntry>;
      if (doc.format !== JOURNAL_FORMAT) problems.push(`${f}: format ${String(doc.format)}`);
      if (`${doc.key}.json` !== f) problems.push(`${f}: key ${String(doc.key)} does not match the file name`);
      if (!['pending', 'submitted', 'done', 'failed', 'cancelled'].includes(String(doc.state)))
        problems.push(`${f}: state ${String(doc.state)}`);
      if (doc.state === 'done' && !doc.result) problems.push(`${f}: done without results`);
      if (doc.state === 'submitted' && doc.providerJobId === undefined) problems.push(`${f}: submitted without a provider job id`);
    } catch (e) {
      problems.push(`${f}: not valid JSON (${(e as Error).message})`);
    }
  }
  let entries: JournalEntry[] = [];
  try {
    entries = new JobJournal(dir).list();
  } catch (e) {
    problems.push(`JobJournal.list() threw: ${(e as Error).message}`);
  }
  return { entries, problems };
}

/** Leftover temp files (writes interrupted by a kill): reported, they must never be mistaken for entries. */
export function tempFiles(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.tmp'));
  } catch {
    return [];
  }
}
