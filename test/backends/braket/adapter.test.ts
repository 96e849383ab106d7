/**
 * The Braket adapter against nock: request and response bodies checked against the botocore service
 * model (service-2.json), SigV4 on a published test vector and an independent signature, submit with
 * clientToken and the action as a JSON string, 404-after-create, every task status, S3 results with
 * an asymmetric state (bit order), program sets, cancel, errors and retries.
 */
import { createHash, createHmac } from 'node:crypto';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BraketBackend,
  BraketClient,
  countsFromBraket,
  decodeSlice,
  encodeSlice,
  jobStatusOf,
  signRequest,
  type QuantumTask,
} from '../../../backends/braket/index.js';
import { CircuitBuilder, clearSecrets, depolarizing, makeCircuit, noiseModel } from '../../../src/index.js';
import { loadServiceModel, operationErrors, operationRoute, validateShape } from '../../helpers/botocore.js';
import { BUCKET, CREDS, DM1, GARNET, SV1, garnetDevice, simulatorDevice } from './fixtures.js';

const MODEL = loadServiceModel('/work/shared/providers/braket/service-2.json');
const API = 'https://braket.us-east-1.amazonaws.com';
const S3 = `https://${BUCKET}.s3.us-east-1.amazonaws.com`;
const TASK = 'arn:aws:braket:us-east-1:123456789012:quantum-task/11111111-2222-3333-4444-555555555555';
const TASK_PATH = `/quantum-task/${encodeURIComponent(TASK)}`;
const FIXED = new Date('2026-08-01T12:00:00Z');

function client(extra: Record<string, unknown> = {}): BraketClient {
  return new BraketClient({
    region: 'us-east-1',
    credentials: CREDS,
    minDelayMs: 1,
    maxDelayMs: 5,
    notFoundGraceMs: 2000,
    now: () => FIXED,
    ...extra,
  });
}

function sv1(programSet?: { maximumExecutables: number; maximumTotalShots: number }, extra: Record<string, unknown> = {}): BraketBackend {
  return new BraketBackend({ device: simulatorDevice(SV1, programSet), client: client(), bucket: BUCKET, prefix: 'qbridge', ...extra });
}

function task(status: QuantumTask['status'], extra: Partial<QuantumTask> = {}): QuantumTask {
  const t: QuantumTask = {
    quantumTaskArn: TASK,
    status,
    deviceArn: SV1,
    deviceParameters: '{}',
    shots: 100,
    outputS3Bucket: BUCKET,
    outputS3Directory: 'qbridge/11111111-2222-3333-4444-555555555555',
    createdAt: '2026-08-01T12:00:00.000Z',
    ...(status === 'COMPLETED' || status === 'FAILED' || status === 'CANCELLED' ? { endedAt: '2026-08-01T12:00:05.000Z' } : {}),
    ...(status === 'QUEUED' ? { queueInfo: { queue: 'QUANTUM_TASKS_QUEUE', position: '3', queuePriority: 'Normal' } } : {}),
    ...extra,
  };
  // Our fixtures must be what Braket returns: checked against the service model.
  expect(validateShape(MODEL, 'GetQuantumTaskResponse', t)).toEqual([]);
  return t;
}

const gateResult = (measurements: number[][], measuredQubits: number[], source: string, shots = measurements.length) => ({
  braketSchemaHeader: { name: 'braket.task_result.gate_model_task_result', version: '1' },
  measurements,
  measuredQubits,
  taskMetadata: { braketSchemaHeader: { name: 'braket.task_result.task_metadata', version: '1' }, id: TASK, shots, deviceId: SV1 },
  additionalMetadata: { action: { braketSchemaHeader: { name: 'braket.ir.openqasm.program', version: '1' }, source } },
});

