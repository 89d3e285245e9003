/**
 * The Learn view's widgets a–c in Chromium against the built app: each widget's controls are set with the keyboard
 * (sliders and the plots' handles), by typing in number fields and by dragging a handle, and the numbers the page shows
 * are checked against closed forms evaluated here in float64 and against the same src/bfn functions run here in Node
 * (the seeded sender sample, the Monte Carlo entropy): the Bayesian update's y, mu' and rho' (eq. 49–50); the flow
 * distribution's mean and sd and the runs' statistics (many small updates and one big one agree with it); beta(t),
 * alpha(t), the L^inf weights and the expected input entropies. Widgets on wasm; the update once more on cpu.
 */
import * as tf from '@tensorflow/tfjs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { ctsBayesianUpdate, ctsSenderSample } from '../../src/bfn/continuous';
import { seededNoise } from '../../src/bfn/noise';
import { discreteInputEntropy } from '../../src/bfn/inputEntropy';
import { watchConsole } from './helpers';

const LN_2PI_E_HALF = 0.5 * Math.log(2 * Math.PI * Math.E);

/** The number a read-out shows (the first number in its text). */
async function shown(loc: Locator): Promise<number> {
  const text = (await loc.textContent()) ?? '';
  const m = /-?\d+(\.\d+)?(e[+-]?\d+)?/.exec(text.replace(/−/g, '-'));
  if (!m) throw new Error(`no number in '${text}'`);
  return Number(m[0]);
}

async function open(page: Page, backend: string): Promise<string[]> {
  const lines = watchConsole(page);
  await page.goto(`/?view=learn&backend=${backend}`);
  await expect(page.getByText(`Engine running on ${backend}`, { exact: false })).toBeVisible({ timeout: 60_000 });
  return lines;
}

async function ready(page: Page, widget: string, lines: string[]): Promise<void> {
  await expect(page.getByTestId(widget), lines.join('\n')).toHaveAttribute('data-ready', 'yes', { timeout: 60_000 });
  await expect(page.getByTestId('error-box'), lines.join('\n')).toHaveCount(0);
}

/** Types a value into a control's number field. */
async function type(page: Page, testId: string, value: string): Promise<void> {
  await page.getByTestId(`${testId}-input`).fill(value);
}

/** Presses a key `times` times on a focused element (a slider or a plot handle). */
async function press(loc: Locator, key: string, times: number): Promise<void> {
  await loc.focus();
  for (let k = 0; k < times; k++) await loc.press(key);
}

/** The sender sample and posterior that src/bfn gives in Node for the page's seed (float32, like the worker). */
async function nodeUpdate(x: number, alpha: number, mu: number, rho: number, seed: number): Promise<{ y: number; muPost: number; rhoPost: number }> {
  await tf.setBackend('cpu');
  const y = ctsSenderSample(tf.tensor1d([x]), alpha, seededNoise(seed));
  const post = ctsBayesianUpdate(tf.tensor1d([mu]), rho, y, alpha);
  const out = { y: (await y.data())[0]!, muPost: (await post.mu.data())[0]!, rhoPost: post.rho };
  tf.dispose([y, post.mu]);
  return out;
}

async function checkUpdate(page: Page, x: number, alpha: number, mu: number, rho: number, seed: number): Promise<void> {
  const ref = await nodeUpdate(x, alpha, mu, rho, seed);
  expect(await shown(page.getByTestId('update-y'))).toBeCloseTo(ref.y, 5);
  // Closed form of eq. 49–50 in float64 with the sample y: rho' = rho + alpha, mu' = (mu rho + y alpha) / rho'.
  const rhoPost = rho + alpha;
  const muPost = (mu * rho + ref.y * alpha) / rhoPost;
  expect(await shown(page.getByTestId('update-rho-post'))).toBeCloseTo(rhoPost, 6);
  expect(await shown(page.getByTestId('update-mu-post'))).toBeCloseTo(muPost, 5);
  expect(Math.abs(ref.muPost - muPost)).toBeLessThan(1e-6);
}

test('Learn a on wasm: dragging x, typing alpha, arrow keys on rho and the mu handle; y, mu\' and rho\' match src/bfn and eq. 49–50', async ({ page }) => {
  const lines = await open(page, 'wasm');
  await ready(page, 'learn-update', lines);

  // Drag the x handle to where x = 2 lies on the plot's axis (the frame spans the range [-4, 4]).
  const frame = await page.getByTestId('update-plot').locator('.chart-frame').boundingBox();
  const handle = await page.getByTestId('update-handle-x').boundingBox();
  await page.mouse.move(handle!.x + handle!.width / 2, handle!.y + handle!.height / 2);
  await page.mouse.down();
  await page.mouse.move(frame!.x + (frame!.width * 6) / 8, handle!.y + handle!.height / 2, { steps: 8 });
  await page.mouse.up();
  await expect.poll(async () => Number(await page.getByTestId('update-x-input').inputValue())).toBeGreaterThan(1.9);
  expect(Number(await page.getByTestId('update-x-input').inputValue())).toBeLessThan(2.1);

  await type(page, 'update-x', '0.3');
  await type(page, 'update-alpha', '3.5');
  await press(page.getByTestId('update-rho-slider'), 'ArrowRight', 4); // 1 -> 1.2 (step 0.05)
  await press(page.getByTestId('update-handle-mu'), 'ArrowLeft', 10); // -1 -> -1.1 (step 0.01)
  await page.getByTestId('update-new-sample').click();
  await page.getByTestId('update-new-sample').click(); // seed 1 -> 3
  await ready(page, 'learn-update', lines);
  await checkUpdate(page, 0.3, 3.5, -1.1, 1.2, 3);
  // The equation shows the numbers substituted in: rho' = 1.2 + 3.5 = 4.7.
  await expect(page.getByTestId('learn-update').locator('annotation').nth(1)).toContainText('= 1.2 + 3.5 = 4.7');

  // A typo in a field is flagged and changes nothing.
  await type(page, 'update-alpha', '');
  await expect(page.getByTestId('update-alpha-input')).toHaveAttribute('aria-invalid', 'true');
  await type(page, 'update-alpha', '-2');
  await expect(page.getByTestId('learn-update')).toContainText('still using 3.5');
  await checkUpdate(page, 0.3, 3.5, -1.1, 1.2, 3);
});

