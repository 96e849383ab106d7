import { validationError } from '../errors.js';
import { braketCapabilitiesOf, targetFromBraket, type BraketCapabilities } from './braket.js';
import { targetFromIonq, type IonqCharacterization } from './ionq.js';
import type { Target } from './target.js';
import fezConfiguration from './snapshots/ibm_fez.configuration.json' with { type: 'json' };
import fezProperties from './snapshots/ibm_fez.properties.json' with { type: 'json' };
import brisbaneConfiguration from './snapshots/ibm_brisbane.configuration.json' with { type: 'json' };
import brisbaneProperties from './snapshots/ibm_brisbane.properties.json' with { type: 'json' };
import { targetFromIbm, type IbmConfiguration, type IbmProperties } from './ibm.js';
import ionqForte from './snapshots/ionq_forte.json' with { type: 'json' };
import iqmGarnet from './snapshots/iqm_garnet.json' with { type: 'json' };
import rigettiAnkaa from './snapshots/rigetti.json' with { type: 'json' };

/**
 * Named device targets, each built from a calibration snapshot in the provider's own format
 * (snapshots/, provenance in snapshots/README.md and snapshots/NOTES-ionq-iqm-rigetti.md):
 *   ibm_heron, ibm_eagle  the IBM Runtime configuration and properties documents of ibm_fez and
 *                         ibm_brisbane (real calibrations, 2025-02-26), read by targetFromIbm;
 *   ionq_forte            an IonQ v0.4 characterization (GET /backends/qpu.forte-1/characterizations/{id});
 *   iqm_garnet, rigetti   Braket GetDevice responses (capabilities as the JSON string the API returns).
 * IonQ, IQM and Rigetti publish device-wide medians rather than a per-qubit dump we can ship, so those
 * three carry the published figures on every qubit: representative, not a calibration.
 */

/** IonQ Forte: 36 trapped-ion qubits, all-to-all; IonQ's published Forte figures. */
export const IONQ_FORTE_CHARACTERIZATION: IonqCharacterization = ionqForte as IonqCharacterization;

/** IQM Garnet: 20 transmons on a square lattice (30 couplers), Braket qubit names "1".."20"; native cz, prx. */
export const IQM_GARNET_CAPABILITIES: BraketCapabilities = braketCapabilitiesOf(iqmGarnet);

/** A Rigetti Ankaa-class device: 84 transmons on a 7 x 12 square lattice, native rx, rz, iswap. */
export const RIGETTI_ANKAA_CAPABILITIES: BraketCapabilities = braketCapabilitiesOf(rigettiAnkaa);

const BUILDERS: Readonly<Record<string, () => Target>> = {
  ibm_heron: () => targetFromIbm(fezConfiguration as IbmConfiguration, fezProperties as unknown as IbmProperties, { name: 'ibm_heron' }),
  ibm_eagle: () =>
    targetFromIbm(brisbaneConfiguration as IbmConfiguration, brisbaneProperties as unknown as IbmProperties, { name: 'ibm_eagle' }),
  ionq_forte: () =>
    targetFromIonq(IONQ_FORTE_CHARACTERIZATION, {
      name: 'ionq_forte',
      source:
        'IonQ Forte v0.4 characterization snapshot: published specification figures (36 qubits, 1q 99.98%, 2q 99.6%, SPAM 99.5%) on every qubit; not a live characterization',
    }),
  iqm_garnet: () =>
    targetFromBraket(IQM_GARNET_CAPABILITIES, {
      name: 'iqm_garnet',
      durationsS: { prx: 20e-9, cz: 40e-9 },
      source:
        'IQM Garnet Braket GetDevice snapshot: Braket connectivity graph; published medians (1q 99.9%, CZ 99.5%, readout 97.5%) on every qubit; not a calibration',
    }),
  rigetti: () =>
    targetFromBraket(RIGETTI_ANKAA_CAPABILITIES, {
      name: 'rigetti',
      durationsS: { rx: 40e-9, iswap: 72e-9 },
      source:
        'Rigetti Ankaa-class Braket GetDevice snapshot: 7x12 square lattice; published figures (1q 99.9%, iSWAP 99%, readout 96%) on every qubit; not a calibration',
    }),
};

export const PRESET_TARGETS: readonly string[] = Object.keys(BUILDERS);

const built = new Map<string, Target>();

/** A named preset: ibm_heron, ibm_eagle, ionq_forte, iqm_garnet, rigetti. Built once and shared. */
export function presetTarget(name: string): Target {
  const hit = built.get(name);
  if (hit) return hit;
  const make = BUILDERS[name];
  if (!make)
    throw validationError(`unknown target '${name}' (presets: ${PRESET_TARGETS.join(', ')}; or give a target JSON file)`, { target: name });
  const t = Object.freeze(make());
  built.set(name, t);
  return t;
}