/** Captured CreateQuantumTask bodies, each validated against CreateQuantumTaskRequest. */
function captureCreate(bodies: Record<string, unknown>[], arn = TASK, times = 1): nock.Scope {
  const route = operationRoute(MODEL, 'CreateQuantumTask');
  expect(route).toMatchObject({ method: 'POST', status: 201 });
  return nock(API)
    .post('/quantum-task', (b: Record<string, unknown>) => {
      bodies.push(b);
      return true;
    })
    .times(times)
    .reply(route.status, () => {
      const reply = { quantumTaskArn: arn };
      expect(validateShape(MODEL, 'CreateQuantumTaskResponse', reply)).toEqual([]);
      return reply;
    });
}

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => {
  nock.cleanAll();
  clearSecrets();
});
afterAll(() => nock.enableNetConnect());

describe('SigV4', () => {
  it('reproduces the AWS SigV4 test-suite vector get-vanilla', () => {
    const h = signRequest(
      {
        method: 'GET',
        url: 'https://example.amazonaws.com/',
        service: 'service',
        region: 'us-east-1',
        now: new Date('2015-08-30T12:36:00Z'),
      },
      CREDS,
    );
    expect(h['Authorization']).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
    expect(h['X-Amz-Date']).toBe('20150830T123600Z');
  });

  it('signs a CreateQuantumTask exactly as an independent SigV4 computation does, scoped to braket in the region', () => {
    const body = '{"a":1}';
    const h = signRequest(
      {
        method: 'POST',
        url: 'https://braket.us-west-1.amazonaws.com/quantum-task',
        body,
        service: 'braket',
        region: 'us-west-1',
        headers: { 'Content-Type': 'application/json' },
        now: FIXED,
      },
      CREDS,
    );
    const sha = (x: string) => createHash('sha256').update(x).digest('hex');
    const hmac = (k: Buffer | string, x: string) => createHmac('sha256', k).update(x).digest();
    const canonical = [
      'POST',
      '/quantum-task',
      '',
      'content-length:7\ncontent-type:application/json\nhost:braket.us-west-1.amazonaws.com\nx-amz-date:20260801T120000Z\n',
      'content-length;content-type;host;x-amz-date',
      sha(body),
    ].join('\n');
    const scope = '20260801/us-west-1/braket/aws4_request';
    const toSign = ['AWS4-HMAC-SHA256', '20260801T120000Z', scope, sha(canonical)].join('\n');
    const key = hmac(hmac(hmac(hmac(`AWS4${CREDS.secretAccessKey}`, '20260801'), 'us-west-1'), 'braket'), 'aws4_request');
    const sig = createHmac('sha256', key).update(toSign).digest('hex');
    expect(h['Authorization']).toBe(
      `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/${scope}, SignedHeaders=content-length;content-type;host;x-amz-date, Signature=${sig}`,
    );
  });

  it('adds the session token and, for S3, the payload hash; never puts the secret in a header', () => {
    const h = signRequest(
      { method: 'GET', url: `${S3}/qbridge/x/results.json`, service: 's3', region: 'us-east-1', now: FIXED },
      { ...CREDS, sessionToken: 'SESSION-TOKEN-123' },
    );
    expect(h['X-Amz-Security-Token']).toBe('SESSION-TOKEN-123');
    expect(h['X-Amz-Content-Sha256']).toBe(createHash('sha256').update('').digest('hex'));
    expect(h['Authorization']).toMatch(/Credential=AKIDEXAMPLE\/20260801\/us-east-1\/s3\/aws4_request/);
    expect(JSON.stringify(h)).not.toContain(CREDS.secretAccessKey);
  });
});

