/**
 * The committed binaries of the SIMD AdamW loops (src/train/wasm/fusedAdamWBinary.ts) are exactly what wabt assembles
 * from src/train/wasm/fusedAdamW.wat: an edit of the source without `npm run build:wasm` fails here. (Their arithmetic
 * is checked against PyTorch by tests/unit/trainer.test.ts on wasm, whose tensors of 3 and 4 values run the scalar tail
 * and the four-wide loop.)
 */
import { expect, test } from 'vitest';
import { assembleFusedAdamW } from '../../scripts/lib/assembleWasm';
import { FUSED_ADAMW_WASM_PLAIN, FUSED_ADAMW_WASM_SHARED } from '../../src/train/wasm/fusedAdamWBinary';

test('the committed SIMD binaries are the assembled .wat (shared and plain memory)', async () => {
  const { shared, plain } = await assembleFusedAdamW();
  expect(FUSED_ADAMW_WASM_SHARED).toBe(shared);
  expect(FUSED_ADAMW_WASM_PLAIN).toBe(plain);
  expect(shared).not.toBe(plain);
});
