/**
 * The home page in headless Chromium: backend status, a sample drawn on the canvas, the t slider and keyboard
 * changing the drawing, no NaN anywhere, and a layout without overlaps at desktop and phone widths.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser';

const SHOTS = 'test-results/screenshots';

/** Collects console errors and uncaught page errors, to print when a test fails. */
function watchConsole(page: Page): string[] {
  const lines: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') lines.push(`[console.error] ${msg.text()}`);
  });
  page.on('pageerror', (err) => lines.push(`[pageerror] ${err.message}`));
  return lines;
}

/** Number of canvas pixels that are not fully transparent, and a checksum of the pixels. */
async function canvasStats(page: Page): Promise<{ inked: number; checksum: number }> {
  return page.getByTestId('trajectory-canvas').evaluate((el) => {
    const canvas = el as HTMLCanvasElement;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let inked = 0;
    let checksum = 0;
    for (let k = 0; k < data.length; k += 4) {
      if (data[k + 3]! > 0) inked++;
      checksum = (checksum * 31 + data[k]! + 7 * data[k + 1]! + 13 * data[k + 2]! + 17 * data[k + 3]!) % 1_000_000_007;
    }
    return { inked, checksum };
  });
}

/** Waits for the first (automatic) sample to finish. */
async function waitForSample(page: Page, consoleLines: string[]): Promise<void> {
  await expect(page.getByTestId('run-info'), `no sample appeared\n${consoleLines.join('\n')}`).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('error-box')).toHaveCount(0);
}

/** Asserts that the page's main panels do not overlap and nothing overflows the window horizontally. */
async function expectCleanLayout(page: Page): Promise<void> {
  const report = await page.evaluate(() => {
    const boxes = ['.status', '.area-controls', '.area-viz', '.area-readouts', '.area-legend'].map((sel) => {
      const r = document.querySelector(sel)!.getBoundingClientRect();
      return { sel, left: r.left, right: r.right, top: r.top + scrollY, bottom: r.bottom + scrollY };
    });
    const overlaps: string[] = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!;
        const b = boxes[j]!;
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 1 && h > 1) overlaps.push(`${a.sel} overlaps ${b.sel} by ${w.toFixed(0)}x${h.toFixed(0)}`);
      }
    }
    return { overlaps, scrollWidth: document.documentElement.scrollWidth, innerWidth };
  });
  expect(report.overlaps).toEqual([]);
  expect(report.scrollWidth, 'page wider than the window').toBeLessThanOrEqual(report.innerWidth);
}

test('home page: default backend, sample, scrub t, keyboard, no NaN (1280x800)', async ({ page }) => {
  const consoleLines = watchConsole(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/?cpuForward=0');
  await expect(page.getByRole('heading', { level: 1, name: 'BFN Playground' })).toBeVisible();
  const status = page.getByTestId('backend-status');
  await expect(status).toContainText('Engine running on', { timeout: 60_000 });
  // With --enable-unsafe-webgpu, headless Chromium has a WebGPU adapter (SwiftShader): the first choice wins.
  await expect(page.getByTestId('active-backend')).toHaveText('webgpu');
  await waitForSample(page, consoleLines);

  // The automatic first sample plays through to t = 1 and stops.
  await expect(page.getByTestId('play-button')).toHaveAttribute('aria-label', 'Play', { timeout: 30_000 });
  await expect(page.getByTestId('readout-step')).toHaveText('50 / 50');
  await expect(page.getByTestId('readout-t')).toHaveText('1.000');
  await expect(page.getByTestId('readout-rho')).toHaveText('2500');
  const end = await canvasStats(page);
  expect(end.inked, 'the canvas is blank').toBeGreaterThan(500);
  await page.screenshot({ path: `${SHOTS}/home-1280x800.png`, fullPage: true });

  // Moving the t slider changes the drawing and the readouts.
  await page.getByTestId('t-slider').fill('10');
  await expect(page.getByTestId('readout-step')).toHaveText('10 / 50');
  await expect(page.getByTestId('readout-t')).toHaveText('0.200');
  const mid = await canvasStats(page);
  expect(mid.inked).toBeGreaterThan(100);
  expect(mid.checksum, 'the drawing did not change with t').not.toBe(end.checksum);
  await page.screenshot({ path: `${SHOTS}/home-1280x800-t0.2.png` });

  // Keyboard: Home, arrows, space.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Home');
  await expect(page.getByTestId('readout-step')).toHaveText('0 / 50');
  await expect(page.getByTestId('readout-rho')).toHaveText('1');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('readout-step')).toHaveText('2 / 50');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('readout-step')).toHaveText('1 / 50');
  await page.keyboard.press(' ');
  await expect(page.getByTestId('play-button')).toHaveAttribute('aria-label', 'Pause');
  await page.keyboard.press(' ');
  await expect(page.getByTestId('play-button')).toHaveAttribute('aria-label', 'Play');

  // Toggling the prediction layer redraws.
  const before = await canvasStats(page);
  await page.getByLabel(/Predictions x̂/).check();
  await expect.poll(async () => (await canvasStats(page)).checksum).not.toBe(before.checksum);

  await expect(page.locator('body')).not.toContainText('NaN');
  await expect(page.locator('body')).not.toContainText('Infinity');
  await expectCleanLayout(page);
  expect(consoleLines.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
});

