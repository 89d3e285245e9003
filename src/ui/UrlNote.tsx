/** A small note that tells whoever opened a link which settings of its URL were invalid and reset, and why; dismissable. */
import { useState } from 'react';
import type { SettingMessage } from '../settings/url';

/** Lists `messages` (one per reset setting) with a Dismiss button; renders nothing when there is none or once dismissed. */
export function UrlNote({ messages, testId = 'url-note' }: { messages: readonly SettingMessage[]; testId?: string }) {
  const [dismissed, setDismissed] = useState(false);
  if (messages.length === 0 || dismissed) return null;
  return (
    <div className="inline-note url-note" role="status" data-testid={testId}>
      <span>
        {messages.length === 1 ? 'A setting in this link was invalid and was reset:' : `${messages.length} settings in this link were invalid and were reset:`}
      </span>
      <ul>
        {messages.map((m) => (
          <li key={`${m.param}-${m.key}`}>{m.text}</li>
        ))}
      </ul>
      <button type="button" className="link-button" onClick={() => setDismissed(true)} data-testid={`${testId}-dismiss`} aria-label="Dismiss the note about the link's settings">
        Dismiss
      </button>
    </div>
  );
}
