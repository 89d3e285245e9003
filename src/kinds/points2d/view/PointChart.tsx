/**
 * The linked chart of one point: its input mean mu_1(t), mu_2(t) and the prediction x_hat_1(t), x_hat_2(t) over the
 * sampling run, with the input precision rho(t) on a log axis below, and the current t marked on both.
 */
import { useMemo } from 'react';
import type { TrajectoryPayload } from '../../../engine/protocol';
import { COLORS } from './draw';
import { LineChart, type Series } from '../../../ui/charts/LineChart';

/** Props of {@link PointChart}: the trajectory, the point (or null), and the current t. */
export interface PointChartProps {
  payload: TrajectoryPayload | null;
  index: number | null;
  t: number;
}

/** mu(t), x_hat(t) and rho(t) of the chosen point. */
export function PointChart({ payload, index, t }: PointChartProps) {
  const valid = payload !== null && index !== null && index < payload.points;
  const { coords, rho } = useMemo(() => {
    const none = new Float64Array(0);
    let t: ArrayLike<number> = none;
    let pick = (_values: Float32Array | null, _c: 0 | 1): ArrayLike<number> => none;
    if (valid) {
      const { n, points } = payload;
      const frame = 2 * points;
      t = payload.t;
      pick = (values, c) => Float64Array.from({ length: n + 1 }, (_, k) => values![k * frame + 2 * index + c]!);
    }
    const coords: Series[] = [
      { id: 'mu1', label: 'μ₁', color: COLORS.mu, x: t, y: pick(payload?.mu ?? null, 0), width: 2 },
      { id: 'mu2', label: 'μ₂', color: '#0891b2', x: t, y: pick(payload?.mu ?? null, 1), width: 2 },
      { id: 'xhat1', label: 'x̂₁ (prediction)', color: COLORS.mu, x: t, y: pick(payload?.xHat ?? null, 0), dash: '4 3', width: 1.4 },
      { id: 'xhat2', label: 'x̂₂ (prediction)', color: '#0891b2', x: t, y: pick(payload?.xHat ?? null, 1), dash: '4 3', width: 1.4 },
    ];
    return { coords, rho: [{ id: 'rho', label: 'precision ρ(t), the same for every point', color: COLORS.ring, x: t, y: valid ? payload.rho : none, width: 2 }] };
  }, [payload, index, valid]);
  return (
    <div className="point-chart" data-testid="point-chart" data-index={valid ? String(index) : ''}>
      <LineChart
        title={valid ? `Input mean and prediction of point ${index} against t` : 'No point chosen'}
        series={coords}
        xDomain={[0, 1]}
        yDomain={[-1.1, 1.1]}
        xLabel="t"
        yLabel="coordinate"
        marker={valid ? t : null}
        markerLabel="current t"
        empty="Hover or tap a point in the plot"
        height={150}
      />
      <LineChart
        title={valid ? `Precision rho of point ${index} against t` : 'No point chosen'}
        series={rho}
        xDomain={[0, 1]}
        xLabel="t"
        yLabel="ρ (log)"
        yScale="log"
        marker={valid ? t : null}
        markerLabel="current t"
        empty="Hover or tap a point"
        height={110}
      />
    </div>
  );
}
