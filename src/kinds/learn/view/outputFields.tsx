/**
 * Controls and the worker-call hook of the Learn output widgets: a labelled slider with its value, a whole-number
 * field and a text field that flag invalid text and keep the last valid value meanwhile, and a select. Each carries a
 * one-line help (title and visible text) with its unit.
 */
import { useId } from 'react';
import { useCheckedText } from '../../../ui/hooks/useCheckedText';

/** A slider with its current value beside the label. */
export function RangeField({ label, help, value, min, max, step, onChange, format = String, testId }: {
  label: string; help: string; value: number; min: number; max: number; step: number; onChange: (v: number) => void; format?: (v: number) => string; testId: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}: <output data-testid={`${testId}-value`}>{format(value)}</output></label>
      <input id={id} type="range" min={min} max={max} step={step} value={value} onChange={(e) => onChange(Number(e.currentTarget.value))} data-testid={testId} title={help} />
      <small>{help}</small>
    </div>
  );
}

/**
 * A text or whole-number input: text for which `problem` returns null is applied at once; other text is flagged in red
 * and not applied (the last valid value stays in use and is named).
 */
export function CheckedField({ label, help, value, problem, onChange, testId, numeric = false }: {
  label: string; help: string; value: string; problem: (text: string) => string | null; onChange: (text: string) => void; testId: string; numeric?: boolean;
}) {
  const id = useId();
  const { text, problem: bad, onText } = useCheckedText(value, problem, onChange);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id} type="text" inputMode={numeric ? 'numeric' : 'text'} value={text} aria-invalid={bad !== null} data-testid={testId} title={help}
        autoComplete="off" spellCheck={false}
        onChange={(e) => onText(e.currentTarget.value)}
      />
      {bad ? <small className="invalid" role="alert">{bad}; still using {value}</small> : <small>{help}</small>}
    </div>
  );
}

/** Why `text` is not a whole number in [lo, hi], or null. */
export function intProblem(text: string, lo: number, hi: number): string | null {
  const v = Number(text.trim());
  if (text.trim() === '' || !Number.isInteger(v)) return 'enter a whole number';
  return v < lo || v > hi ? `between ${lo} and ${hi}` : null;
}

/** A select of given options. */
export function ChoiceField<V extends string | number>({ label, help, value, options, onChange, testId }: {
  label: string; help: string; value: V; options: readonly { value: V; text: string }[]; onChange: (v: V) => void; testId: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={String(value)} onChange={(e) => onChange(options.find((o) => String(o.value) === e.currentTarget.value)!.value)} data-testid={testId} title={help}>
        {options.map((o) => <option key={String(o.value)} value={String(o.value)}>{o.text}</option>)}
      </select>
      <small>{help}</small>
    </div>
  );
}
