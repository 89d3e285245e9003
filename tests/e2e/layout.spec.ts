/**
 * Layout for a classroom (2D and binarized MNIST views): at 1280 x 720 (a projector), 1400 x 900 and 1920 x 1080 the
 * picture, its timeline controls and the chosen point's (pixel's) chart are inside the window together; presentation
 * mode fills the window with the picture, the timeline and the legend and Escape leaves it, also where the browser
 * refuses real full screen; on a phone (390 x 844) the dataset picker, Train and play are within a screen of the
 * plot; the chosen point's chart and path stop at the current t; a batch of drawing strokes starts one sampling run.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { waitForPlaybackEnd, waitForTrajectory, watchConsole } from './helpers';

const SHOTS = 'test-results/screenshots';

/** The element's box in the window (CSS pixels, relative to the viewport). */
async function box(locator: Locator): Promise<{ left: number; top: number; right: number; bottom: number }> {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
  });
}

/** Asserts that each element lies entirely inside the window, without scrolling. */
async function expectInWindow(page: Page, locators: Record<string, Locator>): Promise<void> {
  const { width, height } = page.viewportSize()!;
  const scroll = await page.evaluate(() => [scrollX, scrollY]);
  expect(scroll, 'the page is scrolled').toEqual([0, 0]);
  for (const [name, locator] of Object.entries(locators)) {
    const b = await box(locator);
    expect(b.right - b.left, `${name} has no width`).toBeGreaterThan(0);
    expect(b.left, `${name} left`).toBeGreaterThanOrEqual(0);
    expect(b.top, `${name} top`).toBeGreaterThanOrEqual(0);
    expect(b.right, `${name} right`).toBeLessThanOrEqual(width);
    expect(b.bottom, `${name} bottom (window ${width} x ${height})`).toBeLessThanOrEqual(height);
  }
}

/** Refuses real full screen (as an iframe without permission does), before any page script runs. */
async function refuseFullscreen(page: Page): Promise<void> {
  await page.addInitScript(() => {
    Element.prototype.requestFullscreen = function () {
      return Promise.reject(new TypeError('Permissions check failed'));
    };
  });
}

