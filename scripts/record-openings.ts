/**
 * `npm run record`: writes models/<id>/opening.bin for every shipped 2D model and binarized MNIST: the first frames of
 * the run each view starts with (src/engine/opening.ts), sampled on the wasm backend by the views' own sessions
 * (scripts/lib/openings.ts). Run it after retraining a shipped model or changing a view's default sampling settings;
 * a unit test (tests/unit/openings.test.ts) fails while an opening is stale.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { openingJobs, recordOpening } from './lib/openings';

if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not start');
for (const job of openingJobs()) {
  const started = performance.now();
  const bytes = await recordOpening(job, () => tf.getBackend());
  const out = join(job.dir, 'opening.bin');
  writeFileSync(out, bytes);
  console.log(`${out}: ${(bytes.length / 1024).toFixed(1)} kB (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
