/**
 * "Train in the browser": from scratch or fine-tuning the shipped model, learning rate and batch, start / stop /
 * start over, the training split's download, live readouts, the loss chart (nats per image, raw and smoothed), a
 * preview of 16 samples from the network, and downloading it.
 */
import { useId, useMemo, useState } from 'react';
import { LossChart } from '../../../ui/charts/LossChart';
import { duration, sig } from '../../../ui/format';
import { DownloadProgress } from './DownloadProgress';
import { FINE_TUNE_LEARNING_RATE, meanOf, TRAIN_CHOICES, UI_TRAIN_MNIST, type TrainMode } from './mnistConfig';
import { MNIST_FILE_NAMES, type MnistDownloadFormat } from './mnistFiles';
import { MnistGrid } from '../../../ui/MnistGrid';
import { PREVIEW, PREVIEW_EVERY_MS, type MnistTrainingHandle } from './useMnistTraining';
import { FieldLabel, Help } from '../../../ui/Help';
import { CONTROL_HELP } from '../../../ui/controlHelp';
import { SETTINGS_MNIST_TRAIN } from '../../../settings/settingsMnist';

/** Props of {@link MnistTrainingPanel}. */
export interface MnistTrainingPanelProps {
  training: MnistTrainingHandle;
  /** Fine-tuning needs the shipped model. */
  shippedReady: boolean;
  /** Null when training can start, else why not. */
  blocked: string | null;
  backend: string | null;
  /** Downloads the trained model: the one-file bundle, or one of its three files. */
  onDownload: (format: MnistDownloadFormat) => void;
  downloading: boolean;
}