/** Presentation mode on `card`: it fills the window, shows `parts` inside it with large type, and Escape leaves. */
async function checkPresentation(page: Page, card: Locator, button: Locator, parts: Record<string, Locator>, legendText: Locator, shot: string): Promise<void> {
  const { width, height } = page.viewportSize()!;
  const normalType = await legendText.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  await page.locator('body').click({ position: { x: 2, y: 2 } });
  await page.keyboard.press('f');
  await expect(card).toHaveClass(/\bpresenting\b/);
  await expect(button).toHaveAttribute('aria-pressed', 'true');
  // Let the plot take its new size (a ResizeObserver) and a full-screen request settle.
  await page.waitForTimeout(600);
  const cardBox = await box(card);
  expect(cardBox).toEqual({ left: 0, top: 0, right: width, bottom: height });
  for (const [name, locator] of Object.entries(parts)) await expect(locator, name).toBeVisible();
  await expectInWindow(page, parts);
  expect(await legendText.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(1.25 * normalType);
  await page.screenshot({ path: `${SHOTS}/${shot}` });
  await page.keyboard.press('Escape');
  await expect(card).not.toHaveClass(/\bpresenting\b/);
  await expect(button).toHaveAttribute('aria-pressed', 'false');
  expect(await page.evaluate(() => document.fullscreenElement)).toBeNull();
  // The button enters it too, and leaves it again.
  await button.click();
  await expect(card).toHaveClass(/\bpresenting\b/);
  await button.click();
  await expect(card).not.toHaveClass(/\bpresenting\b/);
}

/** {@link checkPresentation} on the 2D view: its plot card, Present button, plot, timeline controls and legend. */
async function checkPresentation2d(page: Page, shot: string): Promise<void> {
  await checkPresentation(
    page,
    page.getByTestId('viz-card'),
    page.getByTestId('present-button'),
    { plot: page.getByTestId('plot-svg'), play: page.getByTestId('play-button'), slider: page.getByTestId('t-slider'), legend: page.getByTestId('layers') },
    page.locator('.layers label').first(),
    shot,
  );
}

test('2D view: plot, timeline controls and point chart in the window at 1280 x 720, 1400 x 900 and 1920 x 1080; presentation mode', async ({ page }) => {
  const consoleLines = watchConsole(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/?backend=wasm&samples=300&steps=30');
  await waitForTrajectory(page, consoleLines, 'shipped');
  const parts = {
    plot: page.getByTestId('plot-svg'),
    play: page.getByTestId('play-button'),
    slider: page.getByTestId('t-slider'),
    speed: page.getByTestId('speed-select'),
    'point chart': page.getByTestId('point-chart'),
  };
  for (const [width, height] of [[1280, 720], [1400, 900], [1920, 1080]] as const) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(300);
    await expectInWindow(page, parts);
    // The plot is the largest thing on screen: at least half the window's height.
    const plot = await box(parts.plot);
    expect(plot.bottom - plot.top).toBeGreaterThanOrEqual(0.5 * height);
    await page.screenshot({ path: `${SHOTS}/layout-2d-${width}x${height}.png` });
  }
  await page.setViewportSize({ width: 1280, height: 720 });
  await waitForPlaybackEnd(page);
  await checkPresentation2d(page, 'layout-2d-present.png');
  expect(consoleLines.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
});

test('2D presentation mode fills the window where the browser refuses real full screen', async ({ page }) => {
  const consoleLines = watchConsole(page);
  await refuseFullscreen(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/?backend=wasm&samples=200&steps=20');
  await waitForTrajectory(page, consoleLines, 'shipped');
  await checkPresentation2d(page, 'layout-2d-present-refused.png');
  expect(consoleLines.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
});

test('MNIST view: grids, timeline controls and pixel chart in the window at 1280 x 720 and 1400 x 900; presentation mode', async ({ page }) => {
  const consoleLines = watchConsole(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/?backend=wasm&view=mnist&steps=10');
  await expect(page.getByTestId('mnist-status'), consoleLines.join('\n')).toHaveAttribute('data-state', 'ready', { timeout: 180_000 });
  const parts = {
    'θ grid': page.getByTestId('mnist-theta-grid'),
    'p_O grid': page.getByTestId('mnist-output-grid'),
    'sample grid': page.getByTestId('mnist-sample-grid'),
    play: page.getByTestId('play-button'),
    slider: page.getByTestId('t-slider'),
    'pixel chart': page.getByTestId('mnist-pixel-chart'),
  };
  for (const [width, height] of [[1280, 720], [1400, 900], [1920, 1080]] as const) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(300);
    await expectInWindow(page, parts);
    await page.screenshot({ path: `${SHOTS}/layout-mnist-${width}x${height}.png` });
  }
  await page.setViewportSize({ width: 1280, height: 720 });
  await checkPresentation(
    page,
    page.getByTestId('mnist-viz-card'),
    page.getByTestId('mnist-present-button'),
    {
      'θ grid': page.getByTestId('mnist-theta-grid'),
      'p_O grid': page.getByTestId('mnist-output-grid'),
      'sample grid': page.getByTestId('mnist-sample-grid'),
      play: page.getByTestId('play-button'),
      slider: page.getByTestId('t-slider'),
      legend: page.locator('.mnist-legend'),
    },
    page.locator('.mnist-figure figcaption').first(),
    'layout-mnist-present.png',
  );
  expect(consoleLines.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
});

test('on a phone (390 x 844) the dataset picker and play share a screen with the plot, and Train is less than a screen below it', async ({ page }) => {
  const consoleLines = watchConsole(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/?backend=wasm&samples=200&steps=20');
  await waitForTrajectory(page, consoleLines, 'shipped');
  const plot = await box(page.getByTestId('plot-svg'));
  const picker = await box(page.getByTestId('dataset-select'));
  const play = await box(page.getByTestId('play-button'));
  const train = await box(page.getByTestId('train-play'));
  // Scrolled to the plot's top edge, the picker and play are on that screen; Train is less than a screen below the
  // plot's bottom edge (before this layout: the picker 2,200 px and Train 2,500 px below the plot's top).
  expect(play.bottom - plot.top).toBeLessThanOrEqual(844);
  expect(picker.bottom - plot.top).toBeLessThanOrEqual(844);
  expect(train.top - plot.bottom).toBeLessThanOrEqual(844);
  // At least half of the plot is on the first screen, below the header.
  expect((plot.top + plot.bottom) / 2).toBeLessThanOrEqual(844);
  await page.screenshot({ path: `${SHOTS}/layout-2d-390x844.png` });
  await page.getByTestId('plot-svg').scrollIntoViewIfNeeded();
  await page.evaluate((top) => scrollTo(0, top + scrollY), plot.top - 4);
  await page.screenshot({ path: `${SHOTS}/layout-2d-390x844-at-plot.png` });
  expect(consoleLines.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
});

/** The x coordinates (chart pixels) where the chosen point's mu_1 line ends and where the current-t marker is. */
async function chartExtent(page: Page): Promise<{ end: number; marker: number }> {
  return page.getByTestId('point-chart').evaluate((el) => {
    const svg = el.querySelector('.chart-svg svg')!;
    const mu1 = Array.from(svg.querySelectorAll('path')).find((p) => p.getAttribute('stroke') === '#2563eb' && !p.getAttribute('stroke-dasharray')) as SVGPathElement;
    const bb = mu1.getBBox();
    const marker = svg.querySelector('line.chart-marker')!;
    return { end: bb.x + bb.width, marker: Number(marker.getAttribute('x1')) };
  });
}

/**
 * The last vertex of a path of the chosen point on the plot and the centre of the mark it should end at: its mean's
 * path and the point's own mark, or (`prediction`) its x_hat path and the prediction's dot.
 */
async function focusEnd(page: Page, prediction = false): Promise<{ path: [number, number]; mark: [number, number] }> {
  return page.getByTestId(prediction ? 'focus-prediction' : 'focus-mark').evaluate((el) => {
    // The path is drawn in pieces of one opacity each; the newest piece, last, holds the latest segment.
    const pieces = el.querySelectorAll(':scope > path');
    const d = pieces[pieces.length - 1]!.getAttribute('d')!;
    const nums = d.match(/-?\d+(\.\d+)?(e-?\d+)?/g)!.map(Number);
    const circles = el.querySelectorAll(':scope > circle');
    const circle = circles[circles.length - 1]!;
    return { path: [nums[nums.length - 2]!, nums[nums.length - 1]!], mark: [Number(circle.getAttribute('cx')), Number(circle.getAttribute('cy'))] };
  });
}

test("the chosen point's chart and path show no future beyond the current t", async ({ page }) => {
  const consoleLines = watchConsole(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/?backend=wasm&samples=1000&steps=40');
  await waitForTrajectory(page, consoleLines, 'shipped');
  await waitForPlaybackEnd(page);
  await page.getByTestId('t-slider').fill('12');
  await expect(page.getByTestId('readout-step')).toHaveText('12 / 40');
  // Choose a point: sweep the pointer over the plot until one is under it, then click to keep it.
  const plot = (await page.getByTestId('plot-svg').boundingBox())!;
  let found: { x: number; y: number } | null = null;
  for (let i = 1; i < 12 && !found; i++) {
    for (let j = 1; j < 12 && !found; j++) {
      const at = { x: plot.x + (i / 12) * plot.width, y: plot.y + (j / 12) * plot.height };
      await page.mouse.move(at.x, at.y);
      if ((await page.getByTestId('point-chart').getAttribute('data-index')) !== '') found = at;
    }
  }
  expect(found, 'no point found under the pointer').not.toBeNull();
  await page.mouse.click(found!.x, found!.y);
  await expect(page.getByTestId('point-chart')).not.toHaveAttribute('data-index', '');
  await page.mouse.move(2, 2);

  for (const frame of [12, 13, 30]) {
    if (frame === 13) await page.keyboard.press('ArrowRight');
    if (frame === 30) await page.getByTestId('t-slider').fill('30');
    await expect(page.getByTestId('readout-step')).toHaveText(`${frame} / 40`);
    // The chart's line ends at the current t (frame / n), where its marker is: no later values are drawn.
    const { end, marker } = await chartExtent(page);
    expect(Math.abs(end - marker), `chart line ends at ${end}, marker at ${marker} (frame ${frame})`).toBeLessThanOrEqual(1);
    // The plot's path of the point ends where its mark is now.
    const { path, mark } = await focusEnd(page);
    expect(Math.hypot(path[0] - mark[0], path[1] - mark[1])).toBeLessThanOrEqual(0.5);
  }
  // With x_hat's paths chosen, the point's prediction path also ends at its current prediction.
  await page.getByTestId('path-of-xhat').click();
  await expect(page.getByTestId('focus-prediction')).toBeAttached();
  const predicted = await focusEnd(page, true);
  expect(Math.hypot(predicted.path[0] - predicted.mark[0], predicted.path[1] - predicted.mark[1])).toBeLessThanOrEqual(0.5);
  expect(consoleLines.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
});

test('a batch of drawing strokes starts one sampling run, after the strokes pause', async ({ page }) => {
  const consoleLines = watchConsole(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/?backend=wasm&dataset=custom&samples=200&steps=20');
  await expect(page.getByTestId('point-count')).toHaveAttribute('data-count', '0', { timeout: 60_000 });
  await expect(page.getByTestId('active-backend')).toHaveText('wasm', { timeout: 60_000 });
  const plot = (await page.getByTestId('plot-svg').boundingBox())!;
  const stroke = async (v: number) => {
    await page.mouse.move(plot.x + 0.2 * plot.width, plot.y + v * plot.height);
    await page.mouse.down();
    await page.mouse.move(plot.x + 0.8 * plot.width, plot.y + v * plot.height, { steps: 8 });
    await page.mouse.up();
  };
  await stroke(0.3);
  await waitForTrajectory(page, consoleLines, 'ideal');
  await expect(page.getByTestId('sample-button')).toHaveText('Sample');
  // Every start of a run shows "Sampling…" on the Sample button: count them.
  await page.getByTestId('sample-button').evaluate((el) => {
    const w = window as unknown as { runsStarted: number };
    w.runsStarted = 0;
    let busy = false;
    new MutationObserver(() => {
      const now = (el.textContent ?? '').startsWith('Sampling');
      if (now && !busy) w.runsStarted++;
      busy = now;
    }).observe(el, { childList: true, characterData: true, subtree: true });
  });
  const before = Number(await page.getByTestId('point-count').getAttribute('data-count'));
  for (const v of [0.4, 0.5, 0.6, 0.7]) await stroke(v);
  await expect.poll(() => page.evaluate(() => (window as unknown as { runsStarted: number }).runsStarted), { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
  await expect(page.getByTestId('sample-button')).toHaveText('Sample', { timeout: 30_000 });
  await page.waitForTimeout(1500);
  expect(await page.evaluate(() => (window as unknown as { runsStarted: number }).runsStarted)).toBe(1);
  // All four strokes are in the data the one run sampled, and the run shows its last frame instead of replaying.
  expect(Number(await page.getByTestId('point-count').getAttribute('data-count'))).toBeGreaterThan(before);
  await expect(page.getByTestId('play-button')).toHaveAttribute('aria-label', 'Play');
  await expect(page.getByTestId('readout-step')).toHaveText('20 / 20');
  expect(consoleLines.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
});
