/**
 * WebAssembly SIMD statevector kernels (f64x2 on interleaved complex amplitudes), built from
 * src/sim/wasm/assembly/kernels.ts by scripts/build-wasm.mjs and embedded as base64.
 *
 * Each WasmState owns one wasm instance whose imported memory is sized exactly for its state plus a
 * small scratch area and is never grown, so `state` (a view of it at offset 0) never detaches. The
 * kernels have the math of src/sim/kernels.ts; controls are a bit mask and value instead of sorted
 * positions: a kernel touches only the amplitudes with (i & cmask) === cval.
 */
import { WASM_BASE64 } from './kernels-wasm.js';

export interface WasmKernels {
  /** General complex 2x2 [[m00, m01], [m10, m11]] on target q. */
  apply1(q: number, m00r: number, m00i: number, m01r: number, m01i: number, m10r: number, m10i: number, m11r: number, m11i: number): void;
  /** Real 2x2 [[a, b], [c, d]] on target q. */
  apply1Real(q: number, a: number, b: number, c: number, d: number): void;
  /** diag(d0, d1) on target q (d0 = 1 touches only the |1> half). */
  apply1Diag(q: number, d0r: number, d0i: number, d1r: number, d1i: number): void;
  /** [[0, u], [l, 0]] on target q (u = l = 1: a plain swap). */
  apply1Anti(q: number, ur: number, ui: number, lr: number, li: number): void;
  /** General 2x2 on target q where (i & cmask) === cval. */
  apply1Ctrl(
    q: number,
    cmask: number,
    cval: number,
    m00r: number,
    m00i: number,
    m01r: number,
    m01i: number,
    m10r: number,
    m10i: number,
    m11r: number,
    m11i: number,
  ): void;
  /** diag(d0, d1) on target q where (i & cmask) === cval. */
  apply1CtrlDiag(q: number, cmask: number, cval: number, d0r: number, d0i: number, d1r: number, d1i: number): void;
  /** [[0, u], [l, 0]] on target q where (i & cmask) === cval (CX, CCX, CY). */
  apply1CtrlAnti(q: number, cmask: number, cval: number, ur: number, ui: number, lr: number, li: number): void;
  /** Multiplies the amplitudes with (i & cmask) === cval by (re, im). */
  applyPhase(cmask: number, cval: number, re: number, im: number): void;
  /** General 4x4 (32 numbers, row-major complex; qa = matrix bit 0) where (i & cmask) === cval. */
  apply2(qa: number, qb: number, cmask: number, cval: number, m: Float64Array): void;
  /** Diagonal 4x4 (4 complex entries, 8 numbers) where (i & cmask) === cval. */
  apply2Diag(qa: number, qb: number, cmask: number, cval: number, d: Float64Array): void;
  /** Swaps the |01> and |10> amplitudes of (qa, qb) where (i & cmask) === cval. */
  applySwap(qa: number, qb: number, cmask: number, cval: number): void;
  /** Benchmark floor: every double x of the state becomes x·s + t (f64x2). */
  rmw(s: number, t: number): void;
}

/** A statevector living in its own wasm instance's memory, sized exactly at creation (no memory.grow, so the view never detaches). */
export interface WasmState {
  readonly n: number;
  readonly state: Float64Array;
  readonly k: WasmKernels;
}

/** Largest register a wasm32 instance holds: 16·2^n bytes of state plus scratch must stay below 4 GiB. */
export const WASM_MAX_QUBITS = 27;

/** Bytes after the state: 32 raw matrix numbers (256 B) and the expanded 4x4 (512 B), rounded up. */
const SCRATCH_BYTES = 1024;
const PAGE = 65536;

interface Exports {
  init(n: number): void;
  scratch(): number;
  apply1: WasmKernels['apply1'];
  apply1Real: WasmKernels['apply1Real'];
  apply1Diag: WasmKernels['apply1Diag'];
  apply1Anti: WasmKernels['apply1Anti'];
  apply1Ctrl: WasmKernels['apply1Ctrl'];
  apply1CtrlDiag: WasmKernels['apply1CtrlDiag'];
  apply1CtrlAnti: WasmKernels['apply1CtrlAnti'];
  applyPhase: WasmKernels['applyPhase'];
  apply2(qa: number, qb: number, cmask: number, cval: number): void;
  apply2Diag(qa: number, qb: number, cmask: number, cval: number): void;
  applySwap: WasmKernels['applySwap'];
  rmw: WasmKernels['rmw'];
}

/**
 * The slice of the WebAssembly JS API used here, typed locally: the project's libs (ES2023 +
 * @types/node 20) declare no WebAssembly global, and a global declaration could clash with a lib
 * that does.
 */
interface WasmModule {
  readonly __wasmModule?: never;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { readonly exports: object };
  Memory: new (descriptor: { initial: number; maximum: number }) => { readonly buffer: ArrayBuffer };
}

const WA = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

let compiled: WasmModule | null | undefined;

function decodeBase64(b64: string): Uint8Array {
  if (typeof Buffer !== 'undefined') {
    const b = Buffer.from(b64, 'base64');
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  }
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function wasmModule(): WasmModule | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  try {
    if (WA && typeof WA.Module === 'function') {
      // The module uses SIMD throughout: it compiles only where SIMD is supported.
      compiled = new WA.Module(decodeBase64(WASM_BASE64));
    }
  } catch {
    compiled = null;
  }
  return compiled;
}