test('home page: Sample button runs a new sample with other settings', async ({ page }) => {
  const consoleLines = watchConsole(page);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto('/?backend=webgl&cpuForward=0');
  await expect(page.getByTestId('active-backend')).toHaveText('webgl', { timeout: 60_000 });
  await waitForSample(page, consoleLines);
  // Reduced motion: no autoplay, the finished samples are shown.
  await expect(page.getByTestId('readout-step')).toHaveText('50 / 50');
  await expect(page.getByTestId('play-button')).toHaveAttribute('aria-label', 'Play');

  await page.getByTestId('input-steps').fill('20');
  await page.getByTestId('input-points').fill('500');
  await page.getByTestId('input-net').selectOption('optimal-moons');
  await page.getByTestId('sample-button').click();
  await expect(page.getByTestId('run-info')).toContainText('500 points × 20 steps', { timeout: 120_000 });
  await expect(page.getByTestId('readout-step')).toHaveText('20 / 20');
  expect((await canvasStats(page)).inked).toBeGreaterThan(200);
  await expect(page).toHaveURL(/steps=20/);
  await expect(page).toHaveURL(/net=optimal-moons/);

  // An invalid setting disables the button and says why.
  await page.getByTestId('input-steps').fill('0');
  await expect(page.getByTestId('sample-button')).toBeDisabled();
  await expect(page.getByText('between 1 and 1000')).toBeVisible();
  await expect(page.locator('body')).not.toContainText('NaN');
  expect(consoleLines.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
});

test('home page on wasm, phone width (390x844)', async ({ page }) => {
  const consoleLines = watchConsole(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('active-backend')).toHaveText('wasm', { timeout: 60_000 });
  await expect(page.getByTestId('backend-status')).toContainText('requested by URL: wasm');
  await waitForSample(page, consoleLines);
  await expect(page.getByTestId('play-button')).toHaveAttribute('aria-label', 'Play', { timeout: 30_000 });
  const stats = await canvasStats(page);
  expect(stats.inked, 'the canvas is blank').toBeGreaterThan(500);
  await page.getByTestId('t-slider').fill('5');
  await expect(page.getByTestId('readout-step')).toHaveText('5 / 50');
  expect((await canvasStats(page)).checksum).not.toBe(stats.checksum);
  await expect(page.locator('body')).not.toContainText('NaN');
  await expectCleanLayout(page);
  await page.screenshot({ path: `${SHOTS}/home-390x844.png`, fullPage: true });
  await page.screenshot({ path: `${SHOTS}/home-390x844-viewport.png` });
  expect(consoleLines.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
});

test('an unknown or unavailable backend is refused with its reason, then the page falls back', async ({ page }) => {
  await page.goto('/?backend=metal');
  await expect(page.getByTestId('backend-status')).toContainText('metal refused: unknown backend', { timeout: 60_000 });
  await expect(page.getByTestId('active-backend')).not.toBeEmpty();
  await expect(page.getByTestId('backend-status')).toContainText('not available, fell back');
});

test('without WebGPU the status says why webgpu was refused, and the page falls back', async ({ playwright }) => {
  // A second browser without --enable-unsafe-webgpu: here that leaves no WebGPU adapter.
  const browser = await playwright.chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS.filter((a) => a !== '--enable-unsafe-webgpu'),
  });
  try {
    const page = await browser.newPage({ baseURL: test.info().project.use.baseURL });
    const consoleLines = watchConsole(page);
    await page.goto('/');
    const status = page.getByTestId('backend-status');
    await expect(status).toContainText('webgpu refused:', { timeout: 60_000 });
    await expect(page.getByTestId('active-backend')).toHaveText('webgl');
    await waitForSample(page, consoleLines);
    await expect(page.locator('body')).not.toContainText('NaN');
    test.info().annotations.push({ type: 'status', description: (await status.textContent()) ?? '' });
  } finally {
    await browser.close();
  }
});

test('the page bundle never contains TensorFlow.js (only the worker does)', () => {
  // Follow the built pages' module scripts and their static imports; a TF.js-only string must not appear there.
  const TFJS_MARKER = 'WEBGPU_CPU_FORWARD';
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(join('dist/assets', file), 'utf8');
    expect(code, `${file} contains TF.js`).not.toContain(TFJS_MARKER);
    for (const m of code.matchAll(/(?:from|import)\s*\(?\s*["']\.\/([\w.-]+\.js)["']/g)) visit(m[1]!);
  };
  for (const page of ['index.html', 'selftest.html']) {
    const html = readFileSync(join('dist', page), 'utf8');
    const scripts = [...html.matchAll(/(?:src|href)="\/assets\/([\w.-]+\.js)"/g)].map((m) => m[1]!);
    expect(scripts.length, `no module script in dist/${page}`).toBeGreaterThan(0);
    scripts.forEach(visit);
  }
  expect([...seen].filter((f) => f.startsWith('engine.worker')), 'the worker chunk is statically imported').toEqual([]);
  // The worker chunk does hold TF.js, so the marker is a valid one.
  const workers = readdirSync('dist/assets').filter((f) => f.startsWith('engine.worker') && f.endsWith('.js'));
  expect(workers.length).toBe(1);
  expect(readFileSync(join('dist/assets', workers[0]!), 'utf8')).toContain(TFJS_MARKER);
});
