/**
 * The MNIST model panel: the sampled model's test negative log-likelihood (L^∞ + L^r ± SE in nats per image, beside
 * the paper's figure), its L^n rows by n, how it was trained, and loading a model file (a bad file is explained and
 * nothing changes).
 */
import { useId, type ChangeEvent } from 'react';
import type { MnistCard, MnistModelInfo, MnistModelSource } from '../../../engine/client';
import { duration, fixed, sig } from '../../../ui/format';
import { boundTrendNote } from './mnistConfig';
import { Help } from '../../../ui/Help';
import { CONTROL_HELP } from '../../../ui/controlHelp';

/** What the panel shows about the model being sampled. */
export interface ModelSummary {
  source: MnistModelSource;
  /** The worker's description, or null before it is loaded. */
  info: MnistModelInfo | null;
  /** For a loaded file: what was read. */
  label: string | null;
  /** For the network trained here: steps and seconds so far. */
  trained: { step: number; wallSeconds: number; parameters: number; fromShipped: boolean } | null;
}

/** Props of {@link MnistModelPanel}. */
export interface MnistModelPanelProps {
  model: ModelSummary;
  /** The shipped model's state, for its messages. */
  shipped: { status: 'loading' | 'ready' | 'error'; message: string | null };
  onLoad: (files: File[]) => void;
  loading: boolean;
  loadError: string | null;
}

