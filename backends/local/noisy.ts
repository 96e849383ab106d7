import {
  compile,
  makeCircuit,
  noiseModel,
  pauliAt,
  pauliSupport,
  splitTerminal,
  validateForTarget,
  makeContext,
  nativeGates,
  synthesizeSingleQubit,
  unrollInstruction,
  validationError,
  type Circuit,
  type Instruction,
  type NoiseModel,
  type OptimizationLevel,
  type PauliSum,
  type Target,
} from '../../src/index.js';

/** A circuit made ready for the noisy engines: compiled (when a target is given) and compacted. */
export interface NoisyCircuit {
  /** What is simulated: the compiled circuit on its active physical qubits only, renumbered 0..k-1. */
  readonly circuit: Circuit;
  /** The noise model restricted and renumbered the same way. */
  readonly model: NoiseModel;
  /** Simulated qubit that logical qubit i ends on (the identity without a target). */
  readonly logicalToSim: readonly number[];
  readonly engine: 'density' | 'trajectories';
  /** Physical qubits used (simulated qubit k is physical[k]), and the compiler's layouts; undefined without a target. */
  readonly layout?: { physical: number[]; initialLayout: readonly number[]; finalPermutation: readonly number[] };
}

/** Measures every qubit i into bit i when the circuit measures nothing (the engines' implicit rule, made explicit so it survives routing). */
function withMeasurements(c: Circuit): Circuit {
  if (c.ops.some((op) => op.op === 'measure')) return c;
  const n = c.numQubits;
  const measures: Instruction[] = Array.from({ length: n }, (_, q) => ({ op: 'measure', qubits: [q], params: [], clbits: [q] }));
  return makeCircuit(n, Math.max(c.numClbits, n), [...c.ops, ...measures]);
}

/** The model on a subset of its qubits: `physical[k]` becomes qubit k; rules and readout elsewhere are dropped. */
export function restrictModel(m: NoiseModel, physical: readonly number[]): NoiseModel {
  const index = new Map(physical.map((q, k) => [q, k]));
  const rules = m.rules.flatMap((r) => {
    if (!r.qubits) return [r];
    const tuples = r.qubits.filter((t) => t.every((q) => index.has(q))).map((t) => t.map((q) => index.get(q) as number));
    return tuples.length ? [{ ...r, qubits: tuples }] : [];
  });
  const readout = m.readout.filter((e) => index.has(e.qubit)).map((e) => ({ ...e, qubit: index.get(e.qubit) as number }));
  return noiseModel({ name: m.name, numQubits: physical.length, rules, readout });
}

/**
 * Whether a circuit is already in the target's ISA form (native gates on coupled physical qubits):
 * such a circuit runs as given, as IBM runs ISA circuits. Recompiling would move it to other qubits
 * and let the optimiser undo deliberate structure (ZNE folds, twirls, calibration circuits).
 */
function isIsa(c: Circuit, target: Target): boolean {
  if (c.numQubits > target.numQubits) return false;
  try {
    validateForTarget(c, target);
    return true;
  } catch {
    return false;
  }
}

/**
 * An ISA circuit with a few non-native 1-qubit gates (the Estimator's h/sdg basis changes appended to
 * a compiled circuit) gets just those gates rewritten in the target's 1-qubit basis, in place: the
 * qubits and the 2-qubit structure stay exactly as given. Returns undefined when more than that is
 * needed (then the circuit is compiled as usual).
 */
function nativizeOneQubitGates(c: Circuit, target: Target): Circuit | undefined {
  const native = new Set(nativeGates(target).oneQubit);
  if (!c.ops.some((ins) => ins.qubits.length === 1 && !native.has(ins.op) && ins.op !== 'measure' && ins.op !== 'reset')) return undefined;
  const ctx = makeContext(target, 0, 0);
  const ops: Instruction[] = [];
  for (const [i, ins] of c.ops.entries()) {
    if (ins.qubits.length !== 1 || native.has(ins.op) || ins.op === 'measure' || ins.op === 'reset' || ins.op === 'barrier') {
      ops.push(ins);
      continue;
    }
    const unrolled: Instruction[] = [];
    unrollInstruction({ ...ins, qubits: [0] }, i, unrolled);
    const one = synthesizeSingleQubit(makeCircuit(1, 0, unrolled), ctx);
    for (const g of one.ops) ops.push({ ...g, qubits: ins.qubits });
  }
  const out = makeCircuit(c.numQubits, c.numClbits, ops);
  return isIsa(out, target) ? out : undefined;
}

function asCompiled(c: Circuit): { circuit: Circuit; initialLayout: number[]; finalPermutation: number[] } {
  const identity = Array.from({ length: c.numQubits }, (_, i) => i);
  return { circuit: c, initialLayout: identity, finalPermutation: identity };
}

