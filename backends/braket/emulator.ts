import { randomUUID } from 'node:crypto';
import {
  IQM_GARNET_CAPABILITIES,
  RIGETTI_ANKAA_CAPABILITIES,
  createRng,
  makeCircuit,
  noiseFromTarget,
  presetTarget,
  supports,
  type Backend,
  type Bindings,
  type BraketCapabilities,
  type Circuit,
  type NoiseModel,
  type NoiseRule,
  type RunRequest,
  type Target,
} from '../../src/index.js';
import { EmulatedJobs, type EmulatedJob } from '../common/emulatedJobs.js';
import { EmulatorServer, type EmulatorReply, type EmulatorRequest, type EmulatorRoute } from '../common/emulatorServer.js';
import { FaultPlan } from '../common/faults.js';
import { LocalBackend, restrictModel } from '../local/index.js';
import { BRAKET_DEVICES } from './devices.js';
import { lowerNoisyProgram, mergeRules } from './noisePragmas.js';

/**
 * A local Amazon Braket: the REST subset qbridge uses (CreateQuantumTask, GetQuantumTask,
 * CancelQuantumTask, GetDevice, SearchDevices) and an S3 path-style GET for results, on 127.0.0.1,
 * computed by the local simulators.
 *
 * What it holds to, as the real service does (research/providers.md §3): SigV4 `Authorization`
 * headers (presence and scope: service `braket`, or `s3` for results; any non-empty key is accepted,
 * the signature is not verified), `clientToken` idempotency (the same token returns the same task),
 * `action` and `deviceParameters` as JSON strings, status CREATED -> QUEUED -> RUNNING -> COMPLETED
 * (CANCELLING -> CANCELLED), a 404 on the first read after a create (eventual consistency),
 * `results.json` with `measurements` + `measuredQubits` (measuredQubits[0] LEFTMOST), program sets on
 * every device, DM1 noise pragmas, verbatim boxes checked against the device's native gates and
 * couplers. Devices: SV1, DM1, and one Rigetti, IonQ and IQM QPU with the noise of their preset targets.
 */
export interface BraketEmulatorOptions {
  readonly port?: number;
  /** Simulate SV1 under this preset's noise (QPUs always use their own). */
  readonly noiseFrom?: string;
  readonly faults?: string;
  /** Status reads spent in QUEUED and in RUNNING (default 1). */
  readonly pollsPerStep?: number;
  /** Status reads answered 404 right after a create (default 1). */
  readonly notFoundReads?: number;
  /** Program-set results as separate S3 files referenced by relative path (the form large results take). */
  readonly programResultsInS3?: boolean;
}

export interface BraketEmulator {
  readonly url: string;
  readonly server: EmulatorServer;
  /** Variables that point the adapter here (QBRIDGE_BRAKET_URL, QBRIDGE_S3_URL, bucket, region, dummy keys). */
  readonly env: Record<string, string>;
  /** Distinct quantum tasks created. */
  tasks(): number;
  close(): Promise<void>;
}

export const EMULATOR_ACCOUNT = '123456789012';
export const EMULATOR_BUCKET = `amazon-braket-us-east-1-${EMULATOR_ACCOUNT}`;
const DEFAULT_REGION = 'us-east-1';

interface DeviceSpec {
  readonly arn: string;
  readonly name: string;
  readonly provider: string;
  readonly type: 'QPU' | 'SIMULATOR';
  readonly capabilities: Record<string, unknown>;
  /** QPUs: the preset the device is modelled on. */
  readonly target?: Target;
  /** Devices whose results come as outcome probabilities (IonQ on Braket). */
  readonly probabilities?: boolean;
  readonly simulatorQubits?: number;
}

const PROGRAM_SET_ACTION = {
  actionType: 'braket.ir.openqasm.program_set',
  version: ['1'],
  // The figures the Braket schemas' own fixtures use for QPUs; the managed simulators' are not published.
  maximumExecutables: 500,
  maximumTotalShots: 1_000_000,
};

function service(maxShots: number, minShots: number): Record<string, unknown> {
  return {
    braketSchemaHeader: { name: 'braket.device_schema.device_service_properties', version: '1' },
    executionWindows: [{ executionDay: 'Everyday', windowStartHour: '00:00:00', windowEndHour: '23:59:59' }],
    shotsRange: [minShots, maxShots],
    getTaskPollIntervalMillis: 100,
    updatedAt: '2026-08-01T00:00:00+00:00',
  };
}

