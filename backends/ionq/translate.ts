import { QError, isConstant, makeCircuit, unrollInstruction, type Angle, type Circuit, type Instruction } from '../../src/index.js';

/**
 * qbridge IR <-> IonQ's `ionq.circuit.v1` JSON gates (v0.4 spec `Gate_QisGate`, `Gate_NativeGate`).
 *
 * Conventions that differ from ours, all handled here:
 * - QIS rotations (`rotation`) are radians, like ours; native `phase`, `phases` and the MS `angle` are
 *   TURNS (the spec: "Interaction angle for ms gate (in turns, default 0.25)"), so radians / 2π.
 * - IonQ measures every qubit and ignores measurements in JSON circuits, so measurements never travel:
 *   they become a qubit -> classical-bit map that the result decoder applies. That only makes sense
 *   for terminal measurements, so a gate after a measurement (or a reset) is refused here.
 * - Controlled gates are a gate with `controls` (or `control`), e.g. CCX = `{gate:"x", controls:[a,b], target:c}`.
 */
export type QisGateName =
  | 'x'
  | 'y'
  | 'z'
  | 'rx'
  | 'ry'
  | 'rz'
  | 'h'
  | 's'
  | 'si'
  | 'v'
  | 'vi'
  | 't'
  | 'ti'
  | 'not'
  | 'cnot'
  | 'swap'
  | 'xx'
  | 'yy'
  | 'zz'
  | 'pauliexp';

export interface IonqGate {
  gate: string;
  target?: number;
  targets?: number[];
  control?: number;
  controls?: number[];
  rotation?: number;
  phase?: number;
  phases?: number[];
  angle?: number;
}

/** Classical bit `clbit` receives the measured value of `qubit`. */
export interface MeasureMap {
  /** Number of classical bits of the circuit (the width of every counts key). */
  readonly numClbits: number;
  /** [qubit, clbit] pairs. */
  readonly pairs: readonly (readonly [number, number])[];
}

export interface IonqCircuitJson {
  /** Qubits the circuit spans (IonQ's `qubits`). */
  readonly qubits: number;
  readonly gates: IonqGate[];
  readonly measure: MeasureMap;
}

const TAU = 2 * Math.PI;

/** Radians -> turns in [0, 1). */
export function toTurns(radians: number): number {
  const t = radians / TAU;
  const r = t - Math.floor(t);
  // 0.9999999999999999 is 0 turns: keep the JSON clean and the value canonical.
  return Math.abs(r - 1) < 1e-12 || Math.abs(r) < 1e-12 ? 0 : r;
}

function num(a: Angle, where: string): number {
  if (!isConstant(a))
    throw new QError('VALIDATION', `IonQ: ${where} has an unbound parameter; IonQ takes no parametric inputs, bind it first`);
  return a;
}

/** Plain 1-qubit gates: IR name -> QIS name. */
const QIS_ONE: Readonly<Record<string, QisGateName>> = {
  x: 'x',
  y: 'y',
  z: 'z',
  h: 'h',
  s: 's',
  sdg: 'si',
  t: 't',
  tdg: 'ti',
  sx: 'v',
  sxdg: 'vi',
};
const QIS_ROT: Readonly<Record<string, QisGateName>> = { rx: 'rx', ry: 'ry', rz: 'rz' };
/** IR controlled gates that are a QIS gate with one control. */
const QIS_CONTROLLED: Readonly<Record<string, QisGateName>> = { cx: 'x', CX: 'x', cy: 'y', cz: 'z', crx: 'rx', cry: 'ry', crz: 'rz' };
const QIS_TWO: Readonly<Record<string, QisGateName>> = { rxx: 'xx', ryy: 'yy', rzz: 'zz' };

/**
 * Collects terminal measurements into a map and checks nothing quantum follows them; returns the
 * circuit's gate instructions (measure, barrier and global phase removed).
 */
export function splitMeasurements(c: Circuit, what = 'circuit'): { gates: Instruction[]; measure: MeasureMap } {
  const measured = new Set<number>();
  const byClbit = new Map<number, number>();
  const gates: Instruction[] = [];
  c.ops.forEach((ins, i) => {
    if (ins.op === 'measure') {
      const q = ins.qubits[0];
      const cb = ins.clbits?.[0] ?? q;
      measured.add(q);
      byClbit.set(cb, q);
      return;
    }
    if (ins.op === 'barrier' || ins.op === 'gphase' || ins.op === 'id' || ins.op === 'delay') return;
    if (ins.op === 'reset') {
      throw new QError('UNSUPPORTED', `IonQ: ${what}, instruction ${i}: reset is not available through the JSON circuit input`, {
        details: { index: i },
      });
    }
    const after = ins.qubits.find((q) => measured.has(q));
    if (after !== undefined) {
      throw new QError(
        'UNSUPPORTED',
        `IonQ: ${what}, instruction ${i} (${ins.op}) acts on qubit ${after} after it was measured; IonQ measures all qubits at the end, so only terminal measurements are supported`,
        { details: { index: i, qubit: after } },
      );
    }
    gates.push(ins);
  });
  const pairs = [...byClbit.entries()].sort((a, b) => a[0] - b[0]).map(([cb, q]) => [q, cb] as const);
  return { gates, measure: { numClbits: c.numClbits, pairs } };
}

