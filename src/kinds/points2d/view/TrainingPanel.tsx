/**
 * The training panel: play / pause / single step / reset, the settings (learning rate, batch, sigma1, loss, network
 * size, Fourier features, residual layers, EMA, seed), the live readouts (step, steps per second, backend, loss, metric) and the live charts.
 */
import { useEffect, useId, useState, type ReactNode } from 'react';
import { MIN_POINTS_TO_HOLD_OUT } from '../../../data/playgroundPoints';
import { METRIC_SETTINGS } from '../../../engine/protocol';
import { LIMITS, SETTINGS_2D, validateNumber, type PlaygroundState } from '../../../state/urlState';
import { SettingInput } from '../../../ui/SettingInput';
import { KNN_K, OFF_SUPPORT_DELTA } from '../../../train/knnMetrics';
import { LossChart } from '../../../ui/charts/LossChart';
import { MetricChart, SupportChart } from './MetricCharts';
import { sig } from '../../../ui/format';
import type { TrainingHandle } from './useTraining';
import { FieldLabel, Help } from '../../../ui/Help';
import { CONTROL_HELP } from '../../../ui/controlHelp';

/** A share in [0, 1] with three decimals (1 shows as 1.000, beside 0.998), or a dash. */
const share = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(3));
/** A share in [0, 1] as a percentage with one decimal, or a dash. */
const percent = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '—' : `${(100 * v).toFixed(1)} %`);

/** Props of {@link TrainingPanel}. */
export interface TrainingPanelProps {
  settings: PlaygroundState;
  update: (patch: Partial<PlaygroundState>) => void;
  training: TrainingHandle;
  /** False when there is nothing to train on (or the engine is not ready), with the reason. */
  disabledReason: string | null;
  backend: string | null;
  baseline: number | null;
  /**
   * What the live metric measures against: the number of held-out points, and whether they are training points
   * (your points, too few to hold some out). Null when there is nothing to measure.
   */
  heldOut: { points: number; fromTraining: boolean; custom: boolean } | null;
  notice: string | null;
  onReset: () => void;
}

/** The select fields; their preset values are the declarations' (a value from the URL outside them is added to its list). */
type SelectKey = 'lr' | 'batch' | 'sigma1' | 'width' | 'depth' | 'fourier' | 'ema' | 'evalPoints' | 'evalSteps';

function Icon({ kind }: { kind: 'play' | 'pause' | 'step' | 'reset' }) {
  const paths = {
    play: 'M7 4.5v15l12-7.5z',
    pause: 'M6.5 4.5h4v15h-4zM13.5 4.5h4v15h-4z',
    step: 'M5 5v14l9.5-7zM15.5 5H18v14h-2.5z',
    reset: 'M12 5a7 7 0 1 1-6.6 4.7l1.9.6A5 5 0 1 0 12 7v3L7.5 6 12 2z',
  } as const;
  return (
    <svg viewBox="0 0 24 24" width="1.1em" height="1.1em" aria-hidden="true" focusable="false">
      <path d={paths[kind]} fill="currentColor" />
    </svg>
  );
}

