/**
 * Keyboard, focus and help (classroom details): a focused control keeps the keys it uses (space on a checkbox, a
 * disclosure or a button; a slider's arrows) and the timeline's shortcuts leave them alone; the plot is one Tab stop
 * whose arrow keys choose the nearest point in their direction (checked against the points' input means that the page
 * announces and against the pointer's pick); the MNIST grid's arrows move the chosen pixel (checked against the
 * canvas's pixels); the skip link reaches the plot and Play within a few Tab stops; every Tab stop shows a focus ring;
 * every control has an accessible name (axe); every help button opens its help by keyboard and Escape closes it.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { waitForPlaybackEnd, waitForTrajectory, watchConsole } from './helpers';

const N = 40;
const STEPS = 10;

async function open2d(page: Page, consoleLines: string[]): Promise<void> {
  await page.goto(`/?backend=wasm&samples=${N}&steps=${STEPS}`);
  await waitForTrajectory(page, consoleLines, 'shipped');
  await waitForPlaybackEnd(page);
}

/** The point the plot's live region last announced: index and input mean. */
async function announced(page: Page): Promise<{ i: number; x: number; y: number }> {
  const text = (await page.getByTestId('plot-announce').textContent()) ?? '';
  const m = /^Point (\d+): μ = \((-?[\d.]+), (-?[\d.]+)\)/.exec(text);
  if (!m) throw new Error(`no point announced: '${text}'`);
  return { i: Number(m[1]), x: Number(m[2]), y: Number(m[3]) };
}

/** The nearest point within 45 degrees of `dir` (else the nearest ahead), lower index on ties: the rule the plot promises. */
function expectedNeighbour(points: { x: number; y: number }[], from: number, dir: [number, number]): number | null {
  const p = points[from]!;
  let cone: [number, number] | null = null;
  let ahead: [number, number] | null = null;
  points.forEach((q, j) => {
    if (j === from) return;
    const along = (q.x - p.x) * dir[0] + (q.y - p.y) * dir[1];
    if (!(along > 0)) return;
    const across = Math.abs((q.x - p.x) * dir[1] - (q.y - p.y) * dir[0]);
    const d = along * along + across * across;
    if (across <= along && (cone === null || d < cone[1])) cone = [j, d];
    if (ahead === null || d < ahead[1]) ahead = [j, d];
  });
  return (cone ?? ahead)?.[0] ?? null;
}