/** Training settings, controls, readouts, loss chart, sample preview and download. */
export function MnistTrainingPanel({ training, shippedReady, blocked, backend, onDownload, downloading }: MnistTrainingPanelProps) {
  const id = useId();
  const [mode, setMode] = useState<TrainMode>('scratch');
  const [learningRate, setLearningRate] = useState(UI_TRAIN_MNIST.learningRate);
  const [batch, setBatch] = useState(UI_TRAIN_MNIST.batch);
  const { status, trainer, history } = training;
  const busy = status !== 'idle';
  const canStart = blocked === null && !busy && (mode === 'scratch' || shippedReady);
  const changed = trainer !== null && (trainer.fromShipped !== (mode === 'finetune') || trainer.config.learningRate !== learningRate || trainer.config.batch !== batch);
  const smoothed = history.smoothed.at(-1) ?? null;
  const preview = training.preview;
  const previewMean = useMemo(() => (preview ? meanOf(preview.payload.samples) : NaN), [preview]);

  const chooseMode = (m: TrainMode) => {
    setMode(m);
    setLearningRate(m === 'finetune' ? FINE_TUNE_LEARNING_RATE : UI_TRAIN_MNIST.learningRate);
  };
  const lrOptions: number[] = [...TRAIN_CHOICES.learningRate];
  if (!lrOptions.includes(learningRate)) lrOptions.push(learningRate);
  lrOptions.sort((a, b) => a - b);

  const statusText =
    status === 'preparing'
      ? trainer === null
        ? 'Preparing: downloading the training images and building the network…'
        : 'Preparing…'
      : status === 'running'
        ? `Training ${trainer?.fromShipped ? 'from the shipped model' : 'from scratch'} on ${backend ?? 'the engine'}…`
        : status === 'stopping'
          ? 'Stopping after this batch, then sampling a preview…'
          : trainer
            ? `Stopped at step ${training.step.toLocaleString('en')}.`
            : 'Not started.';

  return (
    <section className="card mnist-train" aria-labelledby={`${id}-h`} data-testid="mnist-train" data-status={status} data-training-controls>
      <h2 id={`${id}-h`}>Train in the browser</h2>
      <div className="mnist-train-grid">
        <div className="mnist-train-controls">
          <div className="fields">
            <div className="field mnist-wide-field">
              <FieldLabel htmlFor={`${id}-mode`} help={CONTROL_HELP.mnistTrainMode}>
                Start from
              </FieldLabel>
              <select id={`${id}-mode`} value={mode} onChange={(e) => chooseMode(e.currentTarget.value === 'finetune' ? 'finetune' : 'scratch')} disabled={busy} data-testid="mnist-train-mode">
                <option value="scratch">scratch (a fresh network)</option>
                <option value="finetune" disabled={!shippedReady}>
                  fine-tune the shipped model
                </option>
              </select>
            </div>
            <div className="field">
              <FieldLabel htmlFor={`${id}-lr`} help={SETTINGS_MNIST_TRAIN.learningRate.help}>
                Learning rate
              </FieldLabel>
              <select id={`${id}-lr`} value={String(learningRate)} onChange={(e) => setLearningRate(Number(e.currentTarget.value))} disabled={busy} data-testid="mnist-train-lr">
                {lrOptions.map((v) => (
                  <option key={v} value={String(v)}>
                    {v}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <FieldLabel htmlFor={`${id}-batch`} help={SETTINGS_MNIST_TRAIN.batch.help}>
                Batch
              </FieldLabel>
              <select id={`${id}-batch`} value={String(batch)} onChange={(e) => setBatch(Number(e.currentTarget.value))} disabled={busy} data-testid="mnist-train-batch">
                {TRAIN_CHOICES.batch.map((v) => (
                  <option key={v} value={String(v)}>
                    {v}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div className="button-row">
            <button
              type="button"
              className="button primary"
              onClick={() => training.start({ mode, learningRate, batch, fresh: false })}
              disabled={!canStart}
              data-testid="mnist-train-start"
            >
              ▶ {trainer ? 'Continue' : 'Start training'}
            </button>
            <button type="button" className="button" onClick={() => training.stop()} disabled={status !== 'running' && status !== 'preparing'} data-testid="mnist-train-stop">
              ■ Stop
            </button>
            {trainer ? (
              <button
                type="button"
                className="button subtle"
                onClick={() => training.start({ mode, learningRate, batch, fresh: true })}
                disabled={!canStart}
                data-testid="mnist-train-restart"
                title="A new network with these settings"
              >
                ↺ Start over
              </button>
            ) : null}
            <Help topic="Start, Stop and Start over" text={CONTROL_HELP.mnistTrain} />
          </div>
          <p className="hint" data-testid="mnist-train-status">
            {statusText}
          </p>
          {blocked ? <p className="hint">{blocked}</p> : null}
          {training.notice && !busy ? (
            <p className="inline-note" data-testid="mnist-train-notice">
              {training.notice}
            </p>
          ) : null}
          {changed && !busy ? <p className="inline-note">The new start, learning rate or batch apply when you start over; Continue keeps the current network.</p> : null}
          {training.trainData.progress || training.trainData.info || training.trainData.error ? (
            <DownloadProgress
              split="train"
              progress={training.trainData.progress}
              info={training.trainData.info}
              error={training.trainData.error}
              testId="mnist-train-download-progress"
            />
          ) : (
            <p className="hint">
              Starting downloads the 60,000 training images once (about 10 MB): 59,400 are used for training and 600 held out for validation, as in
              the paper's setup.
            </p>
          )}
          {training.halt ? (
            <p className="inline-error" role="alert" data-testid="mnist-train-nonfinite">
              {training.halt}
            </p>
          ) : null}
          <dl className="readouts compact" aria-live="off">
            <div>
              <dt>step</dt>
              <dd data-testid="mnist-train-step">{training.step.toLocaleString('en')}</dd>
            </div>
            <div>
              <dt>steps / s</dt>
              <dd data-testid="mnist-train-rate">{sig(training.stepsPerSecond, 3)}</dd>
            </div>
            <div>
              <dt title="smoothed training loss L∞, nats per image">loss</dt>
              <dd data-testid="mnist-train-loss-value">{sig(smoothed, 4)}</dd>
            </div>
          </dl>
          <p className="hint">
            {trainer ? `${duration(training.wallSeconds * 1000)} of training, batch ${trainer.config.batch}, learning rate ${trainer.config.learningRate}, ${trainer.parameters.toLocaleString('en')} parameters.` : ''} The loss is
            the continuous-time L<sup>∞</sup> of each batch in nats per image (784 pixels); the shipped model's test figure above includes L<sup>r</sup>.
          </p>
        </div>
        <div className="mnist-train-chart">
          <LossChart history={history} title="MNIST training loss (nats per image) against the training step" testId="mnist-train-loss" yLabel="L∞ (nats / image)" empty="Start training to see the loss" height={190} k={10} />
        </div>
        <figure
          className="mnist-train-preview"
          data-testid="mnist-train-preview"
          data-step={preview ? String(preview.step) : ''}
          data-mean={Number.isFinite(previewMean) ? previewMean.toFixed(4) : ''}
        >
          <figcaption>
            {preview ? `Samples at step ${preview.step.toLocaleString('en')}` : 'Samples from your network'}
            <span className="muted"> ({PREVIEW.images} digits, n = {PREVIEW.steps}, seed {PREVIEW.seed})</span>
          </figcaption>
          <MnistGrid
            values={preview?.payload.samples ?? null}
            offset={0}
            images={PREVIEW.images}
            frame={preview?.payload.n ?? 0}
            label={preview ? `16 digits sampled from your network at step ${preview.step}` : 'No samples yet'}
            placeholder={`every ${PREVIEW_EVERY_MS / 1000} s of training and when it stops`}
          />
          <div className="button-row">
            <button type="button" className="button small" onClick={() => onDownload('bundle')} disabled={!trainer || busy || downloading} data-testid="mnist-download-model">
              ⤓ Download model
            </button>
          </div>
          <p className="hint mnist-download-files" data-testid="mnist-download-files">
            or as separate files:{' '}
            {MNIST_FILE_NAMES.map((name, k) => (
              <span key={name}>
                {k > 0 ? ', ' : null}
                <button type="button" className="link-button" onClick={() => onDownload(name)} disabled={!trainer || busy || downloading} data-testid={`mnist-download-file-${name.replace('.', '-')}`}>
                  {name}
                </button>
              </span>
            ))}
          </p>
        </figure>
      </div>
    </section>
  );
}
