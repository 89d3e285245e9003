/**
 * The Learn widgets' controls: a labelled slider paired with a number field (type a value, or drag / use the arrow keys),
 * and a hook that keeps one worker call in flight and sends the latest options when it returns.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { useCheckedText } from '../../../ui/hooks/useCheckedText';

export interface NumberSliderProps {
  /** The label (plain words and the paper's symbol, e.g. "accuracy α"). */
  label: string;
  value: number;
  min: number;
  max: number;
  step: number;
  onChange: (v: number) => void;
  /** What the control does and its unit. */
  help: string;
  testId: string;
  /** Shown after the value, e.g. a unit. */
  unit?: string;
}

/**
 * A slider with a number field. Typed text is applied when it is a number within [min, max]; otherwise the field is
 * flagged with a message and the last valid value stays in use, so a typo loses nothing.
 */
export function NumberSlider({ label, value, min, max, step, onChange, help, testId, unit }: NumberSliderProps) {
  const id = useId();
  const { text, problem, onText } = useCheckedText(String(value), (t) => {
    const typed = Number(t);
    return t.trim() === '' || !Number.isFinite(typed) ? 'not a number' : typed < min || typed > max ? `must lie in [${min}, ${max}]` : null;
  }, (t) => onChange(Number(t)));
  return (
    <div className="learn-control">
      <label htmlFor={`${id}-n`} className="learn-control-label">{label}</label>
      <div className="learn-control-row">
        <input
          type="range" min={min} max={max} step={step} value={value} aria-label={label} aria-describedby={`${id}-h`} data-testid={`${testId}-slider`}
          onChange={(e) => onChange(Number(e.currentTarget.value))}
        />
        <input
          id={`${id}-n`} type="number" min={min} max={max} step={step} value={text} aria-invalid={problem !== null} aria-describedby={`${id}-h`} data-testid={`${testId}-input`}
          onChange={(e) => onText(e.currentTarget.value)}
        />
        {unit ? <span className="learn-unit">{unit}</span> : null}
      </div>
      <small id={`${id}-h`} className={problem ? 'invalid' : 'learn-muted'}>{problem ? `${problem}; still using ${value}` : help}</small>
    </div>
  );
}

/**
 * Calls `call(options)` whenever `options` change, with one call in flight at a time: options that change meanwhile
 * wait and go next (dragging a slider does not queue a backlog in the worker). Errors go to `onError`.
 * @returns the latest result and whether it answers the current options.
 */
export function useLatest<O, R>(options: O, call: (options: O) => Promise<R>, onError: (message: string) => void, enabled = true): { result: R | null; current: boolean } {
  const [result, setResult] = useState<{ for: O; value: R } | null>(null);
  const inFlight = useRef(false);
  const wanted = useRef(options);
  const [tick, setTick] = useState(0);
  const callRef = useRef(call);
  const errorRef = useRef(onError);
  useEffect(() => {
    callRef.current = call;
    errorRef.current = onError;
  });
  useEffect(() => {
    wanted.current = options;
    if (!enabled || inFlight.current) return;
    inFlight.current = true;
    const asked = options;
    callRef.current(asked).then(
      (value) => setResult({ for: asked, value }),
      (err: unknown) => errorRef.current(err instanceof Error ? err.message : String(err)),
    ).finally(() => {
      inFlight.current = false;
      if (wanted.current !== asked) setTick((k) => k + 1);
    });
  }, [options, enabled, tick]);
  return { result: result?.value ?? null, current: result !== null && result.for === options };
}
