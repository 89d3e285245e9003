/**
 * Keyboard shortcuts of the timeline never take a key from a focused control that uses it (issue 12, item 2): space
 * on a layer checkbox or a disclosure toggles it and leaves playback alone; space elsewhere still plays and pauses.
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
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('plot');
  // The next Tab lands inside the plot's card, with a visible outline.
  await page.keyboard.press('Tab');
  const outline = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    return { inPlot: !!el.closest('#plot'), style: getComputedStyle(el).outlineStyle, width: getComputedStyle(el).outlineWidth };
  });
  expect(outline).toEqual({ inPlot: true, style: 'solid', width: '2px' });
});