/** A bound circuit as QIS gates (IonQ compiles them to its native set). */
export function toQis(c: Circuit, what = 'circuit'): IonqCircuitJson {
  const { gates, measure } = splitMeasurements(c, what);
  const out: IonqGate[] = [];
  const emit = (ins: Instruction, index: number, depth: number): void => {
    const k = ins.ctrl ?? 0;
    const allOnes = (ins.ctrlState ?? (1 << k) - 1) === (1 << k) - 1;
    const controls = ins.qubits.slice(0, k);
    const own = ins.qubits.slice(k);
    const ctl = (g: IonqGate): IonqGate => {
      if (controls.length === 1) g.control = controls[0];
      else if (controls.length > 1) g.controls = [...controls];
      return g;
    };
    const where = `${what}, instruction ${index} (${ins.op})`;
    if (allOnes && QIS_ONE[ins.op]) {
      out.push(ctl({ gate: QIS_ONE[ins.op], target: own[0] }));
      return;
    }
    if (allOnes && QIS_ROT[ins.op]) {
      out.push(ctl({ gate: QIS_ROT[ins.op], target: own[0], rotation: num(ins.params[0], where) }));
      return;
    }
    if (k === 0 && QIS_CONTROLLED[ins.op]) {
      const g: IonqGate = { gate: ins.op === 'cx' || ins.op === 'CX' ? 'cnot' : QIS_CONTROLLED[ins.op], control: own[0], target: own[1] };
      if (ins.params.length) g.rotation = num(ins.params[0], where);
      out.push(g);
      return;
    }
    if (ins.op === 'ccx' && k === 0) {
      out.push({ gate: 'x', controls: [own[0], own[1]], target: own[2] });
      return;
    }
    if (k === 0 && ins.op === 'swap') {
      out.push({ gate: 'swap', targets: [own[0], own[1]] });
      return;
    }
    if (k === 0 && QIS_TWO[ins.op]) {
      out.push({ gate: QIS_TWO[ins.op], targets: [own[0], own[1]], rotation: num(ins.params[0], where) });
      return;
    }
    if (k === 0 && ins.op === 'U') {
      // U(θ, φ, λ) = Rz(φ) Ry(θ) Rz(λ) up to a global phase; λ acts first.
      const [theta, phi, lambda] = ins.params.map((p) => num(p, where));
      const q = own[0];
      if (!nearZero(lambda)) out.push({ gate: 'rz', target: q, rotation: lambda });
      if (!nearZero(theta)) out.push({ gate: 'ry', target: q, rotation: theta });
      if (!nearZero(phi)) out.push({ gate: 'rz', target: q, rotation: phi });
      return;
    }
    if (depth > 0) throw new QError('UNSUPPORTED', `IonQ: ${where}: no QIS form`, { details: { index } });
    // Everything else (u, p, ch, cswap, ecr, iswap, unitary, gpi..., negated controls) goes through
    // the compiler's exact unrolling to U + CX, which QIS has.
    const parts: Instruction[] = [];
    unrollInstruction(ins, index, parts);
    for (const p of parts) if (p.op !== 'gphase') emit(p, index, depth + 1);
  };
  gates.forEach((ins, i) => emit(ins, i, 0));
  return { qubits: Math.max(1, c.numQubits), gates: out, measure };
}

function nearZero(a: number): boolean {
  const r = a - TAU * Math.round(a / TAU);
  return Math.abs(r) < 1e-12;
}

/**
 * A bound circuit already compiled to gpi/gpi2/ms (`compile(c, ionqTarget)`) as native JSON gates.
 * MS with a negative interaction angle is MS with φ0 + π (the sine term changes sign); IonQ accepts
 * angles in (0, 0.25] turns, so anything wider is refused rather than silently changed.
 */
export function toNative(c: Circuit, what = 'circuit'): IonqCircuitJson {
  const { gates, measure } = splitMeasurements(c, what);
  const out: IonqGate[] = gates.map((ins, i) => {
    const where = `${what}, native instruction ${i} (${ins.op})`;
    if ((ins.ctrl ?? 0) !== 0) throw new QError('COMPILE', `IonQ: ${where} carries controls; compile to gpi/gpi2/ms first`);
    if (ins.op === 'gpi' || ins.op === 'gpi2') return { gate: ins.op, target: ins.qubits[0], phase: toTurns(num(ins.params[0], where)) };
    if (ins.op === 'ms') {
      let phi0 = num(ins.params[0], where);
      const phi1 = num(ins.params[1], where);
      let theta = num(ins.params[2], where);
      if (theta < 0) {
        theta = -theta;
        phi0 += Math.PI;
      }
      const angle = theta / TAU;
      if (angle > 0.25 + 1e-12 || angle < 1e-12)
        throw new QError('COMPILE', `IonQ: ${where}: MS angle ${angle} turns is outside IonQ's (0, 0.25]`, { details: { index: i } });
      const g: IonqGate = { gate: 'ms', targets: [ins.qubits[0], ins.qubits[1]], phases: [toTurns(phi0), toTurns(phi1)] };
      if (Math.abs(angle - 0.25) > 1e-12) g.angle = angle;
      return g;
    }
    throw new QError('COMPILE', `IonQ: ${where} is not an IonQ native gate (gpi, gpi2, ms); compile to the ionq target first`, {
      details: { index: i },
    });
  });
  return { qubits: Math.max(1, c.numQubits), gates: out, measure };
}

