/**
 * The loss chart every view shows while training: each step's batch loss and its smoothed curve, on a log axis once
 * the loss spans decades, with the steps where a setting changed marked.
 */
import { useMemo } from 'react';
import { changeText, type SettingChange } from '../../state/trainingHistory';
import { LOSS_SMOOTHING, type LossHistory } from '../hooks/useTrainingLoop';
import type { YScaleMode } from './chartScale';
import { LineChart, type ChartEvent, type Series } from './LineChart';

/** The legend's name of the change markers. */
export const CHANGE_LEGEND = 'a setting changed';

/** A history's setting changes as chart events (a labelled vertical line each). */
export function changeEvents(changes: readonly SettingChange[]): ChartEvent[] {
  return changes.map((c) => ({ x: c.step, ...changeText(c) }));
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

/** Mean of the first and of the last `k` values (the loss "early" and "late", for readers and tests). */
export function earlyLate(values: number[], k = 20): { early: number; late: number } {
  const m = Math.min(k, Math.floor(values.length / 2));
  return m === 0 ? { early: NaN, late: NaN } : { early: mean(values.slice(0, m)), late: mean(values.slice(-m)) };
}

/** How a view labels its loss chart. */
export interface LossChartProps {
  history: LossHistory;
  title: string;
  testId: string;
  /** The loss and its unit: "loss (nats / dim)", "L∞ (nats / image)". */
  yLabel: string;
  /** What the empty chart says. */
  empty: string;
  /** The y axis: 'auto' (default) is logarithmic once the loss spans more than LOG_RATIO; the user can override it. */
  yScale?: YScaleMode;
  height?: number;
  /** The "early" and "late" readouts (data-early, data-late) are the means of the first and last `k` losses. */
  k?: number;
}

/**
 * The loss chart of every view: each step's batch loss and its smoothed curve against the step (integer ticks), a
 * y axis chosen from the data with a control to override it, the setting changes as labelled lines, the history's
 * note (why part of it is missing), and data-count, data-early, data-late (means of the first and last k losses)
 * and data-last (the last loss) for readers and tests.
 */
export function LossChart({ history, title, testId, yLabel, empty, yScale = 'auto', height = 160, k = 20 }: LossChartProps) {
  const { series, domain, attrs, events } = useMemo(() => {
    const n = history.losses.length;
    const steps = Float64Array.from({ length: n }, (_, i) => history.firstStep + i);
    const series: Series[] = [
      { id: 'raw', label: 'loss of each batch', color: '#94a3b8', x: steps, y: history.losses, width: 1, opacity: 0.8 },
      { id: 'smooth', label: `smoothed (moving average, ${LOSS_SMOOTHING})`, color: '#1d4ed8', x: steps, y: history.smoothed, width: 2 },
    ];
    const { early, late } = earlyLate(history.losses, k);
    return {
      series,
      // A change just before the first step shown (a restored network without its history) stays in view.
      domain: [Math.min(history.firstStep, ...history.changes.map((c) => c.step)), Math.max(history.firstStep + 1, history.firstStep + n - 1)] as [number, number],
      attrs: { count: String(n), early: String(early), late: String(late), last: String(history.losses.at(-1) ?? NaN), 'first-step': String(history.firstStep) },
      events: changeEvents(history.changes),
    };
  }, [history, k]); // a new history object after each change
  return (
    <LineChart
      title={title}
      testId={testId}
      data={attrs}
      series={series}
      xDomain={domain}
      xInteger
      xLabel="training step"
      yLabel={yLabel}
      yScale={yScale}
      scaleToggle
      events={events}
      eventsLabel={CHANGE_LEGEND}
      note={history.note}
      empty={empty}
      height={height}
    />
  );
}

