/**
 * The recorded MNIST run: the three grids (input θ, output p_O, samples) at the current frame, the colour legend,
 * the timeline, the current step's numbers, the sampling controls, the mean-pixel readout and the chart of one pixel
 * over t. The grids, legend and timeline come first (a projector shows them without scrolling) and are what
 * presentation mode fills the screen with. It owns the
 * playback position (which changes every animation frame) and the chosen pixel, so that only this part redraws
 * while playing; `side` (rendered below the pixel chart) is passed in already built and is not redrawn.
 */
import { memo, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { PresentButton, usePresentation } from '../../../ui/Presentation';
import type { MnistTrajectoryPayload } from '../../../engine/client';
import { fixed, sig } from '../../../ui/format';
import { usePlayback } from '../../../ui/hooks/usePlayback';
import { useFirstFrameMark } from '../../../ui/firstFrame';
import { useEscapeKey } from '../../../ui/hooks/dom';
import { Timeline } from '../../../ui/panels/Timeline';
import { frameOffset, meanOf, PIXELS, SIDE, type PixelRef } from './mnistConfig';
import { MnistGrid } from '../../../ui/MnistGrid';
import { PixelChart } from './PixelChart';

/** Props of {@link MnistTrajectory}. */
export interface MnistTrajectoryProps {
  payload: MnistTrajectoryPayload | null;
  /** While `payload` is still being sampled, how many of its frames hold values (playback waits there); else null. */
  framesReady?: number | null;
  /** True while `payload` is a recorded opening of the first run (src/engine/opening.ts) that no live frame has reached. */
  recorded?: boolean;
  /** The sampling run `payload` belongs to: a new run plays from t = 0; the same run's complete payload goes on playing. */
  runKey?: object | null;
  /** Mean pixel of the test images (the fraction that is on), or null before they are loaded. */
  dataMean: number | null;
  reducedMotion: boolean;
  /** The card's status lines, shown above the grids. */
  head: ReactNode;
  /** The sampling controls, shown below the timeline. */
  controls: ReactNode;
  /** Panels shown below the pixel chart in the side column. */
  side: ReactNode;
  /** Shown in the grids before the first run. */
  placeholder: string;
  /** False while the view is hidden: no animation and no keyboard shortcuts. */
  active: boolean;
}

/** The pixel the chart shows before the user chooses one: an "on" pixel of the first sample near its centre. */
function defaultPixel(payload: MnistTrajectoryPayload): PixelRef {
  let best = (SIDE / 2) * SIDE + SIDE / 2;
  let bestDistance = Infinity;
  for (let p = 0; p < PIXELS; p++) {
    if (payload.samples[p]! < 0.5) continue;
    const d = (Math.floor(p / SIDE) - 13.5) ** 2 + ((p % SIDE) - 13.5) ** 2;
    if (d < bestDistance) [best, bestDistance] = [p, d];
  }
  return { image: 0, pixel: best };
}

/** The colour bar under the grids: what black, grey and white mean (probabilities in θ and p_O, 0/1 in the samples). */
function Legend() {
  return (
    <div className="mnist-legend" aria-label="Colour scale: black is 0 (pixel off), white is 1 (pixel on); θ and p_O are probabilities, the samples are 0 or 1">
      <span>0 · off</span>
      <span className="mnist-colorbar" aria-hidden="true">
        <span>½</span>
      </span>
      <span>1 · on</span>
      <span className="muted">θ and p_O: probability that a pixel is on; Sample: every pixel is 0 or 1 (white digit on black, as in MNIST)</span>
    </div>
  );
}

/** The grids, timeline, readouts and pixel chart of one recorded run. */
export const MnistTrajectory = memo(function MnistTrajectory({ payload, framesReady = null, recorded = false, runKey = null, dataMean, reducedMotion, head, controls, side, placeholder, active }: MnistTrajectoryProps) {
  const vizRef = useRef<HTMLElement>(null);
  const presentation = usePresentation(vizRef, active);
  const [speed, setSpeed] = useState(1);
  const playback = usePlayback(payload?.n ?? 0, speed, setSpeed, reducedMotion, active, framesReady === null ? payload?.n ?? 0 : framesReady - 1);
  const [hovered, setHovered] = useState<PixelRef | null>(null);
  const [selected, setSelected] = useState<PixelRef | null>(null);

  // A new run plays from t = 0; a chosen pixel is kept when its image still exists.
  const [pixelsOf, setPixelsOf] = useState(payload);
  if (pixelsOf !== payload) {
    setPixelsOf(payload);
    setHovered(null);
    setSelected((s) => (payload && s && s.image < payload.images ? s : null));
  }
  const { restart } = playback;
  // A run's streamed frames and its complete payload are one trajectory: only a new run restarts the playback.
  const restartKey = runKey ?? payload;
  const hasPayload = payload !== null;
  useEffect(() => {
    if (hasPayload) restart(true);
  }, [restartKey, hasPayload, restart]);

  useEscapeKey(() => {
    setSelected(null);
    setHovered(null);
  }, active);

  const select = useCallback((p: PixelRef) => setSelected((s) => (s && s.image === p.image && s.pixel === p.pixel ? null : p)), []);
  const fallback = useMemo(() => (payload ? defaultPixel(payload) : null), [payload]);
  const focus = selected ?? hovered ?? fallback;

  const n = payload?.n ?? 0;
  const images = payload?.images ?? 16;
  const frame = payload ? Math.min(n, Math.max(0, Math.floor(playback.pos))) : 0;
  const t = payload ? payload.t[frame]! : 0;
  const beta = payload ? payload.beta[frame]! : NaN;
  const last = payload !== null && frame === n;
  useFirstFrameMark(payload !== null && playback.playing && frame > 0, framesReady === null ? { view: 'mnist', source: 'live' } : { view: 'mnist', source: recorded ? 'recorded' : 'streamed', framesReady, frames: n + 1 });
  const offset = frameOffset(images, frame);
  const samplesMean = useMemo(() => (payload ? meanOf(payload.samples) : NaN), [payload]);
  const thetaMean = payload ? meanOf(payload.theta, offset, images * PIXELS) : NaN;
  const outputMean = payload ? meanOf(payload.output, offset, images * PIXELS) : NaN;

  const gridProps = { images, frame, focus: payload ? focus : null, placeholder };
  const where = focus ? `image ${focus.image + 1}, row ${Math.floor(focus.pixel / SIDE) + 1}, column ${(focus.pixel % SIDE) + 1}` : '';

  return (
    <>
      <section className={`card mnist-viz${presentation.presenting ? ' presenting' : ''}`} aria-labelledby="mnist-viz-h" id="mnist-main" tabIndex={-1} ref={vizRef} data-testid="mnist-viz-card">
        <div className="viz-head">
          <h2 id="mnist-viz-h">From grey (t = 0) to digits (t = 1)</h2>
          <PresentButton presentation={presentation} testId="mnist-present-button" />
        </div>
        {head}
        <div className="mnist-grids">
          <figure className="mnist-figure" data-tour="mnist-theta">
            <figcaption>
              <b>Input θ</b> — what the network sees
            </figcaption>
            <MnistGrid
              {...gridProps}
              values={payload?.theta ?? null}
              offset={offset}
              label={payload ? `Input probabilities θ of ${images} images at step ${frame} of ${n}` : 'Input probabilities θ'}
              testId="mnist-theta-grid"
              onHover={setHovered}
              onSelect={select}
            />
          </figure>
          <figure className="mnist-figure" data-tour="mnist-output">
            <figcaption>
              <b>Output p_O</b> — what it predicts
            </figcaption>
            <MnistGrid
              {...gridProps}
              values={payload?.output ?? null}
              offset={offset}
              label={payload ? `Output probabilities of ${images} images at step ${frame} of ${n}` : 'Output probabilities'}
              testId="mnist-output-grid"
              onHover={setHovered}
              onSelect={select}
            />
          </figure>
          <figure className="mnist-figure" data-tour="mnist-sample">
            <figcaption>
              <b>Sample</b> — 0/1 pixels, {last ? 'the result at t = 1' : 'appear at t = 1'}
            </figcaption>
            <MnistGrid
              {...gridProps}
              values={payload?.samples ?? null}
              offset={0}
              label={payload ? `${images} sampled digits, every pixel 0 or 1${last ? '' : ' (shown at t = 1)'}` : 'Sampled digits'}
              testId="mnist-sample-grid"
              dimmed={!last}
              overlay={payload && !last ? 'appears at t = 1' : null}
              data={{ shown: last ? 'yes' : 'no' }}
            />
          </figure>
        </div>
        <Legend />
        <Timeline
          n={n}
          playback={playback}
          disabled={!payload}
          speed={speed}
          onSpeed={setSpeed}
          sampled={framesReady === null ? null : framesReady - 1}
        />
        <dl className="readouts mnist-readouts" data-testid="mnist-readouts" aria-label="Current step">
          <div>
            <dt>step</dt>
            <dd data-testid="mnist-readout-step">{payload ? `${frame} / ${n}` : '—'}</dd>
          </div>
          <div>
            <dt>t</dt>
            <dd data-testid="mnist-readout-t">{payload ? fixed(t, 3) : '—'}</dd>
          </div>
          <div>
            <dt title={payload ? `accuracy so far, β(t) = β₁ t² with β₁ = ${payload.beta1}` : 'accuracy so far, β(t) = β₁ t²'}>β(t) = β₁t²</dt>
            <dd data-testid="mnist-readout-beta">{sig(beta, 3)}</dd>
          </div>
          <div>
            <dt title="mean of θ over all pixels of all images">mean θ</dt>
            <dd data-testid="mnist-readout-theta">{fixed(thetaMean, 3)}</dd>
          </div>
          <div>
            <dt title="mean of p_O over all pixels of all images">mean p_O</dt>
            <dd data-testid="mnist-readout-output">{fixed(outputMean, 3)}</dd>
          </div>
        </dl>
        <div className="mnist-sampling-block">{controls}</div>
        <p
          className="mnist-mean-pixel"
          data-testid="mnist-mean-pixel"
          data-samples={Number.isFinite(samplesMean) ? samplesMean.toFixed(4) : ''}
          data-data={dataMean !== null && Number.isFinite(dataMean) ? dataMean.toFixed(4) : ''}
        >
          <b>mean pixel</b>: samples {fixed(samplesMean, 3)} · test data {dataMean === null ? '…' : fixed(dataMean, 3)}
          <span className="muted"> — the fraction of pixels that are on; a good model's samples match the data.</span>
        </p>
        <p className="hint">
          Hover a pixel of θ or p_O to follow it over t (tap on a touch screen; click to keep it, <kbd>Esc</kbd> to let go).
          Keys: <kbd>space</kbd> play/pause, <kbd>←</kbd> <kbd>→</kbd> step, <kbd>Home</kbd> <kbd>End</kbd>, <kbd>+</kbd> <kbd>−</kbd> speed, <kbd>F</kbd> presentation mode (<kbd>Esc</kbd> leaves).
        </p>
      </section>
      <div className="mnist-side">
        <section className="card" aria-labelledby="mnist-pixel-h">
          <h2 id="mnist-pixel-h">{payload && focus ? `One pixel over t: ${where}` : 'One pixel over t'}</h2>
          <PixelChart payload={payload} pixel={focus} frame={frame} framesReady={framesReady} />
          <p className="hint">
            {selected ? 'Kept: click the pixel again or press Esc to follow the pointer.' : hovered ? 'Following the pointer; click to keep this pixel.' : 'Hover a pixel in the θ or p_O grid.'}{' '}
            θ starts at ½ and is pushed towards 0 or 1 by each noisy message; p_O is the network's guess from all the pixels at once.
          </p>
        </section>
        {side}
      </div>
    </>
  );
});
