/** The sampler's settings (the sampler, points N, steps n, seed) and the Sample button with its progress. */
import { useId, useState, type FormEvent } from 'react';
import { SamplerField } from '../../../ui/SamplerField';
import { SAMPLE_LIMITS } from '../../../engine/protocol';
import { SETTINGS_2D, validateNumber, type PlaygroundState } from '../../../state/urlState';
import { FieldLabel, Help } from '../../../ui/Help';
import { CONTROL_HELP } from '../../../ui/controlHelp';

type Key = 'samples' | 'steps' | 'sampleSeed';
const FIELDS: { key: Key; limit: 'samples' | 'steps' | 'seed'; label: string }[] = [
  { key: 'samples', limit: 'samples', label: 'Points N' },
  { key: 'steps', limit: 'steps', label: 'Steps n' },
  { key: 'sampleSeed', limit: 'seed', label: 'Seed' },
];

/** Props of {@link SamplingControls}. */
export interface SamplingControlsProps {
  settings: PlaygroundState;
  update: (patch: Partial<PlaygroundState>) => void;
  canSample: boolean;
  busy: boolean;
  progress: { done: number; total: number } | null;
  onSample: () => void;
}

/** N, n and seed fields (validated) and the Sample button; a valid value goes to the URL state at once. */
export function SamplingControls({ settings, update, canSample, busy, progress, onSample }: SamplingControlsProps) {
  const id = useId();
  const [raw, setRaw] = useState<Record<Key, string>>({ samples: String(settings.samples), steps: String(settings.steps), sampleSeed: String(settings.sampleSeed) });
  // New values in the URL state (a link, Back, a preset) replace what is typed.
  const settingsKey = `${settings.samples}|${settings.steps}|${settings.sampleSeed}`;
  const [rawKey, setRawKey] = useState(settingsKey);
  if (rawKey !== settingsKey) {
    setRawKey(settingsKey);
    setRaw({ samples: String(settings.samples), steps: String(settings.steps), sampleSeed: String(settings.sampleSeed) });
  }
  const problems = Object.fromEntries(FIELDS.map(({ key, limit }) => [key, validateNumber(limit, raw[key].trim() === '' ? NaN : Number(raw[key]))])) as Record<Key, string | null>;
  const product = Number(raw.samples) * Number(raw.steps);
  const tooBig = problems.samples === null && problems.steps === null && product > SAMPLE_LIMITS.pointSteps;
  const valid = FIELDS.every(({ key }) => problems[key] === null) && !tooBig;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (valid && canSample && !busy) onSample();
  };

  return (
    <form className="sampling" onSubmit={submit} aria-label="Sampling settings" noValidate>
      <SamplerField kind="continuous" value={settings.sampler} onChange={(sampler) => update({ sampler })} testId="input-sampler" className="field sampler-field" />
      {FIELDS.map(({ key, label }) => (
        <div className="field" key={key}>
          <FieldLabel htmlFor={`${id}-${key}`} help={SETTINGS_2D[key].help}>
            {label}
          </FieldLabel>
          <input
            id={`${id}-${key}`}
            type="number"
            inputMode="numeric"
            min={SETTINGS_2D[key].min}
            max={SETTINGS_2D[key].max}
            step={SETTINGS_2D[key].step}
            value={raw[key]}
            onChange={(e) => {
              const text = e.currentTarget.value;
              setRaw((r) => ({ ...r, [key]: text }));
              const limit = FIELDS.find((f) => f.key === key)!.limit;
              if (text.trim() !== '' && validateNumber(limit, Number(text)) === null) update({ [key]: Number(text) } as Partial<PlaygroundState>);
            }}
            aria-invalid={problems[key] !== null}
            data-testid={`input-${key}`}
          />
          {problems[key] ? <small className="invalid">{problems[key]}</small> : null}
        </div>
      ))}
      <div className="sample-action">
        <button type="submit" className="button primary" disabled={!canSample || busy || !valid} data-testid="sample-button">
          {busy ? 'Sampling…' : 'Sample'}
        </button>
        <Help topic="Sample" text={CONTROL_HELP.sample2d} />
        {busy && progress ? (
          <progress max={progress.total} value={progress.done} aria-label="Sampling progress" />
        ) : null}
      </div>
      {tooBig ? <small className="invalid wide">N × n must be at most {SAMPLE_LIMITS.pointSteps.toLocaleString('en')}</small> : null}
    </form>
  );
}
