import { IQM_GARNET_CAPABILITIES } from '../../../src/index.js';
import type { BraketDevice } from '../../../backends/braket/index.js';

export const SV1 = 'arn:aws:braket:::device/quantum-simulator/amazon/sv1';
export const DM1 = 'arn:aws:braket:::device/quantum-simulator/amazon/dm1';
export const GARNET = 'arn:aws:braket:eu-north-1::device/qpu/iqm/Garnet';
export const BUCKET = 'amazon-braket-us-east-1-123456789012';

/** GetDevice replies as Braket shapes them (capabilities as a JSON string). */
export function simulatorDevice(arn: string, programSet?: { maximumExecutables: number; maximumTotalShots: number }): BraketDevice {
  return {
    deviceArn: arn,
    deviceName: arn.endsWith('dm1') ? 'DM1' : 'SV1',
    providerName: 'Amazon Braket',
    deviceType: 'SIMULATOR',
    deviceStatus: 'ONLINE',
    deviceCapabilities: JSON.stringify({
      service: { shotsRange: [0, 100000], getTaskPollIntervalMillis: 10 },
      action: {
        'braket.ir.openqasm.program': { actionType: 'braket.ir.openqasm.program', version: ['1'] },
        ...(programSet
          ? { 'braket.ir.openqasm.program_set': { actionType: 'braket.ir.openqasm.program_set', version: ['1'], ...programSet } }
          : {}),
      },
      paradigm: { qubitCount: arn.endsWith('dm1') ? 17 : 34 },
    }),
  };
}

export function garnetDevice(): BraketDevice {
  return {
    deviceArn: GARNET,
    deviceName: 'Garnet',
    providerName: 'IQM',
    deviceType: 'QPU',
    deviceStatus: 'ONLINE',
    deviceCapabilities: JSON.stringify({
      service: { shotsRange: [1, 20000] },
      action: { 'braket.ir.openqasm.program': { actionType: 'braket.ir.openqasm.program', version: ['1'] } },
      ...IQM_GARNET_CAPABILITIES,
    }),
    deviceQueueInfo: [{ queue: 'QUANTUM_TASKS_QUEUE', queueSize: '7', queuePriority: 'Normal' }],
  };
}

export const CREDS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
