import type { DeviceInfo } from '../common/deviceInfo.js';
import { BraketBackend, type BraketBackendOptions } from './adapter.js';
import { BraketClient, type BraketClientOptions } from './client.js';
import { arnRegion, resolveDeviceArn } from './devices.js';

export { BraketBackend, jobStatusOf, type BraketBackendOptions } from './adapter.js';
export {
  BraketClient,
  USER_AGENT,
  type BraketClientOptions,
  type BraketDevice,
  type QuantumTask,
  type BraketTaskStatus,
} from './client.js';
export { BRAKET_DEVICES, resolveDeviceArn, arnRegion, isSimulatorArn, deviceVendor } from './devices.js';
export { awsCredentialsFromEnv, hasAwsCredentials, signRequest, amzDate, type AwsCredentials } from './sigv4.js';
export { prepareProgram, planTasks, countsFromBraket, measureMap, encodeSlice, decodeSlice, taskClientToken } from './translate.js';
export { parseNoisePragma, lowerNoisyProgram } from './noisePragmas.js';
export { startBraketEmulator, EMULATOR_BUCKET, type BraketEmulator, type BraketEmulatorOptions } from './emulator.js';

/** Builds a backend for a device ARN or short name (sv1, dm1, rigetti, ionq, garnet...), from its GetDevice description. */
export async function braketBackendFor(
  name: string,
  options: { trace?: (line: string) => void; clientOptions?: BraketClientOptions } & Omit<Partial<BraketBackendOptions>, 'device'> = {},
): Promise<BraketBackend> {
  const arn = resolveDeviceArn(name);
  const { trace, clientOptions, ...rest } = options;
  const client = rest.client ?? new BraketClient({ ...clientOptions, ...(trace ? { trace } : {}) });
  const device = await client.getDevice(arn);
  return new BraketBackend({ ...rest, device, client });
}

/** Braket regions that host QPUs (research/providers.md §3.1); simulators are in every Braket region. */
const QPU_REGIONS = ['us-east-1', 'us-west-1', 'eu-north-1'];

/** Devices (not retired) in the client's region and the QPU regions, with qubit counts and queue sizes. */
export async function listBraketDevices(
  options: { trace?: (line: string) => void; clientOptions?: BraketClientOptions } = {},
): Promise<DeviceInfo[]> {
  const client = new BraketClient({ ...options.clientOptions, ...(options.trace ? { trace: options.trace } : {}) });
  const emulated = (options.clientOptions?.braketUrl ?? process.env['QBRIDGE_BRAKET_URL'] ?? '') !== '';
  const regions = emulated ? [client.region] : [...new Set([client.region, ...QPU_REGIONS])];
  const seen = new Set<string>();
  const out: DeviceInfo[] = [];
  for (const region of regions) {
    for (const d of await client.searchDevices(region)) {
      if (d.deviceStatus === 'RETIRED' || seen.has(d.deviceArn)) continue;
      // Simulators show up in every region; QPUs only where they live.
      if (!emulated && d.deviceType === 'QPU' && arnRegion(d.deviceArn) !== region) continue;
      seen.add(d.deviceArn);
      const full = await client.getDevice(d.deviceArn);
      let qubits = 0;
      try {
        qubits = (JSON.parse(full.deviceCapabilities) as { paradigm?: { qubitCount?: number } }).paradigm?.qubitCount ?? 0;
      } catch {
        qubits = 0;
      }
      const q = full.deviceQueueInfo?.find((x) => x.queue === 'QUANTUM_TASKS_QUEUE' && (x.queuePriority ?? 'Normal') === 'Normal');
      out.push({
        provider: 'braket',
        name: d.deviceArn,
        numQubits: qubits,
        status: d.deviceStatus.toLowerCase(),
        ...(q && /^\d+$/.test(q.queueSize) ? { queue: Number(q.queueSize) } : {}),
        simulator: d.deviceType === 'SIMULATOR',
      });
    }
  }
  return out;
}
