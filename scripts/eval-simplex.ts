/**
 * `npm run eval -- models/simplex`: measures a K = 3 simplex model the way its card reports it
 * (src/kinds/simplex/evaluate.ts): the NLL bound L^inf + L^r in bits per variable with its standard error beside the
 * data's entropy, and 4000 samples (n = 100) against the data: the share obeying x_3 = (x_1 + x_2) mod 3 and the total
 * variation of their joint histogram, beside fresh data's. Prints the result and writes it into card.json.
 */
import { loadKindModelFolder } from './lib/modelFolder';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { parseCard } from '../src/train/modelFile';
import { SIMPLEX_FILES } from '../src/kinds/simplex/files';
import { evaluateSimplex } from '../src/kinds/simplex/evaluate';

/** Evaluates one simplex model folder and writes the result into its card. */
export async function evalSimplex(dir: string): Promise<void> {
  const { spec, net, card } = loadKindModelFolder(SIMPLEX_FILES, dir);
  const started = performance.now();
  const r = await evaluateSimplex(spec, net.net);
  net.dispose();
  const wallSeconds = (performance.now() - started) / 1000;
  const pm = (e: { value: number; se: number }, digits = 4) => `${e.value.toFixed(digits)} ± ${e.se.toFixed(digits)}`;
  console.log(
    [
      `${card.id}: ${r.dataSamples} data samples (seed ${r.seed}), bits per variable:`,
      `  L^inf + L^r      ${pm(r.continuous)}   (data entropy ${r.dataEntropy.toFixed(4)}, the lowest possible)`,
      `  L^r              ${pm(r.reconstruction)}`,
      `  ${r.samples} samples, n = ${r.steps}: rule obeyed by ${(100 * r.ruleShare.value).toFixed(2)} % ± ${(100 * r.ruleShare.se).toFixed(2)} % ` +
        `(data 100 %, independent variables ${(100 * r.independentRuleShare).toFixed(1)} %)`,
      `  joint histogram total variation to the data's: ${r.totalVariation.toFixed(4)} (fresh data: ${r.dataTotalVariation.toFixed(4)})`,
      `  wall time ${wallSeconds.toFixed(1)} s on node ${tf.getBackend()}`,
    ].join('\n'),
  );
  card.evaluation = { ...r, wallSeconds: Math.round(wallSeconds * 10) / 10, backend: `node ${tf.getBackend()}`, command: `npm run eval -- ${dir}` };
  writeFileSync(join(dir, 'card.json'), JSON.stringify(parseCard(SIMPLEX_FILES, card), null, 1));
  console.log(`wrote the evaluation into ${join(dir, 'card.json')}`);
}
