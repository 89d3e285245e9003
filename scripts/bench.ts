/**
 * `npm run bench`: the 2D benchmark (src/bench/bench2d.ts) in Node on wasm and cpu, and in headless Chromium on
 * webgpu, webgl, wasm and cpu (through selftest.html's `window.bfnSelfTest.bench2d()` in the engine worker).
 * Reports, per backend, training steps per second for the default MLP (width 128, depth 3) at batch 256, and
 * milliseconds to sample N = 2000 points with n = 100 steps; and the MNIST benchmark (src/bench/benchMnist.ts):
 * milliseconds to sample 16 digits with n = 100 steps and training steps per second at batch 64 (the shipped network
 * size); as tables and as JSON (also written to bench-results.json). Browser numbers on this machine come from SwiftShader (CPU emulation of the GPU).
 *
 * Options: --node-only, --browser-only. Needs a built dist/ (it runs `vite build` when dist/ is missing) and Chromium
 * at $CHROMIUM_PATH or /usr/bin/chromium.
 */
import { execSync, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { chromium } from 'playwright-core';
import { bench2D, type Bench2DResult } from '../src/bench/bench2d';
import { benchMnist, type MnistBenchResult } from '../src/bench/benchMnist';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/e2e/browser';
import type {} from '../src/engine/selftest-api';

type Row = Bench2DResult & { where: 'node' | 'chromium' };
const rows: Row[] = [];
type MnistRow = MnistBenchResult & { where: 'node' | 'chromium' };
const mnistRows: MnistRow[] = [];
const args = new Set(process.argv.slice(2));

if (!args.has('--browser-only')) {
  for (const backend of ['wasm', 'cpu']) {
    if (!(await tf.setBackend(backend))) throw new Error(`node backend ${backend} did not start`);
    process.stderr.write(`node ${backend} ...\n`);
    rows.push({ where: 'node', ...(await bench2D(backend === 'cpu' ? 20 : 50, backend === 'cpu' ? 1 : 2)) });
    process.stderr.write(`node ${backend} MNIST ...\n`);
    mnistRows.push({ where: 'node', ...(await benchMnist(backend === 'cpu' ? 2 : 10, 1)) });
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

if (!args.has('--node-only')) {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}; install Debian's chromium or set CHROMIUM_PATH`);
  if (!existsSync('dist/selftest.html')) execSync('npx vite build', { stdio: 'inherit' });
  const port = await freePort();
  const server = spawn('npx', ['vite', 'preview', '--strictPort', '--host', '127.0.0.1', '--port', String(port)], { stdio: 'ignore', detached: true });
  try {
    for (let k = 0; k < 100; k++) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/selftest.html`)).ok) break;
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
    try {
      for (const backend of ['webgpu', 'webgl', 'wasm', 'cpu']) {
        process.stderr.write(`chromium ${backend} ...\n`);
        const page = await browser.newPage();
        await page.goto(`http://127.0.0.1:${port}/selftest.html?backend=${backend}&cpuForward=0`);
        const info = await page.evaluate(() => window.bfnSelfTest.ready);
        if (info.active !== backend) throw new Error(`chromium: asked for ${backend}, got ${info.active} (${JSON.stringify(info.refused)})`);
        const steps = backend === 'webgpu' || backend === 'cpu' ? 15 : 30;
        const result = await page.evaluate(([s, r]) => window.bfnSelfTest.bench2d(s, r), [steps, backend === 'cpu' ? 1 : 2] as const);
        rows.push({ where: 'chromium', ...result });
        process.stderr.write(`chromium ${backend} MNIST ...\n`);
        const slow = backend === 'webgpu' || backend === 'cpu';
        mnistRows.push({ where: 'chromium', ...(await page.evaluate((o) => window.bfnSelfTest.benchMnist(o), { trainSteps: slow ? 2 : 10, sampleRepeats: 1 })) });
        await page.close();
      }
    } finally {
      await browser.close();
    }
  } finally {
    if (server.pid) process.kill(-server.pid);
  }
}

const pad = (s: string, n: number) => s.padEnd(n);
console.log(`\n${pad('where', 10)}${pad('backend', 9)}${pad('train steps/s', 15)}${pad('ms/step', 10)}sample 2000 x 100 (ms)`);
for (const r of rows) {
  console.log(`${pad(r.where, 10)}${pad(r.backend, 9)}${pad(r.trainStepsPerSecond.toFixed(1), 15)}${pad(r.trainStepMs.toFixed(1), 10)}${r.sampleMs.toFixed(0)}`);
}
console.log(`\nMNIST (${mnistRows[0]?.parameters.toLocaleString('en') ?? '?'} parameters)\n${pad('where', 10)}${pad('backend', 9)}${pad('sample 16 x 100 (ms)', 22)}${pad('train steps/s @64', 19)}ms/step`);
for (const r of mnistRows) {
  console.log(`${pad(r.where, 10)}${pad(r.backend, 9)}${pad(r.sampleMs.toFixed(0), 22)}${pad(r.trainStepsPerSecond.toFixed(2), 19)}${r.trainStepMs.toFixed(0)}`);
}
const json = {
  date: new Date().toISOString(), model: 'MLP width 128 depth 3, batch 256, L^inf, Adam', rows,
  mnist: { model: 'MNIST network (MLP 1024 x 3), batch 64, L^inf, AdamW; sampling 16 digits, n = 100', rows: mnistRows },
};
writeFileSync('bench-results.json', JSON.stringify(json, null, 1));
console.log(JSON.stringify(json));
