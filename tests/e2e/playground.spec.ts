/**
 * The 2D playground in headless Chromium: a shipped model's trajectory drawn on first paint without
 * training, scrubbing t and the keyboard, training on wasm with a falling loss and an improving distance-to-data
 * metric, a short train-and-sample on webgpu and webgl, model and point files (bad ones refused with the data or
 * model unchanged), drawing with the mouse, the URL round trip, IndexedDB across reloads, backend fallback, and
 * screenshots at desktop and phone width with no overlapping panels, legends on every chart and no NaN.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { networkLabel } from '../../src/kinds/points2d/network';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/lib/browser';
import { canvasStats, expectNoNaN, train, trainStep, waitForPlaybackEnd, waitForTrajectory, watchConsole } from './helpers';

const SHOTS = 'test-results/screenshots';


/** No two panels overlap, nothing is wider than the window, and every chart has a legend and axis labels. */
async function expectCleanLayout(page: Page): Promise<void> {
  const report = await page.evaluate(() => {
    const boxes = Array.from(document.querySelectorAll('.status, .card')).map((el, k) => {
      const r = el.getBoundingClientRect();
      const name = `${el.className.split(' ').join('.')}#${k}(${el.querySelector('h2')?.textContent ?? ''})`;
      return { name, left: r.left, right: r.right, top: r.top + scrollY, bottom: r.bottom + scrollY };
    });
    const overlaps: string[] = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!;
        const b = boxes[j]!;
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        // A card inside another (none today) would be nesting, not overlap.
        const inside = (p: typeof a, q: typeof a) => p.left >= q.left && p.right <= q.right && p.top >= q.top && p.bottom <= q.bottom;
        if (w > 1 && h > 1 && !inside(a, b) && !inside(b, a)) overlaps.push(`${a.name} overlaps ${b.name} by ${w.toFixed(0)}x${h.toFixed(0)}`);
      }
    }
    const charts = Array.from(document.querySelectorAll('figure.chart')).map((fig) => ({
      legend: fig.querySelectorAll('.chart-legend .legend-item').length,
      labels: fig.querySelectorAll('.chart-label').length,
      name: fig.querySelector('svg')?.getAttribute('aria-label') ?? '?',
    }));
    return { overlaps, charts, scrollWidth: document.documentElement.scrollWidth, innerWidth };
  });
  expect(report.overlaps).toEqual([]);
  expect(report.scrollWidth, 'page wider than the window').toBeLessThanOrEqual(report.innerWidth);
  expect(report.charts.length, 'charts on the page').toBeGreaterThanOrEqual(5);
  for (const c of report.charts) {
    expect(c.legend, `legend of chart '${c.name}'`).toBeGreaterThan(0);
    expect(c.labels, `axis labels of chart '${c.name}'`).toBe(2);
  }
}

/** The pixel (CSS, page coordinates) of a blue mark (an input mean) on the plot canvas, or null. */
async function blueMark(page: Page): Promise<{ x: number; y: number } | null> {
  return page.getByTestId('plot-canvas').evaluate((el) => {
    const canvas = el as HTMLCanvasElement;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    const rect = canvas.getBoundingClientRect();
    const scale = canvas.width / rect.width;
    // Scan the canvas row by row (every 7th pixel) for a strongly blue, opaque pixel.
    for (let k = 0; k < data.length; k += 4 * 7) {
      const [r, g, b, a] = [data[k]!, data[k + 1]!, data[k + 2]!, data[k + 3]!];
      if (a > 200 && b > 180 && r < 90 && g < 140) {
        const i = k / 4;
        return { x: rect.left + (i % canvas.width) / scale, y: rect.top + Math.floor(i / canvas.width) / scale };
      }
    }
    return null;
  });
}

