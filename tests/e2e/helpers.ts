/** Helpers shared by the playground's browser tests: console capture, waiting for trajectories and training. */
import { expect, type Page } from '@playwright/test';

/** Collects console errors and uncaught page errors, to print when a test fails. */
export function watchConsole(page: Page): string[] {
  const lines: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') lines.push(`[console.error] ${msg.text()}`);
  });
  page.on('pageerror', (err) => lines.push(`[pageerror] ${err.message}`));
  return lines;
}

/** Waits until the plot shows a recorded trajectory from `source` (any source when omitted). */
export async function waitForTrajectory(page: Page, consoleLines: string[], source?: string, timeout = 120_000): Promise<void> {
  const info = page.getByTestId('run-info');
  await expect(info, `no trajectory appeared\n${consoleLines.join('\n')}`).toHaveAttribute('data-ready', 'yes', { timeout });
  if (source) await expect(info).toHaveAttribute('data-source', source, { timeout });
  await expect(page.getByTestId('error-box'), consoleLines.join('\n')).toHaveCount(0);
}

/** Waits for the trajectory's playback to stop (it plays once, t from 0 to 1). */
export async function waitForPlaybackEnd(page: Page): Promise<void> {
  await expect(page.getByTestId('play-button')).toHaveAttribute('aria-label', 'Play', { timeout: 30_000 });
}

/** The training step shown on the page. */
export async function trainStep(page: Page): Promise<number> {
  return Number(((await page.getByTestId('train-step').textContent()) ?? '0').replace(/,/g, ''));
}

/** Presses Train, waits for `steps` steps, pauses, and waits for the trained network's trajectory. */
export async function train(page: Page, consoleLines: string[], steps: number, timeout: number): Promise<void> {
  await expect(page.getByTestId('train-play')).toBeEnabled({ timeout: 60_000 });
  await page.getByTestId('train-play').click();
  await expect.poll(() => trainStep(page), { timeout, message: `training did not reach ${steps} steps\n${consoleLines.join('\n')}` }).toBeGreaterThanOrEqual(steps);
  await page.getByTestId('train-play').click();
  await expect(page.getByTestId('train-play')).toHaveAttribute('aria-label', 'Train', { timeout: 60_000 });
  await waitForTrajectory(page, consoleLines, 'trained', timeout);
}

/** No NaN or Infinity anywhere in the page's text. */
export async function expectNoNaN(page: Page): Promise<void> {
  const text = (await page.locator('body').innerText()).replace(/\s+/g, ' ');
  expect(text).not.toMatch(/\bNaN\b/);
  expect(text).not.toMatch(/\bInfinity\b/);
}


/** Number of plot-canvas pixels that are not fully transparent, and a checksum of the pixels. */
export async function canvasStats(page: Page): Promise<{ inked: number; checksum: number }> {
  return page.getByTestId('plot-canvas').evaluate((el) => {
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
