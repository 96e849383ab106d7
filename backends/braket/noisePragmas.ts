import {
  amplitudeDamping,
  bitFlip,
  depolarizing,
  generalizedAmplitudeDamping,
  krausChannel,
  makeCircuit,
  noiseModel,
  pauliChannel,
  phaseDamping,
  phaseFlip,
  validationError,
  type Channel,
  type Circuit,
  type Instruction,
  type NoiseModel,
  type NoiseRule,
} from '../../src/index.js';
import { qasmToCircuit } from '../../qasm/index.js';

/**
 * The reading side of `#pragma braket noise` (what DM1 does with the pragmas the adapter writes), for
 * the emulator. qbridge's noise engines attach channels by rule (gate name and qubits), so the
 * positional pragmas are turned back into rules: each pragma belongs to the gate before it, and a
 * gate on the same qubits must carry the same channels wherever it appears (true of every program
 * written from a NoiseModel). A program that breaks this is refused rather than simulated wrongly.
 */

function num(text: string, where: string): number {
  const x = Number(text.trim());
  if (!Number.isFinite(x)) throw validationError(`${where}: '${text.trim()}' is not a number`);
  return x;
}

/** `a`, `bim`, `a+bim`, `a-bim` as [re, im]. */
function complex(text: string, where: string): [number, number] {
  const t = text.replace(/\s+/g, '');
  const m = /^([+-]?[\d.]+(?:e[+-]?\d+)?)?(?:([+-]?[\d.]*(?:e[+-]?\d+)?)im)?$/i.exec(t);
  if (!m || t === '') throw validationError(`${where}: '${text}' is not a complex number`);
  const re = m[1] === undefined ? 0 : Number(m[1]);
  const imText = m[2];
  const im = imText === undefined ? 0 : imText === '' || imText === '+' ? 1 : imText === '-' ? -1 : Number(imText);
  if (!Number.isFinite(re) || !Number.isFinite(im)) throw validationError(`${where}: '${text}' is not a complex number`);
  return [re, im];
}

/** Splits at top-level commas (outside brackets). */
function topLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '[' || ch === '(') depth++;
    if (ch === ']' || ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() !== '') out.push(cur);
  return out.map((s) => s.trim());
}

/** A Braket matrix literal `[[a, b], [c, d]]` as interleaved re/im, row-major. */
function matrix(text: string, where: string): number[] {
  const t = text.trim();
  if (!t.startsWith('[') || !t.endsWith(']')) throw validationError(`${where}: expected a matrix [[...], ...]`);
  const rows = topLevel(t.slice(1, -1)).map((r) => {
    const rr = r.trim();
    if (!rr.startsWith('[') || !rr.endsWith(']')) throw validationError(`${where}: expected a matrix row [...]`);
    return topLevel(rr.slice(1, -1)).map((x) => complex(x, where));
  });
  const d = rows.length;
  if (rows.some((r) => r.length !== d)) throw validationError(`${where}: a Kraus operator must be square`);
  return rows.flat(2);
}

export interface NoisePragma {
  readonly channel: Channel;
  /** Qubit operands as written (`q[0]`, `$3`), in channel-qubit order (qubit 0 of the channel first). */
  readonly qubits: readonly string[];
}

/** One `#pragma braket noise ...` line. */
export function parseNoisePragma(line: string): NoisePragma {
  const where = `noise pragma '${line.trim().slice(0, 80)}'`;
  const m = /^#pragma\s+braket\s+noise\s+([a-z_]+)\s*\((.*)\)\s*([^()]+?)\s*;?\s*$/.exec(line.trim());
  if (!m) throw validationError(`${where}: expected '#pragma braket noise name(args) qubits'`);
  const [, name, argText, qubitText] = m;
  const args = topLevel(argText);
  const qubits = qubitText.split(',').map((q) => q.trim());
  const p = (i: number) => num(args[i] ?? '', where);
  let channel: Channel;
  let order = qubits;
  switch (name) {
    case 'bit_flip':
      channel = bitFlip(p(0));
      break;
    case 'phase_flip':
      channel = phaseFlip(p(0));
      break;
    case 'depolarizing':
      channel = depolarizing(p(0));
      break;
    case 'two_qubit_depolarizing':
      channel = depolarizing(p(0), 2);
      break;
    case 'pauli_channel':
      channel = pauliChannel({ X: p(0), Y: p(1), Z: p(2) });
      break;
    case 'amplitude_damping':
      channel = amplitudeDamping(p(0));
      break;
    case 'generalized_amplitude_damping':
      channel = generalizedAmplitudeDamping(p(0), p(1));
      break;
    case 'phase_damping':
      channel = phaseDamping(p(0));
      break;
    case 'kraus':
      channel = krausChannel(args.map((a) => matrix(a, where)));
      // Braket reads a matrix with the first listed qubit most significant; qbridge's channel qubit 0 is least.
      order = [...qubits].reverse();
      break;
    default:
      throw validationError(`${where}: the emulator does not know the noise channel '${name}'`);
  }
  return { channel, qubits: order };
}

export interface NoisyProgram {
  /** The circuit with the pragmas taken out. */
  readonly circuit: Circuit;
  /** Rules reproducing the pragmas (empty when there were none). */
  readonly rules: readonly NoiseRule[];
  readonly pragmaCount: number;
}