test('first paint: the shipped model samples and animates without training; t, keys, layers and hover change the view (1280x800)', async ({ page }) => {
  const consoleLines = watchConsole(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'BFN Playground' })).toBeVisible();
  await expect(page.getByTestId('backend-status')).toContainText('Engine running on', { timeout: 60_000 });
  await waitForTrajectory(page, consoleLines, 'shipped');
  await expect(page.getByTestId('run-info')).toContainText('1,000 points × 100 steps from the shipped model');
  await expect(page.getByTestId('source-shipped')).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByTestId('model-card')).toContainText('Two moons');
  // The card names the shipped network as its model.json describes it (with its Fourier features and residual layers).
  const shippedNetwork = (JSON.parse(readFileSync('models/two-moons/model.json', 'utf8')) as { network: Parameters<typeof networkLabel>[0] }).network;
  await expect(page.getByTestId('model-card-network')).toContainText(networkLabel(shippedNetwork, '×'));
  await expect(page.getByTestId('train-step')).toHaveText('0');

  // It plays by itself from t = 0 to t = 1, then stops.
  await waitForPlaybackEnd(page);
  await expect(page.getByTestId('readout-step')).toHaveText('100 / 100');
  await expect(page.getByTestId('readout-rho')).toHaveText('2500');
  const end = await canvasStats(page);
  expect(end.inked, 'the canvas is blank').toBeGreaterThan(2000);
  await page.screenshot({ path: `${SHOTS}/playground-1280x800.png`, fullPage: true });
  await page.screenshot({ path: `${SHOTS}/playground-1280x800-viewport.png` });

  // Scrubbing t changes the drawing and the readouts.
  await page.getByTestId('t-slider').fill('20');
  await expect(page.getByTestId('readout-step')).toHaveText('20 / 100');
  await expect(page.getByTestId('readout-t')).toHaveText('0.200');
  const mid = await canvasStats(page);
  expect(mid.inked).toBeGreaterThan(500);
  expect(mid.checksum, 'the drawing did not change with t').not.toBe(end.checksum);

  // Keyboard: Home, arrows, End, + and - for speed, space to play and pause.
  await page.locator('h1').click();
  await page.keyboard.press('Home');
  await expect(page.getByTestId('readout-step')).toHaveText('0 / 100');
  await expect(page.getByTestId('readout-rho')).toHaveText('1');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('readout-step')).toHaveText('2 / 100');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('readout-step')).toHaveText('1 / 100');
  await page.keyboard.press('+');
  await expect(page.getByTestId('speed-select')).toHaveValue('2');
  await page.keyboard.press('-');
  await page.keyboard.press('-');
  await expect(page.getByTestId('speed-select')).toHaveValue('0.5');
  await expect(page).toHaveURL(/speed=0\.5/);
  await page.keyboard.press(' ');
  await expect(page.getByTestId('play-button')).toHaveAttribute('aria-label', 'Pause');
  await page.keyboard.press(' ');
  await expect(page.getByTestId('play-button')).toHaveAttribute('aria-label', 'Play');
  await page.keyboard.press('End');
  await expect(page.getByTestId('readout-step')).toHaveText('100 / 100');

  // Layers: the sender samples and the predictions redraw the canvas.
  await page.keyboard.press('ArrowLeft');
  let before = await canvasStats(page);
  await page.getByTestId('layer-y').check();
  await expect.poll(async () => (await canvasStats(page)).checksum).not.toBe(before.checksum);
  before = await canvasStats(page);
  await page.getByTestId('layer-xhat').check();
  await expect.poll(async () => (await canvasStats(page)).checksum).not.toBe(before.checksum);
  await expect(page).toHaveURL(/layers=/);

  // Hovering an input mean fills the linked chart; clicking keeps it chosen.
  await page.getByTestId('layer-y').uncheck();
  await page.getByTestId('layer-xhat').uncheck();
  await page.getByTestId('layer-paths').uncheck();
  await page.getByTestId('layer-data').uncheck();
  await page.getByTestId('plot-canvas').scrollIntoViewIfNeeded();
  const mark = await blueMark(page);
  expect(mark, 'no input mean found on the canvas').not.toBeNull();
  await page.mouse.move(mark!.x, mark!.y);
  await expect(page.getByTestId('point-chart')).not.toHaveAttribute('data-index', '');
  await expect(page.getByTestId('focus-mark')).toBeVisible();
  await page.mouse.click(mark!.x, mark!.y);
  const chosen = await page.getByTestId('point-chart').getAttribute('data-index');
  await page.mouse.move(5, 5);
  await expect(page.getByTestId('point-chart')).toHaveAttribute('data-index', chosen!);
  await page.getByTestId('t-slider').fill('50');
  await expect(page.getByTestId('schedule-chart-marker')).toBeAttached();
  await page.screenshot({ path: `${SHOTS}/playground-1280x800-point.png`, fullPage: true });
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('point-chart')).toHaveAttribute('data-index', '');

  await expectNoNaN(page);
  await expectCleanLayout(page);
  expect(consoleLines.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
});