/** Whether the SIMD kernels can run here (the module is compiled once, synchronously, and cached). */
export function wasmAvailable(): boolean {
  return wasmModule() !== null;
}

/**
 * A zeroed statevector of n qubits in a fresh wasm instance, or undefined when wasm is unavailable
 * or n exceeds WASM_MAX_QUBITS. Throws a RangeError for a negative or fractional n, and whatever
 * WebAssembly.Memory throws when the memory cannot be had.
 */
export function createWasmState(n: number): WasmState | undefined {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`createWasmState: invalid qubit count ${n}`);
  if (n > WASM_MAX_QUBITS) return undefined;
  const mod = wasmModule();
  if (!mod) return undefined;
  const stateBytes = 16 * 2 ** n;
  const pages = Math.ceil((stateBytes + SCRATCH_BYTES) / PAGE);
  const api = WA as WasmApi;
  const memory = new api.Memory({ initial: pages, maximum: pages });
  const inst = new api.Instance(mod, { env: { memory } });
  const x = inst.exports as unknown as Exports;
  x.init(n);
  const buffer = memory.buffer;
  const scratch = new Float64Array(buffer, x.scratch(), 32);
  const raw2 = x.apply2;
  const raw2Diag = x.apply2Diag;
  const k: WasmKernels = {
    apply1: x.apply1,
    apply1Real: x.apply1Real,
    apply1Diag: x.apply1Diag,
    apply1Anti: x.apply1Anti,
    apply1Ctrl: x.apply1Ctrl,
    apply1CtrlDiag: x.apply1CtrlDiag,
    apply1CtrlAnti: x.apply1CtrlAnti,
    applyPhase: x.applyPhase,
    apply2(qa, qb, cmask, cval, m) {
      scratch.set(m.length === 32 ? m : m.subarray(0, 32));
      raw2(qa, qb, cmask, cval);
    },
    apply2Diag(qa, qb, cmask, cval, d) {
      scratch.set(d.length === 8 ? d : d.subarray(0, 8));
      raw2Diag(qa, qb, cmask, cval);
    },
    applySwap: x.applySwap,
    rmw: x.rmw,
  };
  return { n, state: new Float64Array(buffer, 0, 2 << n), k };
}

// ---- Pauli-basis density matrices ---------------------------------------------------------------

/** Kernels on a density matrix stored as 4^n real Pauli coefficients (see src/noise/pauliTransfer.ts). */
export interface WasmPauliKernels {
  /** The 1-qubit PTM in `tables.m` (16 numbers, row-major) on the digit at element offsets o1..o3, over one chunk's groups. */
  ptm1(o1: number, o2: number, o3: number, y: number, free: number, skip0: number): void;
  /** The 2-qubit PTM in CSR form in `tables` (nr kept rows), over one chunk's groups. */
  ptm2(nr: number, y: number, free: number): void;
  /**
   * A 2-qubit PTM with one non-zero per row: row r (= da + 4·db, element strides oa and ob) becomes
   * v_r times input s_r; the 16 factors then the 16 sources follow `free`.
   */
  ptmPerm(oa: number, ob: number, y: number, free: number, ...factorsThenSources: number[]): void;
}

/** A Pauli-coefficient buffer in its own wasm instance, with views of the kernels' table area. */
export interface WasmPauliState {
  readonly coeffs: Float64Array;
  readonly k: WasmPauliKernels;
  readonly tables: {
    readonly m: Float64Array;
    readonly offsets: Int32Array;
    readonly rows: Int32Array;
    readonly rowStart: Int32Array;
    readonly col: Int32Array;
    readonly val: Float64Array;
  };
}

/** Table area of the Pauli kernels (offsets match src/sim/wasm/assembly/kernels.ts), rounded up. */
const PAULI_SCRATCH_BYTES = 4096;

/**
 * Zeroed storage for 4^n Pauli coefficients (8·4^n bytes) with the SIMD Pauli-transfer kernels, or
 * undefined when wasm is unavailable or the buffer would not fit a wasm32 memory (n > 13).
 */
export function createWasmPauliState(n: number): WasmPauliState | undefined {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`createWasmPauliState: invalid qubit count ${n}`);
  const bits = 2 * n - 1; // 8·4^n bytes = 16·2^(2n-1)
  if (bits > WASM_MAX_QUBITS - 1) return undefined;
  const mod = wasmModule();
  if (!mod) return undefined;
  const stateBytes = 16 * 2 ** bits;
  const pages = Math.ceil((stateBytes + PAULI_SCRATCH_BYTES) / PAGE);
  const api = WA as WasmApi;
  const memory = new api.Memory({ initial: pages, maximum: pages });
  const inst = new api.Instance(mod, { env: { memory } });
  const x = inst.exports as unknown as Exports & WasmPauliKernels;
  x.init(bits);
  const buffer = memory.buffer;
  const t = x.scratch();
  return {
    coeffs: new Float64Array(buffer, 0, 4 ** n),
    k: { ptm1: x.ptm1, ptm2: x.ptm2, ptmPerm: x.ptmPerm },
    tables: {
      m: new Float64Array(buffer, t, 16),
      offsets: new Int32Array(buffer, t + 128, 16),
      rows: new Int32Array(buffer, t + 192, 16),
      rowStart: new Int32Array(buffer, t + 256, 17),
      col: new Int32Array(buffer, t + 336, 256),
      val: new Float64Array(buffer, t + 1360, 256),
    },
  };
}
