/** Backend setup for the Node test suites: tfjs with the cpu and wasm backends (tfjs-node's binary cannot install here). */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

/** The backends the Node suites run on. */
export const NODE_BACKENDS = ['cpu', 'wasm'] as const;

/**
 * Activates a backend and fails loudly when it cannot start (`setBackend` resolves false on failure).
 * @throws Error naming the backend that did not start.
 */
export async function useBackend(name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok || tf.getBackend() !== name) throw new Error(`tfjs backend '${name}' did not start`);
  await tf.ready();
}
