/**
 * The grey-scale MNIST view: digits with K = 16 grey levels sampled by a discretized-data BFN (Graves et al. 2023,
 * §5). On first load it fetches the shipped model and samples once; a timeline scrubs the recorded run, and at each
 * step the input means mu (what the network sees, with the input distribution's precision rho(t)) stand beside the
 * output distribution's mean (what it predicts), with the final samples and quantised test digits for comparison.
 * A pixel chosen by hover, click or the image / row / column fields shows its K-bin output probabilities as bars
 * that change with t. Reuses the binarized view's grid (MnistGrid), the shared timeline and playback.
 */
import { useCallback, useEffect, useEffectEvent, useId, useMemo, useState } from 'react';
import type { BackendInfo, EngineClient } from '../../../engine/client';
import { readSettings, writeSettings } from '../../../settings/url';
import { SETTINGS_MNIST_GREY, type MnistGreySettings } from '../../../settings/settingsMnistGrey';
import { duration, errorMessage, fixed, sig } from '../../../ui/format';
import { usePrefersReducedMotion, useEscapeKey } from '../../../ui/hooks/dom';
import { useStreamedRun } from '../../../ui/hooks/useStreamedRun';
import { useUrlSettings } from '../../../ui/hooks/useUrlSettings';
import { Timeline } from '../../../ui/panels/Timeline';
import { SettingInput } from '../../../ui/SettingInput';
import { UrlNote } from '../../../ui/UrlNote';
import { MnistGrid } from '../../../ui/MnistGrid';
import { frameOffset, parseDecimal, PIXELS, SIDE, type PixelRef } from '../../../ui/mnistGeometry';
import { GREY_SAMPLE_LIMITS, SHIPPED_GREY_ID, type GreyModelInfo, type GreyPixelProbs, type GreySampleOptions, type GreyTrajectoryPayload } from '../../../engine/protocol';
import { BinBars } from './BinBars';
import { FieldLabel } from '../../../ui/Help';
import './grey.css';

/** Props of {@link MnistGreyView}. */
export interface MnistGreyViewProps {
  engine: EngineClient;
  backend: BackendInfo | null;
  engineFailed: boolean;
  onError: (where: string, message: string) => void;
  active?: boolean;
}

const readUrl = (search: string) => readSettings(SETTINGS_MNIST_GREY, search);
const writeUrl = (s: MnistGreySettings, search: string) => writeSettings(SETTINGS_MNIST_GREY, s, search);

/** Values in [-1, 1] mapped to [0, 1] for the grids (black -1, white 1). */
function toUnit(values: Float32Array): Float32Array {
  return values.map((v) => (v + 1) / 2);
}

/** An input field for a whole number with a label (the pixel chooser's image, row and column). */
function NumberField({ label, value, min, max, onChange, testId }: { label: string; value: number; min: number; max: number; onChange: (v: number) => void; testId: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        min={min}
        max={max}
        step={1}
        value={value}
        data-testid={testId}
        onChange={(e) => {
          const v = parseDecimal(e.currentTarget.value);
          if (Number.isInteger(v) && v >= min && v <= max) onChange(v);
        }}
      />
    </div>
  );
}

type ModelState = { status: 'loading' | 'ready' | 'error'; info: GreyModelInfo | null; message: string | null };