test('training on wasm: 300 steps, the loss falls, the distance to data improves, and the network survives a reload', async ({ page }) => {
  test.setTimeout(300_000);
  const consoleLines = watchConsole(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('active-backend')).toHaveText('wasm', { timeout: 60_000 });
  await waitForTrajectory(page, consoleLines, 'shipped');
  const started = Date.now();
  await train(page, consoleLines, 300, 240_000);
  test.info().annotations.push({ type: 'timing', description: `${await trainStep(page)} steps on wasm in ${((Date.now() - started) / 1000).toFixed(1)} s` });

  const loss = page.getByTestId('loss-chart');
  const early = Number(await loss.getAttribute('data-early'));
  const late = Number(await loss.getAttribute('data-late'));
  expect(Number(await loss.getAttribute('data-count'))).toBeGreaterThanOrEqual(300);
  expect(late, `smoothed loss: early ${early}, late ${late}`).toBeLessThan(0.9 * early);
  const metric = page.getByTestId('metric-chart');
  const first = Number(await metric.getAttribute('data-first'));
  const last = Number(await metric.getAttribute('data-last'));
  expect(Number(await metric.getAttribute('data-count'))).toBeGreaterThanOrEqual(2);
  expect(last, `energy distance: first ${first}, last ${last}`).toBeLessThan(0.5 * first);
  await expect(page.getByTestId('train-backend')).toHaveText('wasm');
  await expect(page.getByTestId('train-rate')).toHaveText(/^\d/);
  await expect(page.getByTestId('metric-baseline')).toHaveText(/^\d/);
  await expect(page.getByTestId('source-trained')).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByTestId('model-card')).toContainText('Trained here on Two moons');
  await waitForPlaybackEnd(page);
  expect((await canvasStats(page)).inked).toBeGreaterThan(2000);
  await expectNoNaN(page);
  await expectCleanLayout(page);
  await page.screenshot({ path: `${SHOTS}/playground-1280x800-trained.png`, fullPage: true });

  // The trained network is kept in IndexedDB: after a reload it is restored and sampled.
  const steps = await trainStep(page);
  await expect(page.getByTestId('model-card')).toContainText(`Saved in this browser at step ${steps}`, { timeout: 30_000 });
  await page.reload();
  await waitForTrajectory(page, consoleLines, 'trained');
  await expect(page.getByTestId('training-notice')).toContainText('Restored your network');
  expect(await trainStep(page)).toBe(steps);
  expect(consoleLines.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
});