test('Learn a on cpu: the default update after one new sample matches src/bfn', async ({ page }) => {
  const lines = await open(page, 'cpu');
  await page.getByTestId('update-new-sample').click(); // seed 2
  await ready(page, 'learn-update', lines);
  await expect(page.getByTestId('learn-update')).toHaveAttribute('data-backend', 'cpu');
  await checkUpdate(page, 0.8, 2, -1, 1, 2);
});

test('Learn b on wasm: many updates and one agree with p_F(mu | x; t); the band\'s sd at t = 1 is the closed form', async ({ page }) => {
  const lines = await open(page, 'wasm');
  await type(page, 'flow-x', '-0.4');
  await type(page, 'flow-t', '0.6');
  await type(page, 'flow-n', '50');
  await press(page.getByTestId('flow-sigma1-slider'), 'ArrowLeft', 4); // 0.1 -> 0.08 (step 0.005)
  await ready(page, 'learn-flow', lines);
  const [x, t, sigma1, runs] = [-0.4, 0.6, 0.08, 2000];
  const gamma = 1 - sigma1 ** (2 * t);
  const mean = gamma * x;
  const sd = Math.sqrt(gamma * (1 - gamma));
  expect(await shown(page.getByTestId('flow-mean'))).toBeCloseTo(mean, 5);
  expect(await shown(page.getByTestId('flow-std'))).toBeCloseTo(sd, 5);
  for (const which of ['many', 'one']) {
    // The runs' mean within 4 standard errors, their sd within 7% (4 standard errors of a sample sd of 2000 draws: 6.3%).
    expect(Math.abs((await shown(page.getByTestId(`flow-${which}-mean`))) - mean)).toBeLessThan((4 * sd) / Math.sqrt(runs) + 1e-4);
    expect(Math.abs((await shown(page.getByTestId(`flow-${which}-sd`))) / sd - 1)).toBeLessThan(0.07);
  }
  // The band's t handle: End moves it to t = 1, where sd = sqrt(gamma (1 - gamma)) with gamma = 1 - sigma1^2.
  await press(page.getByTestId('flow-handle-t'), 'End', 1);
  await expect(page.getByTestId('flow-t-input')).toHaveValue('1');
  await ready(page, 'learn-flow', lines);
  const g1 = 1 - sigma1 ** 2;
  expect(await shown(page.getByTestId('flow-std'))).toBeCloseTo(Math.sqrt(g1 * (1 - g1)), 5);
  expect(await shown(page.getByTestId('flow-mean'))).toBeCloseTo(g1 * x, 5);
});

test('Learn c on wasm: beta(t), alpha(t), L^inf weights and input entropies at t for typed sigma1 and beta1 and keyboard K and t', async ({ page }) => {
  const lines = await open(page, 'wasm');
  await type(page, 'sched-sigma1', '0.05');
  await type(page, 'sched-beta1', '4');
  await press(page.getByTestId('sched-K-slider'), 'ArrowRight', 2); // K 2 -> 4
  await press(page.getByTestId('sched-t-slider'), 'ArrowRight', 10); // t 0.5 -> 0.6
  await ready(page, 'learn-schedule', lines);
  const [sigma1, beta1, K, t] = [0.05, 4, 4, 0.6];
  expect(await shown(page.getByTestId('sched-sqrt-beta1'))).toBeCloseTo(2, 6);
  const close = async (id: string, v: number) => expect(Math.abs((await shown(page.getByTestId(id))) / v - 1), id).toBeLessThan(1e-5);
  await close('sched-cts-beta', sigma1 ** (-2 * t) - 1);
  await close('sched-cts-alpha', -2 * Math.log(sigma1) * sigma1 ** (-2 * t));
  await close('sched-cts-weight', -Math.log(sigma1) * sigma1 ** (-2 * t));
  await close('sched-disc-beta', beta1 * t * t);
  await close('sched-disc-alpha', 2 * beta1 * t);
  await close('sched-disc-weight', K * beta1 * t);
  expect(await shown(page.getByTestId('sched-cts-entropy'))).toBeCloseTo(LN_2PI_E_HALF + t * Math.log(sigma1), 5);
  // The discrete entropy: the same seeded Monte Carlo in Node (cpu) as in the worker (101 grid times and t, 400 draws each).
  await tf.setBackend('cpu');
  const times = [...Array.from({ length: 101 }, (_, k) => k / 100), t];
  const est = discreteInputEntropy(times, K, beta1, 400, seededNoise(1));
  const ref = (await est.mean.data())[101]!;
  const se = (await est.se.data())[101]!;
  tf.dispose([est.mean, est.se]);
  const h = await shown(page.getByTestId('sched-disc-entropy'));
  expect(Math.abs(h - ref)).toBeLessThan(1e-3);
  expect(h).toBeGreaterThan(0);
  expect(h).toBeLessThan(Math.log(K));
  expect(se).toBeGreaterThan(0);
});
