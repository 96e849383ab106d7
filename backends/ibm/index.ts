/**
 * IBM Quantum (Qiskit Runtime REST, Sampler V2): the adapter, its HTTP client, and the emulator.
 * Credentials: QBRIDGE_IBM_API_KEY and QBRIDGE_IBM_CRN; endpoints: QBRIDGE_IBM_URL, QBRIDGE_IBM_IAM_URL.
 */
export {
  IbmBackend,
  ibmBackendFor,
  listIbmDevices,
  IBM_MAX_EXECUTIONS,
  TOKEN_TAG,
  LAYOUT_TAG,
  type IbmBackendOptions,
  type IbmExecutionMode,
  type IbmFactoryOptions,
} from './adapter.js';
export {
  IbmClient,
  IBM_API_VERSION,
  regionFromCrn,
  runtimeUrlForRegion,
  type IbmClientOptions,
  type IbmJobPayload,
  type IbmJobInfo,
  type IbmPub,
  type IbmResults,
} from './client.js';
export { IamTokenSource, IAM_DEFAULT_URL, IAM_GRANT_TYPE, IAM_TOKEN_PATH } from './auth.js';
export { ibmDocumentsFromTarget, type IbmDocuments } from './documents.js';
export { decodePub, decodeResults, hexToBits, registersOf, statusFromIbm, toIsaQasm, toPubs, type PubLayout } from './translate.js';
export { startIbmEmulator, EMULATOR_CRN, type IbmEmulator, type IbmEmulatorOptions, type IbmJobMeta } from './emulator.js';