/** The whole grey-scale MNIST view below the page header. */
export function MnistGreyView({ engine, backend, engineFailed, onError, active = true }: MnistGreyViewProps) {
  const ready = backend !== null;
  const { state: settings, update, messages } = useUrlSettings(readUrl, writeUrl);
  const reducedMotion = usePrefersReducedMotion();
  const id = useId();
  const [model, setModel] = useState<ModelState>({ status: 'loading', info: null, message: null });
  const [weights, setWeights] = useState<{ loaded: number; total: number } | null>(null);
  const [test, setTest] = useState<Float32Array | null>(null);
  const [stepsText, setStepsText] = useState(String(settings.steps));
  const [seedText, setSeedText] = useState(String(settings.seed));

  const api = engine.kind('mnist-grey');
  const { images, steps, seed } = settings;
  // The recorded run, played from its first frames while the rest is sampled; a newer request or leaving cancels it.
  const onSampleError = useCallback((message: string) => onError('Sampling grey-scale MNIST', message), [onError]);
  const sampler = useStreamedRun<GreySampleOptions, GreyTrajectoryPayload>('mnist-grey', api, {
    active, reducedMotion, onError: onSampleError,
    // The first run's recorded opening plays while the engine starts (when the settings are the recorded ones).
    opening: { id: SHIPPED_GREY_ID, options: { images, steps, seed } },
  });
  const { run, progress, payload, complete, framesReady, error: sampleError, playback, speed, setSpeed, frame, recorded } = sampler;
  const { start: startRun, cancel: cancelRun } = sampler;
  const sampleNow = useCallback(() => startRun({ images, steps, seed }), [startRun, images, steps, seed]);

  // Once the engine is ready: the shipped model, then the first run and the quantised test digits.
  const firstRun = useEffectEvent(() => {
    if (complete === null && run === null) sampleNow();
  });
  useEffect(() => {
    if (!ready) return;
    let live = true;
    void (async () => {
      try {
        const info = await api.loadModel((loaded, total) => live && setWeights({ loaded, total }));
        if (!live) return;
        setModel({ status: 'ready', info, message: null });
        firstRun();
      } catch (err) {
        if (!live) return;
        setModel({ status: 'error', info: null, message: errorMessage(err) });
        onError('The shipped grey-scale MNIST model', errorMessage(err));
      }
    })();
    return () => {
      live = false;
    };
  }, [ready, api, onError]);
  useEffect(() => {
    if (model.status !== 'ready') return;
    let live = true;
    // As many test digits as a run can have, so that the grid matches any run's count without another fetch.
    api.testDigits(GREY_SAMPLE_LIMITS.images).then(
      (d) => live && setTest(d),
      (err: unknown) => live && onError('MNIST test images', errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [model.status, api, onError]);
  // Leaving the view cancels a run in progress.
  const [shownActive, setShownActive] = useState(active);
  if (shownActive !== active) {
    setShownActive(active);
    if (!active && run !== null) cancelRun();
  }

  const n = payload?.n ?? 0;
  const shownImages = payload?.images ?? images;
  // The samples exist once the run is complete (frame n comes with them).
  const last = payload !== null && payload === complete && frame === n;
  // The grids get the frame shown, mapped to [0, 1] (a frame is images x 784 values: cheap at each step, and nothing
  // is converted for frames never shown).
  const frameSize = shownImages * PIXELS;
  const unit = useMemo(() => {
    if (!payload) return null;
    const at = frame * frameSize;
    return { mu: toUnit(payload.mu.subarray(at, at + frameSize)), mean: toUnit(payload.mean.subarray(at, at + frameSize)) };
  }, [payload, frame, frameSize]);
  const samplesUnit = useMemo(() => (complete ? toUnit(complete.samples) : null), [complete]);
  const testUnit = useMemo(() => (test ? toUnit(test) : null), [test]);

  // The chosen pixel: clicked / typed (kept), else hovered, else the centre of the first image.
  const [hovered, setHovered] = useState<PixelRef | null>(null);
  const [selected, setSelected] = useState<PixelRef | null>(null);
  useEscapeKey(() => {
    setSelected(null);
    setHovered(null);
  }, active);
  const focus: PixelRef = selected ?? hovered ?? { image: 0, pixel: 14 * SIDE + 14 };
  const focusImage = Math.min(focus.image, shownImages - 1);
  // The worker keeps the bin probabilities of its last complete run: a run still being sampled has no bars yet.
  const [pixelProbs, setPixelProbs] = useState<GreyPixelProbs | null>(null);
  const [probsOf, setProbsOf] = useState(complete);
  if (probsOf !== complete) {
    setProbsOf(complete);
    setPixelProbs(null);
  }
  useEffect(() => {
    if (!complete) return;
    let live = true;
    api.pixelProbs(focusImage, focus.pixel).then(
      (r) => live && setPixelProbs(r),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [complete, api, focusImage, focus.pixel]);
  const barsProbs = payload === complete && pixelProbs && pixelProbs.image === focusImage && pixelProbs.pixel === focus.pixel ? pixelProbs.probs.subarray(frame * pixelProbs.K, (frame + 1) * pixelProbs.K) : null;
  const at = payload ? frameOffset(shownImages, frame, focusImage, focus.pixel) : 0;

  const rho = payload ? payload.rho[frame]! : NaN;
  const busy = run !== null;
  const blocked = !ready ? (engineFailed ? 'The engine did not start.' : 'Waiting for the engine…') : model.status === 'loading' ? 'Loading the shipped model…' : model.status === 'error' ? 'The shipped model could not be loaded.' : null;
  const stepsValid = Number.isInteger(parseDecimal(stepsText)) && parseDecimal(stepsText) >= SETTINGS_MNIST_GREY.steps.min && parseDecimal(stepsText) <= SETTINGS_MNIST_GREY.steps.max;
  const seedValid = Number.isInteger(parseDecimal(seedText)) && parseDecimal(seedText) <= SETTINGS_MNIST_GREY.seed.max;

  let state: 'loading' | 'sampling' | 'ready' | 'error';
  let statusText: string;
  if (engineFailed || model.status === 'error') {
    state = 'error';
    statusText = engineFailed ? 'The engine could not start, so nothing can be sampled.' : `The shipped model could not be loaded: ${model.message ?? 'unknown error'}`;
  } else if (busy) {
    state = 'sampling';
    // As short as the finished run's line, so that the view does not move when the run ends.
    statusText = `Sampling ${run.images} digits, n = ${run.steps}${progress ? `: step ${progress.done} of ${progress.total}` : ''}${framesReady !== null ? ', playing meanwhile' : ''}…`;
  } else if (recorded && payload) {
    state = 'loading';
    statusText = `Recorded: the first ${framesReady} of ${payload.n + 1} frames of this run (seed ${payload.seed}) play while the engine starts; the live run takes over.`;
  } else if (sampleError) {
    state = 'error';
    statusText = `Sampling failed: ${sampleError}`;
  } else if (payload) {
    state = 'ready';
    statusText = `${payload.images} digits × ${payload.n} steps (seed ${payload.seed}, K = ${payload.K}) sampled on ${payload.backend} in ${duration(payload.elapsedMs)}.`;
  } else {
    state = 'loading';
    statusText = !ready ? 'Starting the engine…' : 'Loading the shipped model…';
  }
  const card = model.info?.card ?? null;
  const where = `image ${focusImage + 1}, row ${Math.floor(focus.pixel / SIDE) + 1}, column ${(focus.pixel % SIDE) + 1}`;
  const gridProps = { images: shownImages, frame, focus: payload ? { image: focusImage, pixel: focus.pixel } : null, placeholder: state === 'error' ? 'nothing sampled' : 'sampling…' };

  return (
    <div className="mnist-view grey-view" data-testid="grey-view" hidden={!active}>
      <UrlNote messages={messages} testId="grey-url-note" />
      <section className="card mnist-viz" aria-labelledby="grey-viz-h" id="grey-main" tabIndex={-1}>
        <div className="viz-head">
          <h2 id="grey-viz-h">Grey-scale digits from K = 16 grey levels</h2>
        </div>
        <p className="mnist-status" data-testid="grey-status" data-state={state} aria-live="polite">
          {statusText}
        </p>
        <form
          className="mnist-controls"
          aria-label="Sampling settings"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (blocked === null && !busy && stepsValid && seedValid) sampleNow();
          }}
        >
          <div className="field">
            <FieldLabel htmlFor={`${id}-images`} help={SETTINGS_MNIST_GREY.images.help}>
              Images
            </FieldLabel>
            <select id={`${id}-images`} value={String(images)} onChange={(e) => update({ images: Number(e.currentTarget.value) })} data-testid="grey-images-select">
              {(SETTINGS_MNIST_GREY.images.choices ?? []).map((v) => (
                <option key={v} value={String(v)}>
                  {v} ({Math.sqrt(v)} × {Math.sqrt(v)})
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <FieldLabel htmlFor={`${id}-steps`} help={SETTINGS_MNIST_GREY.steps.help}>
              Steps n
            </FieldLabel>
            <SettingInput
              id={`${id}-steps`}
              setting={SETTINGS_MNIST_GREY.steps}
              text={stepsText}
              invalid={!stepsValid}
              testId="grey-steps-input"
              onText={(text) => {
                setStepsText(text);
                const v = parseDecimal(text);
                if (Number.isInteger(v) && v >= SETTINGS_MNIST_GREY.steps.min && v <= SETTINGS_MNIST_GREY.steps.max) update({ steps: v });
              }}
            />
            {stepsValid ? <small>1 – {SETTINGS_MNIST_GREY.steps.max}{steps < 50 ? '; few steps give light, washed-out samples' : ''}</small> : <small className="invalid">a whole number from 1 to {SETTINGS_MNIST_GREY.steps.max}</small>}
          </div>
          <div className="field">
            <FieldLabel htmlFor={`${id}-seed`} help={SETTINGS_MNIST_GREY.seed.help}>
              Seed
            </FieldLabel>
            <SettingInput
              id={`${id}-seed`}
              setting={SETTINGS_MNIST_GREY.seed}
              text={seedText}
              invalid={!seedValid}
              testId="grey-seed-input"
              onText={(text) => {
                setSeedText(text);
                const v = parseDecimal(text);
                if (Number.isInteger(v) && v <= SETTINGS_MNIST_GREY.seed.max) update({ seed: v });
              }}
            />
            {seedValid ? null : <small className="invalid">a whole number ≥ 0</small>}
          </div>
          <div className="field">
            <FieldLabel htmlFor={`${id}-k`} help={SETTINGS_MNIST_GREY.K.help}>
              Bins K
            </FieldLabel>
            <select id={`${id}-k`} value={settings.K} onChange={(e) => update({ K: e.currentTarget.value as MnistGreySettings['K'] })} data-testid="grey-k-select">
              {SETTINGS_MNIST_GREY.K.values.map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>
            <small>only 16: the shipped model's K</small>
          </div>
          {/* While a run is sampled, Cancel and its progress take the Sample button's place (the row keeps its size). */}
          <div className="mnist-sample-action grey-sample-action">
            {busy ? (
              <>
                <button type="button" className="button" onClick={cancelRun} data-testid="grey-sample-cancel">
                  Cancel
                </button>
                <progress max={progress?.total ?? 1} value={progress ? progress.done : undefined} aria-label="Sampling progress" data-testid="grey-sample-progress" />
              </>
            ) : (
              <button type="submit" className="button primary" disabled={blocked !== null || !stepsValid || !seedValid} data-testid="grey-sample-button">
                Sample
              </button>
            )}
          </div>
          {blocked ? <small className="mnist-wide muted">{blocked}</small> : null}
        </form>
        {model.status === 'loading' && ready ? (
          <div className="mnist-download" data-testid="grey-model-progress">
            <progress max={weights?.total || 1} value={weights && weights.total > 0 ? weights.loaded : undefined} aria-label="Downloading the shipped model" />
            <span>Downloading the shipped model{weights ? `: ${(weights.loaded / 1048576).toFixed(1)} MB` : '…'}</span>
          </div>
        ) : null}
        <div className="mnist-grids">
          {(
            [
              { key: 'mu', title: 'Input means μ', words: ' — what it sees', what: 'Input means mu', values: unit?.mu },
              { key: 'mean', title: 'Output mean', words: ' — what it predicts', what: 'Output distribution means (sum of p_O(k) k_c)', values: unit?.mean },
            ] as const
          ).map((g) => (
            <figure className="mnist-figure" key={g.key}>
              <figcaption>
                <b>{g.title}</b>
                {g.words}
              </figcaption>
              <MnistGrid
                {...gridProps}
                values={g.values ?? null}
                offset={0}
                label={`${g.what} of ${shownImages} images at step ${frame} of ${n}`}
                testId={`grey-${g.key}-grid`}
                onHover={setHovered}
                onSelect={(p) => setSelected((s) => (s && s.image === p.image && s.pixel === p.pixel ? null : p))}
              />
            </figure>
          ))}
          <figure className="mnist-figure">
            <figcaption>
              <b>Sample</b> — {last ? '16 grey levels' : 'at t = 1'}
            </figcaption>
            <MnistGrid
              {...gridProps}
              values={payload !== null && payload === complete ? samplesUnit : null}
              offset={0}
              label={`${shownImages} sampled digits with 16 grey levels`}
              testId="grey-sample-grid"
              placeholder={payload ? 'appears at t = 1' : gridProps.placeholder}
              dimmed={!last}
              overlay={payload && payload === complete && !last ? 'appears at t = 1' : null}
              data={{ shown: last ? 'yes' : 'no', values: complete ? Array.from(complete.samples, (v) => String(v)).join(',') : '', centres: complete ? Array.from(complete.centres, (v) => String(v)).join(',') : '' }}
            />
          </figure>
          <figure className="mnist-figure">
            <figcaption>
              <b>Test digits</b> — quantised
            </figcaption>
            <MnistGrid images={shownImages} frame={0} values={testUnit} offset={0} label={`The first ${shownImages} MNIST test digits quantised to 16 grey levels`} testId="grey-test-grid" placeholder="loading…" />
          </figure>
        </div>
        <Timeline
          n={n}
          playback={playback}
          disabled={!payload}
          speed={speed}
          onSpeed={setSpeed}
          sampled={framesReady === null ? null : framesReady - 1}
        />
        <dl className="readouts mnist-readouts" data-testid="grey-readouts" aria-label="Current step">
          <div>
            <dt>step</dt>
            <dd data-testid="grey-readout-step">{payload ? `${frame} / ${n}` : '—'}</dd>
          </div>
          <div>
            <dt>t</dt>
            <dd>{payload ? fixed(payload.t[frame], 3) : '—'}</dd>
          </div>
          <div>
            <dt title="precision of every pixel's input distribution N(μ, 1/ρ): ρ(t) = σ₁^(−2t), 1 at t = 0">precision ρ(t)</dt>
            <dd data-testid="grey-readout-rho" data-rho={Number.isFinite(rho) ? String(rho) : ''}>
              {sig(rho, 4)}
            </dd>
          </div>
          <div>
            <dt title="standard deviation of the input distribution, 1/√ρ">input std 1/√ρ</dt>
            <dd>{Number.isFinite(rho) ? sig(1 / Math.sqrt(rho), 3) : '—'}</dd>
          </div>
        </dl>
        <p className="hint">
          The output mean is Σ_k p_O(k) k_c over the 16 bin centres k_c; the test digits are real MNIST quantised the same way.
          Each pixel's input distribution is a Gaussian N(μ, 1/ρ): μ starts at 0 (mid-grey) with ρ = 1, and every noisy message raises ρ towards σ₁⁻² = 1000.
          Hover or click a pixel (or type its image, row and column beside the bars) to see its 16 output probabilities. Keys: <kbd>space</kbd> play/pause, <kbd>←</kbd> <kbd>→</kbd> step.
        </p>
      </section>
      <div className="mnist-side">
        <section className="card" aria-labelledby="grey-pixel-h">
          <h2 id="grey-pixel-h">One pixel's 16 bins: {where}</h2>
          <div className="grey-pixel-fields" role="group" aria-label="Choose a pixel">
            {[
              { label: 'Image', value: focusImage + 1, max: shownImages, set: (v: number) => ({ image: v - 1, pixel: focus.pixel }) },
              { label: 'Row', value: Math.floor(focus.pixel / SIDE) + 1, max: SIDE, set: (v: number) => ({ image: focusImage, pixel: (v - 1) * SIDE + (focus.pixel % SIDE) }) },
              { label: 'Column', value: (focus.pixel % SIDE) + 1, max: SIDE, set: (v: number) => ({ image: focusImage, pixel: Math.floor(focus.pixel / SIDE) * SIDE + v - 1 }) },
            ].map((f) => (
              <NumberField key={f.label} label={f.label} value={f.value} min={1} max={f.max} testId={`grey-pixel-${f.label.toLowerCase()}`} onChange={(v) => setSelected(f.set(v))} />
            ))}
          </div>
          <BinBars
            probs={barsProbs}
            centres={payload?.centres ?? new Float32Array(16).map((_, k) => (2 * k + 1) / 16 - 1)}
            mu={payload ? payload.mu[at]! : null}
            sample={complete && last ? complete.samples[focusImage * PIXELS + focus.pixel]! : null}
            label={`Output probabilities p_O(k) of ${where} at step ${frame} of ${n}`}
          />
          <p className="hint">
            Bars: the output distribution p_O(k) over the 16 bins at this step (pink; the sampled bin turns amber at t = 1){framesReady !== null ? ', shown once the run is sampled' : ''}. Dashed blue line: the input
            mean μ. {selected ? 'Kept: press Esc to follow the pointer.' : 'Click a pixel to keep it.'}
          </p>
        </section>
        <section className="card" aria-labelledby="grey-model-h" data-testid="grey-model">
          <h2 id="grey-model-h">The shipped model</h2>
          {card ? (
            <>
              <p>{card.title}</p>
              <p>
                Trained {card.training.steps.toLocaleString('en')} steps, batch {card.training.batch}, in {duration(card.training.wallSeconds * 1000)} ({card.training.backend}).
              </p>
              {card.evaluation ? (
                <p data-testid="grey-nll">
                  Test NLL bound L^∞ + L^r: <b data-testid="grey-nll-value">{card.evaluation.continuous.value.toFixed(3)} ± {card.evaluation.continuous.se.toFixed(3)}</b> bits per dimension on{' '}
                  {card.evaluation.testImages.toLocaleString('en')} test images quantised to {card.spec.K} bins
                  {Object.entries(card.evaluation.discrete).map(([steps, e]) => `; L^n + L^r with n = ${steps}: ${e.value.toFixed(3)}`).join('')}.
                </p>
              ) : (
                <p>Not evaluated yet (npm run eval -- models/mnist-grey).</p>
              )}
              {card.paper ? (
                <p className="muted">
                  The paper's figure beside it: {card.paper.continuous} bits per dimension ({card.paper.source}). {card.paper.note}
                </p>
              ) : null}
            </>
          ) : (
            <p className="muted">{model.status === 'error' ? model.message : 'Loading…'}</p>
          )}
        </section>
      </div>
    </div>
  );
}
