import { emitQasm, qasmToCircuit } from '../qasm/index.js';

/**
 * OpenQASM front-end throughput: parse + lower programs of 1k, 10k and 100k gates (a mix of
 * 1- and 2-qubit gates, constant and symbolic angles, on 20 qubits), and emit them back.
 * Targets: 10k gates < 100 ms, 100k gates < 1 s, linear in between.
 */
export function makeProgram(gates: number, qubits = 20): string {
  const lines: string[] = [
    'OPENQASM 3.0;',
    'include "stdgates.inc";',
    'input float[64] theta;',
    `qubit[${qubits}] q;`,
    `bit[${qubits}] c;`,
  ];
  let seed = 12345;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  for (let i = 0; i < gates; i++) {
    const a = rnd(qubits);
    const b = (a + 1 + rnd(qubits - 1)) % qubits;
    switch (i % 6) {
      case 0:
        lines.push(`h q[${a}];`);
        break;
      case 1:
        lines.push(`cx q[${a}], q[${b}];`);
        break;
      case 2:
        lines.push(`rz(${(rnd(1000) / 1000).toFixed(3)} * pi) q[${a}];`);
        break;
      case 3:
        lines.push(`ry(2*theta + ${rnd(100) / 10}) q[${a}];`);
        break;
      case 4:
        lines.push(`ctrl @ rx(pi/4) q[${a}], q[${b}];`);
        break;
      default:
        lines.push(`cz q[${a}], q[${b}];`);
    }
  }
  lines.push('c = measure q;');
  return lines.join('\n') + '\n';
}

function time(fn: () => void, reps: number): number {
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

export async function benchQasm(): Promise<void> {
  // warm up the JIT on a mid-size program
  qasmToCircuit(makeProgram(5000));
  const rows: { gates: number; bytes: number; parseMs: number; emitMs: number }[] = [];
  for (const gates of [1_000, 10_000, 100_000]) {
    const src = makeProgram(gates);
    let circuit = qasmToCircuit(src);
    const parseMs = time(
      () => {
        circuit = qasmToCircuit(src);
      },
      gates >= 100_000 ? 3 : 7,
    );
    const emitMs = time(() => emitQasm(circuit), gates >= 100_000 ? 3 : 7);
    rows.push({ gates, bytes: src.length, parseMs, emitMs });
  }
  console.log('\nOpenQASM parse + lower (best of several runs)');
  console.log('gates     source KB   parse+lower ms   gates/s        emit ms');
  for (const r of rows) {
    console.log(
      `${String(r.gates).padEnd(9)} ${(r.bytes / 1024).toFixed(0).padStart(9)}   ${r.parseMs.toFixed(1).padStart(14)}   ${Math.round(
        r.gates / (r.parseMs / 1000),
      )
        .toLocaleString('en-US')
        .padStart(12)}   ${r.emitMs.toFixed(1).padStart(8)}`,
    );
  }
  const [, ten, hundred] = rows;
  console.log(
    `targets: 10k < 100 ms: ${ten.parseMs < 100 ? 'yes' : 'NO'}; 100k < 1000 ms: ${hundred.parseMs < 1000 ? 'yes' : 'NO'}; 100k/10k time ratio ${(hundred.parseMs / ten.parseMs).toFixed(1)} (linear = 10)`,
  );
}

// `npx tsx bench/qasm.ts` runs it directly
if (import.meta.url === `file://${process.argv[1]}`) await benchQasm();
