/**
 * Time to the first animated frame of every view, in headless Chromium against the built app (`vite preview`), for
 * `npm run bench -- --only first-frame`: per view, cold loads (each in a fresh browser context, so no HTTP cache, no
 * compiled wasm, no IndexedDB; the page's cache disabled on top), the views taken in turn in every round.
 *
 * "First animated frame" is the page's `bfn-first-frame` performance mark (src/ui/firstFrame.ts): set in the commit
 * that first shows a frame with t > 0 of a playing trajectory (2D, MNIST, grey-scale MNIST, words), or the view's
 * first figure computed by the engine (the K = 3 simplex, Learn: views that do not autoplay). Its `startTime` is
 * milliseconds from navigation start.
 */
import type { Browser } from 'playwright-core';
import { DATASETS_2D } from '../../src/data/toy2d';
import { FIRST_FRAME_MARK, type FirstFrameDetail } from '../../src/ui/firstFrame';

/** One page to load: a label and its query string. */
export interface FirstFrameView {
  label: string;
  query: string;
}

/**
 * The pages measured: the home page (2D, two-moons), the 2D view with each other built-in dataset, and every other
 * view of src/ui/views.tsx by its `?view=` id.
 */
export const FIRST_FRAME_VIEWS: readonly FirstFrameView[] = [
  { label: 'home (2d two-moons)', query: '' },
  ...DATASETS_2D.filter((d) => d.id !== 'two-moons').map((d) => ({ label: `2d ${d.id}`, query: `?dataset=${d.id}` })),
  ...['mnist', 'mnist-grey', 'words', 'simplex', 'learn'].map((id) => ({ label: id, query: `?view=${id}` })),
];

/** One cold load: ms from navigation start to the mark, and the mark's detail; or why there was none. */
export interface FirstFrameLoad {
  ms: number | null;
  detail: FirstFrameDetail | null;
  error?: string;
}

/** The page's viewport in these loads (a laptop or projector screen). */
export const FIRST_FRAME_VIEWPORT = { width: 1280, height: 720 };

/**
 * Loads `url` once, cold: a fresh context (its own empty cache and storage) with the cache disabled, and waits for
 * the first-frame mark. @param timeoutMs how long to wait for it. @returns its time from navigation start (ms).
 */
export async function coldFirstFrame(browser: Browser, url: string, timeoutMs = 30_000): Promise<FirstFrameLoad> {
  const context = await browser.newContext({ viewport: FIRST_FRAME_VIEWPORT });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction((name) => performance.getEntriesByName(name, 'mark').length > 0, FIRST_FRAME_MARK, { timeout: timeoutMs, polling: 50 });
    const mark = await page.evaluate((name) => {
      const m = performance.getEntriesByName(name, 'mark')[0] as PerformanceMark;
      return { ms: m.startTime, detail: m.detail as FirstFrameDetail };
    }, FIRST_FRAME_MARK);
    return mark;
  } catch (err) {
    return { ms: null, detail: null, error: err instanceof Error ? err.message.split('\n')[0]! : String(err) };
  } finally {
    await context.close();
  }
}

/** Per view: every load's time (ms; null when the mark never came), and the sources the marks named. */
export interface FirstFrameViewResult {
  view: FirstFrameView;
  ms: (number | null)[];
  sources: string[];
  errors: string[];
}

/**
 * `loads` cold loads of every view of `views` at `baseUrl` (`http://host:port/`), one view after another in each
 * round (A B C ... A B C ...), so that a slow spell of the machine spreads over all views.
 */
export async function measureFirstFrames(browser: Browser, baseUrl: string, views: readonly FirstFrameView[], loads: number, log: (line: string) => void = () => undefined): Promise<FirstFrameViewResult[]> {
  const results: FirstFrameViewResult[] = views.map((view) => ({ view, ms: [], sources: [], errors: [] }));
  for (let round = 0; round < loads; round++) {
    for (const r of results) {
      const load = await coldFirstFrame(browser, `${baseUrl}${r.view.query}`);
      r.ms.push(load.ms);
      if (load.detail && !r.sources.includes(load.detail.source)) r.sources.push(load.detail.source);
      if (load.error) r.errors.push(load.error);
      log(`first-frame: round ${round + 1}/${loads} ${r.view.label}: ${load.ms === null ? `no frame (${load.error})` : `${load.ms.toFixed(0)} ms (${load.detail?.source})`}`);
    }
  }
  return results;
}