for (const backend of ['webgpu', 'webgl'] as const) {
  test(`short train and sample on ${backend}`, async ({ page }) => {
    test.setTimeout(300_000);
    const consoleLines = watchConsole(page);
    // SwiftShader emulates the GPU here: keep the work small (100 points, 10 steps; a cheap metric).
    await page.goto(`/?backend=${backend}&samples=100&steps=10&evalPoints=100&evalSteps=10&batch=64`);
    await expect(page.getByTestId('active-backend')).toHaveText(backend, { timeout: 60_000 });
    await waitForTrajectory(page, consoleLines, 'shipped', 180_000);
    expect((await canvasStats(page)).inked).toBeGreaterThan(100);
    const started = Date.now();
    await train(page, consoleLines, backend === 'webgpu' ? 5 : 30, 240_000);
    test.info().annotations.push({ type: 'timing', description: `${await trainStep(page)} steps and a sample on ${backend} in ${((Date.now() - started) / 1000).toFixed(1)} s` });
    await expect(page.getByTestId('run-info')).toContainText(`sampled on ${backend}`);
    await expect(page.getByTestId('metric-value')).toHaveText(/^\d/);
    await waitForPlaybackEnd(page);
    expect((await canvasStats(page)).inked).toBeGreaterThan(100);
    await expectNoNaN(page);
    expect(consoleLines.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
  });
}

test('model files: malformed, foreign and truncated files are refused and the model stays; a downloaded model loads back', async ({ page }, testInfo) => {
  const consoleLines = watchConsole(page);
  await page.goto('/?backend=wasm&samples=300&steps=30');
  await waitForTrajectory(page, consoleLines, 'shipped');
  const runInfo = await page.getByTestId('run-info').textContent();
  const input = page.getByTestId('load-model');
  const error = page.getByTestId('model-error');
  const refuse = async (name: string, body: string, message: RegExp) => {
    await input.setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(body) });
    await expect(error).toContainText(message);
    await expect(error).toContainText('The current model is unchanged');
    await expect(page.getByTestId('run-info')).toHaveText(runInfo!);
    await expect(page.getByTestId('source-shipped')).toHaveAttribute('aria-checked', 'true');
    await expect(page.getByTestId('source-file')).toBeDisabled();
  };
  await refuse('model.json', '{ this is not json', /not valid JSON/);
  await refuse('points.json', '[[0.1, 0.2], [0.3, 0.4]]', /not a BFN Playground model/);
  await refuse('bundle.json', JSON.stringify({ format: 'bfn-playground-bundle', version: 1, modelJson: { format: 'keras' }, weightsBase64: 'AAAA', card: null }), /model\.json is not a BFN Playground model/);

  // Download the shipped model as one bundle and load it back.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-model').click()]);
  const path = testInfo.outputPath('model-bundle.json');
  await download.saveAs(path);
  const bundle = JSON.parse(readFileSync(path, 'utf8')) as { format: string; weightsBase64: string; modelJson: { spec: { kind: string } } };
  expect(bundle.format).toBe('bfn-playground-bundle');

  // A truncated copy and a copy for another data kind are refused.
  const shippedBytes = statSync('models/two-moons/weights.bin').size;
  await refuse('truncated.json', JSON.stringify({ ...bundle, weightsBase64: bundle.weightsBase64.slice(0, 4000) }), new RegExp(`weights\\.bin holds 3000 bytes; model\\.json describes ${shippedBytes}`));
  await refuse('discrete.json', JSON.stringify({ ...bundle, modelJson: { ...bundle.modelJson, spec: { kind: 'discrete', K: 2, beta1: 3 } } }), /for discrete data/);

  await input.setInputFiles(path);
  await waitForTrajectory(page, consoleLines, 'file');
  await expect(error).toHaveCount(0);
  await expect(page.getByTestId('source-file')).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByTestId('model-card')).toContainText('Two moons');
  await expect(page.getByTestId('model-card-network')).toHaveText(new RegExp(`^${networkLabel((bundle.modelJson as unknown as { network: Parameters<typeof networkLabel>[0] }).network, '×')}, σ₁`));
  // The same weights and seed give the same samples as the shipped model.
  await waitForPlaybackEnd(page);
  await expect(page.getByTestId('run-info')).toContainText('300 points × 30 steps from the loaded model');
  await expectNoNaN(page);
  expect(consoleLines.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
});