const pm = (e: { value: number; se: number }, digits = 2) => `${fixed(e.value, digits)} ± ${fixed(e.se, digits)}`;
const parameters = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(0)} k` : String(n));

function CardNll({ card, beta1, params }: { card: MnistCard; beta1: number; params: number }) {
  const e = card.evaluation;
  const paper = card.paper?.continuous ?? null;
  const rows = e ? Object.entries(e.discrete).map(([n, est]) => [Number(n), est] as const).filter(([n]) => Number.isFinite(n)).sort((a, b) => a[0] - b[0]) : [];
  const t = card.training;
  return (
    <div
      className="mnist-nll"
      data-testid="mnist-nll"
      data-value={e ? String(e.continuous.value) : ''}
      data-se={e ? String(e.continuous.se) : ''}
      data-paper={paper !== null ? String(paper) : ''}
      data-evaluated={e ? 'yes' : 'no'}
    >
      <p className="mnist-model-title">{card.title}</p>
      {e ? (
        <>
          <div className="mnist-nll-head">
            <div>
              <span className="mnist-nll-value" data-testid="mnist-nll-value">{pm(e.continuous)}</span>
              <span className="muted"> nats / image</span>
              <div className="hint">test NLL bound L<sup>∞</sup> + L<sup>r</sup> on {e.testImages.toLocaleString('en')} test images (lower is better)</div>
            </div>
            {paper !== null ? (
              <div>
                <span className="mnist-nll-value paper" data-testid="mnist-nll-paper">{fixed(paper, 2)}</span>
                <span className="muted"> nats / image</span>
                <div className="hint" title={card.paper?.source}>the paper's result (a larger network, far longer training)</div>
              </div>
            ) : null}
          </div>
          <table className="mnist-nll-table" data-testid="mnist-nll-table">
            <caption className="sr-only">Test negative log-likelihood by number of sampling steps n</caption>
            <thead>
              <tr>
                <th scope="col">steps n</th>
                <th scope="col">
                  L<sup>n</sup> + L<sup>r</sup> (nats / image)
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map(([n, est]) => (
                <tr key={n} data-n={String(n)}>
                  <td>{n.toLocaleString('en')}</td>
                  <td>{pm(est)}</td>
                </tr>
              ))}
              <tr data-n="inf">
                <td>∞</td>
                <td>{pm(e.continuous)}</td>
              </tr>
            </tbody>
          </table>
          <p className="hint">
            <span data-testid="mnist-bound-note">{boundTrendNote(rows.map(([n, est]) => ({ n, ...est })))}</span> Reconstruction loss L<sup>r</sup> ={' '}
            {pm(e.reconstruction, 3)}. Measured with seed {e.seed} on {e.backend} in{' '}
            {duration(e.wallSeconds * 1000)}.
          </p>
        </>
      ) : (
        <p className="inline-note" data-testid="mnist-nll-none">
          This model's card has no test evaluation, so its negative log-likelihood is not known{paper !== null ? ` (the paper reports ${fixed(paper, 2)} nats per image)` : ''}.
        </p>
      )}
      <dl className="card-view">
        <div>
          <dt>training</dt>
          <dd>
            {t.steps.toLocaleString('en')} steps, batch {t.batch}, lr {t.learningRate}, seed {t.seed}; {duration(t.wallSeconds * 1000)} on {t.backend}
          </dd>
        </div>
        <div>
          <dt>network</dt>
          <dd>
            {parameters(params || card.parameters)} parameters; width {card.network.width}, depth {card.network.depth}; β₁ = {sig(beta1, 3)}
          </dd>
        </div>
        {card.weights && card.weights.dtype !== 'float32' && (
          <div data-testid="mnist-card-weights">
            <dt>weights</dt>
            <dd>
              stored as {card.weights.dtype === 'float16' ? 'float16' : `${card.weights.dtype} codes (per-tensor scale and offset)`}, {(card.weights.bytes / 1e6).toFixed(2)} MB
              {card.evaluation?.weights === card.weights.dtype ? '; the test NLL above was measured on these weights' : ''}
            </dd>
          </div>
        )}
      </dl>
    </div>
  );
}

/** The sampled model's NLL and card, and loading a model file. */
export function MnistModelPanel({ model, shipped, onLoad, loading, loadError }: MnistModelPanelProps) {
  const id = useId();
  const { info } = model;
  const onFile = (e: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(e.currentTarget.files ?? []);
    e.currentTarget.value = '';
    if (files.length) onLoad(files);
  };

  let body;
  if (model.source === 'trained' && model.trained) {
    const t = model.trained;
    body = (
      <div className="mnist-nll" data-testid="mnist-nll" data-value="" data-se="" data-paper="" data-evaluated="no">
        <p className="inline-note" data-testid="mnist-nll-none">
          Your network, trained in this page {t.fromShipped ? 'from the shipped model' : 'from scratch'}: {t.step.toLocaleString('en')} steps in{' '}
          {duration(t.wallSeconds * 1000)}, {parameters(t.parameters)} parameters. Its test negative log-likelihood is not measured in the browser
          (that takes many passes over the 10,000 test images); sampling uses its averaged (EMA) weights.
        </p>
      </div>
    );
  } else if (info?.card) {
    body = <CardNll card={info.card} beta1={info.beta1} params={info.parameters} />;
  } else if (info) {
    body = (
      <div className="mnist-nll" data-testid="mnist-nll" data-value="" data-se="" data-paper="" data-evaluated="no">
        <p className="inline-note" data-testid="mnist-nll-none">
          {model.label ?? 'This model'} came without a card: no test evaluation, so its negative log-likelihood is not known. {parameters(info.parameters)} parameters, β₁ ={' '}
          {sig(info.beta1, 3)}.
        </p>
      </div>
    );
  } else {
    body = (
      <div className="mnist-nll" data-testid="mnist-nll" data-value="" data-se="" data-paper="" data-evaluated="no">
        {model.source === 'shipped' && shipped.status === 'error' ? (
          <p className="inline-error">The shipped model could not be loaded: {shipped.message}</p>
        ) : (
          <p className="hint">Loading the model…</p>
        )}
      </div>
    );
  }

  return (
    <section className="card mnist-model" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>The model: test likelihood</h2>
      {body}
      <div className="button-row">
        <label className="button file-button">
          {loading ? 'Loading…' : 'Load a model file'}
          <input type="file" multiple accept=".json,.bin,application/json,application/octet-stream" onChange={onFile} disabled={loading} data-testid="mnist-load-model" />
        </label>
        <Help topic="Load a model file" text={CONTROL_HELP.modelFiles} />
      </div>
      <p className="hint">An MNIST model downloaded from this page: one bundle (.json), or model.json with weights.bin and card.json.</p>
      {loadError ? (
        <p className="inline-error" role="alert" data-testid="mnist-model-error">
          {loadError}
        </p>
      ) : null}
    </section>
  );
}
