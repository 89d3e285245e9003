/** The sampler picker of both views: the original BFN sampler or a BFN-Solver, with its description below. */
import { useId } from 'react';
import { SAMPLER_CHOICES, type SamplerId } from '../bfn/samplerChoices';
import { SETTINGS_2D } from '../settings/settings2d';
import { SETTINGS_MNIST } from '../settings/settingsMnist';
import { FieldLabel } from './Help';

/** Props of {@link SamplerField}. */
export interface SamplerFieldProps {
  /** The data kind whose samplers are offered. */
  kind: 'continuous' | 'discrete';
  value: SamplerId;
  onChange: (sampler: SamplerId) => void;
  testId: string;
  className?: string;
}

/** A labelled select of the kind's samplers; the chosen one's description shows below it and as its tooltip. */
export function SamplerField({ kind, value, onChange, testId, className = 'field' }: SamplerFieldProps) {
  const id = useId();
  const description = SAMPLER_CHOICES[kind].find((c) => c.id === value)?.description;
  return (
    <div className={className}>
      <FieldLabel htmlFor={id} help={(kind === 'continuous' ? SETTINGS_2D : SETTINGS_MNIST).sampler.help}>
        Sampler
      </FieldLabel>
      <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value as SamplerId)} title={description} data-testid={testId}>
        {SAMPLER_CHOICES[kind].map((c) => (
          <option key={c.id} value={c.id} title={c.description}>
            {c.label}
          </option>
        ))}
      </select>
      <small className="muted">{description}</small>
    </div>
  );
}
