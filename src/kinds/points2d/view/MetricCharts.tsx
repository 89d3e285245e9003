/**
 * The 2D view's live measurement charts: the distance-to-data metric against its baseline, and the support metrics
 * (precision, recall, off-support share) against their data-vs-data values.
 */
import { useMemo } from 'react';
import { LineChart, type Series } from '../../../ui/charts/LineChart';
import { CHANGE_LEGEND, changeEvents } from '../../../ui/charts/LossChart';
import type { TrainingHistory } from './useTraining';

/**
 * The metric chart: the energy distance of samples to held-out data at each measurement, and its baseline, on a log
 * axis once they span decades (with a control to override it), with the setting changes marked.
 */
export function MetricChart({ history, baseline }: { history: TrainingHistory; baseline: number | null }) {
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
  }, [history]);
  return (
    <LineChart
      title="Energy distance of samples to held-out data against the training step"
      testId="metric-chart"
      data={attrs}
      series={series}
      refLines={baseline !== null && baseline > 0 ? [{ id: 'baseline', label: 'data vs data (noise floor)', y: baseline, color: '#a16207' }] : []}
      xDomain={domain}
      xLabel="training step"
      xInteger
      yLabel="energy distance (plot units)"
      yScale="auto"
      scaleToggle
      events={changeEvents(history.changes)}
      eventsLabel={CHANGE_LEGEND}
      empty="Measured every few seconds"
      height={150}
    />
  );
}

/** Colours of the support chart: precision, recall, off-support share (the data-vs-data lines share them, dashed). */
const SUPPORT_COLORS = { precision: '#1d4ed8', recall: '#15803d', offSupport: '#b91c1c' } as const;
const SUPPORT_LABELS = { precision: 'precision', recall: 'recall', offSupport: 'off-support share' } as const;

/**
 * The support chart: k-NN precision and recall of the samples against held-out data and their off-support share
 * (src/train/knnMetrics.ts), at each measurement, with the data-vs-data values of the latest measurement as dashed
 * lines of the same colours. All three are shares in [0, 1].
 */
export function SupportChart({ history }: { history: TrainingHistory }) {
  const { series, refLines, domain, attrs } = useMemo(() => {
    const m = history.metrics;
    const keys = ['precision', 'recall', 'offSupport'] as const;
    const x = m.map((p) => p.step);
    const series: Series[] = keys.map((key) => ({
      id: key, label: `${SUPPORT_LABELS[key]} of samples`, color: SUPPORT_COLORS[key], x, y: m.map((p) => p.support[key]), width: 2, dots: true,
    }));
    const data = m.at(-1)?.dataSupport;
    const refLines = data
      ? keys.map((key) => ({ id: `data-${key}`, label: `data vs data: ${SUPPORT_LABELS[key]}`, y: data[key], color: SUPPORT_COLORS[key] }))
      : [];
    const first = m[0]?.step ?? 0;
    const last = m.at(-1)?.step ?? 1;
    const latest = m.at(-1)?.support;
    return {
      series,
      refLines,
      domain: [first, Math.max(last, first + 1)] as [number, number],
      attrs: {
        count: String(m.length),
        precision: String(latest?.precision ?? NaN),
        recall: String(latest?.recall ?? NaN),
        'off-support': String(latest?.offSupport ?? NaN),
        'data-precision': String(data?.precision ?? NaN),
        'data-recall': String(data?.recall ?? NaN),
        'data-off-support': String(data?.offSupport ?? NaN),
      },
    };
  }, [history]);
  return (
    <LineChart
      title="Precision, recall and off-support share of samples against the training step, with their data-vs-data values"
      testId="support-chart"
      data={attrs}
      series={series}
      refLines={refLines}
      xDomain={domain}
      xLabel="training step"
      xInteger
      yLabel="share (0 to 1)"
      yDomain={[0, 1]}
      events={changeEvents(history.changes)}
      eventsLabel={CHANGE_LEGEND}
      empty="Measured with the energy distance"
      height={170}
    />
  );
}