test('point files: a text cell, a wrong column count, an empty and a huge file are explained and the data stays; a good CSV becomes your points', async ({ page }) => {
  const consoleLines = watchConsole(page);
  await page.goto('/?backend=wasm&samples=200&steps=20');
  await waitForTrajectory(page, consoleLines, 'shipped');
  const upload = page.getByTestId('upload-points');
  const error = page.getByTestId('upload-error');
  const count = page.getByTestId('point-count');
  await expect(count).toHaveAttribute('data-count', '20000');
  const refuse = async (name: string, body: string, message: RegExp) => {
    await upload.setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(body) });
    await expect(error).toContainText(message);
    await expect(error).toContainText('Your data was not changed');
    await expect(page.getByTestId('dataset-select')).toHaveValue('two-moons');
    await expect(count).toHaveAttribute('data-count', '20000');
  };
  await refuse('points.csv', 'x,y\n0.1,0.2\n0.3,abc\n0.5,0.6\n', /Row 3, column 2: 'abc' is not a number/);
  await refuse('points.csv', 'x,y\n0.1,0.2,0.3\n0.3,0.4,0.5\n', /Row 2 has 3 columns; expected 2/);
  await refuse('empty.csv', '', /empty/);
  await refuse('huge.csv', '0.1,0.2\n'.repeat(800_000), /is 6\.1 MB; the limit is 5 MB/);

  const rows = Array.from({ length: 60 }, (_, k) => `${Math.cos(k / 10).toFixed(3)},${Math.sin(k / 10).toFixed(3)}`);
  await upload.setInputFiles({ name: 'circle.csv', mimeType: 'text/csv', buffer: Buffer.from(`x,y\n${rows.join('\n')}\n`) });
  await expect(error).toHaveCount(0);
  await expect(page.getByTestId('upload-note')).toContainText('Loaded 60 points from circle.csv');
  await expect(page.getByTestId('dataset-select')).toHaveValue('custom');
  await expect(count).toHaveAttribute('data-count', '60');
  await expect(page).toHaveURL(/dataset=custom/);
  // No shipped model for your points: the ideal denoiser stands in.
  await waitForTrajectory(page, consoleLines, 'ideal');
  await expect(page.getByTestId('no-shipped-model')).toBeVisible();
  expect(consoleLines.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
});

