/**
 * Steps vs quality: for the model a view samples, two measures of sample quality against the number of steps n for
 * every sampler (the original BFN sampler and the BFN-Solvers of Xue et al. 2024), measured in the worker with
 * progress and cancel, beside the data's own values, with a table and a side-by-side of two samplers from the same
 * seed. The 2D view measures k-NN precision and recall ({@link StepsQuality}); the MNIST view a digit classifier's
 * confidence (src/kinds/mnist-binary/view/MnistStepsQuality.tsx). Where fewer steps keep the quality, the faster sampler wins.
 */
import { useCallback, useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { SAMPLER_CHOICES, type SamplerId } from '../../bfn/samplerChoices';
import { STEPS_QUALITY_CANCELLED, type EngineClient, type ModelSource } from '../../engine/client';
import { LineChart, type Series } from '../charts/LineChart';
import { errorMessage } from '../format';
import { Help } from '../Help';
import { CONTROL_HELP } from '../controlHelp';

/** The step counts the chart measures. */
export const QUALITY_STEPS = [2, 5, 10, 20, 50, 100];
/** Samples per run. */
export const QUALITY_POINTS = 500;

/** One colour per sampler, in SAMPLER_CHOICES order. */
export const COLORS: Record<SamplerId, string> = {
  original: '#111827',
  ode_bfnsolver1: '#2563eb',
  ode_bfnsolver2_multi_step: '#7c3aed',
  sde_bfnsolver1: '#ea580c',
  sde_bfnsolver2_multi_step: '#059669',
};

/** Final samples of one run as a small scatter plot over [-1, 1]^2 (SVG, one dot per sample). */
function MiniScatter({ samples, label, color, testId }: { samples: Float32Array; label: string; color: string; testId: string }) {
  const size = 200;
  const at = (v: number) => ((v + 1) / 2) * size;
  const dots: ReactNode[] = [];
  for (let k = 0; k + 1 < samples.length; k += 2) dots.push(<circle key={k} cx={at(samples[k]!)} cy={size - at(samples[k + 1]!)} r={1.4} />);
  return (
    <figure className="mini-scatter" data-testid={testId}>
      <svg viewBox={`0 0 ${size} ${size}`} role="img" aria-label={label}>
        <rect x={0} y={0} width={size} height={size} fill="#fff" stroke="#dbe2ec" />
        <g fill={color} fillOpacity={0.7}>
          {dots}
        </g>
      </svg>
      <figcaption>{label}</figcaption>
    </figure>
  );
}

/** One run of a steps-vs-quality measurement: two quality measures (higher is better) and the samples. */
export interface QualityRow {
  sampler: SamplerId;
  n: number;
  a: number;
  b: number;
  samples: Float32Array;
}

/** A finished measurement: its rows, the data's own values of both measures, and what it was computed on. */
export interface QualityTable {
  rows: QualityRow[];
  dataA: number;
  dataB: number;
  /** What the numbers were computed on, in words (shown as the table's caption). */
  caption: string;
}

/** Props of {@link StepsQualityPanel}. */
export interface StepsQualityPanelProps {
  kind: 'continuous' | 'discrete';
  /** Names of the two measures, e.g. precision and recall. */
  names: { a: string; b: string };
  /** The chart's y-axis label. */
  yLabel: string;
  /** What the panel measures, in a sentence or two. */
  intro: ReactNode;
  /** Changes when the measured model or data change: a result for another key is not shown. */
  resultKey: string;
  enabled: boolean;
  /** Runs the measurement for the samplers and step counts, reporting progress in runs; rejects with an error named STEPS_QUALITY_CANCELLED when cancelled. */
  measure: (samplers: SamplerId[], steps: number[], onProgress: (done: number, total: number) => void) => Promise<QualityTable>;
  cancel: () => void;
  /** Draws the samples of one run for the side-by-side view. */
  renderSamples: (samples: Float32Array, label: string, color: string, testId: string) => ReactNode;
  onError: (where: string, message: string) => void;
}

/** The Measure / Cancel buttons, a progress bar, the chart, a table of the values and the side-by-side view. */
export function StepsQualityPanel({ kind, names, yLabel, intro, resultKey, enabled, measure, cancel, renderSamples, onError }: StepsQualityPanelProps) {
  const id = useId();
  const [result, setResult] = useState<{ key: string; value: QualityTable } | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const run = useRef(0);
  const choices = SAMPLER_CHOICES[kind];
  const [pair, setPair] = useState<{ a: SamplerId; b: SamplerId; n: number }>({ a: 'original', b: 'ode_bfnsolver2_multi_step', n: 10 });

  // A result belongs to one model and dataset: it is not shown for another.
  const shown = result && result.key === resultKey ? result.value : null;
  // Another model or dataset: a measurement in progress no longer reports here (its progress bar goes at once).
  const [progressKey, setProgressKey] = useState(resultKey);
  if (progressKey !== resultKey) {
    setProgressKey(resultKey);
    setProgress(null);
  }
  useEffect(() => {
    run.current += 1;
  }, [resultKey]);

  const start = useCallback(async () => {
    const mine = ++run.current;
    const samplers = choices.map((c) => c.id);
    setProgress({ done: 0, total: samplers.length * QUALITY_STEPS.length });
    try {
      const value = await measure(samplers, QUALITY_STEPS, (done, total) => {
        if (mine === run.current) setProgress({ done, total });
      });
      if (mine === run.current) setResult({ key: resultKey, value });
    } catch (err) {
      if (!(err instanceof Error && err.name === STEPS_QUALITY_CANCELLED) && mine === run.current) onError('Steps vs quality', errorMessage(err));
    } finally {
      if (mine === run.current) setProgress(null);
    }
  }, [choices, measure, resultKey, onError]);

  const stop = useCallback(() => {
    run.current += 1;
    setProgress(null);
    cancel();
  }, [cancel]);

  const chart = useMemo(() => {
    if (!shown) return null;
    const series: Series[] = choices.flatMap((c) => {
      const mine = shown.rows.filter((r) => r.sampler === c.id).sort((p, q) => p.n - q.n);
      const x = mine.map((r) => r.n);
      return [
        { id: `${c.id}-a`, label: `${c.short} ${names.a}`, color: COLORS[c.id], x, y: mine.map((r) => r.a), width: 2, dots: true },
        { id: `${c.id}-b`, label: `${c.short} ${names.b}`, color: COLORS[c.id], x, y: mine.map((r) => r.b), width: 1.5, dash: '5 3', dots: true },
      ];
    });
    const refLines = [
      { id: 'data-a', label: `data: ${names.a} ${shown.dataA.toFixed(3)}`, y: shown.dataA, color: '#6b7280', dash: '2 2' },
      { id: 'data-b', label: `data: ${names.b} ${shown.dataB.toFixed(3)}`, y: shown.dataB, color: '#9ca3af', dash: '6 2' },
    ];
    return { series, refLines };
  }, [shown, choices, names]);

  return (
    <section className="card steps-quality" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Steps vs quality</h2>
      <p className="hint">
        {intro} {names.a} solid, {names.b} dashed, for n = {QUALITY_STEPS.join(', ')}, every run from the same seed. Original: the BFN sampler; ODE-1 and
        ODE-2M: the deterministic BFN-Solvers of first and second (multistep) order; SDE-1 and SDE-2M: the stochastic ones (Xue et al. 2024).
      </p>
      <div className="button-row">
        <button type="button" className="button" onClick={() => void start()} disabled={!enabled || progress !== null} data-testid="quality-measure">
          Measure
        </button>
        <Help topic="Measure" text={CONTROL_HELP.quality} />
        {progress ? (
          <>
            <progress max={progress.total} value={progress.done} aria-label="Steps vs quality progress" data-testid="quality-progress" />
            <button type="button" className="button subtle" onClick={stop} data-testid="quality-cancel">
              Cancel
            </button>
          </>
        ) : null}
      </div>
      {shown && chart ? (
        <>
          <LineChart
            title={`${names.a} and ${names.b} of samples against the number of sampling steps, for each sampler`}
            testId="quality-chart"
            data={{ rows: String(shown.rows.length) }}
            series={chart.series}
            refLines={chart.refLines}
            xDomain={[QUALITY_STEPS[0]!, QUALITY_STEPS.at(-1)!]}
            xScale="log"
            xTicks={QUALITY_STEPS}
            xLabel="steps n (log scale)"
            yLabel={yLabel}
            yDomain={[0, 1]}
            height={220}
          />
          <div className="table-scroll">
          <table className="quality-table" data-testid="quality-table">
            <caption>
              {shown.caption}; {names.a} / {names.b}
            </caption>
            <thead>
              <tr>
                <th scope="col">sampler</th>
                {QUALITY_STEPS.map((n) => (
                  <th scope="col" key={n}>
                    n = {n}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {choices.map((c) => (
                <tr key={c.id} data-sampler={c.id}>
                  <th scope="row" title={c.label}>
                    {c.short}
                  </th>
                  {QUALITY_STEPS.map((n) => {
                    const r = shown.rows.find((x) => x.sampler === c.id && x.n === n);
                    return (
                      <td key={n} data-n={n} data-a={r ? String(r.a) : ''} data-b={r ? String(r.b) : ''}>
                        {r ? `${r.a.toFixed(2)}/${r.b.toFixed(2)}` : '—'}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
          </div>
          <div className="side-by-side" data-testid="side-by-side">
            <p className="hint">
              Side by side, from the same seed: the BFN-Solvers all start from the same initial noise (the first draw), the original sampler uses that draw as
              its first sender sample.
            </p>
            <div className="fields">
              {(['a', 'b'] as const).map((side) => (
                <label key={side} className="field">
                  {side === 'a' ? 'Left' : 'Right'}
                  <select value={pair[side]} onChange={(e) => {
                      const value = e.currentTarget.value as SamplerId;
                      setPair((p) => ({ ...p, [side]: value }));
                    }} data-testid={`pair-${side}`}>
                    {choices.map((c) => (
                      <option key={c.id} value={c.id}>
                        {c.label}
                      </option>
                    ))}
                  </select>
                </label>
              ))}
              <label className="field">
                Steps n
                <select value={pair.n} onChange={(e) => {
                    const n = Number(e.currentTarget.value);
                    setPair((p) => ({ ...p, n }));
                  }} data-testid="pair-n">
                  {QUALITY_STEPS.map((n) => (
                    <option key={n} value={n}>
                      {n}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <div className="mini-pair">
              {(['a', 'b'] as const).map((side) => {
                const sid = pair[side];
                const row = shown.rows.find((r) => r.sampler === sid && r.n === pair.n);
                const c = choices.find((x) => x.id === sid)!;
                return row ? <div key={side}>{renderSamples(row.samples, `${c.short}, n = ${pair.n}: ${names.a} ${row.a.toFixed(2)}, ${names.b} ${row.b.toFixed(2)}`, COLORS[sid], `mini-${side}`)}</div> : null;
              })}
            </div>
          </div>
        </>
      ) : null}
    </section>
  );
}

/** Props of {@link StepsQuality}. */
export interface StepsQualityProps {
  engine: EngineClient;
  /** The model measured (the plot's), or null when there is none. */
  source: ModelSource | null;
  /** Words for the source ("the shipped model"). */
  sourceWords: string;
  /** The dataset: a new one drops the old result. */
  datasetId: string;
  seed: number;
  /** False while the engine, the data or a training run are not ready. */
  enabled: boolean;
  onError: (where: string, message: string) => void;
}

/** The 2D view's steps-vs-quality panel: k-NN precision and recall of 500 samples against the held-out points. */
export function StepsQuality({ engine, source, sourceWords, datasetId, seed, enabled, onError }: StepsQualityProps) {
  const measure = useCallback(
    async (samplers: SamplerId[], steps: number[], onProgress: (done: number, total: number) => void): Promise<QualityTable> => {
      if (!source) throw new Error('there is no model to measure');
      const r = await engine.kind('points2d').stepsQuality({ source, samplers, steps, points: QUALITY_POINTS, seed }, onProgress);
      return {
        rows: r.rows.map((x) => ({ sampler: x.sampler, n: x.n, a: x.precision, b: x.recall, samples: x.samples })),
        dataA: r.data.precision,
        dataB: r.data.recall,
        caption: `${r.points} samples of ${sourceWords} per run (seed ${seed}) against ${r.heldOut} held-out points, k = ${r.k}; data: ${r.points} points of another draw`,
      };
    },
    [engine, source, seed, sourceWords],
  );
  const cancel = useCallback(() => void engine.kind('points2d').cancelStepsQuality(), [engine]);
  const renderSamples = useCallback(
    (samples: Float32Array, label: string, color: string, testId: string) => <MiniScatter samples={samples} label={label} color={color} testId={testId} />,
    [],
  );
  return (
    <StepsQualityPanel
      kind="continuous"
      names={{ a: 'precision', b: 'recall' }}
      yLabel="share"
      intro={<>How sample quality falls as the number of steps n drops, for each sampler: k-NN precision and recall of {QUALITY_POINTS} samples of {sourceWords},</>}
      resultKey={`${datasetId}:${source ?? ''}:${seed}`}
      enabled={enabled && source !== null}
      measure={measure}
      cancel={cancel}
      renderSamples={renderSamples}
      onError={onError}
    />
  );
}