/** The circuit without its final measurements (a VALIDATION error when it measures mid-circuit). */
function withoutMeasurements(c: Circuit): Circuit {
  const split = splitTerminal(c);
  if (!split.unitary) throw validationError('exact expectation values need a circuit whose measurements are final');
  return makeCircuit(c.numQubits, c.numClbits, split.unitary);
}

/**
 * Compiles (with a target) and compacts a circuit for the noisy engines. `exact` prepares it for
 * expectation values: measurements are removed before compiling, because the compiler may drop
 * diagonal gates in front of a measurement, which leaves counts alone but not <X> or <Y>.
 */
export function prepareNoisy(
  c: Circuit,
  model: NoiseModel,
  o: { target?: Target; level: OptimizationLevel; dmMax: number; exact?: boolean },
): NoisyCircuit {
  const pick = (k: number): 'density' | 'trajectories' => (k <= o.dmMax ? 'density' : 'trajectories');
  if (!o.target) {
    return { circuit: c, model, logicalToSim: Array.from({ length: c.numQubits }, (_, i) => i), engine: pick(c.numQubits) };
  }
  // The model's rules name the target's native gates on physical qubits: compile first. Final
  // measurements are taken off and re-attached where their qubits end up, so routing cannot leave
  // a SWAP behind a measurement (the engines need measurements last); mid-circuit measurements
  // stay in and are routed with the gates.
  const measured = withMeasurements(c);
  const split = o.exact ? undefined : splitTerminal(measured);
  const body = o.exact
    ? withoutMeasurements(c)
    : split?.unitary
      ? makeCircuit(measured.numQubits, measured.numClbits, split.unitary)
      : measured;
  const nativized = isIsa(body, o.target) ? body : nativizeOneQubitGates(body, o.target);
  const compiled = nativized ? asCompiled(nativized) : compile(body, o.target, { level: o.level, seed: 0 });
  const initial = compiled.initialLayout.length ? compiled.initialLayout : Array.from({ length: c.numQubits }, (_, i) => i);
  const final = compiled.finalPermutation.length ? compiled.finalPermutation : initial;
  const tail: Instruction[] = split?.unitary
    ? split.measurements.map((m) => ({ op: 'measure', qubits: [final[m.qubit] as number], params: [], clbits: [m.clbit] }))
    : [];
  const r = {
    ...compiled,
    circuit: makeCircuit(compiled.circuit.numQubits, Math.max(compiled.circuit.numClbits, measured.numClbits), [
      ...compiled.circuit.ops,
      ...tail,
    ]),
  };
  // Simulate only what matters: qubits the compiled circuit touches, plus where the user's touched
  // qubits start and end. Declared-but-idle qubits (a circuit placed on $96 declares 97) stay out:
  // they are |0> throughout, which remapObservable accounts for.
  const touched = new Set<number>();
  for (const ins of c.ops) for (const q of ins.qubits) touched.add(q);
  const used = new Set<number>();
  for (const q of touched) {
    if (initial[q] !== undefined) used.add(initial[q]);
    if (final[q] !== undefined) used.add(final[q]);
  }
  for (const ins of r.circuit.ops) for (const q of ins.qubits) used.add(q);
  if (used.size === 0) used.add(initial[0] ?? 0);
  const physical = [...used].sort((a, b) => a - b);
  const index = new Map(physical.map((q, k) => [q, k]));
  const ops = r.circuit.ops.map((ins) => ({ ...ins, qubits: ins.qubits.map((q) => index.get(q) as number) }));
  const circuit = makeCircuit(physical.length, r.circuit.numClbits, ops);
  return {
    circuit,
    model: restrictModel(model, physical),
    logicalToSim: final.map((q, logical) => (touched.has(logical) ? (index.get(q) ?? -1) : -1)),
    engine: pick(physical.length),
    layout: { physical, initialLayout: initial, finalPermutation: final },
  };
}

/** An observable on logical qubits moved to the simulated qubits they end on. */
export function remapObservable(obs: PauliSum, logicalToSim: readonly number[], numQubits: number): PauliSum {
  const support = pauliSupport(obs);
  if (support >= numQubits) throw validationError(`observable acts on qubit ${support} but the circuit has ${numQubits} qubits`);
  const width = Math.max(1, ...logicalToSim.map((q) => q + 1));
  const out: { coeff: number; pauli: string }[] = [];
  for (const t of obs) {
    const chars = new Array<string>(width).fill('I');
    let zero = false;
    for (let q = 0; q < numQubits; q++) {
      const p = pauliAt(t.pauli, q);
      if (p === 'I') continue;
      const sim = logicalToSim[q] ?? -1;
      // An idle qubit is |0>: Z contributes +1, X and Y make the whole term vanish.
      if (sim < 0) zero ||= p !== 'Z';
      else chars[width - 1 - sim] = p;
    }
    if (!zero) out.push({ coeff: t.coeff, pauli: chars.join('') });
  }
  // Keep the sum well-formed when every term vanished.
  return out.length ? out : [{ coeff: 0, pauli: 'I'.repeat(width) }];
}
