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
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { QError, loadModel } from '../../src/index.js';
import { decodePub, registersOf } from '../../backends/ibm/translate.js';
import { countsFromHistogram, decodeLayout, encodeLayout } from '../../backends/ionq/results.js';
import { countsFromBraket } from '../../backends/braket/translate.js';

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
  // Provider responses: the parts of each adapter that read a provider's JSON.
  const ibmQasm = 'OPENQASM 3.0;\nbit[2] c;\nbit[1] d;\n';
  const ibmLayout = { registers: registersOf(ibmQasm), bindings: 2 };
  const ibmSeed = JSON.stringify({
    c: {
      samples: [
        ['0x1', '0x3', '0x0'],
        ['0x2', '0x2', '0x1'],
      ],
    },
    d: {
      samples: [
        ['0x1', '0x0', '0x1'],
        ['0x0', '0x0', '0x1'],
      ],
    },
  });
  const braketSource = 'OPENQASM 3.0;\nqubit[3] q;\nbit[3] b;\nx q[0];\nb[0] = measure q[0];\nb[2] = measure q[1];\n';
  const braketSeed = JSON.stringify({
    measurements: [
      [1, 0],
      [1, 0],
      [0, 1],
    ],
    measuredQubits: [0, 1],
  });
  const braketProbSeed = JSON.stringify({ measurementProbabilities: { '10': 0.75, '01': 0.25 }, measuredQubits: [0, 1] });
  const ionqLayout = JSON.stringify(
    encodeLayout({
      circuits: [
        {
          numClbits: 2,
          pairs: [
            [0, 1],
            [1, 0],
          ],
        },
      ],
    } as unknown as Parameters<typeof encodeLayout>[0]),
  );
  const ionqHistSeed = JSON.stringify({ '0': 10, '1': 5, '3': 1 });
  const modelDir = mkdtempSync(join(tmpdir(), 'qbridge-fuzz-model-'));
  const modelPath = join(modelDir, 'model.json');
  return [
    { name: 'qasm', seeds: qasmSeeds(), dictionary: QASM_DICT, run: (s) => qasmToCircuit(s) },
    { name: 'circuit-json', seeds: circuits, json: true, run: (s) => circuitFromJSON(s) },
    { name: 'noise-model-json', seeds: [noiseModelToJSON(noiseFromTarget(targets[2]!))], json: true, run: (s) => noiseModelFromJSON(s) },
    { name: 'target-json', seeds: targets.slice(1).map((t) => targetToJSONString(t)), json: true, run: (s) => targetFromJSON(s) },
    {
      name: 'model-json',
      weight: 0.2,
      // A real qcnn8 model file (`npx qbridge train`, seed 1: 99.81% on 0 vs 1).
      seeds: [readFileSync(join(ROOT, 'test', 'fixtures', 'models', 'qcnn8-01.model.json'), 'utf8')],
      json: true,
      run: (s) => {
        writeFileSync(modelPath, s);
        return loadModel(modelPath);
      },
    },
    {
      name: 'ibm-results',
      seeds: [ibmSeed],
      json: true,
      run: (s) => decodePub(wire(s) as Parameters<typeof decodePub>[0], ibmLayout, 'fuzz'),
    },
    {
      name: 'braket-results',
      seeds: [braketSeed, braketProbSeed],
      json: true,
      run: (s) => countsFromBraket(wire(s) as Parameters<typeof countsFromBraket>[0], braketSource, 3, 'fuzz'),
    },
    {
      name: 'ionq-results',
      seeds: [ionqLayout, ionqHistSeed],
      json: true,
      run: (s) => {
        const v = wire(s) as Record<string, string>;
        const layout = decodeLayout(v);
        return countsFromHistogram(
          v as unknown as Record<string, number>,
          layout?.circuits?.[0] ?? {
            numClbits: 2,
            pairs: [
              [0, 0],
              [1, 1],
            ],
          },
        );
      },
    },
  ];
}

/** What an adapter receives: HttpClient has already turned a malformed body into a typed error. */
function wire(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    throw new QError('PROVIDER', 'the response is not valid JSON');
  }
}
