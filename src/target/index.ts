export * from './target.js';
export * from './coupling.js';
export { targetFromJSON, targetToJSON, targetToJSONString, type TargetDocument } from './json.js';
export { targetFromIbm, type IbmConfiguration, type IbmProperties } from './ibm.js';
export { targetFromIonq, type IonqCharacterization, type IonqTargetOptions } from './ionq.js';
export { targetFromBraket, type BraketCapabilities, type BraketTargetOptions } from './braket.js';
export {
  presetTarget,
  PRESET_TARGETS,
  IONQ_FORTE_CHARACTERIZATION,
  IQM_GARNET_CAPABILITIES,
  RIGETTI_ANKAA_CAPABILITIES,
} from './presets.js';
export { targetFromQcsIsa, type QcsInstructionSetArchitecture, type QcsOperation, type QcsTargetOptions } from './qcs.js';