/** Index of a qubit operand in the lowered circuit (`q[3]` in a single register `q`, or `$3`). */
function operandIndex(text: string, where: string): number {
  const m = /^(?:[A-Za-z_]\w*\[(\d+)\]|\$(\d+))$/.exec(text);
  if (!m) throw validationError(`${where}: qubit operand '${text}' is not name[i] or $i`);
  return Number(m[1] ?? m[2]);
}

/**
 * Lowers a Braket program whose noise pragmas sit after the gates they follow. Each pragma line
 * becomes a marker (a barrier) so the lowering keeps its position; the circuit's own barriers are
 * dropped first (they change nothing in a simulation).
 */
export function lowerNoisyProgram(source: string): NoisyProgram {
  const pragmas: NoisePragma[] = [];
  const lines = source.split('\n').flatMap((line) => {
    const t = line.trim();
    if (/^#pragma\s+braket\s+noise\b/.test(t)) {
      pragmas.push(parseNoisePragma(t));
      return ['barrier;'];
    }
    // Barriers change nothing in a simulation; dropping them leaves the markers as the only ones.
    return /^barrier\b/.test(t) ? [] : [line];
  });
  const lowered = qasmToCircuit(lines.join('\n'));
  if (pragmas.length === 0) return { circuit: lowered, rules: [], pragmaCount: 0 };
  const ops: Instruction[] = [];
  const seen = new Map<string, string>();
  const rules: NoiseRule[] = [];
  let k = 0;
  let anchor: Instruction | undefined;
  let anchorKey = '';
  let pending: { rules: NoiseRule[]; sig: string[] } | undefined;
  const close = (): void => {
    if (!pending || !anchor) return;
    const sig = pending.sig.join('|');
    const before = seen.get(anchorKey);
    if (before === undefined) {
      seen.set(anchorKey, sig);
      rules.push(...pending.rules);
    } else if (before !== sig) {
      throw validationError(
        `emulator limitation: gate ${anchor.op} on qubits [${anchor.qubits.join(', ')}] is followed by different noise pragmas in different places`,
      );
    }
    pending = undefined;
  };
  for (const ins of lowered.ops) {
    if (ins.op === 'barrier') {
      const p = pragmas[k++];
      const where = `noise pragma ${k}`;
      if (!anchor) throw validationError(`${where}: a noise pragma must follow a gate`);
      const on = p.qubits.map((q) => {
        const pos = anchor!.qubits.indexOf(operandIndex(q, where));
        if (pos < 0) throw validationError(`${where}: acts on ${q}, which the gate before it (${anchor!.op}) does not touch`);
        return pos;
      });
      pending ??= { rules: [], sig: [] };
      pending.rules.push({ gates: [anchor.op], qubits: [anchor.qubits], on, channel: p.channel });
      pending.sig.push(`${JSON.stringify(p.channel)}@${on.join(',')}`);
      continue;
    }
    if (ins.op === 'measure' || ins.op === 'barrier' || ins.op === 'reset' || ins.op === 'delay') {
      ops.push(ins);
      continue;
    }
    close();
    anchor = ins;
    anchorKey = `${ins.op}:${ins.qubits.join(',')}:${ins.ctrl ?? 0}`;
    ops.push(ins);
  }
  close();
  // Gates of the same key that carry no pragma anywhere conflict with a rule learned elsewhere.
  const noisy = new Set(seen.keys());
  let lastKey: string | undefined;
  let lastHadNoise = false;
  const check = (): void => {
    if (lastKey !== undefined && !lastHadNoise && noisy.has(lastKey))
      throw validationError(`emulator limitation: gate ${lastKey} carries noise pragmas in some places and none in others`);
  };
  for (const ins of lowered.ops) {
    if (ins.op === 'barrier') {
      lastHadNoise = true;
      continue;
    }
    if (ins.op === 'measure' || ins.op === 'barrier' || ins.op === 'reset' || ins.op === 'delay') continue;
    check();
    lastKey = `${ins.op}:${ins.qubits.join(',')}:${ins.ctrl ?? 0}`;
    lastHadNoise = false;
  }
  check();
  const circuit = makeCircuit(lowered.numQubits, lowered.numClbits, ops);
  return { circuit, rules, pragmaCount: pragmas.length };
}

/** Rules of several programs as one model; the same gate must carry the same channels in all of them. */
export function mergeRules(name: string, sets: readonly (readonly NoiseRule[])[]): NoiseModel {
  const seen = new Map<string, string>();
  const rules: NoiseRule[] = [];
  for (const set of sets) {
    const byKey = new Map<string, NoiseRule[]>();
    for (const r of set) {
      const k = `${r.gates?.[0]}:${r.qubits?.[0]?.join(',')}`;
      (byKey.get(k) ?? byKey.set(k, []).get(k)!).push(r);
    }
    for (const [k, rs] of byKey) {
      const sig = JSON.stringify(rs.map((r) => [r.channel, r.on]));
      const before = seen.get(k);
      if (before === undefined) {
        seen.set(k, sig);
        rules.push(...rs);
      } else if (before !== sig)
        throw validationError(`emulator limitation: gate ${k} carries different noise in different programs of one task`);
    }
  }
  return noiseModel({ name, rules });
}
