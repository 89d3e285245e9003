/**
 * The Learn view's output widgets in Chromium against the built app: controls are set with the keyboard (sliders) and
 * by typing (fields), and the numbers the page shows are checked against values computed here, from the paper's
 * closed forms and the models' cards:
 * - sender / receiver / output, continuous: alpha_i = sigma1^(-2i/n) (1 - sigma1^(2/n)) and the KL equals
 *   alpha/2 (x - x_hat)^2 for the shown x, x_hat, alpha (on wasm and on cpu);
 * - K classes: alpha_i = beta1 (2i - 1)/n^2; the p_O values sum to 1; the page's Monte-Carlo KL agrees with an
 *   independent Monte-Carlo estimate computed here from the shown p_O and alpha (the paper's mixture receiver);
 * - BFN beside diffusion: gamma(t) = 1 - sigma1^(2t), abar of the cosine schedule (Nichol & Dhariwal 2021, eq. 17),
 *   and the sample variances of mu - gamma x and z - sqrt(abar) x against gamma (1 - gamma) and 1 - abar within 4
 *   standard errors; the matched schedule gives abar = gamma.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { watchConsole } from './helpers';

const card = (id: string) => JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'models', id, 'card.json'), 'utf8')) as { spec: { sigma1?: number; beta1?: number } };
const SIGMA1 = card('two-moons').spec.sigma1!;
const BETA1 = card('words').spec.beta1!;

const num = async (page: Page, id: string) => Number((await page.getByTestId(id).textContent())!.trim());

/** Moves a range input to `target` with the keyboard: Home, then ArrowRight steps. */
async function slideTo(page: Page, testId: string, fromMin: number) {
  const slider = page.getByTestId(testId);
  await slider.focus();
  await slider.press('Home');
  for (let k = 0; k < fromMin; k++) await slider.press('ArrowRight');
}

/** Types into a field (select all, then type) as a user would. */
async function typeInto(page: Page, testId: string, text: string) {
  const field = page.getByTestId(testId);
  await field.click();
  await field.press('ControlOrMeta+a');
  await field.pressSequentially(text);
}

async function ready(page: Page, testId: string, lines: string[]) {
  await expect(page.getByTestId(testId), lines.join('\n')).toHaveAttribute('data-ready', 'yes', { timeout: 120_000 });
  await expect(page.getByTestId('error-box'), lines.join('\n')).toHaveCount(0);
}

/** Sets n = 50 and i = 7 on the continuous widget and checks alpha_i and KL = alpha/2 (x - x_hat)^2. */
async function checkContinuous(page: Page, lines: string[]) {
  await ready(page, 'cts-kl', lines);
  await typeInto(page, 'cts-n', '50');
  await typeInto(page, 'cts-point', '17');
  await slideTo(page, 'cts-i', 6);
  await expect(page.getByTestId('cts-t')).toHaveText(String(6 / 50));
  await ready(page, 'cts-kl', lines);
  const [x, xHat, alpha, kl, mu] = (await Promise.all(['cts-x', 'cts-xhat', 'cts-alpha', 'cts-kl-value', 'cts-mu'].map((id) => num(page, id)))) as [number, number, number, number, number];
  const i = 7;
  const n = 50;
  const alphaRef = SIGMA1 ** (-2 * i / n) * (1 - SIGMA1 ** (2 / n));
  expect.soft(Math.abs(alpha / alphaRef - 1)).toBeLessThan(1e-5);
  const klRef = (alphaRef / 2) * (x - xHat) ** 2;
  // x and x_hat are shown with 6 significant digits: allow their rounding.
  const rounding = alphaRef * Math.abs(x - xHat) * 1e-6 * (Math.abs(x) + Math.abs(xHat)) + 1e-12;
  expect.soft(Math.abs(kl - klRef)).toBeLessThan(Math.max(1e-5 * klRef, 2 * rounding));
  expect.soft(Number.isFinite(mu)).toBe(true);
  return { kl, x, xHat };
}

/** A seeded uniform generator (mulberry32): the test's own randomness, independent of TF.js. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** KL(p_S || p_R) for K classes by Monte Carlo with the paper's mixture receiver: ln p_S - ln p_R = y_x - logsumexp_k(ln p_k + y_k). */
function klByMonteCarlo(p: number[], x: number, alpha: number, S: number): { kl: number; se: number } {
  const K = p.length;
  const u = mulberry32(12345);
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const logP = p.map((v) => Math.log(Math.max(v, 1e-30)));
  let sum = 0;
  let sum2 = 0;
  const y = new Array<number>(K);
  for (let s = 0; s < S; s++) {
    let m = -Infinity;
    for (let k = 0; k < K; k++) {
      y[k] = alpha * ((k === x ? K : 0) - 1) + Math.sqrt(alpha * K) * normal();
      m = Math.max(m, logP[k]! + y[k]!);
    }
    let acc = 0;
    for (let k = 0; k < K; k++) acc += Math.exp(logP[k]! + y[k]! - m);
    const r = y[x]! - (m + Math.log(acc));
    sum += r;
    sum2 += r * r;
  }
  const mean = sum / S;
  return { kl: mean, se: Math.sqrt((sum2 / S - mean * mean) / (S - 1)) };
}

