/**
 * The simplex view's controls over its declared settings (src/settings/settingsSimplex.ts): a slider with its value
 * and unit, a select of the declared choices, and a number input that says when its text is invalid and keeps the
 * last valid value meanwhile. Each is labelled and carries the setting's help.
 */
import { useId } from 'react';
import { useCheckedText } from '../../../ui/hooks/useCheckedText';
import { numberProblem, type NumberSetting } from '../../../settings/setting';
import { FieldLabel } from '../../../ui/Help';

/** A slider over a numeric setting, its value shown beside the label. */
export function SliderField({ setting, value, onChange, testId, format = (v) => String(v) }: { setting: NumberSetting; value: number; onChange: (v: number) => void; testId: string; format?: (v: number) => string }) {
  const id = useId();
  return (
    <div className="field simplex-slider">
      <label htmlFor={id}>
        {setting.label}: <output data-testid={`${testId}-value`}>{format(value)}</output>
      </label>
      <input id={id} type="range" min={setting.min} max={setting.max} step={setting.step} value={value} onChange={(e) => onChange(Number(e.currentTarget.value))} data-testid={testId} title={setting.help} />
      <small>{setting.help}</small>
    </div>
  );
}

/** A select of a setting's choices (numbers) or of given options. */
export function SelectField<V extends string | number>({ label, help, value, options, onChange, testId }: { label: string; help: string; value: V; options: readonly { value: V; text: string }[]; onChange: (v: V) => void; testId: string }) {
  const id = useId();
  return (
    <div className="field">
      <FieldLabel htmlFor={id} help={help}>
        {label}
      </FieldLabel>
      <select id={id} value={String(value)} onChange={(e) => onChange(options.find((o) => String(o.value) === e.currentTarget.value)!.value)} data-testid={testId} title={help}>
        {options.map((o) => <option key={String(o.value)} value={String(o.value)}>{o.text}</option>)}
      </select>
    </div>
  );
}

/** A number input for a whole-number setting: a valid text is applied at once, an invalid one is flagged and not applied. */
export function IntField({ setting, value, onChange, testId }: { setting: NumberSetting; value: number; onChange: (v: number) => void; testId: string }) {
  const id = useId();
  const { text, problem, onText } = useCheckedText(String(value), (t) => numberProblem(setting, Number(t.trim() === '' ? NaN : t)), (t) => onChange(Number(t)));
  return (
    <div className="field">
      <FieldLabel htmlFor={id} help={setting.help}>
        {setting.label}
      </FieldLabel>
      <input
        id={id} type="number" inputMode="numeric" min={setting.min} max={setting.max} step={setting.step ?? 1} value={text} aria-invalid={problem !== null} data-testid={testId} title={setting.help}
        onChange={(e) => onText(e.currentTarget.value)}
      />
      {problem ? <small className="invalid">{problem}; still using {value}</small> : null}
    </div>
  );
}
