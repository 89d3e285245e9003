/** A visible list of errors (from the worker or the page), each dismissible. Never swallowed. */
export interface ErrorItem {
  id: number;
  where: string;
  message: string;
}

/** Shows every error in `errors` with a Dismiss button; renders nothing when there is none. */
export function ErrorBox({ errors, onDismiss }: { errors: ErrorItem[]; onDismiss: (id: number) => void }) {
  if (errors.length === 0) return null;
  return (
    <div className="error-box" role="alert" data-testid="error-box">
      <strong>Something went wrong</strong>
      <ul>
        {errors.map((e) => (
          <li key={e.id}>
            <span>
              <span className="error-where">{e.where}:</span> {e.message}
            </span>
            <button type="button" className="link-button" onClick={() => onDismiss(e.id)} aria-label={`Dismiss error: ${e.message}`}>
              Dismiss
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
