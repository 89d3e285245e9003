/**
 * The model panel: which model the sampler uses (the dataset's shipped model, the network trained here, a loaded
 * file, or the closed-form ideal denoiser), that model's card, downloading it, and loading a model file (a bad file
 * is explained and nothing changes).
 */
import { useId, type ChangeEvent, type ReactNode } from 'react';
import { networkLabel } from '../network';
import { IDEAL_POINTS, MODEL_SOURCES, type PointsCard, type ModelInfo, type ModelSource } from '../../../engine/protocol';
import { duration, sig } from '../../../ui/format';
import { Help } from '../../../ui/Help';
import { CONTROL_HELP } from '../../../ui/controlHelp';

/** What the panel knows about each model source. */
export interface ModelSources {
  shipped: { status: 'none' | 'loading' | 'ready' | 'error'; info: ModelInfo | null; message: string | null };
  trained: { available: boolean; step: number; wallSeconds: number; width: number; depth: number; fourierFeatures: number; residual: boolean; sigma1: number; savedStep: number | null };
  file: { info: ModelInfo | null; label: string | null };
  /** `points`: how many training points the closed-form denoiser knows (at most IDEAL_POINTS). */
  ideal: { available: boolean; sigma1: number; points: number };
}

/** Props of {@link ModelPanel}. */
export interface ModelPanelProps {
  source: ModelSource | null;
  sources: ModelSources;
  datasetName: string;
  /** A sampling run is in progress (the source buttons wait for it). */
  busy: boolean;
  /** Your network is training: it is the selected source, and choosing another pauses the training first. */
  training: boolean;
  onSource: (source: ModelSource) => void;
  onDownload: (format: 'bundle' | 'files') => void;
  onLoad: (files: File[]) => void;
  loadError: string | null;
  loading: boolean;
}

const LABELS: Record<ModelSource, string> = {
  shipped: 'Shipped model',
  trained: 'Your network',
  file: 'Loaded file',
  ideal: 'Ideal denoiser',
};

function CardView({ card, testId }: { card: PointsCard; testId: string }) {
  const e = card.evaluation;
  return (
    <dl className="card-view" data-testid={testId}>
      <div><dt>model</dt><dd>{card.title}</dd></div>
      <div><dt>network</dt><dd data-testid={`${testId}-network`}>{networkLabel(card.network, '×')}, σ₁ = {card.spec.kind === 'continuous' ? card.spec.sigma1 : '—'}</dd></div>
      <div>
        <dt>training</dt>
        <dd>
          {card.training.steps.toLocaleString('en')} steps, batch {card.training.batch}, lr {card.training.learningRate}, {card.training.loss}, seed{' '}
          {card.training.seed}; {duration(card.training.wallSeconds * 1000)} on {card.training.backend}
        </dd>
      </div>
      {e ? (
        <div>
          <dt>distance to data</dt>
          <dd>
            energy distance {sig(e.value, 3)} vs data-vs-data {sig(e.baseline, 3)} (ratio {sig(e.ratio, 3)}), measured {e.command.startsWith('live metric') ? 'live in the browser' : 'by npm run eval'} on{' '}
            {e.samples.toLocaleString('en')} samples ({e.steps} steps) against {e.heldOutPoints.toLocaleString('en')} held-out points, so not comparable with the
            training panel&apos;s live numbers (other counts; the energy distance of finite draws shrinks as 1/N)
          </dd>
        </div>
      ) : null}
      {e && e.precision !== undefined && e.recall !== undefined && e.offSupport !== undefined ? (
        <div>
          <dt>support</dt>
          <dd data-testid={`${testId}-support`}>
            precision {sig(e.precision, 3)}, recall {sig(e.recall, 3)} (k = {e.k ?? '—'}), off-support share {sig(e.offSupport, 3)} (δ = {e.delta ?? '—'}); a
            draw of the data: {sig(e.dataPrecision, 3)}, {sig(e.dataRecall, 3)}, {sig(e.dataOffSupport, 3)} (the same counts)
          </dd>
        </div>
      ) : null}
    </dl>
  );
}

