/**
 * The MNIST sampler's settings: images, steps n (number and slider), seed and the model to sample with, and the
 * Sample button with its progress and a Cancel button. Valid values go to the URL state at once; images × (n + 1) is
 * kept within MNIST_SAMPLE_LIMITS.imageFrames (more images clamp n, with a note; a too large n typed by hand is
 * explained). Only plain decimal whole numbers are accepted.
 */
import { SettingInput } from '../../../ui/SettingInput';
import { useId, useState, type FormEvent } from 'react';
import { MNIST_MODEL_SOURCES, type MnistModelSource } from '../../../engine/client';
import { SETTINGS_MNIST } from '../../../settings/settingsMnist';
import { SamplerField } from '../../../ui/SamplerField';
import { clampNote, IMAGE_CHOICES, maxStepsFor, parseDecimal, seedProblem, stepsProblem, type MnistSettings } from './mnistConfig';
import { FieldLabel, Help } from '../../../ui/Help';
import { CONTROL_HELP } from '../../../ui/controlHelp';

/** Which sources can be sampled now, and how to name them. */
export type SourceChoices = Record<MnistModelSource, { available: boolean; label: string }>;

/** Props of {@link MnistSampleControls}. */
export interface MnistSampleControlsProps {
  settings: MnistSettings;
  update: (patch: Partial<MnistSettings>) => void;
  source: MnistModelSource;
  sources: SourceChoices;
  /** Switches the model (and samples with it). */
  onSource: (source: MnistModelSource) => void;
  /** Null when sampling is possible, else why not. */
  blocked: string | null;
  busy: boolean;
  progress: { done: number; total: number } | null;
  onSample: () => void;
  /** Cancels the run in progress. */
  onCancel: () => void;
  /** True when the grids show a run made with other settings (a hint then says so). */
  stale: boolean;
  /** The note to show first when the URL's n was lowered, or null. */
  initialClamped: string | null;
}

