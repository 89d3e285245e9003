/**
 * `npm run build:wasm`: assembles src/train/wasm/fusedAdamW.wat (scripts/lib/assembleWasm.ts) and writes the two
 * binaries, base64, into src/train/wasm/fusedAdamWBinary.ts, which the app imports (so neither the app's build nor a
 * user needs wabt). Run it after editing the .wat; a unit test fails while the committed binaries are stale.
 */
import { writeFileSync } from 'node:fs';
import { assembleFusedAdamW } from './lib/assembleWasm';

const { shared, plain } = await assembleFusedAdamW();
writeFileSync('src/train/wasm/fusedAdamWBinary.ts', `/**
 * The binaries of src/train/wasm/fusedAdamW.wat, base64, written by \`npm run build:wasm\` (scripts/build-wasm.ts): do
 * not edit. SHARED imports a shared memory (TF.js's threaded wasm build), PLAIN a plain one.
 */
export const FUSED_ADAMW_WASM_SHARED = '${shared}';
export const FUSED_ADAMW_WASM_PLAIN = '${plain}';
`);
console.log(`wrote src/train/wasm/fusedAdamWBinary.ts (${Buffer.from(plain, 'base64').length} bytes per binary)`);
