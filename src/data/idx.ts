/**
 * IDX files (the format MNIST ships in): a 4-byte magic (0, 0, element type, rank), `rank` big-endian
 * uint32 dimensions, then the elements. Only unsigned bytes (type 0x08) are supported: that is what
 * MNIST, Fashion-MNIST and EMNIST use. Gzipped files (the form they are downloaded in) are detected
 * by their gzip magic, whatever the file name says.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { QError, validationError } from '../errors.js';

export interface IdxArray {
  readonly dims: readonly number[];
  /** The elements, row-major (a view into the file's bytes). */
  readonly data: Uint8Array;
}

const IDX_UBYTE = 0x08;
const TYPE_NAMES: Readonly<Record<number, string>> = { 0x09: 'int8', 0x0b: 'int16', 0x0c: 'int32', 0x0d: 'float32', 0x0e: 'float64' };

function corrupt(name: string, what: string, details: Record<string, unknown> = {}): QError {
  return validationError(`${name}: not a valid IDX file (${what})`, { file: name, ...details });
}

/** Parses IDX bytes; `name` (usually the path) is quoted in every error. */
export function parseIdx(bytes: Uint8Array, name = 'IDX data'): IdxArray {
  if (bytes.length < 4) throw corrupt(name, `${bytes.length} bytes, shorter than the 4-byte header`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const magic = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
    throw corrupt(name, `bad magic number 0x${magic.toString(16).padStart(8, '0')}, expected 0x000008NN`, { magic });
  }
  const type = bytes[2];
  if (type !== IDX_UBYTE) {
    const t = TYPE_NAMES[type];
    throw corrupt(
      name,
      t
        ? `element type ${t} (0x${type.toString(16)}) is not supported, only unsigned bytes (0x08)`
        : `unknown element type 0x${type.toString(16)}`,
    );
  }
  const rank = bytes[3];
  if (rank === 0) throw corrupt(name, 'rank 0');
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength) throw corrupt(name, `header of rank ${rank} needs ${headerLength} bytes, file has ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  let size = 1;
  for (let i = 0; i < rank; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    dims.push(d);
    size *= d;
  }
  const have = bytes.length - headerLength;
  if (have !== size) {
    throw corrupt(
      name,
      `dimensions [${dims.join(', ')}] need ${size} data bytes, file has ${have}${have < size ? ' (truncated)' : ' (trailing bytes)'}`,
      {
        dims,
        expectedBytes: size,
        actualBytes: have,
      },
    );
  }
  return { dims, data: bytes.subarray(headerLength) };
}

/** Reads an IDX or gzipped IDX file; missing, unreadable or corrupt files are VALIDATION errors naming the path. */
export function readIdxFile(path: string): IdxArray {
  if (!existsSync(path)) throw validationError(`IDX file not found: ${path}`, { file: path });
  if (!statSync(path).isFile()) throw validationError(`not a file: ${path}`, { file: path });
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new QError('VALIDATION', `cannot read ${path}: ${(e as Error).message}`, { details: { file: path }, cause: e });
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new QError('VALIDATION', `${path}: corrupt gzip data (${(e as Error).message})`, { details: { file: path }, cause: e });
    }
  }
  return parseIdx(bytes, path);
}

/** Encodes an unsigned-byte array as IDX (for tests and for exporting processed sets). */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  const size = dims.reduce((a, b) => a * b, 1);
  if (size !== data.length) throw validationError(`IDX dimensions [${dims.join(', ')}] need ${size} bytes, got ${data.length}`);
  if (dims.length === 0 || dims.length > 255) throw validationError(`IDX rank must be 1..255, got ${dims.length}`);
  const out = new Uint8Array(4 + 4 * dims.length + size);
  const view = new DataView(out.buffer);
  out[2] = IDX_UBYTE;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}