/** Source switch, model card, download and load. */
export function ModelPanel({ source, sources, datasetName, busy, training, onSource, onDownload, onLoad, loadError, loading }: ModelPanelProps) {
  const id = useId();
  const available: Record<ModelSource, boolean> = {
    shipped: sources.shipped.status === 'ready',
    trained: sources.trained.available,
    file: sources.file.info !== null,
    ideal: sources.ideal.available,
  };
  const onFile = (e: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(e.currentTarget.files ?? []);
    e.currentTarget.value = '';
    if (files.length) onLoad(files);
  };

  let details: ReactNode = null;
  if (source === 'shipped' && sources.shipped.info?.card) details = <CardView card={sources.shipped.info.card} testId="model-card" />;
  else if (source === 'file' && sources.file.info) {
    details = sources.file.info.card ? (
      <CardView card={sources.file.info.card} testId="model-card" />
    ) : (
      <p className="hint" data-testid="model-card">
        {sources.file.label}: {networkLabel(sources.file.info.network, '×')}, σ₁ = {sources.file.info.sigma1} (no card).
      </p>
    );
  } else if (source === 'trained') {
    const t = sources.trained;
    details = (
      <p className="hint" data-testid="model-card">
        Trained here on {datasetName}: {networkLabel(t, '×')}, σ₁ = {t.sigma1}, {t.step.toLocaleString('en')} steps in {duration(t.wallSeconds * 1000)}. Sampling uses the
        averaged (EMA) weights.{' '}
        {t.savedStep !== null ? `Saved in this browser at step ${t.savedStep}.` : 'It is saved in this browser when training pauses.'}
      </p>
    );
  } else if (source === 'ideal') {
    details = (
      <p className="hint" data-testid="model-card">
        Not a trained network: the exact Bayes-optimal denoiser for {sources.ideal.points < IDEAL_POINTS ? `all ${sources.ideal.points}` : IDEAL_POINTS} of the training points (σ₁ = {sources.ideal.sigma1}). It shows what a perfect
        network that memorised those points would do, so samples land on them.
      </p>
    );
  }

  return (
    <section className="card model-panel" aria-labelledby={`${id}-h`}>
      <div className="help-row">
        <h2 id={`${id}-h`}>3. Model</h2>
        <Help topic="the model choice" text={CONTROL_HELP.modelSource2d} />
      </div>
      <div className="segmented grid2" role="radiogroup" aria-label="Sample with">
        {MODEL_SOURCES.map((s) => (
          <button
            key={s}
            type="button"
            role="radio"
            aria-checked={source === s}
            className={source === s ? 'active' : ''}
            disabled={!available[s] || busy}
            onClick={() => onSource(s)}
            data-testid={`source-${s}`}
          >
            {LABELS[s]}
          </button>
        ))}
      </div>
      {sources.shipped.status === 'none' ? (
        <p className="inline-note" data-testid="no-shipped-model">
          No shipped model for this dataset; train one (the ideal denoiser stands in meanwhile).
        </p>
      ) : sources.shipped.status === 'error' ? (
        <p className="inline-error">The shipped model could not be loaded: {sources.shipped.message}</p>
      ) : sources.shipped.status === 'loading' ? (
        <p className="hint">Loading the shipped model…</p>
      ) : null}
      {training ? (
        <p className="hint" data-testid="model-training-note">
          Your network is training; choosing another model pauses it.
        </p>
      ) : null}
      {details}
      <div className="button-row">
        <button type="button" className="button" onClick={() => onDownload('bundle')} disabled={source === null || source === 'ideal' || busy || training} data-testid="download-model">
          ⤓ Download model
        </button>
        <button type="button" className="link-button" onClick={() => onDownload('files')} disabled={source === null || source === 'ideal' || busy || training} data-testid="download-files">
          as model.json + weights.bin + card.json
        </button>
      </div>
      <div className="button-row">
        <label className="button file-button">
          {loading ? 'Loading…' : 'Load a model file'}
          <input type="file" multiple accept=".json,.bin,application/json,application/octet-stream" onChange={onFile} data-testid="load-model" />
        </label>
        <Help topic="Download and Load" text={CONTROL_HELP.modelFiles} />
      </div>
      <p className="hint">A bundle downloaded here (one .json), or model.json with weights.bin and card.json.</p>
      {loadError ? (
        <p className="inline-error" role="alert" data-testid="model-error">
          {loadError}
        </p>
      ) : null}
    </section>
  );
}
