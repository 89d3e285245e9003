/**
 * Faults found by trying public bug reports on the playground, each as the smallest input with its right value:
 * a copied link carries your points (or says before copying that they do not fit); a page opened on your points
 * draws when dragged, and every hint names the tool that is on; training that diverges with finite losses pauses and
 * restores its last good weights; the live metric says what it was computed on, and your points get a real held-out
 * split; while your network trains, the Model panel shows it and the shipped model stays one click away.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { encodePoints } from '../../src/state/pointsLink';
import { trainStep, waitForTrajectory, watchConsole } from './helpers';

const ring = (n: number, r = 0.6) => Array.from({ length: n }, (_, k) => `${(r * Math.cos((2 * Math.PI * k) / n)).toFixed(4)},${(r * Math.sin((2 * Math.PI * k) / n)).toFixed(4)}`);

async function downloadPoints(page: Page): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-points').click()]);
  return readFileSync((await file.path())!, 'utf8');
}

test('Copy link carries your points to a fresh browser exactly; too many points are refused before copying', async ({ page, context, browser }) => {
  const consoleLines = watchConsole(page);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/?backend=wasm&samples=200&steps=20');
  await waitForTrajectory(page, consoleLines, 'shipped');
  const upload = page.getByTestId('upload-points');
  await upload.setInputFiles({ name: 'ring.csv', mimeType: 'text/csv', buffer: Buffer.from(`x,y\n${ring(300).join('\n')}\n`) });
  await expect(page.getByTestId('point-count')).toHaveAttribute('data-count', '300');
  await waitForTrajectory(page, consoleLines, 'ideal');
  // 300 points: about a fifth held out, and the panel says so (before: the "held-out" points were training points).
  const basis = page.getByTestId('metric-basis');
  await expect(basis).toHaveAttribute('data-from-training', 'no');
  const heldOut = Number(/against (\d+) held-out points the network never trains on/.exec((await basis.textContent()) ?? '')?.[1]);
  expect(heldOut).toBeGreaterThan(40);
  expect(heldOut).toBeLessThan(80);
  const mine = await downloadPoints(page);

  await page.getByTestId('copy-link').click();
  await expect(page.getByTestId('copied')).toContainText('Link copied with your 300 points');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toMatch(/[?&]dataset=custom/);
  expect(link).toMatch(/#points=[\w-]+$/);

  // A fresh profile: no saved points; the link alone must reproduce them, bit for bit.
  const fresh = await browser.newContext({ acceptDownloads: true });
  const other = await fresh.newPage();
  const otherLines = watchConsole(other);
  await other.goto(link.replace(/^https?:\/\/[^/]+/, test.info().project.use.baseURL!));
  await expect(other.getByTestId('point-count')).toHaveAttribute('data-count', '300');
  await expect(other.getByTestId('link-note')).toContainText('Showing the 300 points that came with the link');
  await waitForTrajectory(other, otherLines, 'ideal');
  expect(await downloadPoints(other)).toBe(mine);
  // Another points link opened in the same tab changes only the fragment (no reload): its points are shown.
  const sixty = Float32Array.from(ring(60, 0.3).flatMap((r) => r.split(',').map(Number)));
  await other.evaluate((code) => {
    location.hash = `points=${code}`;
  }, await encodePoints(sixty));
  await expect(other.getByTestId('point-count')).toHaveAttribute('data-count', '60');
  await expect(other.getByTestId('link-note')).toContainText('Showing the 60 points');
  await fresh.close();

  // 5,000 drawn-like points (random low bits) do not fit: nothing is copied until the user picks the plain link.
  const noisy = Array.from({ length: 5000 }, (_, k) => `${(0.8 * Math.sin(k * 12.9898)).toFixed(7)},${(0.8 * Math.cos(k * 78.233)).toFixed(7)}`);
  await upload.setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(noisy.join('\n')) });
  await expect(page.getByTestId('point-count')).toHaveAttribute('data-count', '5000');
  await page.evaluate(() => navigator.clipboard.writeText('untouched'));
  await page.getByTestId('copy-link').click();
  await expect(page.getByTestId('link-too-long')).toContainText('Your 5,000 points do not fit in a link');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('untouched');
  await page.getByTestId('copy-plain-link').click();
  await expect(page.getByTestId('copied')).toContainText('settings only');
  expect(await page.evaluate(() => navigator.clipboard.readText())).not.toContain('#points=');
  expect(consoleLines.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
});

test('a page opened on your points draws when dragged, and the hint always names the tool that is on', async ({ page }) => {
  const consoleLines = watchConsole(page);
  await page.goto('/?backend=wasm&dataset=custom');
  const count = page.getByTestId('point-count');
  await expect(count).toHaveAttribute('data-count', '0', { timeout: 60_000 });
  const hint = page.locator('svg text.placeholder');
  await expect(page.getByTestId('tool-draw')).toHaveAttribute('aria-pressed', 'true');
  await expect(hint).toHaveText('Draw here: press and drag');
  await page.getByTestId('tool-inspect').click();
  await expect(hint).toHaveText(/No points yet: choose ✎ Draw/);
  await page.getByTestId('tool-draw').click();
  await expect(hint).toHaveText('Draw here: press and drag');
  const box = (await page.getByTestId('plot-svg').boundingBox())!;
  await page.mouse.move(box.x + 0.3 * box.width, box.y + 0.4 * box.height);
  await page.mouse.down();
  await page.mouse.move(box.x + 0.31 * box.width, box.y + 0.4 * box.height, { steps: 2 });
  await page.mouse.up();
  await expect.poll(async () => Number(await count.getAttribute('data-count'))).toBeGreaterThan(1);
  expect(Number(await count.getAttribute('data-count'))).toBeLessThan(50);
  // Under 50 points nothing can be held out, and the metric says that it measures on the training points.
  await expect(page.getByTestId('metric-basis')).toHaveAttribute('data-from-training', 'yes');
  await expect(page.getByTestId('metric-basis')).toContainText('also the training points');
  expect(consoleLines.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
});

test('training that diverges with finite losses (lr 10, σ₁ 0.001) pauses, restores the last good weights and says what to try', async ({ page }) => {
  const consoleLines = watchConsole(page);
  await page.goto('/?backend=wasm&lr=10&sigma1=0.001&width=32&depth=2&samples=200&steps=20');
  await expect(page.getByTestId('train-play')).toBeEnabled({ timeout: 60_000 });
  await page.getByTestId('train-play').click();
  const warning = page.getByTestId('nan-warning');
  await expect(warning, consoleLines.join('\n')).toContainText(/Training diverged at step \d+/, { timeout: 120_000 });
  await expect(warning).toContainText(/the weights of step (\d+) \(the last good ones\) were restored/);
  await expect(warning).toContainText('Try a learning rate 10 times lower');
  await expect(page.getByTestId('train-play')).toHaveAttribute('aria-label', 'Train', { timeout: 60_000 });
  const restored = Number(/weights of step (\d+)/.exec((await warning.textContent()) ?? '')![1]);
  expect(await trainStep(page)).toBe(restored);
  // The restored network samples inside the plot, not pinned at a corner.
  await waitForTrajectory(page, consoleLines, 'trained');
  expect(consoleLines.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
});

test('while your network trains the Model panel shows it, the step readouts make way, and the shipped model is one click away', async ({ page }) => {
  const consoleLines = watchConsole(page);
  await page.goto('/?backend=wasm&width=32&depth=2&samples=200&steps=20');
  await waitForTrajectory(page, consoleLines, 'shipped');
  await expect(page.getByTestId('source-shipped')).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByTestId('train-play')).toBeEnabled({ timeout: 60_000 });
  await page.getByTestId('train-play').click();
  await expect(page.getByTestId('source-trained')).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByTestId('model-training-note')).toBeVisible();
  await expect(page.getByTestId('readouts-live')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('readout-step')).toHaveText('—');
  await expect.poll(() => trainStep(page), { timeout: 60_000 }).toBeGreaterThan(20);
  // One click on the shipped model: training pauses and the shipped model is sampled (not your network after it).
  await expect(page.getByTestId('source-shipped')).toBeEnabled();
  await page.getByTestId('source-shipped').click();
  await expect(page.getByTestId('train-play')).toHaveAttribute('aria-label', 'Train', { timeout: 60_000 });
  await waitForTrajectory(page, consoleLines, 'shipped');
  await page.waitForTimeout(1500);
  await expect(page.getByTestId('run-info')).toHaveAttribute('data-source', 'shipped');
  await expect(page.getByTestId('source-shipped')).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByTestId('readout-step')).not.toHaveText('—');
  expect(consoleLines.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
});
