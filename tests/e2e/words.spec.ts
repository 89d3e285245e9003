/**
 * The Words view in Chromium against the built app, on each backend: the shipped model samples a column of words on
 * first load; every sampled row uses only the 27 symbols, is marked malformed exactly when it breaks the padding rule
 * (letters first, then padding only, at least one letter; the card measured 0.9 % such rows) and real, held out or
 * new exactly as the word lists say; at t = 0 the input distribution is uniform and at t = 1 the output distribution's most
 * likely symbols spell the sampled words; and on wasm, 64 words with n = 100 contain a share of real words (checked
 * here against the vocabulary file, not read from the page) above a bound set from the model card. The keys move t
 * but not from a focused field. Screenshots at 1280 x 720 and 390 x 844. A link over the worker's limit on words x (n + 1)
 * starts no run and says what to lower.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { splitWords } from '../../src/data/words/words';

const SHOTS = 'test-results/screenshots';
const root = join(import.meta.dirname, '..', '..');
const vocabulary = new Set(readFileSync(join(root, 'src', 'data', 'words', 'vocabulary.txt'), 'utf8').split('\n').filter(Boolean));
const card = JSON.parse(readFileSync(join(root, 'models', 'words', 'card.json'), 'utf8')) as { evaluation: { generation: { real: { value: number; se: number }; wellFormed: number } } };
// The training words: the vocabulary without the 1000 held-out words of the seeded split (src/data/words/words.ts).
const train = new Set(splitWords([...vocabulary], 1000, 2023).train);

/** The sampled rows as the page shows them (data-raw: 8 symbols, '_' for padding) and how it marks them. */
async function sampledRows(page: Page): Promise<{ raw: string; mark: string }[]> {
  return page.getByTestId('words-sample').evaluateAll((els) => els.map((el) => ({ raw: el.getAttribute('data-raw') ?? '', mark: el.getAttribute('data-mark') ?? '' })));
}

/**
 * Checks every row: 8 symbols of the 27; marked malformed exactly when it breaks the padding rule (at least one
 * letter, letters first, then only padding); the others marked by the word lists as the test reads them.
 * @returns the words of the well-formed rows, and the number of malformed rows.
 */
function checkRows(rows: { raw: string; mark: string }[], count: number): { words: string[]; malformed: number } {
  expect(rows).toHaveLength(count);
  const words: string[] = [];
  for (const { raw, mark } of rows) {
    expect(raw, `'${raw}' uses a symbol outside _ and a-z`).toMatch(/^[_a-z]{8}$/);
    const wellFormed = /^[a-z]+_*$/.test(raw);
    if (!wellFormed) {
      expect(mark, `'${raw}' breaks the padding rule`).toBe('malformed');
      continue;
    }
    const word = raw.replace(/_+$/, '');
    expect(mark, `'${raw}'`).toBe(vocabulary.has(word) ? (train.has(word) ? 'train' : 'heldOut') : 'new');
    words.push(word);
  }
  return { words, malformed: count - words.length };
}

async function waitReady(page: Page, errors: string[]): Promise<void> {
  await expect(page.getByTestId('words-status'), errors.join('\n')).toHaveAttribute('data-state', 'ready', { timeout: 200_000 });
}

for (const backend of ['wasm', 'cpu', 'webgl', 'webgpu'] as const) {
  test(`${backend}: the shipped model samples words on first load that use the 27 symbols, sharpen from uniform to the words`, async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // n = 20 keeps the emulated GPUs quick; the view opens with its default of 16 words.
    await page.goto(`/?view=words&backend=${backend}&wordsSteps=20&cpuForward=0`);
    await waitReady(page, errors);
    await expect(page.getByTestId('t-slider')).toHaveAttribute('max', '20');
    const rows = await sampledRows(page);
    checkRows(rows, 16);
    await expect(page.getByTestId('play-button')).toHaveAttribute('aria-label', 'Play', { timeout: 60_000 });
    // At t = 0 the input distribution is the uniform prior: every position's top symbol is the first class (padding).
    await page.getByTestId('words-bars-input').check();
    await page.getByTestId('t-slider').fill('0');
    await expect(page.getByTestId('words-column')).toHaveAttribute('data-frame', '0');
    for (const leading of await page.getByTestId('words-leading').evaluateAll((els) => els.map((el) => el.getAttribute('data-leading')))) expect(leading).toBe('········');
    // At t = 1 the output distribution's most likely symbols are the sampled words (the sample is its mode).
    await page.getByTestId('words-bars-output').check();
    await page.getByTestId('t-slider').fill('20');
    await expect(page.getByTestId('words-column')).toHaveAttribute('data-frame', '20');
    const leadingAtEnd = await page.getByTestId('words-leading').evaluateAll((els) => els.map((el) => el.getAttribute('data-leading')));
    expect(leadingAtEnd).toEqual(rows.map((r) => r.raw.replace(/_/g, '·')));
    expect(errors).toEqual([]);
  });
}

