/**
 * One pixel over time: its input probability θ (what the network sees) and the network's output probability p_O
 * (what it predicts) at every frame of the recorded run, the prior ½, the final sample at t = 1, and the current t.
 */
import { useMemo } from 'react';
import type { MnistTrajectoryPayload } from '../../../engine/client';
import { LineChart, type RefLine, type Series } from '../../../ui/charts/LineChart';
import { fixed } from '../../../ui/format';
import { frameOffset, SIDE, type PixelRef } from './mnistConfig';

/** Props of {@link PixelChart}. */
export interface PixelChartProps {
  payload: MnistTrajectoryPayload | null;
  pixel: PixelRef | null;
  /** The current frame. */
  frame: number;
  /** While the run is still being sampled (or is a recorded opening), how many of its frames hold values; else null. */
  framesReady?: number | null;
}

const PRIOR: RefLine[] = [{ id: 'prior', label: 'prior ½ (t = 0)', y: 0.5, color: '#94a3b8', dash: '2 3' }];

/** θ and p_O of one pixel against t, with a marker at the current t (data-* attributes carry the current values). */
export function PixelChart({ payload, pixel, frame, framesReady = null }: PixelChartProps) {
  const valid = payload !== null && pixel !== null && pixel.image < payload.images;
  // The chosen pixel by value (the caller's object may be new on each render).
  const image = pixel?.image ?? -1;
  const at = pixel?.pixel ?? -1;
  const series = useMemo((): Series[] => {
    if (payload === null || image < 0 || image >= payload.images) return [];
    // Frames not sampled yet hold zeros: they are not drawn, nor is the sample before t = 1.
    const frames = Math.min(payload.n + 1, framesReady ?? payload.n + 1);
    const theta = new Float64Array(frames);
    const output = new Float64Array(frames);
    for (let k = 0; k < frames; k++) {
      const o = frameOffset(payload.images, k, image, at);
      theta[k] = payload.theta[o]!;
      output[k] = payload.output[o]!;
    }
    const sample = payload.samples[image * SIDE * SIDE + at]!;
    return [
      { id: 'theta', label: 'θ: input probability (network sees)', color: '#1d4ed8', x: payload.t.subarray(0, frames), y: theta, width: 2 },
      { id: 'output', label: 'p_O: output probability (network predicts)', color: '#db2777', x: payload.t.subarray(0, frames), y: output, width: 2, dash: '6 3' },
      { id: 'sample', label: 'sample at t = 1 (0 or 1)', color: '#f59e0b', x: framesReady === null ? [1] : [], y: framesReady === null ? [sample] : [], dots: true, dotRadius: 5.5, dotStroke: '#111827' },
    ];
  }, [payload, image, at, framesReady]);

  const k = valid ? Math.min(payload.n, Math.max(0, frame)) : 0;
  const o = valid ? frameOffset(payload.images, k, pixel.image, pixel.pixel) : 0;
  const attrs: Record<string, string> = valid
    ? {
        image: String(pixel.image),
        pixel: String(pixel.pixel),
        frame: String(k),
        theta: fixed(payload.theta[o], 4),
        output: fixed(payload.output[o], 4),
      }
    : { image: '', pixel: '', frame: '', theta: '', output: '' };

  return (
    <LineChart
      title={valid ? `Pixel row ${Math.floor(pixel.pixel / SIDE) + 1}, column ${(pixel.pixel % SIDE) + 1} of image ${pixel.image + 1} over t` : 'One pixel over t'}
      testId="mnist-pixel-chart"
      data={attrs}
      series={series}
      refLines={PRIOR}
      xDomain={[0, 1]}
      yDomain={[0, 1]}
      xLabel="t"
      yLabel="probability the pixel is on"
      marker={valid ? payload.t[k]! : null}
      markerLabel="current t"
      empty="Sample, then hover a pixel"
      height={190}
    />
  );
}
