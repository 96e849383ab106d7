import { validationError } from '../../src/index.js';
import {
  BraketBackend,
  braketBackendFor,
  listBraketDevices,
  deviceVendor,
  hasAwsCredentials,
  type BraketClientOptions,
} from '../braket/index.js';
import { credential } from '../common/credentials.js';
import type { DeviceInfo } from '../common/deviceInfo.js';
import { QcsClient, type QcsClientOptions } from './qcs.js';

export { QcsClient, QCS_API, QCS_ISSUER, QCS_CLIENT_ID, type QcsClientOptions, type QcsProcessor } from './qcs.js';

/**
 * Rigetti: execution goes through Amazon Braket (OpenQASM 3, verbatim boxes of rx/rz/iswap on the
 * device's qubits), because QCS's own execution path is gRPC plus quilc, out of scope here; QCS's
 * REST API supplies processor metadata and ISAs (backends/rigetti/qcs.ts).
 */
export const RIGETTI_BRAKET_REGION = 'us-west-1';

/** The Braket ARN for a Rigetti device name (`Cepheus-1-108Q`, `Ankaa-3`) or an ARN given as is. */
export function rigettiDeviceArn(name: string): string {
  const n = name.trim();
  if (n.startsWith('arn:')) {
    if (deviceVendor(n) !== 'rigetti') throw validationError(`'${n}' is not a Rigetti device ARN`);
    return n;
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(n)) throw validationError(`'${name}' is not a Rigetti device name (e.g. Cepheus-1-108Q)`);
  return `arn:aws:braket:${RIGETTI_BRAKET_REGION}::device/qpu/rigetti/${n}`;
}

/** `rigetti:NAME`: the Braket device for NAME, with its Target from Braket's GetDevice. */
export async function rigettiBackendFor(
  name: string,
  options: { trace?: (line: string) => void; clientOptions?: BraketClientOptions; bucket?: string } = {},
): Promise<BraketBackend> {
  return braketBackendFor(rigettiDeviceArn(name), options);
}

/**
 * Rigetti devices: those Braket offers (runnable; when AWS credentials are set) and the processors
 * QCS describes (metadata only, status `qcs-only`, qubit count from the ISA; when a QCS refresh token is set).
 */
export async function listRigettiDevices(
  options: { trace?: (line: string) => void; clientOptions?: BraketClientOptions; qcs?: QcsClientOptions } = {},
): Promise<DeviceInfo[]> {
  const out: DeviceInfo[] = [];
  if (hasAwsCredentials() || options.clientOptions?.credentials) {
    for (const d of await listBraketDevices(options)) {
      if (deviceVendor(d.name) !== 'rigetti') continue;
      out.push({ ...d, provider: 'rigetti', name: d.name.slice(d.name.lastIndexOf('/') + 1) });
    }
  }
  if (options.qcs?.refreshToken || credential('QBRIDGE_RIGETTI_REFRESH_TOKEN')) {
    const qcs = new QcsClient({ ...options.qcs, ...(options.trace ? { trace: options.trace } : {}) });
    for (const p of await qcs.listQuantumProcessors()) {
      if (out.some((d) => d.name === p.id)) continue;
      const t = await qcs.target(p.id);
      out.push({ provider: 'rigetti', name: p.id, numQubits: t.numQubits, status: 'qcs-only', simulator: false });
    }
  }
  return out;
}