function programAction(ops: readonly string[], physical: boolean): Record<string, unknown> {
  return {
    actionType: 'braket.ir.openqasm.program',
    version: ['1'],
    supportedOperations: ops,
    supportedModifiers: [],
    supportedPragmas: physical ? ['verbatim'] : ['braket_unitary_matrix', 'braket_result_type_probability'],
    forbiddenPragmas: [],
    supportPhysicalQubits: physical,
    requiresAllQubitsMeasurement: false,
    requiresContiguousQubitIndices: !physical,
    supportsPartialVerbatimBox: false,
    supportsUnassignedMeasurements: true,
    disabledQubitRewiringSupported: physical,
  };
}

const SIM_OPS = [
  'ccnot',
  'cnot',
  'cphaseshift',
  'cswap',
  'cy',
  'cz',
  'h',
  'i',
  'iswap',
  'phaseshift',
  'rx',
  'ry',
  'rz',
  's',
  'si',
  'swap',
  't',
  'ti',
  'v',
  'vi',
  'x',
  'xx',
  'y',
  'yy',
  'z',
  'zz',
  'U',
  'gphase',
];

function qpuCaps(caps: BraketCapabilities, header: string, ops: readonly string[]): Record<string, unknown> {
  return {
    braketSchemaHeader: { name: header, version: '1' },
    service: service(100_000, 1),
    action: { 'braket.ir.openqasm.program': programAction(ops, true), 'braket.ir.openqasm.program_set': PROGRAM_SET_ACTION },
    paradigm: { braketSchemaHeader: { name: 'braket.device_schema.gate_model_qpu_paradigm_properties', version: '1' }, ...caps.paradigm },
    ...(caps.standardized
      ? {
          standardized: {
            braketSchemaHeader: { name: 'braket.device_schema.standardized_gate_model_qpu_device_properties', version: '2' },
            ...caps.standardized,
          },
        }
      : {}),
    deviceParameters: {},
  };
}

function simCaps(qubits: number, noisy: boolean): Record<string, unknown> {
  return {
    braketSchemaHeader: { name: 'braket.device_schema.simulators.gate_model_simulator_device_capabilities', version: '1' },
    service: service(100_000, 0),
    action: {
      'braket.ir.openqasm.program': {
        ...programAction(SIM_OPS, false),
        ...(noisy
          ? {
              supportedPragmas: [
                'braket_noise_bit_flip',
                'braket_noise_depolarizing',
                'braket_noise_kraus',
                'braket_noise_amplitude_damping',
              ],
            }
          : {}),
      },
      'braket.ir.openqasm.program_set': PROGRAM_SET_ACTION,
    },
    paradigm: {
      braketSchemaHeader: { name: 'braket.device_schema.simulators.gate_model_simulator_paradigm_properties', version: '1' },
      qubitCount: qubits,
    },
    deviceParameters: {},
  };
}

/** The devices served (built once: presets are shared and frozen). */
function devices(): DeviceSpec[] {
  const ionqTarget = presetTarget('ionq_forte');
  return [
    {
      arn: BRAKET_DEVICES.sv1,
      name: 'SV1',
      provider: 'Amazon Braket',
      type: 'SIMULATOR',
      capabilities: simCaps(34, false),
      simulatorQubits: 34,
    },
    {
      arn: BRAKET_DEVICES.dm1,
      name: 'DM1',
      provider: 'Amazon Braket',
      type: 'SIMULATOR',
      capabilities: simCaps(17, true),
      simulatorQubits: 17,
    },
    {
      arn: BRAKET_DEVICES.rigetti,
      name: 'Cepheus-1-108Q',
      provider: 'Rigetti',
      type: 'QPU',
      // The preset is an Ankaa-class lattice: the emulated device has its topology, not Cepheus's.
      capabilities: qpuCaps(RIGETTI_ANKAA_CAPABILITIES, 'braket.device_schema.rigetti.rigetti_device_capabilities', [
        'rx',
        'rz',
        'iswap',
        'cz',
        'h',
        'cnot',
        'x',
        'y',
        'z',
      ]),
      target: presetTarget('rigetti'),
    },
    {
      arn: BRAKET_DEVICES.ionq,
      name: 'Forte-1',
      provider: 'IonQ',
      type: 'QPU',
      capabilities: qpuCaps(
        {
          paradigm: {
            qubitCount: ionqTarget.numQubits,
            nativeGateSet: ['GPi', 'GPi2', 'MS'],
            connectivity: { fullyConnected: true, connectivityGraph: {} },
          },
        },
        'braket.device_schema.ionq.ionq_device_capabilities',
        ['x', 'y', 'z', 'rx', 'ry', 'rz', 'h', 'cnot', 's', 'si', 't', 'ti', 'v', 'vi', 'xx', 'yy', 'zz', 'swap', 'gpi', 'gpi2', 'ms'],
      ),
      target: ionqTarget,
      probabilities: true,
    },
    {
      arn: BRAKET_DEVICES.iqm,
      name: 'Garnet',
      provider: 'IQM',
      type: 'QPU',
      capabilities: qpuCaps(IQM_GARNET_CAPABILITIES, 'braket.device_schema.iqm.iqm_device_capabilities', [
        'ccnot',
        'cnot',
        'cphaseshift',
        'cz',
        'h',
        'prx',
        'rx',
        'ry',
        'rz',
        'x',
        'y',
        'z',
      ]),
      target: presetTarget('iqm_garnet'),
    },
  ];
}