test('Learn output widgets on wasm: sender / receiver / output (continuous and K classes) and BFN beside diffusion', async ({ page }) => {
  const lines = watchConsole(page);
  await page.goto('/?view=learn&backend=wasm');

  // d, continuous.
  await checkContinuous(page, lines);

  // d, K classes: the word 'bayes', letter 3 ('y'), n = 2, i = 2 (alpha large enough that the paper's and the
  // official code's receivers differ by far more than the sampling error), S = 8000.
  await ready(page, 'discrete-kl', lines);
  await typeInto(page, 'disc-word', 'bayes');
  await typeInto(page, 'disc-position', '3');
  await typeInto(page, 'disc-n', '2');
  await typeInto(page, 'disc-samples', '8000');
  await slideTo(page, 'disc-i', 1);
  await expect(page.getByTestId('disc-t')).toHaveText(String(1 / 2));
  await ready(page, 'discrete-kl', lines);
  const alpha = await num(page, 'disc-alpha');
  expect.soft(Math.abs(alpha / ((BETA1 * (2 * 2 - 1)) / 4) - 1)).toBeLessThan(1e-5);
  const pO = (await page.getByTestId('disc-po').allTextContents()).map(Number);
  expect.soft(pO).toHaveLength(27);
  // 27 values shown with 4 significant digits.
  expect.soft(Math.abs(pO.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(27 * 5e-4);
  const x = 'y'.charCodeAt(0) - 96;
  const [kl, se] = [await num(page, 'disc-kl-value'), await num(page, 'disc-kl-se')];
  const ours = klByMonteCarlo(pO, x, alpha, 100_000);
  expect.soft(se).toBeGreaterThan(0);
  expect.soft(Math.abs(kl - ours.kl), `page ${kl} ± ${se}, test ${ours.kl} ± ${ours.se}`).toBeLessThan(4 * Math.hypot(se, ours.se) + 1e-3 * Math.abs(ours.kl));
  // The SE is the sample sd over sqrt(S): the test's sd over sqrt(8000) within 25 %.
  expect.soft(Math.abs(se / (ours.se * Math.sqrt(100_000 / 8000)) - 1)).toBeLessThan(0.25);

  // e: t = 0.30 by the keyboard (End, then 70 steps of 0.01 down), 2000 points.
  await ready(page, 'bfn-diffusion', lines);
  await typeInto(page, 'diff-points', '2000');
  const slider = page.getByTestId('diff-t');
  await slider.focus();
  await slider.press('End');
  for (let k = 0; k < 70; k++) await slider.press('ArrowLeft');
  await expect(page.getByTestId('diff-t-value')).toHaveText('0.30');
  await ready(page, 'bfn-diffusion', lines);
  const t = 0.3;
  const N = 2000 * 2;
  const gammaRef = 1 - SIGMA1 ** (2 * t);
  const s = 0.008;
  const f = (u: number) => Math.cos(((u + s) / (1 + s)) * (Math.PI / 2)) ** 2;
  const abarRef = f(1 - t) / f(0);
  expect.soft(Math.abs((await num(page, 'diff-gamma')) / gammaRef - 1)).toBeLessThan(1e-5);
  expect.soft(Math.abs((await num(page, 'diff-abar')) / abarRef - 1)).toBeLessThan(1e-5);
  const muVar = await num(page, 'diff-mu-var');
  const zVar = await num(page, 'diff-z-var');
  const vMu = gammaRef * (1 - gammaRef);
  const vZ = 1 - abarRef;
  expect.soft(Math.abs(muVar - vMu), `mu - gamma x: ${muVar} vs ${vMu}`).toBeLessThan(4 * vMu * Math.sqrt(2 / (N - 1)));
  expect.soft(Math.abs(zVar - vZ), `z - sqrt(abar) x: ${zVar} vs ${vZ}`).toBeLessThan(4 * vZ * Math.sqrt(2 / (N - 1)));
  // The matched schedule: abar = gamma(t).
  await page.getByTestId('diff-schedule').selectOption('matched');
  await expect.poll(async () => Math.abs((await num(page, 'diff-abar')) / gammaRef - 1), { timeout: 60_000 }).toBeLessThan(1e-5);
  await ready(page, 'bfn-diffusion', lines);
});

test('Learn output widget on cpu: the continuous KL is alpha/2 (x - x_hat)^2', async ({ page }) => {
  const lines = watchConsole(page);
  await page.goto('/?view=learn&backend=cpu');
  await checkContinuous(page, lines);
});
