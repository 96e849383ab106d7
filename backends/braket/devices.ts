import { validationError } from '../../src/index.js';

/**
 * Amazon Braket device ARNs (research/providers.md §3.6, from the Braket SDK's `devices.py`) and the
 * region each one is reached and signed in. Simulator ARNs carry no region: they run in whichever
 * Braket region the client talks to (AWS_REGION, default us-east-1). Devices come and go (Ankaa-3,
 * Aria and TN1 are retired), so these are conveniences for short names; any ARN is accepted.
 */
export const BRAKET_DEVICES = {
  sv1: 'arn:aws:braket:::device/quantum-simulator/amazon/sv1',
  dm1: 'arn:aws:braket:::device/quantum-simulator/amazon/dm1',
  rigetti: 'arn:aws:braket:us-west-1::device/qpu/rigetti/Cepheus-1-108Q',
  ionq: 'arn:aws:braket:us-east-1::device/qpu/ionq/Forte-1',
  iqm: 'arn:aws:braket:eu-north-1::device/qpu/iqm/Garnet',
} as const;

/** Short names accepted after `braket:` (case-insensitive), besides full ARNs. */
const ALIASES: Readonly<Record<string, string>> = {
  sv1: BRAKET_DEVICES.sv1,
  dm1: BRAKET_DEVICES.dm1,
  rigetti: BRAKET_DEVICES.rigetti,
  'cepheus-1-108q': BRAKET_DEVICES.rigetti,
  'ankaa-3': 'arn:aws:braket:us-west-1::device/qpu/rigetti/Ankaa-3',
  ionq: BRAKET_DEVICES.ionq,
  forte: BRAKET_DEVICES.ionq,
  'forte-1': BRAKET_DEVICES.ionq,
  'forte-enterprise-1': 'arn:aws:braket:us-east-1::device/qpu/ionq/Forte-Enterprise-1',
  iqm: BRAKET_DEVICES.iqm,
  garnet: BRAKET_DEVICES.iqm,
  emerald: 'arn:aws:braket:eu-north-1::device/qpu/iqm/Emerald',
};

const ARN = /^arn:aws[a-z-]*:braket:([a-z0-9-]*):(\d*):(device|quantum-task)\/(.+)$/;

/** The device ARN for a name: a full ARN as given, or a known short name. */
export function resolveDeviceArn(name: string): string {
  const n = name.trim();
  if (ARN.test(n)) {
    if (!n.includes(':device/')) throw validationError(`'${n}' is not a Braket device ARN`, { device: n });
    return n;
  }
  const hit = ALIASES[n.toLowerCase()];
  if (hit) return hit;
  throw validationError(
    `unknown Braket device '${name}': give a device ARN (arn:aws:braket:REGION::device/...) or one of ${Object.keys(ALIASES).join(', ')}`,
    { device: name },
  );
}

/** The region in a Braket ARN (device or task), or undefined for region-less simulator ARNs. */
export function arnRegion(arn: string): string | undefined {
  const m = ARN.exec(arn);
  return m && m[1] !== '' ? m[1] : undefined;
}

export function isSimulatorArn(arn: string): boolean {
  return arn.includes(':device/quantum-simulator/');
}

/** The last path segment of a device ARN ("Garnet", "sv1"). */
export function deviceShortName(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** The vendor segment of a QPU ARN ("rigetti", "ionq", "iqm"), or "amazon" for simulators. */
export function deviceVendor(arn: string): string {
  const m = /device\/(?:qpu|quantum-simulator)\/([^/]+)\//.exec(arn);
  return m ? m[1].toLowerCase() : 'unknown';
}