test('drawing with the mouse adds points, which survive a reload (IndexedDB)', async ({ page }) => {
  const consoleLines = watchConsole(page);
  await page.goto('/?backend=wasm&samples=300&steps=30');
  await waitForTrajectory(page, consoleLines, 'shipped');
  await page.getByTestId('draw-button').click();
  await expect(page.getByTestId('dataset-select')).toHaveValue('custom');
  const count = page.getByTestId('point-count');
  await expect(count).toHaveAttribute('data-count', '0');
  await expect(page.getByTestId('tool-draw')).toHaveAttribute('aria-pressed', 'true');

  const box = (await page.getByTestId('plot-svg').boundingBox())!;
  const at = (u: number, v: number) => [box.x + box.width * u, box.y + box.height * v] as const;
  const strokes: [number, number, number, number][] = [[0.25, 0.3, 0.7, 0.3], [0.3, 0.6, 0.75, 0.65], [0.5, 0.2, 0.5, 0.8]];
  let previous = 0;
  for (const [u0, v0, u1, v1] of strokes) {
    await page.mouse.move(...at(u0, v0));
    await page.mouse.down();
    await page.mouse.move(...at(u1, v1), { steps: 25 });
    await page.mouse.up();
    await expect.poll(async () => Number(await count.getAttribute('data-count'))).toBeGreaterThan(previous);
    previous = Number(await count.getAttribute('data-count'));
  }
  // Touch and pen strokes arrive as Pointer Events too (a pen's pressure scales the spray).
  for (const [pointerType, pressure, v] of [['touch', 0.5, 0.45], ['pen', 0.9, 0.75]] as const) {
    const svg = page.getByTestId('plot-svg');
    const init = (u: number) => {
      const [clientX, clientY] = at(u, v);
      return { pointerType, pointerId: pointerType === 'touch' ? 11 : 12, isPrimary: true, clientX, clientY, button: 0, buttons: 1, pressure };
    };
    await svg.dispatchEvent('pointerdown', init(0.2));
    for (let k = 1; k <= 20; k++) await svg.dispatchEvent('pointermove', init(0.2 + (0.6 * k) / 20));
    await svg.dispatchEvent('pointerup', { ...init(0.8), buttons: 0, pressure: 0 });
    await expect.poll(async () => Number(await count.getAttribute('data-count')), { message: `${pointerType} stroke` }).toBeGreaterThan(previous);
    previous = Number(await count.getAttribute('data-count'));
  }
  expect(previous).toBeGreaterThan(30);
  await waitForTrajectory(page, consoleLines, 'ideal');
  await waitForPlaybackEnd(page);
  await page.screenshot({ path: `${SHOTS}/playground-1280x800-drawn.png` });

  await page.reload();
  await expect(page.getByTestId('dataset-select')).toHaveValue('custom');
  await expect(count).toHaveAttribute('data-count', String(previous), { timeout: 30_000 });
  await waitForTrajectory(page, consoleLines, 'ideal');
  expect(consoleLines.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
});

test('URL state: settings round-trip through the link; invalid values fall back to defaults', async ({ page, context }) => {
  const { DEFAULT_STATE } = await import('../../src/state/urlState');
  // Values that differ from the defaults, so that they appear in the link.
  const FOURIER = DEFAULT_STATE.fourier === 3 ? '5' : '3';
  const RESIDUAL = String(!DEFAULT_STATE.residual);
  const consoleLines = watchConsole(page);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/?backend=wasm&samples=200&steps=20');
  await waitForTrajectory(page, consoleLines, 'shipped');
  await page.getByTestId('dataset-select').selectOption('eight-gaussians');
  await page.getByTestId('setting-lr').selectOption('0.01');
  await page.getByTestId('setting-batch').selectOption('64');
  await page.getByTestId('setting-sigma1').selectOption('0.05');
  await page.getByTestId('setting-loss').selectOption('n');
  await page.getByTestId('setting-lossN').fill('12');
  await page.getByTestId('setting-width').selectOption('64');
  await page.getByTestId('setting-depth').selectOption('2');
  await page.getByTestId('setting-fourier').selectOption(FOURIER);
  await page.getByTestId('setting-residual').selectOption(RESIDUAL);
  await page.getByTestId('setting-ema').selectOption('0.9');
  await page.getByTestId('setting-seed').fill('7');
  await page.getByTestId('setting-seed').press('Enter');
  await page.getByTestId('input-samples').fill('300');
  await page.getByTestId('input-steps').fill('40');
  await page.getByTestId('input-sampleSeed').fill('5');
  await page.getByTestId('layer-y').check();
  await page.getByTestId('speed-select').selectOption('2');
  const expected = { dataset: 'eight-gaussians', lr: '0.01', batch: '64', sigma1: '0.05', loss: 'n', lossN: '12', width: '64', depth: '2', fourier: FOURIER, residual: RESIDUAL, ema: '0.9', seed: '7', samples: '300', steps: '40', sampleSeed: '5', speed: '2', layers: 'data,y,paths,mu' };
  await expect.poll(() => Object.fromEntries(new URL(page.url()).searchParams)).toMatchObject({ ...expected, backend: 'wasm' });

  await page.getByTestId('copy-link').click();
  await expect(page.getByTestId('copied')).toBeVisible();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toBe(page.url());

  const other = await context.newPage();
  await other.goto(link);
  await waitForTrajectory(other, consoleLines);
  const values = async (p: Page) => ({
    dataset: await p.getByTestId('dataset-select').inputValue(),
    lr: await p.getByTestId('setting-lr').inputValue(),
    batch: await p.getByTestId('setting-batch').inputValue(),
    sigma1: await p.getByTestId('setting-sigma1').inputValue(),
    loss: await p.getByTestId('setting-loss').inputValue(),
    lossN: (await p.getByTestId('setting-lossN').count()) ? await p.getByTestId('setting-lossN').inputValue() : null,
    width: await p.getByTestId('setting-width').inputValue(),
    depth: await p.getByTestId('setting-depth').inputValue(),
    fourier: await p.getByTestId('setting-fourier').inputValue(),
    residual: await p.getByTestId('setting-residual').inputValue(),
    ema: await p.getByTestId('setting-ema').inputValue(),
    seed: await p.getByTestId('setting-seed').inputValue(),
    samples: await p.getByTestId('input-samples').inputValue(),
    steps: await p.getByTestId('input-steps').inputValue(),
    sampleSeed: await p.getByTestId('input-sampleSeed').inputValue(),
    speed: await p.getByTestId('speed-select').inputValue(),
    y: await p.getByTestId('layer-y').isChecked(),
  });
  const { layers: _layers, ...controls } = expected;
  expect(await values(other)).toEqual({ ...controls, y: true });
  await expect(other.getByTestId('run-info')).toContainText('300 points × 40 steps');
  await other.close();

  // Nonsense in the URL falls back to the defaults, without a crash.
  await page.goto('/?backend=wasm&dataset=nope&lr=abc&width=5000&depth=0&fourier=13&residual=maybe&samples=-3&steps=1.5&loss=l2&layers=foo&speed=99');
  await waitForTrajectory(page, consoleLines, 'shipped');
  const { DEFAULT_STATE: d } = await import('../../src/state/urlState');
  expect(await values(page)).toMatchObject({
    dataset: 'two-moons', lr: String(d.lr), width: String(d.width), depth: String(d.depth), fourier: String(d.fourier), residual: String(d.residual),
    samples: '1000', steps: '100', loss: 'inf', speed: '1', y: false,
  });
  await expectNoNaN(page);
  // The page says which settings were reset and why, in a note that can be dismissed.
  const note = page.getByTestId('url-note');
  await expect(note).toContainText('11 settings in this link were invalid and were reset');
  await expect(note.locator('li')).toHaveCount(11);
  await expect(note).toContainText('Width (width=5000) is above the maximum 1024; reset to 128.');
  await expect(note).toContainText('Steps n (steps=1.5) is not a whole number written in digits; reset to 100.');
  await expect(note).toContainText("Layers (layers=foo) names 'foo'");
  await page.getByTestId('url-note-dismiss').click();
  await expect(note).toHaveCount(0);
  expect(consoleLines.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
});

test('reduced motion: the first sample is shown at t = 1 without animating, and play steps whole frames', async ({ page }) => {
  const consoleLines = watchConsole(page);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto('/?backend=wasm&samples=300&steps=20');
  await waitForTrajectory(page, consoleLines, 'shipped');
  await expect(page.getByTestId('readout-step')).toHaveText('20 / 20');
  await expect(page.getByTestId('play-button')).toHaveAttribute('aria-label', 'Play');
  await page.getByTestId('play-button').click();
  await expect(page.getByTestId('readout-step')).not.toHaveText('0 / 20', { timeout: 5_000 });
  await page.getByTestId('play-button').click();
  await expect(page.getByTestId('readout-step')).toHaveText(/^([1-9]|1\d) \/ 20$/);
  expect(consoleLines.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
});

test('phone width (390x844): the trajectory is drawn and the panels stack without overlap', async ({ page }) => {
  const consoleLines = watchConsole(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/?backend=wasm');
  await waitForTrajectory(page, consoleLines, 'shipped');
  await waitForPlaybackEnd(page);
  const stats = await canvasStats(page);
  expect(stats.inked, 'the canvas is blank').toBeGreaterThan(1000);
  await page.getByTestId('t-slider').fill('30');
  await expect(page.getByTestId('readout-step')).toHaveText('30 / 100');
  expect((await canvasStats(page)).checksum).not.toBe(stats.checksum);
  await expectNoNaN(page);
  await expectCleanLayout(page);
  await page.screenshot({ path: `${SHOTS}/playground-390x844.png`, fullPage: true });
  await page.screenshot({ path: `${SHOTS}/playground-390x844-viewport.png` });
  expect(consoleLines.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
});

test('an unknown backend is refused with its reason, then the page falls back and still samples', async ({ page }) => {
  const consoleLines = watchConsole(page);
  await page.goto('/?backend=metal&samples=100&steps=10');
  await expect(page.getByTestId('backend-status')).toContainText('metal refused: unknown backend', { timeout: 60_000 });
  await expect(page.getByTestId('backend-status')).toContainText('not available, fell back');
  await waitForTrajectory(page, consoleLines, 'shipped');
});

test('without WebGPU the status says why webgpu was refused, and the page falls back', async ({ playwright }) => {
  // A second browser without --enable-unsafe-webgpu: here that leaves no WebGPU adapter.
  const browser = await playwright.chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS.filter((a) => a !== '--enable-unsafe-webgpu') });
  try {
    const page = await browser.newPage({ baseURL: test.info().project.use.baseURL });
    const consoleLines = watchConsole(page);
    await page.goto('/?samples=100&steps=10');
    const status = page.getByTestId('backend-status');
    await expect(status).toContainText('webgpu refused:', { timeout: 60_000 });
    await expect(page.getByTestId('active-backend')).not.toHaveText('webgpu');
    await waitForTrajectory(page, consoleLines, 'shipped');
    test.info().annotations.push({ type: 'status', description: (await status.textContent()) ?? '' });
  } finally {
    await browser.close();
  }
});

test('the page bundle never contains TensorFlow.js (only the worker does), and every shipped model is served', () => {
  // Follow the built pages' module scripts and their static imports; a TF.js-only string must not appear there.
  const TFJS_MARKERS = ['WEBGPU_CPU_FORWARD', 'tfjsflags'];
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(join('dist/assets', file), 'utf8');
    for (const marker of TFJS_MARKERS) expect(code, `${file} contains TF.js (${marker})`).not.toContain(marker);
    for (const m of code.matchAll(/(?:from|import)\s*\(?\s*["']\.\/([\w.-]+\.js)["']/g)) visit(m[1]!);
  };
  for (const page of ['index.html', 'selftest.html']) {
    const html = readFileSync(join('dist', page), 'utf8');
    const scripts = [...html.matchAll(/(?:src|href)="\/assets\/([\w.-]+\.js)"/g)].map((m) => m[1]!);
    expect(scripts.length, `no module script in dist/${page}`).toBeGreaterThan(0);
    scripts.forEach(visit);
  }
  expect([...seen].filter((f) => f.startsWith('engine.worker')), 'the worker chunk is statically imported').toEqual([]);
  const workers = readdirSync('dist/assets').filter((f) => f.startsWith('engine.worker') && f.endsWith('.js'));
  expect(workers.length).toBe(1);
  // TF.js is in the worker or in a chunk the worker imports statically (the bundler may share it with the sessions' chunks).
  const workerFiles = new Set<string>();
  const follow = (file: string) => {
    if (workerFiles.has(file)) return;
    workerFiles.add(file);
    for (const m of readFileSync(join('dist/assets', file), 'utf8').matchAll(/(?:from|import)\s*["']\.\/([\w.-]+\.js)["']/g)) follow(m[1]!);
  };
  follow(workers[0]!);
  const workerCode = [...workerFiles].map((f) => readFileSync(join('dist/assets', f), 'utf8')).join('\n');
  for (const marker of TFJS_MARKERS) expect(workerCode).toContain(marker);
  // The shipped models' weights are emitted as assets, not copied into public/.
  const bins = readdirSync('dist/assets').filter((f) => f.startsWith('weights-') && f.endsWith('.bin'));
  expect(bins.length).toBeGreaterThanOrEqual(2);
  expect(existsSync('public/models'), 'models are served from models/, not copied to public/').toBe(false);
});
