/** The loss chart every view shows while training: each step's batch loss and its smoothed curve. */
import { useMemo } from 'react';
import { LOSS_SMOOTHING, type LossHistory } from '../hooks/useTrainingLoop';
import { LineChart, type Series } from './LineChart';

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
  yScale?: 'linear' | 'log';
  height?: number;
  /** The "early" and "late" readouts (data-early, data-late) are the means of the first and last `k` losses. */
  k?: number;
}

/**
 * The loss chart of every view: each step's batch loss and its smoothed curve against the step, with data-count,
 * data-early and data-late (means of the first and last k losses) for readers and tests.
 */
export function LossChart({ history, title, testId, yLabel, empty, yScale = 'linear', height = 160, k = 20 }: LossChartProps) {
  const { series, domain, attrs } = useMemo(() => {
    const n = history.losses.length;
    const steps = Float64Array.from({ length: n }, (_, i) => history.firstStep + i);
    const series: Series[] = [
      { id: 'raw', label: 'loss of each batch', color: '#94a3b8', x: steps, y: history.losses, width: 1, opacity: 0.8 },
      { id: 'smooth', label: `smoothed (moving average, ${LOSS_SMOOTHING})`, color: '#1d4ed8', x: steps, y: history.smoothed, width: 2 },
    ];
    const { early, late } = earlyLate(history.losses, k);
    return {
      series,
      domain: [history.firstStep, Math.max(history.firstStep + 1, history.firstStep + n - 1)] as [number, number],
      attrs: { count: String(n), early: String(early), late: String(late) },
    };
  }, [history, k]); // a new history object after each change
  return <LineChart title={title} testId={testId} data={attrs} series={series} xDomain={domain} xLabel="training step" yLabel={yLabel} yScale={yScale} empty={empty} height={height} />;
}

