/**
 * Adding a provider in an afternoon: a complete toy provider ("toyq") — its REST server and its
 * qbridge adapter — that passes the shipped conformance suite (test/examples/customBackend.test.ts).
 * Run: npx tsx examples/custom-backend.ts
 */
import { fileURLToPath } from 'node:url';
import { CircuitBuilder, QError, advance, isTerminal, pollUntil, validateRequest } from '../src/index.js';
import type { Backend, Capabilities, JobHandle, JobStatus, RunRequest, RunResult, SubmitOptions } from '../src/index.js';
import { emitQasm, qasmToCircuit } from '../qasm/index.js';
import { HttpClient } from '../backends/common/http.js';
import { EmulatorServer } from '../backends/common/emulatorServer.js';
import { EmulatedJobs } from '../backends/common/emulatedJobs.js';
import { LocalBackend } from '../backends/local/index.js';

/** The wire format of toyq: OpenQASM 3 with `input` parameters, bindings as a list, counts keyed bit 0 rightmost. */
interface ToyJob {
  id: string;
  status: 'QUEUED' | 'RUNNING' | 'DONE' | 'ERROR' | 'CANCELLED';
  counts?: Record<string, number>[][];
  error?: string;
}
// prettier-ignore
const STATUS: Record<ToyJob['status'], JobStatus> = { QUEUED: 'queued', RUNNING: 'running', DONE: 'done', ERROR: 'failed', CANCELLED: 'cancelled' };

/** The adapter: everything qbridge needs is `submit` and `attach`, over the shared HttpClient. */
export class ToyBackend implements Backend {
  readonly id = 'toyq:sim';
  readonly provider = 'toyq';
  readonly numQubits = 12;
  // prettier-ignore
  readonly capabilities: Capabilities = { maxShots: 10_000, maxExecutions: 500, parametric: true, exact: false, noise: 'none', paid: false };
  private readonly http: HttpClient;

  constructor(baseURL: string, apiKey: string) {
    this.http = new HttpClient({ provider: 'toyq', baseURL, minDelayMs: 5, headers: () => ({ Authorization: `Bearer ${apiKey}` }) });
  }

  async submit(r: RunRequest, o: SubmitOptions = {}): Promise<JobHandle> {
    validateRequest(r, this.capabilities, this.numQubits, this.id); // refuse before sending
    const body = {
      shots: r.shots,
      token: o.clientToken,
      programs: r.runs.map((run) => ({ qasm: emitQasm(run.circuit), bindings: run.bindings ?? [{}] })),
    };
    const res = await this.http.request<{ id: string }>({ method: 'POST', url: '/jobs', body, what: 'submit job', signal: o.signal });
    return this.handle(res.data.id, r.shots);
  }

  attach(jobId: string): Promise<JobHandle> {
    return Promise.resolve(this.handle(jobId));
  }

  private handle(id: string, shots?: number): JobHandle {
    let status: JobStatus = 'submitted';
    let last: ToyJob | undefined;
    const refresh = async (): Promise<JobStatus> => {
      last = (await this.http.request<ToyJob>({ method: 'GET', url: `/jobs/${id}`, what: `status of job ${id}` })).data;
      const next = STATUS[last.status];
      if (next !== status) status = advance(status, next, id);
      return status;
    };
    const result = (job: ToyJob): RunResult => ({
      jobId: id,
      backend: this.id,
      results: (job.counts ?? []).map((bs) =>
        bs.map((counts) => ({ counts, shots: shots ?? Object.values(counts).reduce((a, b) => a + b, 0) })),
      ),
      metadata: {},
    });
    return {
      id,
      backend: this.id,
      get status() {
        return status;
      },
      refresh,
      wait: (o = {}) =>
        pollUntil(
          async () => {
            if (!isTerminal(await refresh())) return undefined;
            if (status === 'cancelled') throw new QError('CANCELLED', `toyq: job ${id} was cancelled`);
            if (status === 'failed') throw new QError('JOB_FAILED', `toyq: job ${id} failed: ${last?.error ?? 'unknown'}`);
            return result(last as ToyJob);
          },
          `toyq job ${id}`,
          { pollMs: 20, ...o },
        ),
      cancel: async () => {
        await this.http.request({ method: 'POST', url: `/jobs/${id}/cancel`, idempotent: true, what: `cancel job ${id}` });
      },
    };
  }
}

/** The toyq service itself, on 127.0.0.1, computing results with the local simulator. */
export async function startToyServer(faults?: string): Promise<EmulatorServer> {
  const sim = new LocalBackend();
  const jobs = (): EmulatedJobs<null> => store;
  const view = (j: NonNullable<ReturnType<EmulatedJobs<null>['get']>>): ToyJob => ({
    id: j.id,
    status: ({ queued: 'QUEUED', running: 'RUNNING', done: 'DONE', failed: 'ERROR', cancelled: 'CANCELLED' } as const)[j.status],
    ...(j.result ? { counts: j.result.results.map((bs) => bs.map((b) => ({ ...b.counts }))) } : {}),
    ...(j.error ? { error: j.error } : {}),
  });
  const server: EmulatorServer = new EmulatorServer({
    provider: 'toyq',
    faults,
    authorize: (r) =>
      /^Bearer \S+/.test(String(r.headers['authorization'])) ? undefined : { status: 401, body: { message: 'missing API key' } },
    routes: [
      {
        method: 'POST',
        path: '/jobs',
        name: 'submit',
        handle: (r) => {
          const b = r.json as { shots: number; token?: string; programs: { qasm: string; bindings: Record<string, number>[] }[] };
          server.countSubmission(b.token);
          const request = { shots: b.shots, runs: b.programs.map((p) => ({ circuit: qasmToCircuit(p.qasm), bindings: p.bindings })) };
          return { status: 201, body: { id: jobs().create('sim', request, null).id } };
        },
      },
      {
        method: 'GET',
        path: '/jobs/:id',
        name: 'status',
        handle: async (r) => {
          const j = await jobs().poll(r.params['id']!);
          return j ? { status: 200, body: view(j) } : { status: 404, body: { message: 'no such job' } };
        },
      },
      { method: 'POST', path: '/jobs/:id/cancel', name: 'cancel', handle: (r) => ({ status: jobs().cancel(r.params['id']!) ? 204 : 404 }) },
    ],
  });
  const store = new EmulatedJobs<null>({ backendFor: () => sim, faults: server.faults });
  await server.listen();
  return server;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = await startToyServer();
  const backend = new ToyBackend(server.baseUrl, 'toy-key-123456');
  const bell = new CircuitBuilder(2).h(0).cx(0, 1).measureAll().build();
  const result = await (await backend.submit({ runs: [{ circuit: bell }], shots: 1000 })).wait();
  console.log(`toyq at ${server.baseUrl}: Bell counts`, result.results[0]![0]!.counts);
  await server.close();
}
