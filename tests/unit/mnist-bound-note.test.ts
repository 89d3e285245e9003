/**
 * The MNIST view's words about its L^n table (src/kinds/mnist-binary/view/mnistConfig.ts boundTrendNote). Before, the text said
 * "more steps n give a tighter bound" beside a table where n = 25 was below n = 50 and n = 100 below n = 784; now each
 * swap is named with its standard error and judged against it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { boundTrendNote } from '../../src/kinds/mnist-binary/view/mnistConfig';

describe('the L^n table note', () => {
  test('the shipped card: both swaps are named, with their combined standard errors, as within the noise', () => {
    const card = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'models', 'mnist-binary', 'card.json'), 'utf8'));
    const rows = Object.entries(card.evaluation.discrete as Record<string, { value: number; se: number }>).map(([n, e]) => ({ n: Number(n), ...e }));
    const note = boundTrendNote(rows);
    const d = (a: string, b: string) => card.evaluation.discrete[b].value - card.evaluation.discrete[a].value;
    const se = (a: string, b: string) => Math.hypot(card.evaluation.discrete[a].se, card.evaluation.discrete[b].se);
    // Every swap of neighbouring rows in the card, recomputed here.
    const keys = Object.keys(card.evaluation.discrete).sort((a, b) => Number(a) - Number(b));
    const swaps = keys.slice(1).map((b, k) => [keys[k]!, b] as const).filter(([a, b]) => d(a, b) > 0);
    expect(swaps.length).toBeGreaterThan(0);
    for (const [a, b] of swaps) expect(note).toContain(`n = ${b} is ${d(a, b).toFixed(2)} ± ${se(a, b).toFixed(2)} above n = ${a}`);
    expect(note).not.toMatch(/more steps n give a tighter bound\./);
    expect(note).toMatch(swaps.every(([a, b]) => d(a, b) <= 2 * se(a, b)) ? /within two standard errors/ : /more than two standard errors/);
  });

  test('a swap beyond two standard errors is called out; a falling table has no swap to explain', () => {
    const rows = [{ n: 10, value: 100, se: 1 }, { n: 25, value: 95, se: 1 }, { n: 50, value: 99, se: 1 }];
    expect(boundTrendNote(rows)).toMatch(/n = 50 is 4\.00 ± 1\.41 above n = 25 .*more than two standard errors for n = 50/);
    const falling = boundTrendNote([{ n: 50, value: 90, se: 1 }, { n: 10, value: 100, se: 1 }]);
    expect(falling).not.toMatch(/above/);
    expect(falling).toMatch(/In expectation more steps n give a tighter/);
    expect(boundTrendNote([{ n: 10, value: 100, se: 2 }, { n: 25, value: 101, se: 2 }])).toMatch(/within two standard errors/);
  });
});