/** The number of gates IonQ counts against its per-job limit. */
export function gateCount(j: IonqCircuitJson): number {
  return j.gates.length;
}

// ---------------------------------------------------------------------------------------------
// IonQ JSON -> IR (the emulator runs what the adapter sends; also a check of the translation).

const FROM_QIS_ONE: Readonly<Record<string, string>> = {
  x: 'x',
  not: 'x',
  y: 'y',
  z: 'z',
  h: 'h',
  s: 's',
  si: 'sdg',
  t: 't',
  ti: 'tdg',
  v: 'sx',
  vi: 'sxdg',
};

/**
 * Parses IonQ JSON gates into a circuit over `qubits` qubits with every qubit measured into the
 * classical bit of the same index (IonQ measures all qubits). Unknown gates or fields are a
 * VALIDATION error naming the gate's index, as IonQ's validation would fail the job.
 */
export function circuitFromIonq(gates: readonly IonqGate[], qubits: number, gateset: 'qis' | 'native'): Circuit {
  const ops: Instruction[] = [];
  const bad = (i: number, why: string): QError =>
    new QError('VALIDATION', `circuit gate ${i} (${gates[i]?.gate}): ${why}`, { details: { index: i } });
  gates.forEach((g, i) => {
    const controls = g.controls ?? (g.control !== undefined ? [g.control] : []);
    const targets = g.targets ?? (g.target !== undefined ? [g.target] : []);
    if (targets.length === 0) throw bad(i, 'no target');
    const ctl = (op: string, own: number[], params: number[] = []): Instruction =>
      controls.length ? { op, qubits: [...controls, ...own], params, ctrl: controls.length } : { op, qubits: own, params };
    if (gateset === 'native') {
      if (g.gate === 'gpi' || g.gate === 'gpi2') {
        if (typeof g.phase !== 'number') throw bad(i, 'phase (turns) is required');
        ops.push({ op: g.gate, qubits: [targets[0]], params: [g.phase * TAU] });
      } else if (g.gate === 'ms') {
        if (targets.length !== 2 || !g.phases || g.phases.length !== 2) throw bad(i, 'ms needs targets [a, b] and phases [p0, p1]');
        const angle = g.angle ?? 0.25;
        if (!(angle > 0 && angle <= 0.25)) throw bad(i, `ms angle ${angle} is outside (0, 0.25] turns`);
        ops.push({ op: 'ms', qubits: [targets[0], targets[1]], params: [g.phases[0] * TAU, g.phases[1] * TAU, angle * TAU] });
      } else if (g.gate === 'zz') {
        if (targets.length !== 2 || typeof g.angle !== 'number') throw bad(i, 'zz needs targets [a, b] and angle (turns)');
        // ZZ(θ) = exp(-iπθ Z⊗Z) with θ in turns = rzz(2πθ).
        ops.push({ op: 'rzz', qubits: [targets[0], targets[1]], params: [g.angle * TAU] });
      } else if (g.gate !== 'nop') throw bad(i, 'not a native gate (gpi, gpi2, ms, zz, nop)');
      return;
    }
    if (FROM_QIS_ONE[g.gate]) ops.push(ctl(FROM_QIS_ONE[g.gate], [targets[0]]));
    else if (g.gate === 'cnot') {
      if (controls.length === 0) throw bad(i, 'cnot needs a control');
      ops.push(ctl('x', [targets[0]]));
    } else if (g.gate === 'rx' || g.gate === 'ry' || g.gate === 'rz') {
      if (typeof g.rotation !== 'number') throw bad(i, 'rotation (radians) is required');
      ops.push(ctl(g.gate, [targets[0]], [g.rotation]));
    } else if (g.gate === 'swap') {
      if (targets.length !== 2) throw bad(i, 'swap needs two targets');
      ops.push(ctl('swap', targets));
    } else if (g.gate === 'xx' || g.gate === 'yy' || g.gate === 'zz') {
      if (targets.length !== 2 || typeof g.rotation !== 'number') throw bad(i, `${g.gate} needs two targets and a rotation`);
      ops.push(ctl(`r${g.gate}`, targets, [g.rotation]));
    } else throw bad(i, `unsupported gate '${g.gate}'`);
  });
  for (let q = 0; q < qubits; q++) ops.push({ op: 'measure', qubits: [q], params: [], clbits: [q] });
  return makeCircuit(qubits, qubits, ops);
}
