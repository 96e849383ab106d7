import { fuzz } from '../test/reliability/fuzzer.js';
import { fuzzTargets } from '../test/reliability/targets.js';

/**
 * Fuzzing at volume: every reader (QASM, circuit / noise-model / target JSON, and provider response
 * decoders as they are registered in test/reliability/targets.ts) gets QBRIDGE_FUZZ_CASES (default
 * 100,000 in all, split over the targets; QASM gets the most) seeded mutated inputs. PASS means no
 * crash (only QErrors) and no input over 1 s.
 */
export async function benchFuzz(): Promise<void> {
  const targets = fuzzTargets();
  const total = Number(process.env['QBRIDGE_FUZZ_CASES'] ?? 100_000);
  const share = (name: string): number => (name === 'qasm' ? 0.4 : 0.6 / (targets.length - 1));
  let all = 0;
  let failed = false;
  console.log('target               cases   accepted   rejected  crashes  slowest ms  seconds');
  for (const t of targets) {
    const cases = Math.max(1, Math.ceil(total * share(t.name)));
    const r = fuzz(t, { cases, seed: 7, maxMs: 1000 });
    all += r.cases;
    failed ||= r.crashes.length > 0 || r.slow.length > 0;
    console.log(
      `${t.name.padEnd(18)} ${String(r.cases).padStart(7)} ${String(r.accepted).padStart(10)} ${String(r.rejected).padStart(10)} ${String(r.crashes.length).padStart(8)} ${r.maxMs.toFixed(1).padStart(11)} ${r.seconds.toFixed(1).padStart(8)}`,
    );
    for (const c of r.crashes.slice(0, 3)) console.log(`  crash: ${c.error}\n    input: ${JSON.stringify(c.input.slice(0, 160))}`);
    for (const s of r.slow.slice(0, 3)) console.log(`  slow (${s.ms.toFixed(0)} ms): ${JSON.stringify(s.input.slice(0, 160))}`);
  }
  console.log(`\nfuzz: ${all} cases, ${failed ? 'FAIL' : 'PASS'} (no crash, only typed errors, none over 1 s)`);
  await Promise.resolve();
}
