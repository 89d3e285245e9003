/** The sampler's settings form: points, steps, sigma1, network, seed, and the Sample button with progress. */
import { useId, useState, type FormEvent } from 'react';
import { STANDIN_NETS, type StandinNet } from '../engine/protocol';
import { LIMITS, NET_LABELS, validate, type SamplerSettings } from './settings';

type NumericKey = keyof typeof LIMITS;

const FIELDS: { key: NumericKey; label: string; help: string }[] = [
  { key: 'points', label: 'Points N', help: 'sampled in parallel' },
  { key: 'steps', label: 'Steps n', help: 'Bayesian updates' },
  { key: 'sigma1', label: 'σ₁', help: 'final standard deviation' },
  { key: 'seed', label: 'Seed', help: 'of the noise' },
];

/** Props of {@link SampleControls}. */
export interface SampleControlsProps {
  initial: SamplerSettings;
  ready: boolean;
  busy: boolean;
  progress: { done: number; total: number } | null;
  onSample: (settings: SamplerSettings) => void;
}

/** The settings form; validates each field and calls `onSample` with valid settings only. */
export function SampleControls({ initial, ready, busy, progress, onSample }: SampleControlsProps) {
  const id = useId();
  const [raw, setRaw] = useState<Record<NumericKey, string>>(() => ({
    points: String(initial.points),
    steps: String(initial.steps),
    sigma1: String(initial.sigma1),
    seed: String(initial.seed),
  }));
  const [net, setNet] = useState<StandinNet>(initial.net);
  const problems = Object.fromEntries(FIELDS.map(({ key }) => [key, validate(key, raw[key].trim() === '' ? NaN : Number(raw[key]))])) as Record<NumericKey, string | null>;
  const valid = FIELDS.every(({ key }) => problems[key] === null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!valid || busy || !ready) return;
    onSample({ points: Number(raw.points), steps: Number(raw.steps), sigma1: Number(raw.sigma1), seed: Number(raw.seed), net });
  };

  return (
    <form className="card controls" onSubmit={submit} aria-label="Sampler settings" noValidate>
      <h2>Sampler</h2>
      <div className="fields">
        {FIELDS.map(({ key, label, help }) => (
          <div className="field" key={key}>
            <label htmlFor={`${id}-${key}`}>{label}</label>
            <input
              id={`${id}-${key}`}
              type="number"
              inputMode={key === 'sigma1' ? 'decimal' : 'numeric'}
              min={LIMITS[key].min}
              max={LIMITS[key].max}
              step={LIMITS[key].step}
              value={raw[key]}
              onChange={(e) => {
                const value = e.currentTarget.value;
                setRaw((r) => ({ ...r, [key]: value }));
              }}
              aria-invalid={problems[key] !== null}
              aria-describedby={`${id}-${key}-help`}
              data-testid={`input-${key}`}
            />
            <small id={`${id}-${key}-help`} className={problems[key] ? 'invalid' : ''}>
              {problems[key] ?? help}
            </small>
          </div>
        ))}
        <div className="field wide">
          <label htmlFor={`${id}-net`}>Network (closed-form stand-in)</label>
          <select id={`${id}-net`} value={net} onChange={(e) => setNet(e.currentTarget.value as StandinNet)} data-testid="input-net">
            {STANDIN_NETS.map((name) => (
              <option key={name} value={name}>
                {NET_LABELS[name]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="sample-row">
        <button type="submit" className="button primary" disabled={!ready || busy || !valid} data-testid="sample-button">
          {busy ? 'Sampling…' : 'Sample'}
        </button>
        <div className="progress" aria-live="polite">
          {busy ? (
            <>
              <progress max={progress?.total ?? 1} value={progress?.done ?? 0} aria-label="Sampling progress" />
              <span className="muted">{progress ? `${progress.done} / ${progress.total} steps` : 'starting…'}</span>
            </>
          ) : !ready ? (
            <span className="muted">waiting for the engine…</span>
          ) : null}
        </div>
      </div>
    </form>
  );
}