test('space on a focused checkbox, disclosure or button and a slider\'s arrows belong to the control, not to the timeline', async ({ page }) => {
  const consoleLines = watchConsole(page);
  await open2d(page, consoleLines);
  const play = page.getByTestId('play-button');

  const y = page.getByTestId('layer-y');
  const before = await y.isChecked();
  await y.focus();
  await page.keyboard.press(' ');
  await expect(y).toBeChecked({ checked: !before });
  await page.waitForTimeout(300);
  await expect(play).toHaveAttribute('aria-label', 'Play');

  const details = page.locator('details.settings');
  const wasOpen = await details.evaluate((d) => (d as HTMLDetailsElement).open);
  await page.locator('details.settings > summary').focus();
  await page.keyboard.press(' ');
  await expect.poll(() => details.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(!wasOpen);
  await page.waitForTimeout(300);
  await expect(play).toHaveAttribute('aria-label', 'Play');

  const help = page.getByTestId('timeline').getByTestId('help-button');
  await help.focus();
  await page.keyboard.press(' ');
  await expect(help).toHaveAttribute('aria-expanded', 'true');
  await page.waitForTimeout(300);
  await expect(play).toHaveAttribute('aria-label', 'Play');

  // The slider's own arrow moves it by one frame, not two (the timeline's ArrowLeft would step once more).
  const slider = page.getByTestId('t-slider');
  await slider.focus();
  await page.keyboard.press('ArrowLeft');
  await expect(slider).toHaveValue(String(STEPS - 1));
  await page.waitForTimeout(300);
  await expect(page.getByTestId('readout-step')).toHaveText(`${STEPS - 1} / ${STEPS}`);

  // A number field takes space and digits.
  await page.getByTestId('input-samples').focus();
  await page.keyboard.press(' ');
  await page.waitForTimeout(300);
  await expect(play).toHaveAttribute('aria-label', 'Play');

  // Elsewhere space is still the play key.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press(' ');
  await expect(play).toHaveAttribute('aria-label', 'Pause');
  expect(consoleLines.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
});

test('the plot is a Tab stop whose arrow keys choose the nearest point in their direction, announced and marked', async ({ page }) => {
  const consoleLines = watchConsole(page);
  await open2d(page, consoleLines);
  const svg = page.getByTestId('plot-svg');
  // Skip link, then Tab until the plot has the focus (the card's own buttons come first).
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  let tabs = 0;
  while (!(await svg.evaluate((el) => el === document.activeElement)) && tabs < 6) {
    await page.keyboard.press('Tab');
    tabs++;
  }
  await expect(svg).toBeFocused();

  // Every point's input mean at t = 1, read through the live region by stepping through the indices (PageDown).
  await page.keyboard.press('PageDown');
  const points: { x: number; y: number }[] = [];
  for (let k = 0; k < N; k++) {
    const a = await announced(page);
    expect(a.i).toBe(k);
    points.push({ x: a.x, y: a.y });
    await page.keyboard.press('PageDown');
  }
  await expect(page.getByTestId('point-chart')).toHaveAttribute('data-index', '0');
  await expect(page.getByTestId('key-focus-mark')).toBeVisible();

  // The announced coordinates are the plotted ones: the pointer over the most isolated point picks that point.
  const isolation = points.map((p, i) => Math.min(...points.filter((_, j) => j !== i).map((q) => Math.hypot(q.x - p.x, q.y - p.y))));
  const lonely = isolation.indexOf(Math.max(...isolation));
  const ticks = async (axis: number) =>
    svg.locator('g.axis').nth(axis).locator('g.tick').evaluateAll((gs) =>
      gs.map((g) => {
        const m = /translate\(([-\d.]+),\s*([-\d.]+)\)/.exec(g.getAttribute('transform') ?? '')!;
        return { value: Number((g.textContent ?? '').replace('−', '-')), px: Number(m[1]), py: Number(m[2]) };
      }),
    );
  const xt = await ticks(0);
  const yt = await ticks(1);
  const lin = (a: { value: number; p: number }, b: { value: number; p: number }) => (v: number) => a.p + ((v - a.value) * (b.p - a.p)) / (b.value - a.value);
  const sx = lin({ value: xt[0]!.value, p: xt[0]!.px }, { value: xt.at(-1)!.value, p: xt.at(-1)!.px });
  const sy = lin({ value: yt[0]!.value, p: yt[0]!.py }, { value: yt.at(-1)!.value, p: yt.at(-1)!.py });
  const box = (await svg.boundingBox())!;
  await page.keyboard.press('Escape');
  await page.mouse.move(box.x + sx(points[lonely]!.x), box.y + sy(points[lonely]!.y));
  await expect(page.getByTestId('point-chart')).toHaveAttribute('data-index', String(lonely));
  await page.mouse.move(box.x + box.width + 40, box.y);
  await expect(page.getByTestId('point-chart')).toHaveAttribute('data-index', '');

  // Enter starts at the point nearest the centre; each arrow then goes to the nearest point in its direction.
  await svg.focus();
  await page.keyboard.press('Enter');
  const norms = points.map((p) => Math.hypot(p.x, p.y));
  expect((await announced(page)).i).toBe(norms.indexOf(Math.min(...norms)));
  const arrows: [string, [number, number]][] = [['ArrowRight', [1, 0]], ['ArrowUp', [0, 1]], ['ArrowLeft', [-1, 0]], ['ArrowDown', [0, -1]]];
  let moved = 0;
  for (const [key, dir] of [...arrows, ...arrows]) {
    const from = (await announced(page)).i;
    const want = expectedNeighbour(points, from, dir);
    await page.keyboard.press(key);
    if (want === null) continue;
    await expect.poll(async () => (await announced(page)).i, `${key} from point ${from}`).toBe(want);
    await expect(page.getByTestId('point-chart')).toHaveAttribute('data-index', String(want));
    await expect(page.locator('#point-h')).toHaveText(`Point ${want} over time`);
    moved++;
  }
  expect(moved).toBeGreaterThanOrEqual(4);
  // The arrows were the plot's: the timeline did not step.
  await expect(page.getByTestId('readout-step')).toHaveText(`${STEPS} / ${STEPS}`);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('plot-announce')).toHaveText('No point chosen.');
  expect(consoleLines.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
});

test('the skip link lands on the plot and Play is a few Tab stops away; every Tab stop shows a focus ring', async ({ page }) => {
  const consoleLines = watchConsole(page);
  await open2d(page, consoleLines);
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('skip-link')).toBeFocused();
  await page.keyboard.press('Enter');
  // On the plot itself (the Tab stop whose arrow keys choose points), not on its card.
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('plot-area');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('point-chart')).not.toHaveAttribute('data-index', '');
  let tabs = 0;
  while (!(await page.getByTestId('play-button').evaluate((el) => el === document.activeElement)) && tabs < 12) {
    await page.keyboard.press('Tab');
    tabs++;
  }
  expect(tabs).toBeLessThanOrEqual(5);

  // From the top, every Tab stop of the page: a visible outline (or box shadow) on it, or on the label of a file input.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.evaluate(() => window.scrollTo(0, 0));
  const seen = new Set<string>();
  const bare: string[] = [];
  for (let k = 0; k < 200; k++) {
    await page.keyboard.press('Tab');
    const info = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const ringed = el instanceof HTMLInputElement && el.type === 'file' ? (el.closest('label') ?? el) : el;
      const s = getComputedStyle(ringed);
      const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1) || s.boxShadow !== 'none';
      const name = `${el.tagName.toLowerCase()}[${el.getAttribute('data-testid') ?? el.getAttribute('aria-label') ?? el.id ?? ''}]#${Array.prototype.indexOf.call(document.querySelectorAll('*'), el)}`;
      return { name, ring };
    });
    if (!info || seen.has(info.name)) break;
    seen.add(info.name);
    if (!info.ring) bare.push(info.name);
  }
  expect(seen.size).toBeGreaterThan(30);
  expect(bare).toEqual([]);
});

