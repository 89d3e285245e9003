/**
 * Pure helpers of the charts' axes: whether a y axis should be logarithmic, what it says about values a log axis
 * cannot show, and integer ticks for step axes. Hand-written because d3 picks ticks but has no rule for choosing
 * between a linear and a log scale, and its ticks of a short integer domain include fractions (2.5 steps).
 */
import * as d3 from 'd3';

/** How a chart's y axis is chosen: by the data ('auto'), or fixed by the caller or the user. */
export type YScaleMode = 'auto' | 'linear' | 'log';

/**
 * An 'auto' y axis turns logarithmic when the largest value is more than this many times the smallest: past a
 * decade, a linear axis presses the late losses into its bottom tenth (the binarized-MNIST loss falls from about
 * 3,500 to 350 nats per image in its first 150 steps, a ratio near 20).
 */
export const LOG_RATIO = 10;

/** What {@link chooseYScale} decided, and why. */
export interface YScaleChoice {
  scale: 'linear' | 'log';
  /** Largest over smallest of the finite positive values (NaN when there are none). */
  ratio: number;
  /** Finite values at or below 0: a log axis cannot show them. */
  nonPositive: number;
  /** What the chart says about values it cannot draw or why it is not logarithmic, or null. */
  note: string | null;
}

const plural = (k: number, one: string, many: string) => `${k.toLocaleString('en')} ${k === 1 ? one : many}`;

/**
 * Chooses the y scale of a chart from the values it shows.
 * 'auto' is logarithmic when every finite value is positive and max / min exceeds `threshold` (the values span
 * decades, so a linear axis would press the late values flat on the floor), else linear. Non-finite values are
 * ignored (they are gaps in any scale).
 * @param series the y values of every series (and reference line) in view.
 * @param mode 'auto', or a scale fixed by the caller or the user.
 * @param threshold the max / min ratio above which 'auto' goes logarithmic (> 1).
 * @returns the scale, the ratio, the count of non-positive values, and a note when values are left out on a log
 *   axis or when non-positive values kept an 'auto' axis linear.
 */
export function chooseYScale(series: Iterable<ArrayLike<number>>, mode: YScaleMode, threshold = LOG_RATIO): YScaleChoice {
  let lo = Infinity;
  let hi = -Infinity;
  let nonPositive = 0;
  for (const ys of series) {
    for (let k = 0; k < ys.length; k++) {
      const v = ys[k]!;
      if (!Number.isFinite(v)) continue;
      if (v <= 0) nonPositive++;
      else {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
  }
  const ratio = Number.isFinite(lo) ? hi / lo : NaN;
  const wide = ratio > threshold;
  const values = plural(nonPositive, 'value', 'values');
  if (mode === 'log') return { scale: 'log', ratio, nonPositive, note: nonPositive > 0 ? `${values} ≤ 0 not drawn on the log axis` : null };
  if (mode === 'linear') return { scale: 'linear', ratio, nonPositive, note: null };
  if (nonPositive > 0) return { scale: 'linear', ratio, nonPositive, note: wide ? `linear axis: ${values} ≤ 0 cannot go on a log axis` : null };
  return { scale: wide ? 'log' : 'linear', ratio, nonPositive, note: null };
}

/**
 * Ticks of a step axis: d3's ticks over [lo, hi] (about `count` of them) without the fractional ones, so that a
 * short run never shows "2.5" steps. When fewer than two are left, the first and last integers of the domain are
 * the ticks (a domain holding one integer gets that one, one holding none gets none).
 */
export function integerTicks(lo: number, hi: number, count: number): number[] {
  const [a, b] = [Math.min(lo, hi), Math.max(lo, hi)];
  const ticks = d3.ticks(a, b, Math.max(1, count)).filter(Number.isInteger);
  if (ticks.length >= 2) return ticks;
  const [first, last] = [Math.ceil(a), Math.floor(b)];
  return first > last ? [] : first === last ? [first] : [first, last];
}
