/**
 * `npm run conformance -- [dir] [--backend cpu|wasm]`: checks a directory of reference vector files (the core vectors,
 * or the BFN-Solver vectors such as tests/solver-vectors) against src/bfn in Node and prints one line per failed
 * comparison and a summary. Exits 1 on any failure.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { checkAnyVectorFiles } from '../src/conformance/solverChecks';
import { loadVectorFiles, VECTORS_DIR } from './lib/vectors';

const args = process.argv.slice(2);
const backendFlag = args.indexOf('--backend');
const backend = backendFlag >= 0 ? args[backendFlag + 1]! : 'wasm';
const dir = args.find((a, k) => !a.startsWith('--') && args[k - 1] !== '--backend') ?? VECTORS_DIR;

if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} did not start`);
const results = await checkAnyVectorFiles(loadVectorFiles(dir));
const failed = results.filter((r) => !r.ok);
for (const r of failed) console.log(`FAIL ${r.file} :: ${r.check} :: ${r.message}`);
console.log(`${backend}: ${results.length - failed.length} passed, ${failed.length} failed (${dir})`);
process.exit(failed.length ? 1 : 0);
