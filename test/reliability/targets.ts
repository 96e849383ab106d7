import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  circuitFromJSON,
  circuitToJSONString,
  createRng,
  noiseFromTarget,
  noiseModelFromJSON,
  noiseModelToJSON,
  presetTarget,
  targetFromJSON,
  targetToJSONString,
} from '../../src/index.js';
import { emitQasm, qasmToCircuit } from '../../qasm/index.js';
import { randomCircuit } from '../helpers/random.js';
import type { FuzzTarget } from './fuzzer.js';

/** The readers users feed files to: QASM, circuit JSON, noise-model JSON, target JSON. Provider response decoders join as adapters land. */
const ROOT = join(import.meta.dirname, '..', '..');

function qasmSeeds(): string[] {
  const rng = createRng(11);
  const seeds: string[] = [];
  for (let i = 0; i < 12; i++) {
    const c = randomCircuit(rng, 2 + (i % 4), 10, { symbols: i % 2 ? ['theta', 'phi'] : [] });
    seeds.push(emitQasm(c, { dialect: (['generic', 'braket'] as const)[i % 2] }));
  }
  seeds.push(`OPENQASM 3.0;
include "stdgates.inc";
input float[64] theta;
gate mix(a) p, q { ry(a) p; cx p, q; rz(a / 2) q; }
qubit[4] q;
bit[4] c;
for int i in [0:2] { mix(theta * i) q[i], q[i + 1]; }
ctrl @ x q[0], q[3];
pow(0.5) @ x q[1];
inv @ s q[2];
barrier q;
c = measure q;
if (c[0]) x q[1];
`);
  const bad = join(ROOT, 'test', 'qasm', 'corpus', 'bad');
  for (const f of readdirSync(bad).slice(0, 20)) seeds.push(readFileSync(join(bad, f), 'utf8'));
  return seeds;
}

const QASM_DICT = [
  'qubit',
  'bit',
  'gate',
  'measure',
  'reset',
  'ctrl @',
  'inv @',
  'pow(2) @',
  'for',
  'while',
  'if',
  'input',
  'float[64]',
  'angle',
  'pi',
  'include "stdgates.inc";',
  'OPENQASM 3.0;',
  '$0',
  '[0:2:9]',
  'defcal',
  'box',
  'delay[10ns]',
  'U(0,0,0)',
  'cx',
  'let',
  '#pragma',
  '//',
  '/*',
];

export function fuzzTargets(): FuzzTarget[] {
  const rng = createRng(5);
  const circuits = Array.from({ length: 6 }, (_, i) => circuitToJSONString(randomCircuit(rng, 2 + i, 8, { symbols: ['a'] })));
  const targets = ['ibm_heron', 'ionq_forte', 'iqm_garnet', 'rigetti'].map((n) => presetTarget(n));
  return [
    { name: 'qasm', seeds: qasmSeeds(), dictionary: QASM_DICT, run: (s) => qasmToCircuit(s) },
    { name: 'circuit-json', seeds: circuits, json: true, run: (s) => circuitFromJSON(s) },
    { name: 'noise-model-json', seeds: [noiseModelToJSON(noiseFromTarget(targets[2]!))], json: true, run: (s) => noiseModelFromJSON(s) },
    { name: 'target-json', seeds: targets.slice(1).map((t) => targetToJSONString(t)), json: true, run: (s) => targetFromJSON(s) },
  ];
}
