import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { QError, encodeIdx, parseIdx, readIdxFile } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'qbridge-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expectValidation(fn: () => unknown, pattern: RegExp): QError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(QError);
    expect((e as QError).code).toBe('VALIDATION');
    expect((e as QError).message).toMatch(pattern);
    return e as QError;
  }
  throw new Error('expected a VALIDATION error');
}

describe('IDX files', () => {
  const data = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => (i * 37) % 256);
  const bytes = encodeIdx([2, 3, 4], data);

  it('writes the documented header: magic 0x00000803 then big-endian dimensions', () => {
    expect(Array.from(bytes.subarray(0, 16))).toEqual([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4]);
    const parsed = parseIdx(bytes);
    expect(parsed.dims).toEqual([2, 3, 4]);
    expect(Array.from(parsed.data)).toEqual(Array.from(data));
  });

  it('reads plain and gzipped files to the same array, whatever the extension', () => {
    const plain = join(dir, 'a-idx3-ubyte');
    const gz = join(dir, 'a-idx3-ubyte.gz');
    const gzNoExt = join(dir, 'b-idx3-ubyte');
    writeFileSync(plain, bytes);
    writeFileSync(gz, gzipSync(bytes));
    writeFileSync(gzNoExt, gzipSync(bytes));
    for (const p of [plain, gz, gzNoExt]) {
      const r = readIdxFile(p);
      expect(r.dims).toEqual([2, 3, 4]);
      expect(Array.from(r.data)).toEqual(Array.from(data));
    }
  });

  it('reports a bad magic number, naming the file', () => {
    const p = join(dir, 'badmagic');
    const b = Uint8Array.from(bytes);
    b[0] = 0x12;
    writeFileSync(p, b);
    const e = expectValidation(() => readIdxFile(p), /badmagic.*bad magic number 0x12000803/);
    expect(e.details.file).toBe(p);
  });

  it('reports truncated and over-long files with the expected and actual sizes', () => {
    const short = join(dir, 'short');
    writeFileSync(short, bytes.subarray(0, bytes.length - 5));
    expectValidation(() => readIdxFile(short), /short.*need 24 data bytes, file has 19 \(truncated\)/);
    const long = join(dir, 'long');
    writeFileSync(long, Buffer.concat([bytes, Buffer.from([1, 2])]));
    expectValidation(() => readIdxFile(long), /long.*file has 26 \(trailing bytes\)/);
    expectValidation(() => parseIdx(new Uint8Array([0, 0]), 'tiny'), /tiny.*shorter than the 4-byte header/);
    expectValidation(() => parseIdx(new Uint8Array([0, 0, 8, 3, 0, 0]), 'hdr'), /hdr.*header of rank 3 needs 16 bytes/);
  });

  it('rejects element types other than unsigned bytes by name', () => {
    const b = Uint8Array.from(bytes);
    b[2] = 0x0d;
    expectValidation(() => parseIdx(b, 'floats'), /floats.*float32 \(0xd\) is not supported/);
  });

  it('reports missing files and corrupt gzip streams, naming the path', () => {
    const missing = join(dir, 'nope-idx1-ubyte');
    const e = expectValidation(() => readIdxFile(missing), /IDX file not found: .*nope-idx1-ubyte/);
    expect(e.details.file).toBe(missing);
    const badGz = join(dir, 'bad.gz');
    writeFileSync(badGz, Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), Buffer.alloc(20, 7)]));
    expectValidation(() => readIdxFile(badGz), /bad\.gz: corrupt gzip data/);
  });
});
