/**
 * Regenerates the IBM preset snapshots in src/target/snapshots/ from the real calibration files
 * (default: ../shared/devices/ibm, i.e. the IBM Runtime `configuration` and `properties` documents of
 * ibm_fez and ibm_brisbane). Run: npx tsx scripts/target-snapshots.ts [devices-dir]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { targetFromIbm, targetToJSON } from '../src/index.js';

const root = resolve(import.meta.dirname, '..');
const dir = resolve(process.argv[2] ?? join(root, '../shared/devices/ibm'));
for (const [device, preset] of [
  ['ibm_fez', 'ibm_heron'],
  ['ibm_brisbane', 'ibm_eagle'],
] as const) {
  const conf = JSON.parse(readFileSync(join(dir, device, 'configuration.json'), 'utf8'));
  const props = JSON.parse(readFileSync(join(dir, device, 'properties.json'), 'utf8'));
  const t = targetFromIbm(conf, props, { name: preset });
  const out = join(root, 'src/target/snapshots', `${device}.json`);
  writeFileSync(out, JSON.stringify(targetToJSON(t)) + '\n');
  console.log(`${out}: ${t.numQubits} qubits, ${[...t.instructions.keys()].join(', ')}`);
}