interface TaskMeta {
  readonly arn: string;
  readonly token: string;
  readonly body: Record<string, unknown>;
  readonly device: DeviceSpec;
  readonly programs: { source: string; inputs: Record<string, unknown>; measured: { qubit: number; clbit: number }[]; numClbits: number }[];
  readonly programSet: boolean;
  readonly shotsPerExecutable: number;
  readonly outputS3Directory: string;
  reads: number;
  cancelling: number;
  wasRunning: boolean;
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

function err(status: number, type: string, message: string, extra: Record<string, unknown> = {}): EmulatorReply {
  return { status, body: { message, ...extra }, headers: { 'x-amzn-errortype': `${type}:` } };
}

function s3Error(status: number, code: string, message: string): EmulatorReply {
  return {
    status,
    raw: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`,
    headers: { 'content-type': 'application/xml' },
  };
}

const SIGV4 =
  /^AWS4-HMAC-SHA256 Credential=([^/,]*)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

/** Checks a SigV4 header's presence and scope; a reply when it is missing or wrong. */
function authorize(req: EmulatorRequest): EmulatorReply | undefined {
  const s3 = req.path.startsWith('/s3/');
  const deny = (code: string, msg: string): EmulatorReply => (s3 ? s3Error(403, code, msg) : err(403, code, msg));
  const h = req.headers['authorization'];
  if (typeof h !== 'string' || h === '') return deny('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const m = SIGV4.exec(h);
  if (!m) return deny('IncompleteSignatureException', 'Authorization header is not a SigV4 signature');
  if (m[1] === '') return deny('UnrecognizedClientException', 'The security token included in the request is invalid.');
  const want = s3 ? 's3' : 'braket';
  if (m[4] !== want) return deny('InvalidSignatureException', `Credential should be scoped to correct service: '${want}'.`);
  if (!m[5].split(';').includes('host') || !req.headers['x-amz-date'])
    return deny('IncompleteSignatureException', 'host and x-amz-date must be signed');
  return undefined;
}

function str(body: Record<string, unknown>, key: string, min: number, max: number, required = true): string | undefined {
  const v = body[key];
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || v.length < min || v.length > max)
    throw new Refusal(400, 'ValidationException', `${key} must be a string of ${min} to ${max} characters`);
  return v;
}

/** A program's measure statements and executions (its input values, one binding each). */
function programBindings(p: Record<string, unknown>, set: boolean, where: string): Bindings[] {
  const inputs = (p['inputs'] ?? {}) as Record<string, unknown>;
  if (inputs === null || typeof inputs !== 'object') throw new Refusal(400, 'ValidationException', `${where}: inputs must be an object`);
  const names = Object.keys(inputs);
  if (!set) {
    const b: Record<string, number> = {};
    for (const n of names) {
      if (typeof inputs[n] !== 'number') throw new Refusal(400, 'ValidationException', `${where}: input ${n} must be a number`);
      b[n] = inputs[n] as number;
    }
    return [b];
  }
  if (names.length === 0) return [{}];
  const lengths = new Set(names.map((n) => (Array.isArray(inputs[n]) ? (inputs[n] as unknown[]).length : -1)));
  if (lengths.has(-1) || lengths.size !== 1) {
    throw new Refusal(400, 'ValidationException', 'All Program inputs must be lists of the same length when using ProgramSet', {
      reason: 'ProgramSetValidationFailed',
      programSetValidationFailures: [
        { programIndex: Number(where.replace(/\D/g, '')) || 0, errors: ['inputs must be lists of equal length'] },
      ],
    });
  }
  const len = [...lengths][0];
  return Array.from({ length: len }, (_, i) => {
    const b: Record<string, number> = {};
    for (const n of names) b[n] = (inputs[n] as number[])[i];
    return b;
  });
}

/** Shots rows in Braket's layout from qbridge counts: column j is measured[j]'s classical bit. */
function rowsFromCounts(
  counts: Readonly<Record<string, number>>,
  measured: readonly { clbit: number }[],
  numClbits: number,
  seed: number,
): number[][] {
  const rows: number[][] = [];
  for (const [key, n] of Object.entries(counts)) {
    const row = measured.map((m) => (key[numClbits - 1 - m.clbit] === '1' ? 1 : 0));
    for (let i = 0; i < n; i++) rows.push(row);
  }
  // Shots come in time order on the service, not grouped by outcome.
  const rng = createRng(seed);
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  return rows;
}

export async function startBraketEmulator(options: BraketEmulatorOptions = {}): Promise<BraketEmulator> {
  const faults = FaultPlan.from(options.faults);
  const specs = devices();
  const byArn = new Map(specs.map((d) => [d.arn, d]));
  const deviceNoise = new Map<string, NoiseModel>();
  const noiseOf = (t: Target): NoiseModel => {
    let m = deviceNoise.get(t.name);
    if (!m) deviceNoise.set(t.name, (m = noiseFromTarget(t)));
    return m;
  };
  const sv1Noise = options.noiseFrom ? { target: presetTarget(options.noiseFrom) } : undefined;
  const backends = new Map<string, Backend>();
  const jobs = new EmulatedJobs<TaskMeta>({
    backendFor: (key) => {
      const b = backends.get(key);
      if (!b) throw new Error(`no simulator prepared for ${key}`);
      return b;
    },
    faults,
    pollsPerStep: options.pollsPerStep ?? 1,
  });
  const tokens = new Map<string, string>();
  const notFoundReads = options.notFoundReads ?? 1;

  /** The simulator and request for a task (programs parsed, pragmas and verbatim boxes honoured). */
  const prepare = (
    id: string,
    device: DeviceSpec,
    programs: { source: string; bindings: Bindings[] }[],
    shots: number,
  ): { request: RunRequest; measured: TaskMeta['programs'] } => {
    const parsed = programs.map((p, i) => {
      let np;
      try {
        np = lowerNoisyProgram(p.source);
      } catch (e) {
        throw new Refusal(400, 'ValidationException', `program ${i}: ${(e as Error).message}`);
      }
      if (np.pragmaCount > 0 && device.arn !== BRAKET_DEVICES.dm1) {
        throw new Refusal(400, 'ValidationException', `program ${i}: noise pragmas are supported only on DM1`);
      }
      const physical = /\$\d+/.test(p.source);
      const measured: { qubit: number; clbit: number }[] = [];
      for (const op of np.circuit.ops)
        if (op.op === 'measure') op.qubits.forEach((q, k) => measured.push({ qubit: q, clbit: (op.clbits ?? [])[k] }));
      const numClbits = Math.max(np.circuit.numClbits, measured.length ? 0 : np.circuit.numQubits);
      if (measured.length === 0) for (let q = 0; q < np.circuit.numQubits; q++) measured.push({ qubit: q, clbit: q });
      return { ...np, physical, measured, numClbits, source: p.source, bindings: p.bindings };
    });
    const t = device.target;
    let circuits: Circuit[] = parsed.map((p) => p.circuit);
    let backend: Backend;
    if (device.type === 'SIMULATOR') {
      const width = Math.max(...circuits.map((c) => c.numQubits));
      if (width > (device.simulatorQubits ?? 34))
        throw new Refusal(400, 'ValidationException', `${device.name} simulates at most ${device.simulatorQubits} qubits`);
      if (device.arn === BRAKET_DEVICES.dm1) {
        let model: NoiseModel;
        try {
          model = mergeRules(
            `DM1 task ${id}`,
            parsed.map((p) => p.rules as NoiseRule[]),
          );
        } catch (e) {
          throw new Refusal(400, 'ValidationException', (e as Error).message);
        }
        backend = new LocalBackend({ noise: model, densityMatrixMaxQubits: 17 });
      } else if (sv1Noise) {
        backend = new LocalBackend({ noise: noiseOf(sv1Noise.target), target: sv1Noise.target });
      } else backend = new LocalBackend();
    } else if (parsed.every((p) => p.physical)) {
      // Verbatim: run exactly these gates on these qubits, under the device's noise on them.
      const target = t as Target;
      const labels = target.qubitLabels ?? Array.from({ length: target.numQubits }, (_, i) => String(i));
      const index = new Map(labels.map((l, i) => [Number(l), i]));
      const used = new Set<number>();
      circuits = circuits.map((c, pi) =>
        makeCircuit(
          target.numQubits,
          c.numClbits,
          c.ops.map((ins, k) => {
            const qs = ins.qubits.map((q) => {
              const i = index.get(q);
              if (i === undefined)
                throw new Refusal(400, 'ValidationException', `program ${pi}: qubit $${q} does not exist on ${device.name}`);
              used.add(i);
              return i;
            });
            if (ins.op !== 'measure' && ins.op !== 'barrier' && !supports(target, ins.op, qs)) {
              throw new Refusal(
                400,
                'ValidationException',
                `program ${pi}, instruction ${k}: ${ins.op} on $${ins.qubits.join(', $')} is not a native operation of ${device.name}`,
              );
            }
            return { ...ins, qubits: qs };
          }),
        ),
      );
      const physical = [...used].sort((a, b) => a - b);
      const compact = new Map(physical.map((q, k) => [q, k]));
      circuits = circuits.map((c) =>
        makeCircuit(
          physical.length,
          c.numClbits,
          c.ops.map((ins) => ({ ...ins, qubits: ins.qubits.map((q) => compact.get(q) as number) })),
        ),
      );
      backend = new LocalBackend({ noise: restrictModel(noiseOf(target), physical) });
    } else if (parsed.some((p) => p.physical)) {
      throw new Refusal(400, 'ValidationException', 'a task cannot mix programs on physical and on virtual qubits');
    } else {
      // The device's own compiler: compile to it (noise-aware layout) and simulate its noise.
      backend = new LocalBackend({ noise: noiseOf(t as Target), target: t as Target });
    }
    backends.set(id, backend);
    const request: RunRequest = { runs: circuits.map((circuit, i) => ({ circuit, bindings: parsed[i].bindings })), shots };
    return {
      request,
      measured: parsed.map((p) => ({ source: p.source, inputs: {}, measured: p.measured, numClbits: p.numClbits })),
    };
  };

  const create = (req: EmulatorRequest): EmulatorReply => {
    const body = req.json as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object') return err(400, 'ValidationException', 'the body must be a JSON object');
    try {
      const token = str(body, 'clientToken', 1, 64) as string;
      const deviceArn = str(body, 'deviceArn', 1, 256) as string;
      const bucket = str(body, 'outputS3Bucket', 3, 63) as string;
      const prefix = str(body, 'outputS3KeyPrefix', 1, 1024) as string;
      const actionText = str(body, 'action', 1, 10_000_000) as string;
      const dp = str(body, 'deviceParameters', 1, 48_000, false);
      const shots = body['shots'];
      if (typeof shots !== 'number' || !Number.isInteger(shots) || shots < 0)
        throw new Refusal(400, 'ValidationException', 'shots must be a non-negative integer');
      const seen = tokens.get(token);
      if (seen) {
        // Idempotent: the same clientToken names the same task.
        server.countSubmission(token);
        return { status: 201, body: { quantumTaskArn: seen } };
      }
      const device = byArn.get(deviceArn);
      if (!device) throw new Refusal(404, 'ResourceNotFoundException', `Braket device ${deviceArn} not found`);
      if (dp !== undefined) {
        try {
          JSON.parse(dp);
        } catch {
          throw new Refusal(400, 'ValidationException', 'deviceParameters must be a JSON document');
        }
      }
      let action: Record<string, unknown>;
      try {
        action = JSON.parse(actionText) as Record<string, unknown>;
      } catch {
        throw new Refusal(400, 'ValidationException', 'action must be a JSON document (a string holding the program)');
      }
      const header = (action['braketSchemaHeader'] as { name?: string } | undefined)?.name;
      const set = header === 'braket.ir.openqasm.program_set';
      if (!set && header !== 'braket.ir.openqasm.program')
        throw new Refusal(400, 'ValidationException', `unsupported action type ${String(header)}`);
      const raw = set ? ((action['programs'] ?? []) as Record<string, unknown>[]) : [action];
      if (!Array.isArray(raw) || raw.length === 0)
        throw new Refusal(400, 'ValidationException', 'a program set needs at least one program');
      const programs = raw.map((p, i) => {
        if (typeof p['source'] !== 'string') throw new Refusal(400, 'ValidationException', `program ${i}: source must be a string`);
        return {
          source: p['source'],
          inputs: (p['inputs'] ?? {}) as Record<string, unknown>,
          bindings: programBindings(p, set, `program ${i}`),
        };
      });
      const executables = programs.reduce((a, p) => a + p.bindings.length, 0);
      const caps = device.capabilities as { service: { shotsRange: [number, number] } };
      let per = shots;
      if (set) {
        if (executables > PROGRAM_SET_ACTION.maximumExecutables || shots > PROGRAM_SET_ACTION.maximumTotalShots)
          throw new Refusal(
            400,
            'ValidationException',
            `a program set holds at most ${PROGRAM_SET_ACTION.maximumExecutables} executables and ${PROGRAM_SET_ACTION.maximumTotalShots} shots`,
            { reason: 'ProgramSetValidationFailed' },
          );
        if (shots % executables !== 0)
          throw new Refusal(400, 'ValidationException', `shots (${shots}) must be a multiple of the ${executables} executables`);
        per = shots / executables;
      }
      if (per < Math.max(1, caps.service.shotsRange[0]) || per > caps.service.shotsRange[1])
        throw new Refusal(400, 'ValidationException', `shots must be within ${caps.service.shotsRange.join('-')} per execution`);
      const id = randomUUID();
      const region = /^arn:aws:braket:([a-z0-9-]+):/.exec(deviceArn)?.[1] ?? DEFAULT_REGION;
      const arn = `arn:aws:braket:${region || DEFAULT_REGION}:${EMULATOR_ACCOUNT}:quantum-task/${id}`;
      let prepared;
      try {
        prepared = prepare(id, device, programs, per);
      } catch (e) {
        if (e instanceof Refusal) throw e;
        throw new Refusal(400, 'ValidationException', (e as Error).message);
      }
      const meta: TaskMeta = {
        arn,
        token,
        body: { ...body, outputS3Bucket: bucket, outputS3KeyPrefix: prefix },
        device,
        programs: prepared.measured.map((m, i) => ({ ...m, inputs: programs[i].inputs })),
        programSet: set,
        shotsPerExecutable: per,
        outputS3Directory: `${prefix.replace(/\/+$/, '')}/${id}`,
        reads: 0,
        cancelling: 0,
        wasRunning: false,
      };
      jobs.create(id, prepared.request, meta, id);
      tokens.set(token, arn);
      server.countSubmission(token);
      return { status: 201, body: { quantumTaskArn: arn } };
    } catch (e) {
      if (e instanceof Refusal) return err(e.status, e.type, e.message, e.extra);
      throw e;
    }
  };

  const taskId = (arn: string): string | undefined => /quantum-task\/([0-9a-f-]+)$/.exec(arn)?.[1];

  const statusOf = (job: EmulatedJob<TaskMeta>): string => {
    if (job.meta.cancelling === 1 && job.status !== 'done' && job.status !== 'failed' && job.status !== 'cancelled') return 'CANCELLING';
    switch (job.status) {
      case 'queued':
        return 'QUEUED';
      case 'running':
        return 'RUNNING';
      case 'done':
        return 'COMPLETED';
      case 'failed':
        return 'FAILED';
      case 'cancelled':
        return 'CANCELLED';
    }
  };

  const describe = (job: EmulatedJob<TaskMeta>, status: string, queueInfo: boolean): Record<string, unknown> => {
    const m = job.meta;
    const b = m.body;
    return {
      quantumTaskArn: m.arn,
      status,
      ...(job.status === 'failed' ? { failureReason: job.error ?? 'failed' } : {}),
      deviceArn: m.device.arn,
      deviceParameters: typeof b['deviceParameters'] === 'string' ? b['deviceParameters'] : '{}',
      shots: b['shots'],
      outputS3Bucket: b['outputS3Bucket'],
      outputS3Directory: m.outputS3Directory,
      createdAt: job.createdAt.toISOString(),
      ...(job.endedAt ? { endedAt: job.endedAt.toISOString() } : {}),
      tags: (b['tags'] ?? {}) as Record<string, string>,
      ...(queueInfo && status === 'QUEUED' ? { queueInfo: { queue: 'QUANTUM_TASKS_QUEUE', position: '1', queuePriority: 'Normal' } } : {}),
      actionMetadata: {
        actionType: m.programSet ? 'braket.ir.openqasm.program_set' : 'braket.ir.openqasm.program',
        ...(m.programSet
          ? { programCount: m.programs.length, executableCount: job.request.runs.reduce((a, r) => a + (r.bindings?.length ?? 1), 0) }
          : {}),
      },
      ...(job.status === 'done' ? { numSuccessfulShots: b['shots'] } : {}),
    };
  };

  const getTask = async (req: EmulatorRequest): Promise<EmulatorReply> => {
    const id = taskId(req.params['arn'] ?? '');
    const job = id ? jobs.get(id) : undefined;
    if (!job) return err(404, 'ResourceNotFoundException', `Quantum task ${req.params['arn']} not found`);
    const m = job.meta;
    m.reads++;
    if (m.reads <= notFoundReads) return err(404, 'ResourceNotFoundException', `Quantum task ${m.arn} not found`);
    let status: string;
    if (m.reads === notFoundReads + 1 && m.cancelling === 0) status = 'CREATED';
    else if (m.reads === notFoundReads + 2 && m.cancelling === 0 && job.status === 'queued') status = 'QUEUED';
    else if (m.cancelling === 1) {
      status = statusOf(job);
      m.cancelling = 2;
      if (status === 'CANCELLING') jobs.cancel(job.id);
    } else {
      await jobs.poll(job.id);
      status = statusOf(job);
    }
    return { status: 200, body: describe(job, status, req.query.getAll('additionalAttributeNames').includes('QueueInfo')) };
  };

  const cancelTask = (req: EmulatorRequest): EmulatorReply => {
    const id = taskId(req.params['arn'] ?? '');
    const job = id ? jobs.get(id) : undefined;
    if (!job) return err(404, 'ResourceNotFoundException', `Quantum task ${req.params['arn']} not found`);
    const body = req.json as { clientToken?: unknown } | undefined;
    if (!body || typeof body.clientToken !== 'string' || body.clientToken.length < 1 || body.clientToken.length > 64)
      return err(400, 'ValidationException', 'clientToken must be a string of 1 to 64 characters');
    if (job.status === 'done' || job.status === 'failed')
      return err(409, 'ConflictException', `Quantum task ${job.meta.arn} is already in a terminal state`);
    if (job.status === 'cancelled') return { status: 200, body: { quantumTaskArn: job.meta.arn, cancellationStatus: 'CANCELLED' } };
    if (job.meta.cancelling === 0) job.meta.cancelling = 1;
    return { status: 200, body: { quantumTaskArn: job.meta.arn, cancellationStatus: 'CANCELLING' } };
  };

  const getDevice = (req: EmulatorRequest): EmulatorReply => {
    const d = byArn.get(req.params['arn'] ?? '');
    if (!d) return err(404, 'ResourceNotFoundException', `Braket device ${req.params['arn']} not found`);
    const queued = jobs.all().filter((j) => j.meta.device.arn === d.arn && (j.status === 'queued' || j.status === 'running')).length;
    return {
      status: 200,
      body: {
        deviceArn: d.arn,
        deviceName: d.name,
        providerName: d.provider,
        deviceType: d.type,
        deviceStatus: 'ONLINE',
        deviceCapabilities: JSON.stringify(d.capabilities),
        deviceQueueInfo: [
          { queue: 'QUANTUM_TASKS_QUEUE', queueSize: String(queued), queuePriority: 'Normal' },
          { queue: 'QUANTUM_TASKS_QUEUE', queueSize: '0', queuePriority: 'Priority' },
          { queue: 'JOBS_QUEUE', queueSize: '0' },
        ],
      },
    };
  };

  const searchDevices = (req: EmulatorRequest): EmulatorReply => {
    const body = req.json as { filters?: { name: string; values: string[] }[] } | undefined;
    if (!body || !Array.isArray(body.filters)) return err(400, 'ValidationException', 'filters is required');
    const arnFilter = body.filters.find((f) => f.name === 'deviceArn');
    const list = specs.filter((d) => !arnFilter || arnFilter.values.includes(d.arn));
    return {
      status: 200,
      body: {
        devices: list.map((d) => ({
          deviceArn: d.arn,
          deviceName: d.name,
          providerName: d.provider,
          deviceType: d.type,
          deviceStatus: 'ONLINE',
        })),
      },
    };
  };

  /** results.json (and, for program sets in S3 form, the per-program files) of a finished task. */
  const resultFiles = (job: EmulatedJob<TaskMeta>): Map<string, unknown> => {
    const m = job.meta;
    const files = new Map<string, unknown>();
    const missing = job.fault === 'missing-register';
    const created = job.createdAt.toISOString();
    const ended = (job.endedAt ?? new Date()).toISOString();
    const res = job.result;
    if (!res) return files;
    const seed = job.id.split('').reduce((a, ch) => (a * 31 + ch.charCodeAt(0)) >>> 0, 7);
    const measurementsOf = (p: TaskMeta['programs'][number], counts: Readonly<Record<string, number>> | undefined, k: number) => {
      const measuredQubits = p.measured.map((x) => x.qubit);
      if (missing) return { measuredQubits };
      if (m.device.probabilities) {
        // IonQ on Braket reports outcome probabilities; keys put measuredQubits[0] leftmost.
        const probs: Record<string, number> = {};
        for (const [key, n] of Object.entries(counts ?? {})) {
          const bits = p.measured.map((x) => key[p.numClbits - 1 - x.clbit]).join('');
          probs[bits] = (probs[bits] ?? 0) + n / m.shotsPerExecutable;
        }
        return { measurementProbabilities: probs, measuredQubits };
      }
      return { measurements: rowsFromCounts(counts ?? {}, p.measured, p.numClbits, seed + k), measuredQubits };
    };
    if (!m.programSet) {
      const p = m.programs[0];
      files.set('results.json', {
        braketSchemaHeader: { name: 'braket.task_result.gate_model_task_result', version: '1' },
        ...measurementsOf(p, res.results[0]?.[0]?.counts, 0),
        taskMetadata: {
          braketSchemaHeader: { name: 'braket.task_result.task_metadata', version: '1' },
          id: m.arn,
          shots: m.shotsPerExecutable,
          deviceId: m.device.arn,
          createdAt: created,
          endedAt: ended,
          status: 'COMPLETED',
        },
        additionalMetadata: {
          action: { braketSchemaHeader: { name: 'braket.ir.openqasm.program', version: '1' }, source: p.source, inputs: p.inputs },
        },
      });
      return files;
    }
    let k = 0;
    const programResults = m.programs.map((p, i) => {
      const program = { braketSchemaHeader: { name: 'braket.ir.openqasm.program', version: '1' }, source: p.source, inputs: p.inputs };
      const doc = {
        braketSchemaHeader: { name: 'braket.task_result.program_result', version: '1' },
        executableResults: (res.results[i] ?? []).map((r, inputsIndex) => ({
          braketSchemaHeader: { name: 'braket.task_result.program_set_executable_result', version: '1' },
          inputsIndex,
          ...measurementsOf(p, r.counts, k++),
        })),
        source: program,
        additionalMetadata: { action: program },
      };
      if (!options.programResultsInS3) return doc;
      files.set(`program-${i}.json`, doc);
      return `program-${i}.json`;
    });
    files.set('results.json', {
      braketSchemaHeader: { name: 'braket.task_result.program_set_task_result', version: '1' },
      programResults,
      taskMetadata: {
        braketSchemaHeader: { name: 'braket.task_result.program_set_task_metadata', version: '1' },
        id: m.arn,
        deviceId: m.device.arn,
        requestedShots: m.body['shots'],
        successfulShots: m.body['shots'],
        programMetadata: m.programs.map((_, i) => ({ executables: (res.results[i] ?? []).map(() => ({})) })),
        deviceParameters: null,
        createdAt: created,
        endedAt: ended,
        status: 'COMPLETED',
        totalFailedExecutables: 0,
      },
      s3Location: options.programResultsInS3 ? [m.body['outputS3Bucket'], m.outputS3Directory] : null,
    });
    return files;
  };

  const getObject = (req: EmulatorRequest): EmulatorReply => {
    const bucket = req.params['bucket'] ?? '';
    const key = req.params['key'] ?? '';
    for (const job of jobs.all()) {
      const m = job.meta;
      if (m.body['outputS3Bucket'] !== bucket || !key.startsWith(`${m.outputS3Directory}/`)) continue;
      if (job.status !== 'done') break;
      const doc = resultFiles(job).get(key.slice(m.outputS3Directory.length + 1));
      if (doc === undefined) break;
      return { status: 200, raw: JSON.stringify(doc), headers: { 'content-type': 'application/json' } };
    }
    return s3Error(404, 'NoSuchKey', 'The specified key does not exist.');
  };

  const routes: EmulatorRoute[] = [
    { method: 'POST', path: '/quantum-task', name: 'submit', handle: create },
    { method: 'PUT', path: '/quantum-task/:arn*/cancel', name: 'cancel', handle: cancelTask },
    { method: 'GET', path: '/quantum-task/:arn*', name: 'status', handle: getTask },
    { method: 'GET', path: '/device/:arn*', name: 'device', handle: getDevice },
    { method: 'POST', path: '/devices', name: 'device', handle: searchDevices },
    { method: 'GET', path: '/s3/:bucket/:key*', name: 'result', handle: getObject },
  ];
  const server: EmulatorServer = new EmulatorServer({ provider: 'braket', routes, authorize, faults });
  const url = await server.listen(options.port ?? 0);
  return {
    url,
    server,
    env: {
      QBRIDGE_BRAKET_URL: url,
      QBRIDGE_S3_URL: `${url}/s3`,
      QBRIDGE_BRAKET_BUCKET: EMULATOR_BUCKET,
      AWS_REGION: DEFAULT_REGION,
      AWS_ACCESS_KEY_ID: 'AKIAEMULATOR00000000',
      AWS_SECRET_ACCESS_KEY: 'emulator-secret-key-not-a-real-one',
    },
    tasks: () => jobs.all().length,
    close: () => server.close(),
  };
}
