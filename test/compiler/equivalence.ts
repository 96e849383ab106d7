import {
  CircuitBuilder,
  Program,
  createRng,
  getGate,
  kron,
  matmul,
  type Bindings,
  type Circuit,
  type CompileResult,
  type Rng,
} from '../../src/index.js';
import { randomCircuit } from '../helpers/random.js';

export const SYMBOLS = ['a', 'b', 'c'];

/**
 * Checks a compiled circuit against its source by simulation: for logical inputs ψ (every basis
 * state when that is cheap, else seeded random states), the compiled circuit run on the device's
 * qubits from `initialLayout` (other qubits |0>) must give U·ψ on the qubits `finalPermutation`
 * names (others back in |0>), with ONE global phase for all inputs. Returns the largest amplitude error.
 */
export function equivalenceError(source: Circuit, result: CompileResult, bindings: Bindings = {}, seed = 1): number {
  const n = source.numQubits;
  const compiled = result.circuit;
  const touched = new Set<number>([...result.initialLayout, ...result.finalPermutation]);
  for (const ins of compiled.ops) if (ins.op !== 'barrier') for (const q of ins.qubits) touched.add(q);
  const phys = [...touched].sort((a, b) => a - b);
  const compact = new Map(phys.map((p, i) => [p, i]));
  const m = phys.length;
  if (m > 20) throw new Error(`compiled circuit touches ${m} qubits; too many to simulate`);
  const small: Circuit = {
    ...compiled,
    numQubits: m,
    ops: compiled.ops
      .filter((i) => i.op !== 'barrier' && i.op !== 'measure')
      .map((i) => ({ ...i, qubits: i.qubits.map((q) => compact.get(q) as number) })),
  };
  const src = { ...source, ops: source.ops.filter((i) => i.op !== 'barrier' && i.op !== 'measure') };
  const progS = new Program(n, src.ops, src.parameters, 'all');
  progS.bind(progS.values(bindings));
  const progC = new Program(m, small.ops, small.parameters, 'all');
  progC.bind(progC.values(bindings));
  const inPos = result.initialLayout.map((p) => compact.get(p) as number);
  const outPos = result.finalPermutation.map((p) => compact.get(p) as number);
  const embed = (state: Float64Array, pos: readonly number[]): Float64Array => {
    const out = new Float64Array(2 << m);
    for (let x = 0; x < 1 << n; x++) {
      let y = 0;
      for (let i = 0; i < n; i++) if ((x >> i) & 1) y |= 1 << pos[i];
      out[2 * y] = state[2 * x];
      out[2 * y + 1] = state[2 * x + 1];
    }
    return out;
  };
  const inputs: Float64Array[] = [];
  if ((1 << n) * (1 << m) <= 1 << 19) {
    for (let j = 0; j < 1 << n; j++) {
      const s = new Float64Array(2 << n);
      s[2 * j] = 1;
      inputs.push(s);
    }
  } else {
    const rng = createRng(seed);
    for (let k = 0; k < 3; k++) {
      const s = new Float64Array(2 << n);
      let norm = 0;
      for (let i = 0; i < s.length; i++) {
        s[i] = rng.normal();
        norm += s[i] * s[i];
      }
      for (let i = 0; i < s.length; i++) s[i] /= Math.sqrt(norm);
      inputs.push(s);
    }
  }
  let phase: [number, number] | undefined;
  let worst = 0;
  for (const psi of inputs) {
    const a = Float64Array.from(psi);
    progS.apply(a);
    const want = embed(a, outPos);
    const got = embed(psi, inPos);
    progC.apply(got);
    if (!phase) {
      // <want|got>
      let re = 0;
      let im = 0;
      for (let k = 0; k < want.length; k += 2) {
        re += want[k] * got[k] + want[k + 1] * got[k + 1];
        im += want[k] * got[k + 1] - want[k + 1] * got[k];
      }
      const mag = Math.hypot(re, im) || 1;
      phase = [re / mag, im / mag];
    }
    for (let k = 0; k < want.length; k += 2) {
      const er = want[k] * phase[0] - want[k + 1] * phase[1];
      const ei = want[k] * phase[1] + want[k + 1] * phase[0];
      worst = Math.max(worst, Math.abs(got[k] - er), Math.abs(got[k + 1] - ei));
    }
  }
  return worst;
}

function randomU1(rng: Rng): Float64Array {
  return getGate('U').matrix([rng.next() * 7, rng.next() * 7, rng.next() * 7]);
}

function randomU2(rng: Rng): Float64Array {
  let m = kron(randomU1(rng), randomU1(rng));
  for (const g of ['rxx', 'ryy', 'rzz']) m = matmul(getGate(g).matrix([rng.next() * 7]), m);
  return matmul(kron(randomU1(rng), randomU1(rng)), m);
}

/** Up to 8 qubits, 8-30 gates of every kind (extra and negated controls, symbolic angles), plus a few `unitary` matrices (one controlled). */
export function randomTestCircuit(rng: Rng, n: number): Circuit {
  const base = randomCircuit(rng, n, 8 + Math.floor(rng.next() * 22), { symbols: SYMBOLS, controls: true });
  const b = new CircuitBuilder(n).compose(base);
  const q = () => Math.floor(rng.next() * n);
  b.unitary(randomU1(rng), [q()]);
  if (n >= 2) {
    const a = q();
    const c = (a + 1 + Math.floor(rng.next() * (n - 1))) % n;
    b.unitary(randomU2(rng), [a, c]);
    b.append({
      op: 'unitary',
      qubits: [c, a],
      params: [],
      matrix: Array.from(randomU1(rng)),
      ctrl: 1,
      ctrlState: rng.next() < 0.5 ? 0 : 1,
    });
  }
  return b.build();
}
