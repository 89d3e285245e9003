/**
 * The guided tours, the lesson presets and the classroom link in the live page (wasm backend): both tours walked with
 * the keyboard only (each step outlines its declared target inside the viewport, beside a card that covers none of
 * it, and sets its t), a tour resumed from a link, Escape returning focus, the classroom link hiding the training
 * controls and keeping the views, and each lesson opening with its settings in the controls.
 */
import { expect, test, type Page } from '@playwright/test';
import { LESSONS, lessonSearch } from '../../src/ui/lessons/lessons';
import { TOURS } from '../../src/ui/tour/tourSteps';
import { waitForTrajectory, watchConsole } from './helpers';

type Box = { x: number; y: number; width: number; height: number };

/** Presses Tab until `testId` has focus (keyboard only), at most 60 times. */
async function tabTo(page: Page, testId: string): Promise<void> {
  for (let k = 0; k < 60; k++) {
    if (await page.evaluate((id) => document.activeElement?.getAttribute('data-testid') === id, testId)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${testId}`);
}

/** The box of the first rendered element matching `selector`. */
async function firstVisibleBox(page: Page, selector: string): Promise<Box | null> {
  return page.evaluate((sel) => {
    for (const el of Array.from(document.querySelectorAll(sel))) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.height > 0 && !el.closest('[hidden]')) return { x: r.left, y: r.top, width: r.width, height: r.height };
    }
    return null;
  }, selector);
}

const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/**
 * Checks the shown step `n` (from 1) of `tourId`: the card says so, the outline sits on the step's declared target,
 * which is inside the viewport, and the card does not cover it.
 */
async function expectStep(page: Page, tourId: string, n: number): Promise<void> {
  const step = TOURS.find((t) => t.id === tourId)!.steps[n - 1]!;
  const card = page.getByTestId('tour-card');
  await expect(card).toHaveAttribute('data-step', String(n));
  await expect(card).toHaveAttribute('data-target', step.target);
  await expect(card.getByRole('heading', { name: step.title, exact: true })).toBeVisible();
  await expect(page.getByTestId('tour-ring')).toBeVisible();
  // The outline settles on the target once it has scrolled there (it follows the target every frame).
  await expect
    .poll(async () => {
      const target = await firstVisibleBox(page, step.target);
      const ring = await page.getByTestId('tour-ring').boundingBox();
      if (!target || !ring) return 'no target or outline';
      const off = Math.max(Math.abs(ring.x + 4 - target.x), Math.abs(ring.y + 4 - target.y), Math.abs(ring.width - 8 - target.width), Math.abs(ring.height - 8 - target.height));
      return off < 1.5 ? 'on target' : `outline ${JSON.stringify(ring)} vs target ${JSON.stringify(target)}`;
    })
    .toBe('on target');
  const target = (await firstVisibleBox(page, step.target))!;
  const viewport = page.viewportSize()!;
  expect(target.y, `${step.id}: top inside the viewport`).toBeGreaterThanOrEqual(0);
  expect(target.x).toBeGreaterThanOrEqual(0);
  expect(target.y + target.height, `${step.id}: bottom inside the viewport`).toBeLessThanOrEqual(viewport.height);
  expect(target.x + target.width).toBeLessThanOrEqual(viewport.width);
  const cardBox = (await card.boundingBox())!;
  expect(overlap(cardBox, target), `${step.id}: the card ${JSON.stringify(cardBox)} covers the target ${JSON.stringify(target)}`).toBe(false);
  await expect(page).toHaveURL(new RegExp(`[?&]tour=${tourId}&step=${n}(&|$)`));
}

/** Opens the tour of the shown view from its button with the keyboard and walks every step with the keyboard only. */
async function walkTour(page: Page, tourId: string, checkT: (stepId: string) => Promise<void>): Promise<void> {
  const steps = TOURS.find((t) => t.id === tourId)!.steps;
  await tabTo(page, 'tour-start');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('tour-card')).toBeFocused();
  await expectStep(page, tourId, 1);
  await checkT(steps[0]!.id);
  // Next by Tab and Enter (Back is disabled on the first step, so Tab lands on Next) ...
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('tour-next')).toBeFocused();
  await page.keyboard.press('Enter');
  await expectStep(page, tourId, 2);
  await checkT(steps[1]!.id);
  // ... and on with the arrow key, back once, on again.
  for (let n = 3; n <= steps.length; n++) {
    await page.keyboard.press('ArrowRight');
    await expectStep(page, tourId, n);
    await checkT(steps[n - 1]!.id);
  }
  await page.keyboard.press('ArrowLeft');
  await expectStep(page, tourId, steps.length - 1);
  await page.keyboard.press('ArrowRight');
  await expectStep(page, tourId, steps.length);
  await expect(page.getByTestId('tour-next')).toHaveText('Finish');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('tour-card')).toHaveCount(0);
  await expect(page.getByTestId('tour-start')).toBeFocused();
  await expect(page).not.toHaveURL(/[?&](tour|step)=/);
}

test('the 2D tour, walked with the keyboard only, outlines each target in view and sets its t', async ({ page }) => {
  const lines = watchConsole(page);
  await page.goto('/?backend=wasm&steps=40');
  await waitForTrajectory(page, lines);
  const ts = Object.fromEntries(TOURS[0]!.steps.map((s) => [s.id, s.apply?.t]));
  await walkTour(page, '2d', async (id) => {
    // The tour moved the timeline: 40 steps, so t = k / 40 at the step the slider shows.
    const t = ts[id];
    if (t !== undefined) await expect(page.getByTestId('readout-t')).toHaveText((Math.round(t * 40) / 40).toFixed(3));
    if (id === 'sender') await expect(page.getByTestId('layer-y')).toBeChecked();
    if (id === 'predictions') {
      // Both of the step's switches took effect (x_hat on, y off), not only the last.
      await expect(page.getByTestId('layer-xhat')).toBeChecked();
      await expect(page.getByTestId('layer-y')).not.toBeChecked();
    }
    // The precision step chose a point (none was chosen): the point chart charts one.
    if (id === 'precision') await expect(page.getByTestId('point-chart')).not.toHaveAttribute('data-index', '');
  });
  // Closing the tour put back the layers its steps switched (the defaults: no y, no x_hat).
  await expect(page.getByTestId('layer-y')).not.toBeChecked();
  await expect(page.getByTestId('layer-xhat')).not.toBeChecked();
  await expect(page).not.toHaveURL(/layers=/);
});

test.describe('on a phone (390 x 844)', () => {
  test.use({ viewport: { width: 390, height: 844 } });
  test('the 2D tour, walked with the keyboard only, keeps each target in view and uncovered', async ({ page }) => {
    const lines = watchConsole(page);
    await page.goto('/?backend=wasm&steps=40');
    await waitForTrajectory(page, lines);
    await walkTour(page, '2d', async () => undefined);
  });
});

test('the MNIST tour, walked with the keyboard only, outlines θ, p_O and the sample in view', async ({ page }) => {
  const lines = watchConsole(page);
  await page.goto('/?view=mnist&backend=wasm&mnistSteps=20');
  await expect(page.getByTestId('mnist-status'), lines.join('\n')).toHaveAttribute('data-state', 'ready', { timeout: 180_000 });
  const ts = Object.fromEntries(TOURS[1]!.steps.map((s) => [s.id, s.apply?.t]));
  await walkTour(page, 'mnist', async (id) => {
    const t = ts[id];
    if (t !== undefined) await expect(page.getByTestId('mnist-readout-t')).toHaveText((Math.round(t * 20) / 20).toFixed(3));
  });
});

test('a link resumes the tour at its step, the address follows it, and Escape closes it', async ({ page }) => {
  const lines = watchConsole(page);
  await page.goto('/?backend=wasm&tour=2d&step=3');
  await expect(page.getByTestId('tour-card')).toBeFocused();
  await expect(page.getByTestId('tour-counter')).toHaveText(`${TOURS[0]!.name}: step 3 of ${TOURS[0]!.steps.length}`);
  await waitForTrajectory(page, lines);
  await expectStep(page, '2d', 3);
  await page.keyboard.press('ArrowRight');
  await expectStep(page, '2d', 4);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('tour-card')).toHaveCount(0);
  await expect(page).not.toHaveURL(/[?&](tour|step)=/);

  // A step that does not exist starts the tour at step 1 and says so; an unknown tour starts none.
  await page.goto('/?backend=wasm&tour=2d&step=42');
  await expect(page.getByTestId('tour-card')).toHaveAttribute('data-step', '1');
  await expect(page.getByTestId('tour-link-note')).toContainText('not “42”');
  await page.goto('/?backend=wasm&tour=bogus');
  await expect(page.getByTestId('tour-link-note')).toContainText('no tour “bogus”');
  await expect(page.getByTestId('tour-card')).toHaveCount(0);
});

test('a step whose target is hidden still shows its text, centred, and says so', async ({ page }) => {
  await page.addInitScript(() => {
    const style = document.createElement('style');
    style.textContent = '[data-tour="readouts"] { display: none !important; }';
    document.addEventListener('DOMContentLoaded', () => document.head.append(style));
  });
  await page.goto('/?backend=wasm&tour=2d&step=4');
  const card = page.getByTestId('tour-card');
  await expect(card).toHaveAttribute('data-missing', 'yes');
  await expect(page.getByTestId('tour-missing')).toBeVisible();
  await expect(page.getByTestId('tour-ring')).toBeHidden();
  const box = (await card.boundingBox())!;
  const viewport = page.viewportSize()!;
  expect(Math.abs(box.x + box.width / 2 - viewport.width / 2)).toBeLessThan(2);
  expect(Math.abs(box.y + box.height / 2 - viewport.height / 2)).toBeLessThan(2);
});

test('the classroom link hides the training controls and keeps the plot and the timeline; the way back shows them', async ({ page, context }) => {
  const lines = watchConsole(page);
  await page.goto('/?backend=wasm&classroom=1');
  await waitForTrajectory(page, lines);
  await expect(page.getByTestId('classroom-note')).toBeVisible();
  for (const id of ['train-play', 'train-step-button', 'train-reset', 'loss-chart']) await expect(page.getByTestId(id)).toBeHidden();
  for (const id of ['plot-canvas', 'timeline', 'play-button', 't-slider', 'point-chart', 'dataset-select']) await expect(page.getByTestId(id)).toBeVisible();

  await page.getByTestId('view-mnist').click();
  await expect(page.getByTestId('mnist-theta-grid')).toBeVisible();
  await expect(page.getByTestId('mnist-train')).toBeHidden();
  await expect(page.getByTestId('mnist-view').getByTestId('timeline')).toBeVisible();
  await page.getByTestId('view-2d').click();

  await page.getByTestId('classroom-leave').click();
  await expect(page.getByTestId('train-play')).toBeVisible();
  await expect(page).not.toHaveURL(/classroom=/);

  // Copy classroom link: this view's settings, with classroom=1 and without the tour.
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByTestId('input-steps').fill('30');
  await page.getByTestId('input-steps').press('Enter');
  await expect(page).toHaveURL(/steps=30/);
  await page.getByTestId('copy-classroom-link').click();
  await expect(page.getByTestId('classroom-copied')).toContainText('Classroom link copied');
  const copied = new URL(await page.evaluate(() => navigator.clipboard.readText()));
  expect(copied.searchParams.get('classroom')).toBe('1');
  expect(copied.searchParams.get('steps')).toBe('30');
  await page.goto(copied.pathname + copied.search);
  await expect(page.getByTestId('train-play')).toBeHidden();
  await expect(page.getByTestId('input-steps')).toHaveValue('30');
});

/** The control that shows each lesson parameter. */
const CONTROL: Record<string, string> = {
  steps: 'input-steps', sigma1: 'setting-sigma1', lr: 'setting-lr', seed: 'setting-seed', mnistSteps: 'mnist-steps-input',
};

test('each lesson opens its view with its settings in the controls and its description', async ({ page }) => {
  await page.goto('/?backend=wasm');
  // The menu is a link list: open it and follow the first lesson with the keyboard.
  await tabTo(page, 'lessons-button');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await expect(page.getByTestId(`lesson-${LESSONS[0]!.id}`)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`lesson=${LESSONS[0]!.id}`));
  for (const lesson of LESSONS) {
    await page.goto(`${lessonSearch(lesson)}&backend=wasm`);
    await expect(page.getByTestId('lesson-note')).toContainText(lesson.name);
    await expect(page.getByTestId(`view-${lesson.view}`)).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('url-note')).toHaveCount(0);
    for (const [param, text] of Object.entries(lesson.params)) {
      expect(CONTROL[param], `a control for ${param}`).toBeDefined();
      await expect(page.getByTestId(CONTROL[param]!), `${lesson.id}: ${param}`).toHaveValue(String(Number(text)));
    }
    // What the URL cannot choose, the page pressed: the ideal denoiser with the lesson's σ₁, or one training step.
    if (lesson.press?.includes('source-ideal')) {
      await expect(page.getByTestId('run-info')).toHaveAttribute('data-source', 'ideal', { timeout: 60_000 });
      await expect(page.getByTestId('run-info')).toContainText(`(σ₁ = ${lesson.params.sigma1})`);
    }
    if (lesson.press?.includes('train-step-button')) {
      await expect(page.getByTestId('run-info')).toHaveAttribute('data-source', 'trained', { timeout: 60_000 });
      await expect(page.getByTestId('train-step')).toHaveText('1');
    }
  }
});

test('the untrained-network lesson does not press Step over a network saved in this browser', async ({ page }) => {
  await page.goto('/?backend=wasm&samples=200&steps=20');
  await expect(page.getByTestId('run-info')).toHaveAttribute('data-ready', 'yes', { timeout: 60_000 });
  for (let k = 1; k <= 3; k++) {
    await page.getByTestId('train-step-button').click();
    await expect(page.getByTestId('train-step')).toHaveText(String(k), { timeout: 60_000 });
  }
  await expect(page.getByText('Saved in this browser at step 3.')).toBeVisible({ timeout: 60_000 });
  const untrained = LESSONS.find((l) => l.press?.includes('train-step-button'))!;
  await page.goto(`${lessonSearch(untrained)}&backend=wasm`);
  await expect(page.getByTestId('lesson-note')).toContainText('Step was not pressed for you');
  await expect(page.getByTestId('run-info')).toHaveAttribute('data-ready', 'yes', { timeout: 60_000 });
  // The lesson's presser looks every 200 ms once the run is shown: ten looks later, still no step.
  await page.waitForTimeout(2000);
  await expect(page.getByTestId('train-step')).toHaveText('0');
  // The saved network is still the user's: back on their settings it is restored at step 3.
  await page.goto('/?backend=wasm&samples=200&steps=20');
  await expect(page.getByText('Restored your network from this browser (3 steps).')).toBeVisible({ timeout: 60_000 });
});
