/** The accuracy schedule of the sampled model: beta(t) and alpha(t) = d beta / dt on a log axis, current t marked. */
import { useMemo } from 'react';
import type { TrajectoryPayload } from '../../../engine/protocol';
import { LineChart, type Series } from '../../../ui/charts/LineChart';

/** beta(t) = sigma1^(-2t) - 1 and alpha(t) = -2 ln(sigma1) sigma1^(-2t), as computed by the engine. */
export function ScheduleChart({ payload, t }: { payload: TrajectoryPayload | null; t: number }) {
  const series = useMemo((): Series[] => {
    const none = new Float64Array(0);
    const s = payload?.schedule ?? { t: none, beta: none, alpha: none };
    return [
      { id: 'beta', label: 'β(t), accuracy so far (ρ = 1 + β)', color: '#7c3aed', x: s.t, y: s.beta, width: 2 },
      { id: 'alpha', label: 'α(t) = dβ/dt, accuracy rate', color: '#db2777', x: s.t, y: s.alpha, width: 2, dash: '6 3' },
    ];
  }, [payload]);
  return (
    <LineChart
      title={payload ? `Accuracy schedule for sigma1 = ${payload.sigma1}` : 'Accuracy schedule'}
      testId="schedule-chart"
      series={series}
      xDomain={[0, 1]}
      xLabel="t"
      yLabel="accuracy (log)"
      yScale="log"
      marker={payload ? t : null}
      markerLabel="current t"
      empty="Sample to see the schedule"
      height={160}
    />
  );
}
