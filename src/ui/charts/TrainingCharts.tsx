/** The live training charts: the loss (raw and smoothed) and the distance-to-data metric against its baseline. */
import { useMemo } from 'react';
import { LOSS_SMOOTHING, type TrainingHistory } from '../hooks/useTraining';
import { LineChart, type Series } from './LineChart';

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

/** Mean of the first and of the last `k` values (the loss "early" and "late", for readers and tests). */
export function earlyLate(values: number[], k = 20): { early: number; late: number } {
  const m = Math.min(k, Math.floor(values.length / 2));
  return m === 0 ? { early: NaN, late: NaN } : { early: mean(values.slice(0, m)), late: mean(values.slice(-m)) };
}

/** The loss chart: every step's batch loss and its smoothed curve, against the step. */
export function LossChart({ history, version }: { history: TrainingHistory; version: number }) {
  const { series, domain, attrs } = useMemo(() => {
    const n = history.losses.length;
    const steps = Float64Array.from({ length: n }, (_, k) => history.firstStep + k);
    const series: Series[] = [
      { id: 'raw', label: 'loss of each batch', color: '#94a3b8', x: steps, y: history.losses, width: 1, opacity: 0.8 },
      { id: 'smooth', label: `smoothed (moving average, ${LOSS_SMOOTHING})`, color: '#1d4ed8', x: steps, y: history.smoothed, width: 2 },
    ];
    const { early, late } = earlyLate(history.losses);
    return {
      series,
      domain: [history.firstStep, Math.max(history.firstStep + 1, history.firstStep + n - 1)] as [number, number],
      attrs: { count: String(n), early: String(early), late: String(late) },
    };
  }, [history, version]); // version: the history is mutated in place
  return (
    <LineChart
      title="Training loss against the training step"
      testId="loss-chart"
      data={attrs}
      series={series}
      xDomain={domain}
      xLabel="training step"
      yLabel="loss (nats / dim)"
      yScale="log"
      empty="Press ▶ to train"
      height={160}
    />
  );
}

/** The metric chart: the energy distance of samples to held-out data at each measurement, and its baseline. */
export function MetricChart({ history, version, baseline }: { history: TrainingHistory; version: number; baseline: number | null }) {
  const { series, domain, attrs } = useMemo(() => {
    const m = history.metrics;
    const series: Series[] = [
      { id: 'metric', label: 'samples vs held-out data', color: '#0f766e', x: m.map((p) => p.step), y: m.map((p) => p.value), width: 2, dots: true },
    ];
    const first = m[0]?.step ?? 0;
    const last = m.at(-1)?.step ?? 1;
    return {
      series,
      domain: [first, Math.max(last, first + 1)] as [number, number],
      attrs: { count: String(m.length), first: String(m[0]?.value ?? NaN), last: String(m.at(-1)?.value ?? NaN) },
    };
  }, [history, version]);
  return (
    <LineChart
      title="Energy distance of samples to held-out data against the training step"
      testId="metric-chart"
      data={attrs}
      series={series}
      refLines={baseline !== null && baseline > 0 ? [{ id: 'baseline', label: 'data vs data (noise floor)', y: baseline, color: '#a16207' }] : []}
      xDomain={domain}
      xLabel="training step"
      yLabel="energy distance"
      yScale="log"
      empty="Measured every few seconds"
      height={150}
    />
  );
}
