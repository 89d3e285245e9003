/**
 * The text of a field bound to a value, for fields where a user may type something invalid for a while: valid text is
 * applied at once; invalid text stays in the field, flagged, while the last valid value stays in use (so a typo loses
 * nothing). When the value changes from outside (a slider, a link, a reset), the text follows it.
 */
import { useState } from 'react';

/** What {@link useCheckedText} gives the field. */
export interface CheckedText {
  /** The field's text. */
  text: string;
  /** Why the text is invalid, or null. */
  problem: string | null;
  /** The field's change handler: sets the text, and applies it when valid. */
  onText: (text: string) => void;
}

/**
 * @param value the value in use, as text. @param problem why a text is invalid, or null when valid.
 * @param onChange called with each valid text as it is typed.
 */
export function useCheckedText(value: string, problem: (text: string) => string | null, onChange: (text: string) => void): CheckedText {
  const [text, setText] = useState(value);
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    // The value changed from outside: show it (React's documented way to adjust state when a prop changes).
    setShown(value);
    setText(value);
  }
  return {
    text,
    problem: problem(text),
    onText: (next) => {
      setText(next);
      if (problem(next) === null) {
        setShown(next);
        onChange(next);
      }
    },
  };
}
