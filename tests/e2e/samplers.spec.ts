/**
 * The sampler choice in both views (the original BFN sampler and the BFN-Solvers of Xue et al. 2024): switching it
 * resamples with that sampler and keeps it in the URL; the ODE solver's run is a deterministic function of its start
 * (the same seed gives the same picture, while the SDE solver with the same seed differs from it); and the
 * steps-vs-quality chart shows the values that the same computation gives in Node (Playground2D.stepsQuality on the
 * wasm backend with the shipped two-moons model and the page's data).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { playgroundPoints } from '../../src/data/playgroundPoints';
import { Playground2D } from '../../src/kinds/points2d/session';
import { seededNoise } from '../../src/bfn';
import { SAMPLER_CHOICES } from '../../src/bfn/samplerChoices';
import { digitConfidence, loadMnistClassifier } from '../../src/nets/mnistClassifier';
import { decodeMnistModel } from '../../src/kinds/modelFiles';
import { sampleWith } from '../../src/train/samplers';
import { canvasStats, waitForPlaybackEnd, waitForTrajectory, watchConsole } from './helpers';


async function sampleWithSampler(page: Page, consoleLines: string[], sampler: string): Promise<number> {
  await page.getByTestId('input-sampler').selectOption(sampler);
  await page.getByTestId('sample-button').click();
  const label = SAMPLER_CHOICES.continuous.find((c) => c.id === sampler)!.label;
  await expect(page.getByTestId('run-info')).toContainText(`with the ${label} sampler`, { timeout: 60_000 });
  await waitForTrajectory(page, consoleLines, 'shipped');
  await waitForPlaybackEnd(page);
  return (await canvasStats(page)).checksum;
}

test('2D view: the sampler choice samples with it, lives in the URL, and the ODE solver is deterministic from its start', async ({ page }) => {
  const consoleLines = watchConsole(page);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto('/?backend=wasm&samples=300&steps=10');
  await waitForTrajectory(page, consoleLines, 'shipped');
  const original = await sampleWithSampler(page, consoleLines, 'original');
  const ode = await sampleWithSampler(page, consoleLines, 'ode_bfnsolver2_multi_step');
  expect(ode).not.toBe(original);
  await expect(page.getByTestId('run-info')).toContainText('BFN-Solver ODE, 2nd order (multistep)');
  await expect(page).toHaveURL(/sampler=ode_bfnsolver2_multi_step/);
  // Another sampler in between, so that waiting for the label waits for a new run.
  const sde = await sampleWithSampler(page, consoleLines, 'sde_bfnsolver2_multi_step');
  expect(sde).not.toBe(ode);
  expect(await sampleWithSampler(page, consoleLines, 'ode_bfnsolver2_multi_step')).toBe(ode);
  await sampleWithSampler(page, consoleLines, 'sde_bfnsolver2_multi_step');
  await expect(page.getByTestId('readout-t')).toHaveText(/^1(\.0+)?$/);
  // A reload keeps the sampler (URL state).
  await page.reload();
  await expect(page.getByTestId('input-sampler')).toHaveValue('sde_bfnsolver2_multi_step');
  await expect(page.getByTestId('run-info')).toContainText('BFN-Solver SDE, 2nd order (multistep)', { timeout: 60_000 });
  expect(consoleLines.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
});

test('2D view: the steps-vs-quality chart shows what Node computes for the shipped two-moons model, and can be cancelled', async ({ page }) => {
  test.setTimeout(300_000);
  const consoleLines = watchConsole(page);
  await page.goto('/?backend=wasm&samples=200&steps=20');
  await waitForTrajectory(page, consoleLines, 'shipped');

  // Cancel: a run stopped at once leaves no chart and no error.
  await page.getByTestId('quality-measure').click();
  await page.getByTestId('quality-cancel').click();
  await expect(page.getByTestId('quality-progress')).toHaveCount(0);
  await expect(page.getByTestId('quality-table')).toHaveCount(0);
  await expect(page.getByTestId('error-box')).toHaveCount(0);

  await page.getByTestId('quality-measure').click();
  const table = page.getByTestId('quality-table');
  await expect(table).toBeVisible({ timeout: 240_000 });
  await expect(page.getByTestId('quality-chart')).toHaveAttribute('data-rows', '30');
  await expect(page.getByTestId('mini-a')).toBeVisible();
  await expect(page.getByTestId('mini-b')).toBeVisible();

  // The same computation in Node: the page's data (two moons, seed 1) and shipped model, wasm.
  await tf.setBackend('wasm');
  await tf.ready();
  const session = new Playground2D(() => tf.getBackend());
  session.setData(playgroundPoints('two-moons', 1));
  const dir = join(import.meta.dirname, '..', '..', 'models', 'two-moons');
  const weights = readFileSync(join(dir, 'weights.bin'));
  await session.loadModel({
    slot: 'file',
    modelJson: JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')),
    weights: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer,
    card: JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8')),
  });
  const samplers = ['original', 'ode_bfnsolver2_multi_step', 'sde_bfnsolver1'] as const;
  const node = await session.stepsQuality({ source: 'file', samplers: [...samplers], steps: [2, 10], points: 500, seed: 1 });
  for (const row of node.rows) {
    const cell = table.locator(`tr[data-sampler="${row.sampler}"] td[data-n="${row.n}"]`);
    // The same samples up to float32 rounding between two wasm builds: a k-NN share moves by at most a few points.
    expect(Math.abs(Number(await cell.getAttribute('data-a')) - row.precision), `${row.sampler} n = ${row.n} precision`).toBeLessThanOrEqual(0.01);
    expect(Math.abs(Number(await cell.getAttribute('data-b')) - row.recall), `${row.sampler} n = ${row.n} recall`).toBeLessThanOrEqual(0.01);
  }
  // Two steps are too few for every sampler; ten are enough for the second-order ODE solver.
  const at = (s: string, n: number) => node.rows.find((r) => r.sampler === s && r.n === n)!;
  expect(at('original', 2).precision).toBeLessThan(at('original', 10).precision);
  expect(at('ode_bfnsolver2_multi_step', 10).precision).toBeGreaterThan(0.95);
  expect(consoleLines.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
});

test('MNIST view: the sampler choice samples digits with a BFN-Solver and lives in the URL', async ({ page }) => {
  test.setTimeout(300_000);
  const consoleLines = watchConsole(page);
  await page.goto('/?view=mnist&backend=wasm&mnistSteps=10');
  const status = page.getByTestId('mnist-status');
  await expect(status, consoleLines.join('\n')).toContainText('Original BFN sampler', { timeout: 180_000 });
  await page.getByTestId('mnist-sampler-select').selectOption('ode_bfnsolver2_multi_step');
  await expect(page).toHaveURL(/mnistSampler=ode_bfnsolver2_multi_step/);
  await page.getByTestId('mnist-sample-button').click();
  await expect(status).toContainText('BFN-Solver ODE, 2nd order (multistep) sampler', { timeout: 120_000 });
  expect(consoleLines.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
});

test('MNIST view: the steps-vs-quality chart shows the classifier confidence that Node computes for the same digits', async ({ page }) => {
  test.setTimeout(300_000);
  const consoleLines = watchConsole(page);
  await page.goto('/?view=mnist&backend=wasm&mnistSteps=10');
  await expect(page.getByTestId('mnist-status'), consoleLines.join('\n')).toContainText('sampler', { timeout: 180_000 });
  await page.getByTestId('quality-measure').click();
  const table = page.getByTestId('quality-table');
  await expect(table).toBeVisible({ timeout: 240_000 });
  await expect(table).toContainText(/classifier with 9\d\.\d % test accuracy/);

  // Node: the shipped MNIST model and classifier from their files, the same sampler calls, wasm.
  await tf.setBackend('wasm');
  const root = join(import.meta.dirname, '..', '..', 'models');
  const bytes = (path: string) => {
    const b = readFileSync(path);
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  };
  const { spec, model } = decodeMnistModel(JSON.parse(readFileSync(join(root, 'mnist-binary', 'model.json'), 'utf8')), bytes(join(root, 'mnist-binary', 'weights.bin')));
  const cdir = join(root, 'classifiers', 'mnist-binary');
  const classifier = await loadMnistClassifier(JSON.parse(readFileSync(join(cdir, 'model.json'), 'utf8')), readFileSync(join(cdir, 'weights.bin')));
  for (const [sampler, n] of [['original', 10], ['ode_bfnsolver2_multi_step', 10], ['sde_bfnsolver1', 2]] as const) {
    const { samples } = await sampleWith(sampler, spec, model.net, [32, 784], { n, noise: seededNoise(1) });
    const expected = digitConfidence(classifier, samples);
    const cell = table.locator(`tr[data-sampler="${sampler}"] td[data-n="${n}"]`);
    expect(Math.abs(Number(await cell.getAttribute('data-a')) - expected.meanConfidence), `${sampler} n = ${n} confidence`).toBeLessThanOrEqual(0.02);
    expect(Math.abs(Number(await cell.getAttribute('data-b')) - expected.confidentShare), `${sampler} n = ${n} confident share`).toBeLessThanOrEqual(1 / 32 + 1e-9);
  }
  model.dispose();
  expect(consoleLines.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
});
