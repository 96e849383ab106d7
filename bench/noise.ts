/**
 * Exact noisy simulation speed (`npm run bench -- noise`): the density-matrix engine on circuits of
 * 10, 12 and 13 qubits (three layers of RY/RZ on every qubit and a CX ladder, compiled to ibm_heron
 * and restricted to the used qubits under `noiseFromTarget(presetTarget('ibm_heron'))`, exactly as
 * `local:noisy=ibm_heron` prepares them). "before" is the complex-superoperator engine the
 * Pauli-transfer engine replaced (ReferenceDensityMatrixProgram); it is run at 13 qubits only with
 * `--full` (about a minute and a half, 1 GiB). Target: 13 qubits in <= 5 s.
 */
import { CircuitBuilder, DensityMatrixProgram, createRng, noiseFromTarget, presetTarget, type Circuit } from '../src/index.js';
import { ReferenceDensityMatrixProgram } from '../src/noise/referenceDensityMatrix.js';
import { prepareNoisy } from '../backends/local/noisy.js';
import { fmtTime, gc, heading, table, timeIt, writeResults } from './util.js';

const TARGET_SECONDS = 5;
const full = process.argv.includes('--full');

function layered(n: number, layers: number): Circuit {
  const b = new CircuitBuilder(n, 0, `layered${n}`);
  const rng = createRng(7);
  for (let l = 0; l < layers; l++) {
    for (let q = 0; q < n; q++) b.ry(rng.next() * 3, q).rz(rng.next() * 3, q);
    for (let q = l % 2; q + 1 < n; q += 2) b.cx(q, q + 1);
  }
  return b.build();
}

export async function benchNoise(): Promise<void> {
  const target = presetTarget('ibm_heron');
  const model = noiseFromTarget(target);
  heading('Exact density matrix under ibm_heron noise (compiled, restricted to used qubits)');
  const rows: string[][] = [];
  const records: Record<string, unknown>[] = [];
  let pass13: boolean | undefined;
  for (const n of [10, 12, 13]) {
    const prep = prepareNoisy(layered(n, 3), model, { target, level: 1, dmMax: 14, exact: true });
    const c = prep.circuit;
    const gates = c.ops.filter((o) => o.op !== 'measure' && o.op !== 'barrier').length;
    const fast = new DensityMatrixProgram(c, prep.model);
    const values = fast.values({});
    const after = timeIt(() => fast.run(values), { reps: 3, minReps: 1, warmup: 1, budgetMs: 20_000 });
    let before: number | undefined;
    if (n < 13 || full) {
      const ref = new ReferenceDensityMatrixProgram(c, prep.model);
      before = timeIt(() => ref.run(values), { reps: 1, minReps: 1, warmup: 0 }).median;
    }
    gc();
    const channels = fast.plan.channelCount;
    const seconds = after.median / 1000;
    if (n === 13) pass13 = seconds <= TARGET_SECONDS;
    rows.push([
      String(n),
      String(gates),
      String(channels),
      `${fast.stats.units} / ${fast.stats.phases}`,
      before === undefined ? '- (--full)' : fmtTime(before),
      fmtTime(after.median),
      before === undefined ? '-' : `${(before / after.median).toFixed(1)}x`,
      before === undefined ? '-' : Math.round(gates / (before / 1000)).toLocaleString('en-US'),
      Math.round(gates / seconds).toLocaleString('en-US'),
    ]);
    records.push({ qubits: n, gates, channels, ...fast.stats, beforeMs: before, afterMs: after.median, afterMinMs: after.min });
  }
  console.log(
    table(
      [
        'qubits',
        'gates',
        'channels',
        'fused ops / phases',
        'before s/circuit',
        'after s/circuit',
        'speed-up',
        'gates/s before',
        'gates/s after',
      ],
      rows,
    ),
  );
  console.log(
    `\n${pass13 ? 'PASS' : 'FAIL'}: 13 qubits in ${fmtTime((records[2].afterMs as number) ?? NaN)} per circuit (target <= ${TARGET_SECONDS} s)`,
  );
  writeResults('noise', { targetSeconds: TARGET_SECONDS, pass: pass13, rows: records });
}
