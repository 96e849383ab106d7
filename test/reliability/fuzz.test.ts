import { describe, expect, it } from 'vitest';
import { fuzz } from './fuzzer.js';
import { fuzzTargets } from './targets.js';

// 5,000 seeded cases per reader in CI; `npm run bench -- fuzz` runs 100,000+.
const CASES = Number(process.env['QBRIDGE_FUZZ_CASES'] ?? 5000);

describe('fuzzing the readers (seeded, mutated inputs)', () => {
  for (const t of fuzzTargets()) {
    const cases = Math.round(CASES * (t.weight ?? 1));
    it(`${t.name}: ${cases} cases, no crash, only typed errors, none over 1 s`, { timeout: 120_000 }, () => {
      const r = fuzz(t, { cases, seed: 2026, maxMs: 1000 });
      expect(r.crashes, JSON.stringify(r.crashes.slice(0, 3), null, 1)).toEqual([]);
      expect(r.slow).toEqual([]);
      expect(r.accepted + r.rejected).toBe(cases);
      // The mutator must reach both sides, or it is not exercising the reader.
      expect(r.rejected).toBeGreaterThan(cases * 0.05);
    });
  }
});
