/**
 * The number input of a declared setting (src/settings/): its min, max and step come from the declaration, the text is
 * the view's (so that a value being typed may be invalid for a while), and it says when it is invalid. Used by every
 * view's number fields.
 */
import type { InputHTMLAttributes } from 'react';
import type { NumberSetting } from '../settings/setting';

/** Props: the declaration, the text shown, what to do with a new text, whether it is invalid, and the test id. */
export interface SettingInputProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value' | 'min' | 'step' | 'type'> {
  setting: NumberSetting;
  text: string;
  onText: (text: string) => void;
  invalid: boolean;
  testId: string;
}

/** A numeric input bound to a declared setting. */
export function SettingInput({ setting, text, onText, invalid, testId, max, ...rest }: SettingInputProps) {
  return (
    <input
      type="number"
      inputMode="numeric"
      min={setting.min}
      max={max ?? setting.max}
      step={setting.step}
      value={text}
      onChange={(e) => onText(e.currentTarget.value)}
      aria-invalid={invalid}
      data-testid={testId}
      {...rest}
    />
  );
}
