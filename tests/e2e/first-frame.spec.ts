/**
 * The first animated frame: the 2D view starts playing its trajectory while the rest of the run is still being
 * sampled (src/engine/frameStream.ts), the frames it plays are the run's own, the home page and the MNIST view open
 * with the recorded first frames of their first run (src/engine/opening.ts) which the live run continues, and every
 * view sets the `bfn-first-frame` mark (src/ui/firstFrame.ts) that `npm run bench -- --only first-frame` times.
 */
import { expect, test, type Page } from '@playwright/test';
import { FIRST_FRAME_MARK, type FirstFrameDetail } from '../../src/ui/firstFrame';
import { waitForPlaybackEnd, waitForTrajectory, watchConsole } from './helpers';

test('the worker streams a 2D run: its first frames arrive before the run ends and equal the complete run', async ({ page }) => {
  await page.goto('/selftest.html?backend=wasm');
  const r = await page.evaluate(() => window.bfnSelfTest.sampleStreamed2d({ dataset: 'two-moons', points: 200, steps: 100, seed: 7 }));
  expect(r.n).toBe(100);
  expect(r.chunks[0]!.head).toBe(true);
  expect(r.chunks[0]!.from).toBe(0);
  // The first frame was in the page before the run was over (the whole run takes n + 1 network calls).
  expect(r.chunks[0]!.ms).toBeLessThan(r.doneMs);
  const beforeDone = r.chunks.filter((c) => c.ms < r.doneMs);
  expect(beforeDone.at(-1)!.to).toBeGreaterThan(1);
  // Consecutive chunks; the streamed frames are the complete run's frames, value for value.
  r.chunks.forEach((c, k) => expect(c.from).toBe(k === 0 ? 0 : r.chunks[k - 1]!.to));
  // At least the first three frames go out one at a time; the frames still gathered when the run ends (up to 40 ms
  // of them) come only with the complete run, so how many were streamed depends on the machine's speed.
  const sent = r.chunks.at(-1)!.to;
  expect(sent).toBeGreaterThanOrEqual(3);
  const frame = 2 * 200;
  expect(r.streamed.mu.slice(0, sent * frame)).toEqual(r.final.mu.slice(0, sent * frame));
  expect(r.streamed.xHat.slice(0, sent * frame)).toEqual(r.final.xHat.slice(0, sent * frame));
  expect(r.streamed.y.slice(0, sent * frame)).toEqual(r.final.y.slice(0, sent * frame));
  expect(r.streamed.t.slice(0, sent)).toEqual(Array.from({ length: sent }, (_, k) => k / 100));
  // Frames not yet sent are zero in the page's copy, not values of another run.
  expect(r.streamed.mu.slice(sent * frame).every((v) => v === 0)).toBe(true);
});

/** Waits for the page's first-frame mark and returns its detail. */
async function firstFrame(page: Page): Promise<FirstFrameDetail> {
  await page.waitForFunction((name) => performance.getEntriesByName(name, 'mark').length > 0, FIRST_FRAME_MARK, { timeout: 180_000 });
  return page.evaluate((name) => (performance.getEntriesByName(name, 'mark')[0] as PerformanceMark).detail as FirstFrameDetail, FIRST_FRAME_MARK);
}

/** Records the timeline's position every 50 ms from now on (read with {@link timelineSeen}). */
async function watchTimeline(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: number[] = [];
    (window as unknown as { seenT: number[] }).seenT = seen;
    setInterval(() => seen.push(Number((document.querySelector('[data-testid="timeline"] input[type="range"]') as HTMLInputElement).value)), 50);
  });
}

/** Expects one playback to t = n since {@link watchTimeline}: the position never went back (no restart). */
async function expectOnePlayback(page: Page, n: number): Promise<void> {
  const seen = await page.evaluate(() => (window as unknown as { seenT: number[] }).seenT);
  expect(seen.at(-1)).toBe(n);
  seen.forEach((t, k) => expect(t, `t went from ${seen[k - 1]} back to ${t}`).toBeGreaterThanOrEqual(k ? seen[k - 1]! : 0));
}

test('the home page starts playing the recorded opening, and the live run continues it to t = 1 without a restart', async ({ page }) => {
  const lines = watchConsole(page);
  await page.goto('/');
  const detail = await firstFrame(page);
  await watchTimeline(page);
  expect(detail.view).toBe('2d');
  expect(detail.source).toBe('recorded');
  expect(detail.frames).toBe(101);
  expect(detail.framesReady).toBe(21);
  await waitForTrajectory(page, lines, 'shipped');
  await expect(page.getByTestId('run-info')).toHaveAttribute('data-frames-ready', '101');
  await waitForPlaybackEnd(page);
  await expect(page.getByTestId('run-info')).toContainText('sampled on');
  await expectOnePlayback(page, 100);
});

test('the words view plays its recorded opening and the live run continues it to t = 1 without a restart', async ({ page }) => {
  await page.goto('/?view=words');
  const detail = await firstFrame(page);
  await watchTimeline(page);
  expect({ view: detail.view, source: detail.source, framesReady: detail.framesReady, frames: detail.frames }).toEqual({ view: 'words', source: 'recorded', framesReady: 21, frames: 101 });
  await expect(page.getByTestId('words-status')).toHaveAttribute('data-state', 'ready', { timeout: 120_000 });
  await waitForPlaybackEnd(page);
  await expectOnePlayback(page, 100);
});

// The recorded openings (MNIST: 6 of 26 frames; grey-scale MNIST: 21 of 101); with another seed than the recorded
// one, the grey-scale MNIST and words views play the live run from its first frames while the rest is sampled.
for (const [query, view, source, framesReady] of [
  ['?view=mnist', 'mnist', 'recorded', 6], ['?view=mnist-grey', 'mnist-grey', 'recorded', 21],
  ['?view=mnist-grey&greySeed=2', 'mnist-grey', 'streamed', null], ['?view=words&wordsSeed=2', 'words', 'streamed', null],
  ['?view=simplex', 'simplex', 'live', null], ['?view=learn', 'learn', 'live', null],
] as const) {
  test(`${query} sets the first-frame mark (${source})`, async ({ page }) => {
    await page.goto(`/${query}`);
    const detail = await firstFrame(page);
    expect(detail.view).toBe(view);
    expect(detail.source).toBe(source);
    if (framesReady !== null) expect(detail.framesReady).toBe(framesReady);
    if (source === 'streamed') {
      expect(detail.framesReady).toBeGreaterThanOrEqual(2);
      expect(detail.framesReady).toBeLessThan(detail.frames!);
    }
  });
}