/** The fewest help buttons and described fields each view has. */
const HELPS = { '2d': [20, 10], mnist: [8, 5], '2d on a phone': [20, 10], 'mnist-grey': [4, 4], words: [4, 3], simplex: [6, 6] } as const;

for (const view of Object.keys(HELPS) as (keyof typeof HELPS)[]) {
  test(`every control of the ${view} view has an accessible name, and every help opens by keyboard and closes on Escape`, async ({ page }) => {
    const consoleLines = watchConsole(page);
    if (view === '2d on a phone') await page.setViewportSize({ width: 390, height: 844 });
    if (view === '2d' || view === '2d on a phone') await open2d(page, consoleLines);
    else if (view === 'mnist') {
      await page.goto('/?view=mnist&backend=wasm');
      await expect(page.getByTestId('mnist-status')).toHaveAttribute('data-state', 'ready', { timeout: 120_000 });
    } else {
      await page.goto(`/?view=${view}&backend=wasm`);
      await expect(page.getByTestId('active-backend')).toHaveText('wasm', { timeout: 60_000 });
      await expect(page.locator('[data-testid="help-button"]:visible')).not.toHaveCount(0);
    }
    const results = await new AxeBuilder({ page })
      .withRules(['label', 'button-name', 'select-name', 'input-button-name', 'aria-input-field-name', 'aria-toggle-field-name', 'aria-command-name', 'link-name', 'role-img-alt', 'svg-img-alt', 'aria-allowed-role', 'nested-interactive', 'label-title-only'])
      .analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

    const buttons = page.locator('[data-testid="help-button"]:visible');
    const count = await buttons.count();
    expect(count).toBeGreaterThanOrEqual(HELPS[view][0]);
    for (let k = 0; k < count; k++) {
      const button = buttons.nth(k);
      const pop = page.locator(`[id="${await button.getAttribute('aria-controls')}"]`);
      await expect(pop).toBeHidden();
      await button.focus();
      await page.keyboard.press('Enter');
      await expect(pop, await button.getAttribute('aria-label') ?? '').toBeVisible();
      expect(((await pop.textContent()) ?? '').length).toBeGreaterThan(30);
      // Inside the viewport's width (phones included).
      const box = (await pop.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(page.viewportSize()!.width);
      await page.keyboard.press('Escape');
      await expect(pop).toBeHidden();
      await expect(button).toBeFocused();
    }
    // Tooltips of controls with no room for an (i) button: shown while the control has the keyboard focus.
    for (const tip of await page.locator('[data-testid="help-tip"]').all()) {
      const control = page.locator(`[aria-describedby="${await tip.getAttribute('id')}"]`);
      await expect(tip).toBeHidden();
      await control.focus();
      await expect(tip).toBeVisible();
      expect(((await tip.textContent()) ?? '').length).toBeGreaterThan(30);
      await page.keyboard.press('Escape');
      await expect(tip).toBeHidden();
      await expect(control).toBeFocused();
    }
    // A labelled field's help describes it.
    const described = page.locator('[aria-describedby^="help-"]');
    expect(await described.count()).toBeGreaterThanOrEqual(HELPS[view][1]);
    expect(consoleLines.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
  });
}

test('the MNIST input grid is a Tab stop whose arrow keys move the chosen pixel, announced with its value', async ({ page }) => {
  await page.goto('/?view=mnist&backend=wasm');
  await expect(page.getByTestId('mnist-status')).toHaveAttribute('data-state', 'ready', { timeout: 120_000 });
  await expect(page.getByTestId('play-button')).toHaveAttribute('aria-label', 'Play', { timeout: 30_000 });
  const grid = page.getByTestId('mnist-theta-grid');
  await grid.focus();
  const heading = page.locator('#mnist-pixel-h');
  const where = async () => {
    const m = /image (\d+), row (\d+), column (\d+)/.exec((await heading.textContent()) ?? '');
    return m ? { image: Number(m[1]), row: Number(m[2]), col: Number(m[3]) } : null;
  };
  await page.keyboard.press('Enter');
  const start = (await where())!;
  const moves: [string, number, number, number][] = [['ArrowRight', 0, 0, 1], ['ArrowDown', 0, 1, 0], ['ArrowLeft', 0, 0, -1], ['ArrowUp', 0, -1, 0], ['PageDown', 1, 0, 0]];
  for (const [key, di, dr, dc] of moves) {
    const from = (await where())!;
    await page.keyboard.press(key);
    await expect.poll(where, key).toEqual({ image: from.image + di, row: from.row + dr, col: from.col + dc });
    // The announced value is the grid's pixel there (drawn as grey level round(255 v)).
    const said = (await page.getByTestId('mnist-theta-grid-announce').textContent()) ?? '';
    const v = Number(/: (-?[\d.]+)\.$/.exec(said)![1]);
    const to = (await where())!;
    const grey = await grid.evaluate((el, p) => {
      const canvas = el as HTMLCanvasElement;
      const cols = Math.ceil(Math.sqrt(Number(canvas.dataset.images)));
      const x = ((p.image - 1) % cols) * 30 + p.col - 1;
      const y = Math.floor((p.image - 1) / cols) * 30 + p.row - 1;
      return canvas.getContext('2d')!.getImageData(x, y, 1, 1).data[0]!;
    }, to);
    expect(Math.abs(grey - 255 * v)).toBeLessThanOrEqual(1);
  }
  expect(start).not.toBeNull();
  // The arrows were the grid's: the timeline stayed at the last frame.
  await expect(page.getByTestId('t-slider')).toHaveValue(await page.getByTestId('t-slider').getAttribute('max') ?? '');
});
