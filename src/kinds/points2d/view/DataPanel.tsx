/**
 * The data panel: pick a built-in dataset or your own points, start drawing, upload a CSV or JSON file of points
 * (a bad file is explained and leaves the data as it was), and clear your points.
 */
import { useId, useState, type ChangeEvent } from 'react';
import { DATASETS_2D } from '../../../data/toy2d';
import { parsePoints, pointsCsv, POINT_LIMITS, PointsError } from '../../../data/points';
import { download } from '../../../state/modelBundle';
import { CUSTOM_DATASET, SETTINGS_2D } from '../../../state/urlState';
import { errorMessage } from '../../../ui/format';
import type { DatasetPoints } from './useDataset';
import { FieldLabel, Help } from '../../../ui/Help';
import { CONTROL_HELP } from '../../../ui/controlHelp';

/** Props of {@link DataPanel}. */
export interface DataPanelProps {
  dataset: DatasetPoints;
  /** Dataset ids that have a shipped model. */
  shippedIds: ReadonlySet<string>;
  onDataset: (id: string) => void;
  /** Switches to your points with the draw tool on. */
  onDraw: () => void;
  /** New points from a file (replacing your points). */
  onUpload: (points: Float32Array) => void;
  onClear: () => void;
  storageProblem: string | null;
  /** Where your points came from when a link carried them, or why they could not be read, else null. */
  linkNote: string | null;
}

/** Dataset picker, draw button, upload and clear. */
export function DataPanel({ dataset, shippedIds, onDataset, onDraw, onUpload, onClear, storageProblem, linkNote }: DataPanelProps) {
  const id = useId();
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [uploadNote, setUploadNote] = useState<string | null>(null);
  const count = dataset.all.length / 2;

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const input = e.currentTarget;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    setUploadError(null);
    setUploadNote(null);
    try {
      if (file.size > POINT_LIMITS.maxBytes) parsePoints('', file.name, file.size);
      const { points, notes } = parsePoints(await file.text(), file.name, file.size);
      onUpload(points);
      setUploadNote(`Loaded ${(points.length / 2).toLocaleString('en')} points from ${file.name}.${notes.length ? ` ${notes.join(' ')}` : ''}`);
    } catch (err) {
      setUploadError(`${file.name}: ${err instanceof PointsError ? err.message : `could not be read (${errorMessage(err)})`} Your data was not changed.`);
    }
  };

  return (
    <section className="card data-panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>1. Data</h2>
      <div className="field">
        <FieldLabel htmlFor={`${id}-ds`} help={SETTINGS_2D.dataset.help}>
          Dataset
        </FieldLabel>
        <select id={`${id}-ds`} value={dataset.id} onChange={(e) => onDataset(e.currentTarget.value)} data-testid="dataset-select">
          {DATASETS_2D.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
              {shippedIds.has(d.id) ? '' : ' (no shipped model yet)'}
            </option>
          ))}
          <option value={CUSTOM_DATASET}>Your points (draw or upload)</option>
        </select>
      </div>
      <p className="hint" data-testid="dataset-description">
        {dataset.description}{' '}
        <span data-testid="point-count" data-count={count}>
          {dataset.loaded ? `${count.toLocaleString('en')} point${count === 1 ? '' : 's'}` : 'reading your points…'}
        </span>
        {dataset.custom ? null : ', scaled into [−0.9, 0.9]².'}
      </p>
      <div className="button-row">
        <button type="button" className="button" onClick={onDraw} data-testid="draw-button">
          ✎ Draw your own
        </button>
        <label className="button file-button">
          Upload CSV / JSON
          <input type="file" accept=".csv,.json,.txt,.tsv,text/csv,application/json,text/plain" onChange={onFile} data-testid="upload-points" />
        </label>
        <Help topic="Draw, Upload, Download and Clear" text={CONTROL_HELP.dataset2d} />
        {dataset.custom && count > 0 ? (
          <>
            <button type="button" className="button subtle" onClick={() => download('points.csv', pointsCsv(dataset.all), 'text/csv')} data-testid="download-points">
              Download CSV
            </button>
            <button type="button" className="button subtle" onClick={onClear} data-testid="clear-points">
              Clear
            </button>
          </>
        ) : null}
      </div>
      <p className="hint">
        Files: two columns x, y (CSV with an optional header) or JSON <code>[[x, y], …]</code>; {POINT_LIMITS.minPoints} to{' '}
        {POINT_LIMITS.maxPoints.toLocaleString('en')} points, at most {POINT_LIMITS.maxBytes / 1048576} MB. Your points stay in this browser.
      </p>
      {uploadError ? (
        <p className="inline-error" role="alert" data-testid="upload-error">
          {uploadError}
        </p>
      ) : null}
      {uploadNote ? (
        <p className="inline-note" data-testid="upload-note">
          {uploadNote}
        </p>
      ) : null}
      {storageProblem ? <p className="inline-note">Note: {storageProblem}.</p> : null}
      {linkNote ? (
        <p className="inline-note" data-testid="link-note">
          {linkNote}
        </p>
      ) : null}
    </section>
  );
}
