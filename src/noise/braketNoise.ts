import type { Circuit } from '../ir/circuit.js';
import { channelQubits, krausOf, type Channel } from './channels.js';
import { channelsAfter, checkModelFits, type NoiseModel } from './noiseModel.js';

/**
 * The model as Braket OpenQASM noise pragmas (`#pragma braket noise <channel>(args) <qubits>`), so the
 * managed density-matrix simulator DM1 runs the same model. Braket names the channels as our kinds
 * do; channels it has no pragma for (thermal relaxation, Pauli channels on two or more qubits,
 * depolarizing on three) are written as `kraus(...)`.
 *
 * Bit order: Braket's matrices list the first target qubit as the most significant bit, ours the
 * least significant, so a multi-qubit Kraus pragma lists its qubits in reverse.
 */

function num(x: number): string {
  // Shortest text that reads back to the same double.
  return Object.is(x, -0) ? '0' : String(x);
}

function complexText(re: number, im: number): string {
  if (im === 0) return num(re);
  if (re === 0) return `${num(im)}im`;
  return `${num(re)}${im < 0 ? '-' : '+'}${num(Math.abs(im))}im`;
}

function matrixText(m: Float64Array): string {
  const d = Math.round(Math.sqrt(m.length / 2));
  const rows: string[] = [];
  for (let r = 0; r < d; r++) {
    const cells: string[] = [];
    for (let c = 0; c < d; c++) cells.push(complexText(m[2 * (r * d + c)], m[2 * (r * d + c) + 1]));
    rows.push(`[${cells.join(', ')}]`);
  }
  return `[${rows.join(', ')}]`;
}

/** One pragma line for a channel on the given qubit references (channel qubit 0 first). */
export function braketNoisePragma(channel: Channel, qubitRefs: readonly string[]): string {
  const k = channelQubits(channel);
  const on = qubitRefs.join(', ');
  let body: string | undefined;
  switch (channel.kind) {
    case 'depolarizing':
      if (k === 1) body = `depolarizing(${num(channel.p)})`;
      else if (k === 2) body = `two_qubit_depolarizing(${num(channel.p)})`;
      break;
    case 'bit_flip':
      body = `bit_flip(${num(channel.p)})`;
      break;
    case 'phase_flip':
      body = `phase_flip(${num(channel.p)})`;
      break;
    case 'pauli':
      if (k === 1) body = `pauli_channel(${num(channel.probs.X ?? 0)}, ${num(channel.probs.Y ?? 0)}, ${num(channel.probs.Z ?? 0)})`;
      break;
    case 'amplitude_damping':
      body = `amplitude_damping(${num(channel.gamma)})`;
      break;
    case 'generalized_amplitude_damping':
      body = `generalized_amplitude_damping(${num(channel.gamma)}, ${num(channel.p)})`;
      break;
    case 'phase_damping':
      body = `phase_damping(${num(channel.gamma)})`;
      break;
    default:
      break;
  }
  if (body !== undefined) return `#pragma braket noise ${body} ${on}`;
  const ops = krausOf(channel).map(matrixText).join(', ');
  return `#pragma braket noise kraus(${ops}) ${[...qubitRefs].reverse().join(', ')}`;
}

export interface BraketNoiseProgram {
  /** Pragma lines to write after each instruction of the circuit (same indices as circuit.ops). */
  readonly after: readonly (readonly string[])[];
  /** Parts of the model Braket's pragmas cannot express (readout errors), for the caller to report. */
  readonly notEmitted: readonly string[];
}

/**
 * The pragmas that carry `model` for `circuit`, per instruction. `qubitRef` names a qubit in the
 * program text (default `q[i]`; physical qubits would be `$i`). The OpenQASM emitter writes each
 * instruction followed by its lines.
 */
export function braketNoisePragmas(c: Circuit, model: NoiseModel, qubitRef: (q: number) => string = (q) => `q[${q}]`): BraketNoiseProgram {
  checkModelFits(model, c.numQubits);
  const after = c.ops.map((ins, i) => channelsAfter(model, ins, i).map((a) => braketNoisePragma(a.channel, a.qubits.map(qubitRef))));
  const notEmitted = model.readout
    .filter((e) => e.qubit < c.numQubits && (e.p1Given0 > 0 || e.p0Given1 > 0))
    .map((e) => `readout error on qubit ${e.qubit} (p(1|0) = ${e.p1Given0}, p(0|1) = ${e.p0Given1}): Braket has no readout-noise pragma`);
  return { after, notEmitted };
}
