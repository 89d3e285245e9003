/**
 * Switching the engine's backend with its state (src/engine/moveVariables.ts): the shipped two-moons network, loaded
 * on wasm, samples the same points after a switch to cpu and back, and its variables then live on the new backend.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { sample, seededNoise } from '../../src/bfn';
import { switchBackendWithVariables } from '../../src/engine/moveVariables';
import { readModel } from '../../src/kinds/modelFiles';
import { POINTS_FILES } from '../../src/kinds/points2d/files';
import { useBackend } from '../backends';

type Loaded = ReturnType<typeof readModel<never, never, never, never>>;
let model: Loaded | null = null;

/** The backend that holds a tensor's data now (TF.js's engine record of it). */
const holder = (t: tf.Tensor) => (tf.engine().state as unknown as { tensorInfo: WeakMap<object, { backend: tf.KernelBackend }> }).tensorInfo.get(t.dataId)?.backend;

beforeAll(async () => {
  await useBackend('wasm');
  const bytes = readFileSync('models/two-moons/weights.bin');
  const raw: unknown = JSON.parse(readFileSync('models/two-moons/model.json', 'utf8'));
  model = readModel(POINTS_FILES as never, raw, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), null) as Loaded;
});

afterAll(async () => {
  (model?.net as { dispose(): void } | undefined)?.dispose();
  await useBackend('cpu');
});

test('a loaded network samples the same points after moving wasm -> cpu -> wasm, with nothing leaked', async () => {
  const { spec, net } = model as unknown as { spec: Parameters<typeof sample>[0]; net: { net: Parameters<typeof sample>[1]; variables: tf.Variable[] } };
  const draw = async () => (await sample(spec, net.net, [64, 2], { n: 20, noise: seededNoise(5) })).samples;
  const onWasm = await draw();
  const tensors = tf.memory().numTensors;
  const moved = await switchBackendWithVariables('cpu');
  expect(moved).toBeGreaterThanOrEqual(net.variables.length);
  expect(tf.getBackend()).toBe('cpu');
  // Each weight now lives on cpu: moved by the switch, not left for TF.js to copy on first use.
  for (const v of net.variables) expect(holder(v)).toBe(tf.engine().findBackend('cpu'));
  const onCpu = await draw();
  await switchBackendWithVariables('wasm');
  for (const v of net.variables) expect(holder(v)).toBe(tf.engine().findBackend('wasm'));
  const back = await draw();
  expect(tf.memory().numTensors).toBe(tensors);
  // Same weights, same noise: the same points up to float32 rounding differences between the backends' kernels.
  const worst = Math.max(...Array.from(onWasm, (x, k) => Math.abs(x - onCpu[k]!)));
  expect(worst).toBeLessThan(1e-3);
  expect(Array.from(back)).toEqual(Array.from(onWasm));
  // The samples are points of the two moons (in [-1, 1]), not a collapsed or blown-up cloud.
  expect(Math.max(...Array.from(onCpu, Math.abs))).toBeLessThanOrEqual(1);
  expect(new Set(Array.from(onCpu, (x) => x.toFixed(2))).size).toBeGreaterThan(30);
});

test('a backend that does not start leaves the active one and the weights as they were', async () => {
  await useBackend('wasm');
  await expect(switchBackendWithVariables('no-such-backend')).rejects.toThrow('the no-such-backend backend did not start');
  expect(tf.getBackend()).toBe('wasm');
});
