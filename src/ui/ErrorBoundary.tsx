/** Catches rendering errors so a bug shows as a visible message instead of a blank page. */
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface State {
  error: Error | null;
}

/** Shows a render error with a reload button instead of an empty page. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('BFN Playground crashed while rendering:', error, info.componentStack);
  }

  render() {
    if (!this.state.error) return this.props.children;
    return (
      <main className="page">
        <h1>BFN Playground</h1>
        <div className="error-box" role="alert" data-testid="error-box">
          <strong>The page stopped because of an error:</strong> {this.state.error.message}
          <div>
            <button type="button" className="link-button" onClick={() => location.reload()}>
              Reload the page
            </button>
          </div>
        </div>
      </main>
    );
  }
}