describe('Braket adapter (nock)', () => {
  it('submits one program with a clientToken, the action as a JSON string and inputs; signs in the device region', async () => {
    const bodies: Record<string, unknown>[] = [];
    let auth = '';
    const scope = nock(API)
      .post('/quantum-task', (b: Record<string, unknown>) => (bodies.push(b), true))
      .reply(function () {
        auth = String(this.req.headers['authorization']);
        return [201, { quantumTaskArn: TASK }];
      });
    const c = new CircuitBuilder(2).h(0).ry('theta', 1).cx(0, 1).measureAll().build();
    const job = await sv1().submit({ runs: [{ circuit: c, bindings: [{ theta: 0.25 }] }], shots: 100 }, { clientToken: 'tok-1' });
    scope.done();
    expect(job.id).toBe(TASK);
    expect(bodies).toHaveLength(1);
    const body = bodies[0];
    expect(validateShape(MODEL, 'CreateQuantumTaskRequest', body)).toEqual([]);
    expect(body).toMatchObject({ clientToken: 'tok-1', deviceArn: SV1, shots: 100, outputS3Bucket: BUCKET, outputS3KeyPrefix: 'qbridge' });
    expect(typeof body['action']).toBe('string');
    const action = JSON.parse(body['action'] as string) as { braketSchemaHeader: unknown; source: string; inputs: Record<string, number> };
    expect(action.braketSchemaHeader).toEqual({ name: 'braket.ir.openqasm.program', version: '1' });
    expect(action.inputs).toEqual({ theta: 0.25 });
    expect(action.source).toContain('input float theta;');
    expect(action.source).toContain('cnot q[0], q[1];');
    expect(action.source).not.toContain('include');
    expect(auth).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20260801\/us-east-1\/braket\/aws4_request, SignedHeaders=[a-z;-]*host[a-z;-]*, Signature=[0-9a-f]{64}$/,
    );
  });

  it('retries a 404 right after creation, polls CREATED -> QUEUED -> RUNNING -> COMPLETED, and reads results.json from S3 in qbridge bit order', async () => {
    const bodies: Record<string, unknown>[] = [];
    captureCreate(bodies);
    const get = operationRoute(MODEL, 'GetQuantumTask');
    expect(get.uri.test(TASK_PATH)).toBe(true);
    const seen: string[] = [];
    const api = nock(API)
      .get((uri) => uri.startsWith(TASK_PATH))
      .reply(404, { message: 'Quantum task not found' })
      .get((uri) => uri.startsWith(TASK_PATH) && uri.includes('additionalAttributeNames=QueueInfo'))
      .times(4)
      .reply(function () {
        const s = (['CREATED', 'QUEUED', 'RUNNING', 'COMPLETED'] as const)[seen.length];
        seen.push(s);
        return [200, task(s)];
      });
    // X on qubit 0 of 3: Braket writes qubit 0 LEFTMOST ("100"), qbridge rightmost ("001").
    const circuit = new CircuitBuilder(3).x(0).measureAll().build();
    const source = 'OPENQASM 3.0;\nqubit[3] q;\nbit[3] c;\nx q[0];\nc[0] = measure q[0];\nc[1] = measure q[1];\nc[2] = measure q[2];\n';
    const s3 = nock(S3)
      .get('/qbridge/11111111-2222-3333-4444-555555555555/results.json')
      .matchHeader('authorization', /\/us-east-1\/s3\/aws4_request/)
      .matchHeader('x-amz-content-sha256', /^[0-9a-f]{64}$/)
      .reply(200, gateResult([...Array(99).fill([1, 0, 0]), [1, 1, 0]], [0, 1, 2], source));
    const job = await sv1().submit({ runs: [{ circuit }], shots: 100 });
    const statuses: string[] = [];
    for (let i = 0; i < 3; i++) statuses.push(await job.refresh());
    expect(statuses).toEqual(['submitted', 'queued', 'running']);
    const res = await job.wait({ pollMs: 1 });
    expect(seen).toEqual(['CREATED', 'QUEUED', 'RUNNING', 'COMPLETED']);
    expect(res.results[0]![0]).toEqual({ counts: { '001': 99, '011': 1 }, shots: 100 });
    api.done();
    s3.done();
  });

  it('maps measured qubits to the classical bits the program measured them into', () => {
    // q0 -> c2, q1 -> c0, q2 -> c1; Braket column j is measuredQubits[j] (statement order).
    const source = 'OPENQASM 3.0;\nqubit[3] q;\nbit[3] c;\nx q[0];\nc[2] = measure q[0];\nc[0] = measure q[1];\nc[1] = measure q[2];\n';
    expect(countsFromBraket({ measurements: [[1, 0, 0]], measuredQubits: [0, 1, 2] }, source, 1, 't').counts).toEqual({ '100': 1 });
    expect(countsFromBraket({ measurements: [[0, 1, 0]], measuredQubits: [0, 1, 2] }, source, 1, 't').counts).toEqual({ '001': 1 });
    // Probabilities (IonQ on Braket): keys are big-endian over measuredQubits.
    const probs = countsFromBraket(
      { measurementProbabilities: { '100': 0.75, '001': 0.25 }, measuredQubits: [0, 1, 2] },
      source,
      1000,
      't',
    );
    expect(probs.counts).toEqual({ '100': 750, '010': 250 });
    // A program without measurements: every qubit i into bit i.
    const none = countsFromBraket({ measurements: [[1, 0]], measuredQubits: [0, 1] }, 'OPENQASM 3.0;\nqubit[2] q;\nx q[0];\n', 1, 't');
    expect(none.counts).toEqual({ '01': 1 });
    expect(() => countsFromBraket({ measuredQubits: [0] }, source, 1, 't')).toThrow(/neither measurements nor measurementProbabilities/);
  });

  it('maps every Braket status; CANCELLING keeps the job in flight', () => {
    const s = MODEL.shapes['QuantumTaskStatus'].enum!;
    expect(s.map((x) => jobStatusOf(x as QuantumTask['status']))).toEqual([
      'submitted',
      'queued',
      'running',
      'done',
      'failed',
      undefined,
      'cancelled',
    ]);
  });

  it('cancels with PUT /quantum-task/{arn}/cancel and a clientToken; CANCELLING then CANCELLED ends in a CANCELLED error', async () => {
    captureCreate([]);
    const route = operationRoute(MODEL, 'CancelQuantumTask');
    expect(route.method).toBe('PUT');
    let cancelBody: Record<string, unknown> = {};
    nock(API)
      .put(`${TASK_PATH}/cancel`, (b: Record<string, unknown>) => ((cancelBody = b), true))
      .reply(200, () => {
        const r = { quantumTaskArn: TASK, cancellationStatus: 'CANCELLING' };
        expect(validateShape(MODEL, 'CancelQuantumTaskResponse', r)).toEqual([]);
        return r;
      })
      .get((u) => u.startsWith(TASK_PATH))
      .reply(200, task('CANCELLING'))
      .get((u) => u.startsWith(TASK_PATH))
      .reply(200, task('CANCELLED'));
    const job = await sv1().submit({ runs: [{ circuit: new CircuitBuilder(1).h(0).measureAll().build() }], shots: 10 });
    await job.cancel();
    expect(validateShape(MODEL, 'CancelQuantumTaskRequest', { ...cancelBody, quantumTaskArn: TASK })).toEqual([]);
    expect(typeof cancelBody['clientToken']).toBe('string');
    await expect(job.wait({ pollMs: 1 })).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(job.status).toBe('cancelled');
  });

  it('a 409 on cancel (already finished) is not an error', async () => {
    captureCreate([]);
    nock(API).put(`${TASK_PATH}/cancel`).reply(409, { message: 'Quantum task is in a terminal state' });
    const job = await sv1().submit({ runs: [{ circuit: new CircuitBuilder(1).h(0).measureAll().build() }], shots: 10 });
    await expect(job.cancel()).resolves.toBeUndefined();
  });

  it('a failed task ends in JOB_FAILED with Braket failureReason', async () => {
    captureCreate([]);
    nock(API)
      .get((u) => u.startsWith(TASK_PATH))
      .reply(200, task('FAILED', { failureReason: 'Device calibration in progress' }));
    const job = await sv1().submit({ runs: [{ circuit: new CircuitBuilder(1).h(0).measureAll().build() }], shots: 10 });
    await expect(job.wait({ pollMs: 1 })).rejects.toMatchObject({
      code: 'JOB_FAILED',
      message: expect.stringContaining('Device calibration in progress'),
    });
  });

  it('retries a 502 on submit with the SAME clientToken (Braket makes it idempotent)', async () => {
    const bodies: Record<string, unknown>[] = [];
    nock(API)
      .post('/quantum-task', (b: Record<string, unknown>) => (bodies.push(b), true))
      .reply(502, { message: 'Bad gateway' })
      .post('/quantum-task', (b: Record<string, unknown>) => (bodies.push(b), true))
      .reply(201, { quantumTaskArn: TASK });
    const job = await sv1().submit(
      { runs: [{ circuit: new CircuitBuilder(1).h(0).measureAll().build() }], shots: 10 },
      { clientToken: 'same-token' },
    );
    expect(job.id).toBe(TASK);
    expect(bodies.map((b) => b['clientToken'])).toEqual(['same-token', 'same-token']);
    expect(bodies[0]).toEqual(bodies[1]);
  });

  it('honours Retry-After on 429 and retries 5xx on status reads', async () => {
    captureCreate([]);
    nock(API)
      .get((u) => u.startsWith(TASK_PATH))
      .reply(429, { message: 'Rate exceeded' }, { 'Retry-After': '0' })
      .get((u) => u.startsWith(TASK_PATH))
      .reply(500, { message: 'Internal' })
      .get((u) => u.startsWith(TASK_PATH))
      .reply(503, { message: 'Unavailable' })
      .get((u) => u.startsWith(TASK_PATH))
      .reply(200, task('RUNNING'));
    const b = sv1();
    const job = await b.submit({ runs: [{ circuit: new CircuitBuilder(1).h(0).measureAll().build() }], shots: 10 });
    expect(await job.refresh()).toBe('running');
    expect(b.client.stats.rateLimited).toBe(1);
    expect(b.client.stats.retries).toBe(3);
  });

  it('maps 401/403 to AUTH, 400 to VALIDATION, 404/409/402/424 to PROVIDER errors naming the operation', async () => {
    const errors = operationErrors(MODEL, 'CreateQuantumTask');
    expect(errors).toMatchObject({
      AccessDeniedException: 403,
      ThrottlingException: 429,
      ValidationException: 400,
      DeviceOfflineException: 424,
    });
    const circuit = new CircuitBuilder(1).h(0).measureAll().build();
    const cases: [number, string][] = [
      [401, 'AUTH'],
      [403, 'AUTH'],
      [400, 'VALIDATION'],
      [409, 'PROVIDER'],
      [402, 'PROVIDER'],
      [424, 'PROVIDER'],
    ];
    for (const [status, code] of cases) {
      nock(API)
        .post('/quantum-task')
        .reply(status, { message: `refused ${status}` });
      await expect(sv1().submit({ runs: [{ circuit }], shots: 10 })).rejects.toMatchObject({
        code,
        message: expect.stringContaining(`refused ${status}`),
      });
    }
    nock('https://braket.eu-north-1.amazonaws.com')
      .get(`/device/${encodeURIComponent(GARNET)}`)
      .reply(404, { message: 'Braket device not found' });
    await expect(client().getDevice(GARNET)).rejects.toMatchObject({ code: 'PROVIDER', details: { status: 404 } });
    // A task that stays 404 past the grace is "no such task".
    nock(API)
      .get((u) => u.startsWith(TASK_PATH))
      .times(20)
      .reply(404, { message: 'not found' });
    await expect(client({ attachNotFoundGraceMs: 50 }).getQuantumTask(TASK, { graceMs: 50 })).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('sends 200 bindings of one circuit as ONE program-set task (inputs as lists, total shots), and decodes it', async () => {
    const bodies: Record<string, unknown>[] = [];
    captureCreate(bodies);
    const c = new CircuitBuilder(1).ry('theta', 0).measureAll().build();
    const thetas = Array.from({ length: 200 }, (_, i) => (i % 2) * Math.PI);
    const job = await sv1({ maximumExecutables: 500, maximumTotalShots: 1_000_000 }).submit({
      runs: [{ circuit: c, bindings: thetas.map((theta) => ({ theta })) }],
      shots: 50,
    });
    expect(bodies).toHaveLength(1);
    expect(validateShape(MODEL, 'CreateQuantumTaskRequest', bodies[0])).toEqual([]);
    expect(bodies[0]['shots']).toBe(200 * 50);
    const action = JSON.parse(bodies[0]['action'] as string) as {
      braketSchemaHeader: unknown;
      programs: { source: string; inputs: Record<string, number[]> }[];
    };
    expect(action.braketSchemaHeader).toEqual({ name: 'braket.ir.openqasm.program_set', version: '1' });
    expect(action.programs).toHaveLength(1);
    expect(action.programs[0].inputs['theta']).toEqual(thetas);
    // Result: a program-set result with per-executable measurements, listed out of order.
    const source = action.programs[0].source;
    const execs = thetas.map((t, i) => ({
      braketSchemaHeader: { name: 'braket.task_result.program_set_executable_result', version: '1' },
      inputsIndex: i,
      measurements: Array(50).fill([t === 0 ? 0 : 1]),
      measuredQubits: [0],
    }));
    nock(API)
      .get((u) => u.startsWith(TASK_PATH))
      .reply(200, task('COMPLETED', { shots: 10_000 }));
    nock(S3)
      .get('/qbridge/11111111-2222-3333-4444-555555555555/results.json')
      .reply(200, {
        braketSchemaHeader: { name: 'braket.task_result.program_set_task_result', version: '1' },
        programResults: [
          {
            braketSchemaHeader: { name: 'braket.task_result.program_result', version: '1' },
            executableResults: execs.reverse(),
            source: { source, inputs: action.programs[0].inputs },
            additionalMetadata: {},
          },
        ],
        taskMetadata: {
          id: TASK,
          deviceId: SV1,
          requestedShots: 10_000,
          successfulShots: 10_000,
          programMetadata: [],
          totalFailedExecutables: 0,
        },
        s3Location: null,
      });
    const res = await job.wait({ pollMs: 1 });
    expect(res.results[0]).toHaveLength(200);
    res.results[0]!.forEach((r, i) => expect(r).toEqual({ shots: 50, counts: i % 2 ? { '1': 50 } : { '0': 50 } }));
  });

  it("splits over the device's maximumExecutables (200 bindings, limit 64 -> 4 tasks, tokens derived from one base)", async () => {
    const bodies: Record<string, unknown>[] = [];
    const arns = [0, 1, 2, 3].map((k) => TASK.replace(/5+$/, `00000000000${k}`));
    const scope = nock(API);
    for (const arn of arns)
      scope.post('/quantum-task', (b: Record<string, unknown>) => (bodies.push(b), true)).reply(201, { quantumTaskArn: arn });
    const c = new CircuitBuilder(1).ry('theta', 0).measureAll().build();
    const job = await sv1({ maximumExecutables: 64, maximumTotalShots: 1_000_000 }).submit(
      { runs: [{ circuit: c, bindings: Array.from({ length: 200 }, (_, i) => ({ theta: i })) }], shots: 10 },
      { clientToken: 'base' },
    );
    expect(bodies.map((b) => b['clientToken'])).toEqual(['base.0', 'base.1', 'base.2', 'base.3']);
    expect(bodies.map((b) => b['shots'])).toEqual([640, 640, 640, 80]);
    expect(bodies.map((b) => (b['tags'] as Record<string, string>)['qbridge-slice'])).toEqual([
      '0:0-63',
      '0:64-127',
      '0:128-191',
      '0:192-199',
    ]);
    expect(job.id).toBe(arns.join(','));
  });

  it('without program sets sends one task per binding', async () => {
    const bodies: Record<string, unknown>[] = [];
    captureCreate(bodies, TASK, 3);
    const c = new CircuitBuilder(1).rx('a', 0).measureAll().build();
    const job = await sv1().submit({ runs: [{ circuit: c, bindings: [{ a: 0.1 }, { a: 0.2 }, { a: 0.3 }] }], shots: 10 });
    expect(bodies.map((b) => JSON.parse(b['action'] as string).inputs)).toEqual([{ a: 0.1 }, { a: 0.2 }, { a: 0.3 }]);
    expect(new Set(bodies.map((b) => b['clientToken'])).size).toBe(3);
    expect(job.id.split(',')).toHaveLength(3);
  });

  it('compiles to a QPU and sends a verbatim box of native gates on the device qubit numbers (IQM counts from 1)', async () => {
    const bodies: Record<string, unknown>[] = [];
    nock('https://braket.eu-north-1.amazonaws.com')
      .post('/quantum-task', (b: Record<string, unknown>) => (bodies.push(b), true))
      .matchHeader('authorization', /\/eu-north-1\/braket\/aws4_request/)
      .reply(201, { quantumTaskArn: TASK.replace('us-east-1', 'eu-north-1') });
    const b = new BraketBackend({ device: garnetDevice(), client: client(), bucket: 'amazon-braket-eu-north-1-123456789012' });
    expect(b.target?.numQubits).toBe(20);
    expect(b.capabilities).toMatchObject({ maxShots: 20000, paid: true, noise: 'device', idempotentSubmit: true });
    await b.submit({ runs: [{ circuit: new CircuitBuilder(2).h(0).cx(0, 1).measureAll().build() }], shots: 100 });
    const source = JSON.parse(bodies[0]['action'] as string).source as string;
    expect(source).toContain('#pragma braket verbatim\nbox {');
    const gates = [...source.matchAll(/^\s+([a-z]+)[ (]/gm)].map((m) => m[1]);
    expect(new Set(gates)).toEqual(new Set(['prx', 'cz']));
    const qubits = [...source.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]));
    expect(Math.min(...qubits)).toBeGreaterThanOrEqual(1);
    expect(source).toMatch(/c\[0\] = measure \$\d+;\nc\[1\] = measure \$\d+;/);
  });

  it('sends a noise model to DM1 as #pragma braket noise lines after the gates they follow', async () => {
    const bodies: Record<string, unknown>[] = [];
    captureCreate(bodies);
    const model = noiseModel({
      rules: [
        { gates: ['h'], channel: depolarizing(0.01) },
        { gates: ['cx'], channel: depolarizing(0.02, 2) },
      ],
    });
    const b = new BraketBackend({ device: simulatorDevice(DM1), client: client(), bucket: BUCKET, noise: model });
    expect(b.capabilities.noise).toBe('model');
    await b.submit({ runs: [{ circuit: new CircuitBuilder(2).h(0).cx(0, 1).measureAll().build() }], shots: 100 });
    const source = JSON.parse(bodies[0]['action'] as string).source as string;
    expect(source).toContain(
      'h q[0];\n#pragma braket noise depolarizing(0.01) q[0]\ncnot q[0], q[1];\n#pragma braket noise two_qubit_depolarizing(0.02) q[0], q[1]\nc[0] = measure q[0];',
    );
    expect(() => new BraketBackend({ device: simulatorDevice(SV1), client: client(), bucket: BUCKET, noise: model })).toThrow(
      /only on DM1/,
    );
  });

  it('refuses requests over the device limits before sending anything', async () => {
    const b = sv1();
    const c = new CircuitBuilder(1).h(0).measureAll().build();
    await expect(b.submit({ runs: [{ circuit: c }], shots: 100_001 })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(b.submit({ runs: [{ circuit: makeCircuit(35, 0, []) }], shots: 1 })).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('round-trips the slice tag used to decode a task after a restart', () => {
    const slices = [
      [{ run: 0, binding: 0 }],
      Array.from({ length: 200 }, (_, i) => ({ run: 0, binding: i })),
      Array.from({ length: 100 }, (_, i) => ({ run: i, binding: 0 })),
      [
        { run: 0, binding: 0 },
        { run: 1, binding: 0 },
        { run: 1, binding: 1 },
        { run: 2, binding: 0 },
      ],
    ];
    for (const s of slices) expect(decodeSlice(encodeSlice(s))).toEqual(s);
    expect(encodeSlice(slices[2])).toBe('0-99:0-0');
    expect(encodeSlice(slices[3])).toMatch(/^[0-9:/-]+$/);
  });
});