/** Images, n, seed, model source and the Sample button. */
export function MnistSampleControls({ settings, update, source, sources, onSource, blocked, busy, progress, onSample, onCancel, stale, initialClamped }: MnistSampleControlsProps) {
  const id = useId();
  const [stepsText, setStepsText] = useState(String(settings.steps));
  const [seedText, setSeedText] = useState(String(settings.seed));
  const [clamped, setClamped] = useState<string | null>(initialClamped);
  // New values in the URL state replace what is typed.
  const [textOf, setTextOf] = useState({ steps: settings.steps, seed: settings.seed });
  if (textOf.steps !== settings.steps || textOf.seed !== settings.seed) {
    setTextOf({ steps: settings.steps, seed: settings.seed });
    if (textOf.steps !== settings.steps) setStepsText(String(settings.steps));
    if (textOf.seed !== settings.seed) setSeedText(String(settings.seed));
  }

  const steps = parseDecimal(stepsText);
  const seed = parseDecimal(seedText);
  const stepsIssue = stepsProblem(steps, settings.images);
  const seedIssue = seedProblem(seed);
  const valid = stepsIssue === null && seedIssue === null;
  const maxSteps = maxStepsFor(settings.images);

  const setSteps = (text: string) => {
    setStepsText(text);
    setClamped(null);
    const v = parseDecimal(text);
    if (stepsProblem(v, settings.images) === null) update({ steps: v });
  };

  const setImages = (images: number) => {
    const max = maxStepsFor(images);
    if (settings.steps > max) {
      update({ images, steps: max });
      setClamped(clampNote(images, max));
    } else {
      update({ images });
      setClamped(null);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (valid && blocked === null && !busy) onSample();
  };

  return (
    <form className="mnist-controls" onSubmit={submit} aria-label="Sampling settings" noValidate>
      <div className="field">
        <FieldLabel htmlFor={`${id}-images`} help={SETTINGS_MNIST.images.help}>
          Images
        </FieldLabel>
        <select id={`${id}-images`} value={String(settings.images)} onChange={(e) => setImages(Number(e.currentTarget.value))} data-testid="mnist-images-select">
          {IMAGE_CHOICES.map((v) => (
            <option key={v} value={String(v)}>
              {v} ({Math.sqrt(v)} × {Math.sqrt(v)})
            </option>
          ))}
        </select>
      </div>
      <div className="field mnist-steps-field">
        <FieldLabel htmlFor={`${id}-steps`} help={SETTINGS_MNIST.steps.help}>
          Steps n
        </FieldLabel>
        <div className="mnist-steps-row">
          <SettingInput id={`${id}-steps`} setting={SETTINGS_MNIST.steps} max={maxSteps} text={stepsText} onText={setSteps} invalid={stepsIssue !== null} testId="mnist-steps-input" />
          <input
            type="range"
            min={SETTINGS_MNIST.steps.min}
            max={maxSteps}
            step={SETTINGS_MNIST.steps.step}
            value={Number.isFinite(steps) ? Math.min(maxSteps, Math.max(1, steps)) : settings.steps}
            onChange={(e) => setSteps(e.currentTarget.value)}
            aria-label="Steps n"
            data-testid="mnist-steps-slider"
          />
        </div>
        {stepsIssue ? <small className="invalid" data-testid="mnist-steps-problem">{stepsIssue}</small> : <small>1 – {maxSteps} with {settings.images} images</small>}
      </div>
      <div className="field">
        <FieldLabel htmlFor={`${id}-seed`} help={SETTINGS_MNIST.seed.help}>
          Seed
        </FieldLabel>
        <SettingInput
          id={`${id}-seed`}
          setting={SETTINGS_MNIST.seed}
          text={seedText}
          onText={(text) => {
            setSeedText(text);
            const v = parseDecimal(text);
            if (seedProblem(v) === null) update({ seed: v });
          }}
          invalid={seedIssue !== null}
          testId="mnist-seed-input"
        />
        {seedIssue ? <small className="invalid">{seedIssue}</small> : null}
      </div>
      <SamplerField kind="discrete" value={settings.sampler} onChange={(sampler) => update({ sampler })} testId="mnist-sampler-select" className="field mnist-wide" />
      <div className="field">
        <FieldLabel htmlFor={`${id}-source`} help={CONTROL_HELP.mnistSource}>
          Model
        </FieldLabel>
        <select id={`${id}-source`} value={source} onChange={(e) => onSource(e.currentTarget.value as MnistModelSource)} disabled={busy} data-testid="mnist-source-select">
          {MNIST_MODEL_SOURCES.filter((s) => sources[s].available || s === source).map((s) => (
            <option key={s} value={s}>
              {sources[s].label}
            </option>
          ))}
        </select>
      </div>
      <div className="mnist-sample-action">
        <button type="submit" className="button primary" disabled={blocked !== null || busy || !valid} data-testid="mnist-sample-button">
          {busy ? 'Sampling…' : 'Sample'}
        </button>
        <Help topic="Sample and Cancel" text={CONTROL_HELP.mnistSample} />
        {busy ? (
          <>
            <button type="button" className="button" onClick={onCancel} data-testid="mnist-sample-cancel">
              Cancel
            </button>
            <progress
              max={progress?.total ?? 1}
              value={progress ? progress.done : undefined}
              aria-label="Sampling progress"
              data-testid="mnist-sample-progress"
            />
          </>
        ) : null}
      </div>
      {clamped ? (
        <small className="mnist-wide" data-testid="mnist-steps-clamped">
          {clamped}
        </small>
      ) : null}
      {blocked ? <small className="mnist-wide muted">{blocked}</small> : null}
      {stale && !busy ? (
        <p className="hint mnist-wide" data-testid="mnist-stale">
          {valid && blocked === null ? 'The grids show the last run; press Sample to apply the new settings.' : 'The grids show the last run.'}
        </p>
      ) : null}
    </form>
  );
}