test('wasm: 64 words with n = 100 hold a share of real words above the bound the card allows', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/?view=words&backend=wasm&wordsCount=64&wordsSeed=7');
  await waitReady(page, errors);
  const { words, malformed } = checkRows(await sampledRows(page), 64);
  const real = words.filter((w) => vocabulary.has(w)).length / 64;
  // The card measured 1 - wellFormed malformed rows of 1000; 64 rows hold at most 4 sd more.
  const q = 1 - card.evaluation.generation.wellFormed;
  expect(malformed / 64).toBeLessThanOrEqual(q + 4 * Math.sqrt((q * (1 - q)) / 64) + 1 / 64);
  // The card measured p = real share of 1000 words (n = 100) with standard error se. 64 words have a share with
  // sd sqrt(p (1 - p) / 64); the bound is 4 of those and 2 card standard errors below p (fails by chance < 1e-4).
  const { value: p, se } = card.evaluation.generation.real;
  const bound = p - 4 * Math.sqrt((p * (1 - p)) / 64) - 2 * se;
  expect(bound).toBeGreaterThan(0.05);
  expect(real, `real share ${real} of ${words.join(' ')}`).toBeGreaterThanOrEqual(bound);
  // The page's own count agrees with the list.
  await expect(page.getByTestId('words-shares')).toHaveAttribute('data-real', String(real));
  expect(errors).toEqual([]);
});

test('keys: Home and End move t; a space typed in the seed field does not start playback', async ({ page }) => {
  await page.goto('/?view=words&backend=wasm&wordsSteps=20');
  await waitReady(page, []);
  await expect(page.getByTestId('play-button')).toHaveAttribute('aria-label', 'Play', { timeout: 60_000 });
  await page.locator('body').press('Home');
  await expect(page.getByTestId('words-column')).toHaveAttribute('data-frame', '0');
  await page.getByTestId('words-seed').focus();
  await page.keyboard.press(' ');
  await expect(page.getByTestId('play-button')).toHaveAttribute('aria-label', 'Play');
  await page.locator('h2#words-h').click();
  await page.keyboard.press('End');
  await expect(page.getByTestId('words-column')).toHaveAttribute('data-frame', '20');
});

test('screenshots at 1280 x 720 and 390 x 844', async ({ page }) => {
  for (const [width, height] of [[1280, 720], [390, 844]] as const) {
    await page.setViewportSize({ width, height });
    await page.goto('/?view=words&backend=wasm');
    await waitReady(page, []);
    await expect(page.getByTestId('play-button')).toHaveAttribute('aria-label', 'Play', { timeout: 60_000 });
    await page.getByTestId('t-slider').fill('40');
    await page.screenshot({ path: `${SHOTS}/words-${width}x${height}-t040.png` });
    await page.getByTestId('t-slider').fill('100');
    await page.screenshot({ path: `${SHOTS}/words-${width}x${height}.png`, fullPage: true });
    // Nothing sticks out sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  }
});

test('wasm: a link with words x (n + 1) over the worker limit samples nothing, says which value to lower and keeps both values', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // 64 words x 501 frames = 32,064 > 16,016 (WORDS_SAMPLE_LIMITS.wordFrames): both values are valid alone.
  await page.goto('/?view=words&backend=wasm&wordsCount=64&wordsSteps=500');
  await expect(page.getByTestId('words-status'), errors.join('\n')).toHaveAttribute('data-state', 'idle', { timeout: 120_000 });
  const limit = page.getByTestId('words-limit');
  await expect(limit).toContainText('64 words × 501 frames (n + 1) = 32,064');
  await expect(limit).toContainText('at most 16,016: lower the words or n');
  await expect(page.getByTestId('words-sample-button')).toBeDisabled();
  await expect(page.getByTestId('words-count')).toHaveValue('64');
  await expect(page.getByTestId('words-steps')).toHaveValue('500');
  await expect(page.getByTestId('error-box')).toHaveCount(0);
  // 16 words x 501 frames fit: the message goes and Sample is offered.
  await page.getByTestId('words-count').selectOption('16');
  await expect(limit).toHaveCount(0);
  await expect(page.getByTestId('words-sample-button')).toBeEnabled();
  expect(errors).toEqual([]);
});
