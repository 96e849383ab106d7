/**
 * Benchmark runner: `npm run bench` runs every suite, `npm run bench -- statevector` (or `qasm`, or
 * several names) runs the ones named. Flags: `--no-peers` skips the npm peer simulators,
 * `--reps=N` fixes the repetitions of our own timings, `--list` prints the suites.
 *
 * Run as `node --expose-gc --import tsx bench/index.ts` so suites can collect garbage between
 * measurements. Each suite prints plain tables and writes bench/results/<suite>.json.
 */
import { existsSync } from 'node:fs';
import { hasGc, loadNow, machine } from './util.js';

interface Suite {
  name: string;
  /** Module next to this file, as imported (tsx maps .js to .ts). */
  module: string;
  /** The file that must exist for the suite to run. */
  file: string;
  exportName: string;
  description: string;
}

const suites: Suite[] = [
  {
    name: 'statevector',
    module: './statevector.js',
    file: 'statevector.ts',
    exportName: 'benchStatevector',
    description: 'statevector simulator vs quantum-circuit and jsqubits, memory-bandwidth floor',
  },
  { name: 'qasm', module: './qasm.js', file: 'qasm.ts', exportName: 'benchQasm', description: 'OpenQASM 3 front end' },
  {
    name: 'kernels',
    module: './kernels.js',
    file: 'kernels.ts',
    exportName: 'benchKernels',
    description: 'single kernels, plain TypeScript vs WebAssembly SIMD, against the floors',
  },
  {
    name: 'compile',
    module: './compile.js',
    file: 'compile.ts',
    exportName: 'benchCompile',
    description: 'compiler: routed vs unrouted 2q count and depth (heavy-hex, IQM), QCNN compile time',
  },
  {
    name: 'mitigation',
    module: './mitigation.js',
    file: 'mitigation.ts',
    exportName: 'benchMitigation',
    description: 'readout, ZNE and both on GHZ-n and a random circuit under the ibm_heron noise model',
  },
  {
    name: 'mnist10',
    module: './mnist10.js',
    file: 'mnist10.ts',
    exportName: 'benchMnist10',
    description: 'MNIST IDX + preprocessing, qcnn12 structured vs generic simulation, qkc quanvolution, conv2d filter gradients',
  },
  {
    name: 'training',
    module: './training.js',
    file: 'training.ts',
    exportName: 'benchTraining',
    description: 'qcnn8 quantum layer: forward, adjoint vs parameter-shift per sample; one training epoch',
  },
  {
    name: 'noise',
    module: './noise.js',
    file: 'noise.ts',
    exportName: 'benchNoise',
    description: 'exact density matrix (Pauli-transfer engine) at 10, 12, 13 qubits under ibm_heron noise, before -> after',
  },
  {
    name: 'fuzz',
    module: './fuzz.js',
    file: 'fuzz.ts',
    exportName: 'benchFuzz',
    description: 'fuzzing the readers: 100,000 seeded mutated inputs',
  },
];

async function runSuite(s: Suite): Promise<boolean> {
  if (!existsSync(new URL(s.file, import.meta.url))) {
    console.log(`\n[${s.name}] skipped: bench/${s.file} does not exist yet`);
    return true;
  }
  // A variable specifier keeps tsc from requiring suites that are not written yet.
  const spec: string = s.module;
  const mod = (await import(spec)) as Record<string, unknown>;
  const fn = mod[s.exportName];
  if (typeof fn !== 'function') {
    console.error(`\n[${s.name}] bench/${s.file} does not export ${s.exportName}()`);
    return false;
  }
  const t0 = Date.now();
  console.log(`\n######## suite: ${s.name} (load ${loadNow()}) ########`);
  await (fn as () => Promise<unknown>)();
  console.log(`\n[${s.name}] done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return true;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const names = args.filter((a) => !a.startsWith('--'));
  if (args.includes('--list')) {
    for (const s of suites) console.log(`${s.name.padEnd(12)} ${s.description}`);
    return;
  }
  const unknown = names.filter((n) => !suites.some((s) => s.name === n));
  if (unknown.length) {
    console.error(
      `unknown suite${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (available: ${suites.map((s) => s.name).join(', ')})`,
    );
    process.exitCode = 2;
    return;
  }
  const selected = names.length ? suites.filter((s) => names.includes(s.name)) : suites;
  const m = machine();
  console.log(`qbridge bench: node ${m.node}, ${m.cpu} x${m.cores}, ${m.memGiB} GiB, load ${m.load.join(' / ')}`);
  if (!hasGc) console.log('note: run with --expose-gc (npm run bench does) so garbage is collected between measurements');
  let ok = true;
  for (const s of selected) ok = (await runSuite(s)) && ok;
  if (!ok) process.exitCode = 1;
}

await main();
