/**
 * Assembles src/train/wasm/fusedAdamW.wat with wabt (the WebAssembly Binary Toolkit's own assembler, compiled to JS),
 * once importing a shared memory (TF.js's threaded wasm build) and once a plain one, for scripts/build-wasm.ts and the
 * unit test that checks the committed binaries are this source's.
 */
import { readFileSync } from 'node:fs';
import wabtInit from 'wabt';

/** Path of the source, from the repository root. */
export const FUSED_ADAMW_WAT = 'src/train/wasm/fusedAdamW.wat';

/** The two binaries, base64. @throws Error with wabt's message when the source does not assemble. */
export async function assembleFusedAdamW(root = '.'): Promise<{ shared: string; plain: string }> {
  const wabt = await wabtInit();
  const source = readFileSync(`${root}/${FUSED_ADAMW_WAT}`, 'utf8');
  const build = (shared: boolean) => {
    const module = wabt.parseWat('fusedAdamW.wat', source.replace('MEMORY_SHARED', shared ? 'shared' : ''), { simd: true, threads: true });
    try {
      return Buffer.from(module.toBinary({}).buffer).toString('base64');
    } finally {
      module.destroy();
    }
  };
  return { shared: build(true), plain: build(false) };
}