function Readout({ label, title, testId, children }: { label: ReactNode; title?: string; testId: string; children: ReactNode }) {
  return (
    <div title={title}>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}

/** Training controls, settings, readouts and charts. */
export function TrainingPanel({ settings, update, training, disabledReason, backend, baseline, heldOut, notice, onReset }: TrainingPanelProps) {
  const id = useId();
  const [seedText, setSeedText] = useState(String(settings.seed));
  const [lossNText, setLossNText] = useState(String(settings.lossN));
  useEffect(() => setSeedText(String(settings.seed)), [settings.seed]);
  useEffect(() => setLossNText(String(settings.lossN)), [settings.lossN]);
  const seedProblem = validateNumber('seed', seedText.trim() === '' ? NaN : Number(seedText));
  const lossNProblem = validateNumber('lossN', lossNText.trim() === '' ? NaN : Number(lossNText));
  const playing = training.status === 'playing';
  const disabled = disabledReason !== null;
  const h = training.history;
  const smoothed = h.smoothed.at(-1) ?? null;
  const metric = h.metrics.at(-1)?.value ?? null;
  const support = h.metrics.at(-1)?.support;
  const dataSupport = h.metrics.at(-1)?.dataSupport;

  const select = (key: SelectKey, label: ReactNode, format: (v: number) => string, help?: string) => {
    const options: number[] = [...(SETTINGS_2D[key].presets ?? [])];
    if (!options.includes(settings[key])) options.push(settings[key]);
    options.sort((a, b) => a - b);
    return (
      <div className="field">
        <FieldLabel htmlFor={`${id}-${key}`} help={SETTINGS_2D[key].help}>
          {label}
        </FieldLabel>
        <select id={`${id}-${key}`} value={String(settings[key])} onChange={(e) => update({ [key]: Number(e.currentTarget.value) })} data-testid={`setting-${key}`}>
          {options.map((v) => (
            <option key={v} value={String(v)}>
              {format(v)}
            </option>
          ))}
        </select>
        {help ? <small>{help}</small> : null}
      </div>
    );
  };

  return (
    <section className="card training-panel" aria-labelledby={`${id}-h`} data-training-controls>
      <div className="help-row">
        <h2 id={`${id}-h`}>2. Train a network Ψ(μ, t)</h2>
        <Help topic="Train, Step and Reset" text={CONTROL_HELP.train2d} />
      </div>
      <div className="button-row transport-row">
        <button
          type="button"
          className="button primary"
          onClick={playing ? training.pause : training.play}
          disabled={disabled && !playing}
          data-testid="train-play"
          aria-label={playing ? 'Pause training' : 'Train'}
        >
          <Icon kind={playing ? 'pause' : 'play'} /> {playing ? 'Pause' : 'Train'}
        </button>
        <button type="button" className="button" onClick={training.stepOnce} disabled={disabled || training.status !== 'idle'} data-testid="train-step-button" title="One training step">
          <Icon kind="step" /> Step
        </button>
        <button type="button" className="button subtle" onClick={onReset} disabled={disabled} data-testid="train-reset" title="A fresh, untrained network">
          <Icon kind="reset" /> Reset
        </button>
      </div>
      {disabledReason ? <p className="hint">{disabledReason}</p> : null}
      {training.halt ? (
        <p className="inline-error" role="alert" data-testid="nan-warning">
          {training.halt}
        </p>
      ) : null}
      {notice ? (
        <p className="inline-note" data-testid="training-notice">
          {notice}
        </p>
      ) : null}
      <dl className="readouts compact" aria-live="off">
        <Readout label="step" testId="train-step">{training.step.toLocaleString('en')}</Readout>
        <Readout label="steps / s" testId="train-rate">{sig(training.stepsPerSecond, 3)}</Readout>
        <Readout label="backend" testId="train-backend">{backend ?? '—'}</Readout>
        <Readout label="loss" title="the smoothed loss, nats per dimension" testId="loss-smoothed">{sig(smoothed, 3)}</Readout>
        <Readout label="energy dist." title="energy distance of samples to held-out data (lower is better)" testId="metric-value">{sig(metric, 3)}</Readout>
        <Readout label="data vs data" title="energy distance between two draws of the data: the noise floor" testId="metric-baseline">{sig(baseline, 3)}</Readout>
        <Readout label="precision" title="share of samples inside the data's k-NN support (higher is better); below: a draw of the data" testId="metric-precision">
          {share(support?.precision)} <small>data {share(dataSupport?.precision)}</small>
        </Readout>
        <Readout label="recall" title="share of held-out data inside the samples' k-NN support (higher is better); below: a draw of the data" testId="metric-recall">
          {share(support?.recall)} <small>data {share(dataSupport?.recall)}</small>
        </Readout>
        <Readout label="off-support" title={`share of samples farther than ${OFF_SUPPORT_DELTA} from every training point (lower is better); below: a draw of the data`} testId="metric-off-support">
          {percent(support?.offSupport)} <small>data {percent(dataSupport?.offSupport)}</small>
        </Readout>
      </dl>
      {heldOut ? (
        <p className={heldOut.fromTraining ? 'inline-note' : 'hint'} data-testid="metric-basis" data-from-training={heldOut.fromTraining ? 'yes' : 'no'}>
          These numbers: {settings.evalPoints.toLocaleString('en')} samples ({settings.evalSteps} steps, averaged weights) against{' '}
          {heldOut.fromTraining
            ? `your ${heldOut.points.toLocaleString('en')} points, which are also the training points (fewer than ${MIN_POINTS_TO_HOLD_OUT}: none could be held out), so they flatter the network.`
            : `${heldOut.points.toLocaleString('en')} held-out points the network never trains on.`}{' '}
          “data” and “data vs data”: {METRIC_SETTINGS.heldOut.toLocaleString('en')}{' '}
          {!heldOut.custom
            ? 'points of another draw of the data against the same points.'
            : heldOut.fromTraining
              ? 'points resampled from these same points, so they are near perfect by construction.'
              : 'points resampled from your training points (a drawing has no second draw) against the same held-out points.'}{' '}
          The model card uses other counts; the energy distance of two finite draws shrinks as 1/N, so compare each number with its own data value.
        </p>
      ) : null}
      <LossChart history={h} title="Training loss against the training step" testId="loss-chart" yLabel="loss (nats / dim)" empty="Press ▶ to train" />
      <MetricChart history={h} baseline={baseline} />
      <p className="hint">
        <b>Distance to data</b>: the energy distance 2E|X−Y| − E|X−X′| − E|Y−Y′| between {settings.evalPoints} samples
        ({settings.evalSteps} steps, the averaged weights) and{' '}
        {heldOut?.fromTraining ? `${heldOut.points} of your points (none held out)` : `${heldOut?.points ?? METRIC_SETTINGS.heldOut} held-out data points`}; 0 means the
        same distribution, and the dashed line is what two draws of the data itself score.
      </p>
      <SupportChart history={h} />
      <p className="hint">
        <b>Support</b>, on the same samples (Kynkäänniemi et al. 2019, k = {KNN_K}): <b>precision</b> is the share of samples
        inside the data&apos;s support (the union of balls around the held-out points reaching each one&apos;s k-th nearest
        neighbour), <b>recall</b> the share of held-out points inside the samples&apos; support; the <b>off-support share</b>{' '}
        counts samples farther than {OFF_SUPPORT_DELTA} from every training point. Blur lowers precision and raises the off-support
        share even when the energy distance looks good; the dashed lines are what a draw of the data itself scores.
      </p>
      <details className="settings" open>
        <summary>Settings</summary>
        <div className="fields">
          {select('lr', 'Learning rate', (v) => String(v))}
          {select('batch', 'Batch size', (v) => String(v))}
          {select('sigma1', 'σ₁', (v) => String(v), 'final std. dev.')}
          <div className="field">
            <FieldLabel htmlFor={`${id}-loss`} help={SETTINGS_2D.loss.help}>
              Loss
            </FieldLabel>
            <select id={`${id}-loss`} value={settings.loss} onChange={(e) => update({ loss: e.currentTarget.value === 'n' ? 'n' : 'inf' })} data-testid="setting-loss">
              <option value="inf">L^∞</option>
              <option value="n">L^n</option>
            </select>
            <small>{settings.loss === 'inf' ? 'continuous time' : 'discrete time, n steps'}</small>
          </div>
          {settings.loss === 'n' ? (
            <div className="field">
              <FieldLabel htmlFor={`${id}-lossN`} help={SETTINGS_2D.lossN.help}>
                n of L^n
              </FieldLabel>
              <SettingInput
                id={`${id}-lossN`}
                setting={SETTINGS_2D.lossN}
                text={lossNText}
                onText={(text) => {
                  setLossNText(text);
                  if (validateNumber('lossN', Number(text)) === null && text.trim() !== '') update({ lossN: Number(text) });
                }}
                invalid={lossNProblem !== null}
                testId="setting-lossN"
              />
              <small className={lossNProblem ? 'invalid' : ''}>{lossNProblem ?? 'steps'}</small>
            </div>
          ) : null}
          {select('width', 'Width', (v) => String(v), `${LIMITS.width.min}–${LIMITS.width.max}`)}
          {select('depth', 'Hidden layers', (v) => String(v), `${LIMITS.depth.min}–${LIMITS.depth.max}`)}
          {select('fourier', 'Fourier features', (v) => (v === 0 ? 'off' : String(v)), 'sin, cos(2ᵏπx), k < K')}
          <div className="field">
            <FieldLabel htmlFor={`${id}-residual`} help={SETTINGS_2D.residual.help}>
              Residual layers
            </FieldLabel>
            <select id={`${id}-residual`} value={String(settings.residual)} onChange={(e) => update({ residual: e.currentTarget.value === 'true' })} data-testid="setting-residual">
              <option value="false">off</option>
              <option value="true">on</option>
            </select>
            <small>h + swish(hW + b)</small>
          </div>
          {select('ema', 'Weight averaging', (v) => (v === 0 ? 'off' : `EMA ${v}`))}
          {select('evalPoints', 'Metric samples', (v) => String(v), 'vs as many held-out')}
          {select('evalSteps', 'Metric steps', (v) => String(v), 'sampling steps')}
          <div className="field">
            <FieldLabel htmlFor={`${id}-seed`} help={SETTINGS_2D.seed.help}>
              Seed
            </FieldLabel>
            <SettingInput
              id={`${id}-seed`}
              setting={SETTINGS_2D.seed}
              text={seedText}
              onText={setSeedText}
              onBlur={() => seedProblem === null && Number(seedText) !== settings.seed && update({ seed: Number(seedText) })}
              onKeyDown={(e) => e.key === 'Enter' && seedProblem === null && update({ seed: Number(seedText) })}
              invalid={seedProblem !== null}
              testId="setting-seed"
            />
            <small className={seedProblem ? 'invalid' : ''}>{seedProblem ?? 'weights, batches, data'}</small>
          </div>
        </div>
        <p className="hint">
          Changing the width, depth, Fourier features, residual layers, σ₁ or seed starts a fresh network; the learning
          rate, batch, loss and averaging apply to the current one (its optimizer restarts).
        </p>
      </details>
    </section>
  );
}
