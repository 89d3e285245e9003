/**
 * The 2D view's training charts on wasm: a setting changed between two training runs is marked at the step where it
 * changed, the step axis has integer ticks, and the loss and metric history come back with the network after a
 * reload (same number of points, same last loss, the marker at the same step); a record saved without a history, or
 * with a corrupt one, still restores the network and says why the charts are empty. Training is kept short (a cheap
 * metric, a few dozen steps): the machine is shared.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { train, trainStep, waitForTrajectory, watchConsole } from './helpers';

const SHOTS = 'test-results/screenshots';

/** The x axis ticks of a chart: value and pixel (d3 writes translate(x, 0) on each). */
async function xTicks(chart: Locator): Promise<{ value: number; x: number }[]> {
  return chart.locator('g.axis').first().evaluate((g) =>
    Array.from(g.querySelectorAll('.tick')).map((t) => ({
      value: Number((t.textContent ?? '').replace(/,/g, '')),
      x: Number(/translate\(([-\d.e]+)/.exec(t.getAttribute('transform') ?? '')![1]),
    })),
  );
}

/** The pixel of step `step` on a chart's x axis, from its first and last ticks (a linear axis). */
async function xOfStep(chart: Locator, step: number): Promise<number> {
  const ticks = await xTicks(chart);
  expect(ticks.length, `x ticks ${JSON.stringify(ticks)}`).toBeGreaterThanOrEqual(2);
  const [a, b] = [ticks[0]!, ticks.at(-1)!];
  return a.x + ((step - a.value) / (b.value - a.value)) * (b.x - a.x);
}

/** What the loss chart holds: its point count, last loss, first step, and the change markers' steps. */
async function lossState(page: Page) {
  const chart = page.getByTestId('loss-chart');
  return {
    count: await chart.getAttribute('data-count'),
    last: await chart.getAttribute('data-last'),
    firstStep: await chart.getAttribute('data-first-step'),
    changes: await page.getByTestId('loss-chart-change').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-step')} ${e.getAttribute('data-label')}`)),
    metricCount: await page.getByTestId('metric-chart').getAttribute('data-count'),
    metricLast: await page.getByTestId('metric-chart').getAttribute('data-last'),
  };
}

/** Replaces the saved network's history in IndexedDB (undefined: removes it, as in a record saved before histories). */
async function editSavedModel(page: Page, history: unknown): Promise<void> {
  await page.evaluate(async (h) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('bfn-playground');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const store = db.transaction('state', 'readwrite').objectStore('state');
    const record = await new Promise<Record<string, unknown>>((resolve) => {
      const r = store.get('trained-model');
      r.onsuccess = () => resolve(r.result as Record<string, unknown>);
    });
    if (h === undefined) delete record.history;
    else record.history = h;
    await new Promise((resolve) => {
      const tx = db.transaction('state', 'readwrite');
      tx.objectStore('state').put(record, 'trained-model');
      tx.oncomplete = resolve;
    });
    db.close();
  }, history);
}

test('a changed setting is marked at its step, and the charts come back with the network after a reload', async ({ page }) => {
  test.setTimeout(300_000);
  const consoleLines = watchConsole(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/?backend=wasm&evalPoints=100&evalSteps=10&batch=64&lr=0.005');
  await expect(page.getByTestId('active-backend')).toHaveText('wasm', { timeout: 60_000 });
  await waitForTrajectory(page, consoleLines, 'shipped');

  await train(page, consoleLines, 15, 120_000);
  const changedAt = await trainStep(page);
  await page.getByTestId('setting-lr').selectOption('0.001');
  await expect(page.getByTestId('training-notice')).toContainText('apply from the next step');
  const marker = page.getByTestId('loss-chart-change');
  await expect(marker).toHaveCount(1);
  await expect(marker).toHaveAttribute('data-step', String(changedAt));
  await expect(marker).toHaveAttribute('data-label', 'lr 0.001');
  await expect(marker.locator('title')).toHaveText(`step ${changedAt}: learning rate 0.005 → 0.001`);

  await train(page, consoleLines, changedAt + 15, 120_000);
  const steps = await trainStep(page);
  await expect(page.getByTestId('model-card')).toContainText(`Saved in this browser at step ${steps}`, { timeout: 30_000 });

  // The marker stays at the step of the change, and its line sits at that step's pixel on the step axis.
  const chart = page.getByTestId('loss-chart');
  await expect(marker).toHaveAttribute('data-step', String(changedAt));
  const lineX = Number(await marker.locator('line').getAttribute('x1'));
  expect(Math.abs(lineX - (await xOfStep(chart, changedAt)))).toBeLessThan(1);
  // The same change is marked on the metric charts.
  await expect(page.getByTestId('metric-chart-change')).toHaveAttribute('data-step', String(changedAt));
  // Integer step ticks only.
  for (const t of await xTicks(chart)) expect(Number.isInteger(t.value), `tick ${t.value}`).toBe(true);

  const before = await lossState(page);
  expect(Number(before.count)).toBe(steps);
  expect(before.changes).toEqual([`${changedAt} lr 0.001`]);
  expect(Number(before.metricCount)).toBeGreaterThanOrEqual(2);

  await page.reload();
  await waitForTrajectory(page, consoleLines, 'trained');
  await expect(page.getByTestId('training-notice')).toContainText('Restored your network');
  expect(await trainStep(page)).toBe(steps);
  await expect(chart).toHaveAttribute('data-count', before.count!);
  expect(await lossState(page)).toEqual(before);
  await expect(page.getByTestId('loss-chart-note')).toHaveCount(0);

  // What a reader sees: the charts at a projector's and a phone's size.
  await chart.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/charts-1280x720.png` });
  await page.setViewportSize({ width: 390, height: 844 });
  await chart.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/charts-390x844.png` });

  // A record saved before histories were kept, and one whose history is corrupt: the network comes back all the
  // same, with empty charts and a note saying why.
  for (const [history, note] of [[undefined, 'history not saved with this network'], [{ version: 1, losses: 'lost' }, 'the saved history could not be read']] as const) {
    await editSavedModel(page, history);
    await page.reload();
    await waitForTrajectory(page, consoleLines, 'trained');
    await expect(page.getByTestId('training-notice')).toContainText('Restored your network');
    expect(await trainStep(page)).toBe(steps);
    await expect(chart).toHaveAttribute('data-count', '0');
    await expect(page.getByTestId('loss-chart-note')).toContainText(note);
  }

  await chart.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/charts-390x844-no-history.png` });
  expect(consoleLines.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
});
