/**
 * Classroom details (keyboard and drawing, in part): keyboard shortcuts of the timeline never take a key from a
 * focused control that uses it (space on a layer checkbox or a disclosure toggles it; elsewhere it still plays); the
 * first Tab stop skips to the plot and focused controls show a ring; drawing does not restart the animation on every
 * stroke; at 1280 x 720 the plot, the timeline and the point chart share the screen (projector layout, 2D view only).
 */
import { expect, test } from '@playwright/test';
import { waitForPlaybackEnd, waitForTrajectory, watchConsole } from './helpers';

test('space on a focused checkbox or disclosure toggles it and does not start playback', async ({ page }) => {
  const consoleLines = watchConsole(page);
  await page.goto('/?backend=wasm&samples=200&steps=20');
  await waitForTrajectory(page, consoleLines, 'shipped');
  await waitForPlaybackEnd(page);
  const play = page.getByTestId('play-button');
  await expect(play).toHaveAttribute('aria-label', 'Play');

  const y = page.getByTestId('layer-y');
  const before = await y.isChecked();
  await y.focus();
  await page.keyboard.press(' ');
  await expect(y).toBeChecked({ checked: !before });
  await page.waitForTimeout(300);
  await expect(play).toHaveAttribute('aria-label', 'Play');

  const summary = page.locator('details.settings > summary');
  const open = await page.locator('details.settings').evaluate((d) => (d as HTMLDetailsElement).open);
  await summary.focus();
  await page.keyboard.press(' ');
  await expect.poll(() => page.locator('details.settings').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(!open);
  await expect(play).toHaveAttribute('aria-label', 'Play');

  // Elsewhere space is still the play key.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press(' ');
  await expect(play).toHaveAttribute('aria-label', 'Pause');
  expect(consoleLines.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
});

test('the first Tab reaches a skip link to the plot, which moves the focus there; focused controls show a ring', async ({ page }) => {
  const consoleLines = watchConsole(page);
  await page.goto('/?backend=wasm&samples=200&steps=20');
  await waitForTrajectory(page, consoleLines, 'shipped');
  await page.keyboard.press('Tab');
  const skip = page.getByTestId('skip-link');
  await expect(skip).toBeFocused();
  const box = await skip.boundingBox();
  expect(box!.y).toBeGreaterThanOrEqual(0);
  await page.keyboard.press('Enter');
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('plot-area');
  // The next Tab lands inside the plot's card, with a visible outline.
  await page.keyboard.press('Tab');
  const outline = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    return { inPlot: !!el.closest('#plot'), style: getComputedStyle(el).outlineStyle, width: getComputedStyle(el).outlineWidth };
  });
  expect(outline).toEqual({ inPlot: true, style: 'solid', width: '2px' });
});

test('drawing strokes resample once the strokes pause, and show the last frame instead of replaying the animation', async ({ page }) => {
  const consoleLines = watchConsole(page);
  await page.goto('/?backend=wasm&dataset=custom&samples=200&steps=20');
  const count = page.getByTestId('point-count');
  await expect(count).toHaveAttribute('data-count', '0', { timeout: 60_000 });
  await expect(page.getByTestId('active-backend')).toHaveText('wasm', { timeout: 60_000 });
  const box = (await page.getByTestId('plot-svg').boundingBox())!;
  const stroke = async (v: number) => {
    await page.mouse.move(box.x + 0.25 * box.width, box.y + v * box.height);
    await page.mouse.down();
    await page.mouse.move(box.x + 0.75 * box.width, box.y + v * box.height, { steps: 10 });
    await page.mouse.up();
  };
  await stroke(0.3);
  await waitForTrajectory(page, consoleLines, 'ideal');
  const runs: string[] = [];
  await page.exposeFunction('noteRun', (text: string) => runs.push(text));
  await page.getByTestId('run-info').evaluate((el) => {
    new MutationObserver(() => (window as unknown as { noteRun: (t: string) => void }).noteRun(el.textContent ?? '')).observe(el, { childList: true, characterData: true, subtree: true });
  });
  // Three strokes in quick succession: one resample after them, shown at t = 1 without playing.
  for (const v of [0.45, 0.6, 0.75]) await stroke(v);
  await expect.poll(() => runs.filter((r) => r.includes('points ×')).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
  await page.waitForTimeout(1500);
  expect(runs.filter((r) => r.includes('points ×')).length).toBe(1);
  await expect(page.getByTestId('play-button')).toHaveAttribute('aria-label', 'Play');
  await expect(page.getByTestId('readout-step')).toHaveText('20 / 20');

  // Strokes while a trajectory is still playing (slow speed): the quiet resample must land on its last frame. A CI run
  // of the first version once stopped at 7 / 20 here (a playing trajectory, then a quiet one); the timeline now moves
  // its position reference at once, so an animation frame already scheduled cannot put the old position back.
  await page.getByTestId('speed-select').selectOption('0.25');
  await page.getByTestId('play-button').click();
  await expect(page.getByTestId('play-button')).toHaveAttribute('aria-label', 'Pause');
  for (const v of [0.35, 0.5]) await stroke(v);
  await expect(page.getByTestId('play-button')).toHaveAttribute('aria-label', 'Play', { timeout: 30_000 });
  await expect(page.getByTestId('readout-step')).toHaveText('20 / 20');
  expect(consoleLines.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
});

test('at 1280 x 720 (a projector) the plot, the timeline with its controls and the point chart are on screen together', async ({ page }) => {
  const consoleLines = watchConsole(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/?backend=wasm&samples=300&steps=30');
  await waitForTrajectory(page, consoleLines, 'shipped');
  for (const id of ['plot-svg', 'play-button', 'speed-select']) {
    const box = (await page.getByTestId(id).boundingBox())!;
    expect(box.y, id).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height, id).toBeLessThanOrEqual(720);
  }
  const chart = (await page.locator('.point-card').boundingBox())!;
  expect(chart.y + chart.height).toBeLessThanOrEqual(720);
  expect(chart.x).toBeGreaterThan((await page.getByTestId('plot-svg').boundingBox())!.x);
  await page.screenshot({ path: 'test-results/screenshots/playground-1280x720-projector.png' });
});
