/**
 * The K = 3 simplex view (`?view=simplex`): the Bayesian flow distribution of discrete data with three classes on the
 * triangle, without a network (./FlowPanel.tsx), and a tiny shipped model learning a dependency between three such
 * variables (./ModelPanel.tsx). Its settings live in the URL (src/settings/settingsSimplex.ts).
 */
import { useCallback } from 'react';
import type { BackendInfo, EngineClient } from '../../../engine/client';
import { useUrlSettings } from '../../../ui/hooks/useUrlSettings';
import { readSettings, writeSettings } from '../../../settings/url';
import { SETTINGS_SIMPLEX, type SimplexSettings } from '../../../settings/settingsSimplex';
import { FlowPanel } from './FlowPanel';
import { ModelPanel } from './ModelPanel';

const readUrl = (search: string) => readSettings(SETTINGS_SIMPLEX, search);
const writeUrl = (state: SimplexSettings, search: string) => writeSettings(SETTINGS_SIMPLEX, state, search);

/** What the page hands the view (src/ui/views.tsx ViewProps). */
export interface SimplexViewProps {
  engine: EngineClient;
  backend: BackendInfo | null;
  onError: (where: string, message: string) => void;
  /** False while the view is hidden. */
  active: boolean;
}

/** The whole simplex view below the page header. */
export function SimplexView({ engine, backend, onError, active }: SimplexViewProps) {
  const ready = backend !== null;
  const { state: settings, update, messages } = useUrlSettings(readUrl, writeUrl);
  const report = useCallback((where: string, message: string) => onError(where, message), [onError]);
  return (
    <div id="simplex-main" className="simplex-view" tabIndex={-1}>
      {messages.length ? <p className="inline-note" role="status">{messages.map((m) => m.text).join(' ')}</p> : null}
      <FlowPanel engine={engine} ready={ready} settings={settings} update={update} onError={report} />
      <ModelPanel engine={engine} ready={ready} active={active} settings={settings} update={update} onError={report} />
    </div>
  );
}
