import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { ErrorBoundary } from './ui/ErrorBoundary';
import './ui/styles.css';
import { createEngine, engineOptionsFromUrl } from './engine/client';

// The engine worker starts loading (TF.js, the backend's wasm binary) while React draws the page, not after: the
// first frame of a view waits for it. App gets this same engine and the same backend answer (both are made once).
try {
  void createEngine().init(engineOptionsFromUrl()).catch(() => undefined);
} catch {
  // No worker here: App makes the engine again and shows the error.
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ErrorBoundary>
      <App />
    </ErrorBoundary>
  </StrictMode>,
);
