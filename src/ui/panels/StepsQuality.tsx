/**
 * Steps vs quality: for the model the plot samples, k-NN precision and recall of its samples against the number of
 * steps n for every sampler (the original BFN sampler and the BFN-Solvers of Xue et al. 2024), measured in the worker
 * with progress and cancel, with the data-vs-data values at the same sizes. Where fewer steps keep the quality, the
 * faster sampler is the better choice; the chart shows where each one breaks down.
 */
import { useCallback, useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { SAMPLER_CHOICES, type SamplerId } from '../../bfn/samplerChoices';
import { STEPS_QUALITY_CANCELLED, type EngineClient, type ModelSource, type StepsQualityResult } from '../../engine/client';
import { LineChart, type Series } from '../charts/LineChart';
import { errorMessage } from '../format';

/** The step counts the chart measures. */
export const QUALITY_STEPS = [2, 5, 10, 20, 50, 100];
/** Samples per run. */
export const QUALITY_POINTS = 500;

/** One colour per sampler, in SAMPLER_CHOICES order. */
const COLORS: Record<SamplerId, string> = {
  original: '#111827',
  ode_bfnsolver1: '#2563eb',
  ode_bfnsolver2_multi_step: '#7c3aed',
  sde_bfnsolver1: '#ea580c',
  sde_bfnsolver2_multi_step: '#059669',
};

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

/** The Measure / Cancel buttons, a progress bar, and the chart with a table of the values. */
export function StepsQuality({ engine, source, sourceWords, datasetId, seed, enabled, onError }: StepsQualityProps) {
  const id = useId();
  const [result, setResult] = useState<{ key: string; words: string; seed: number; value: StepsQualityResult } | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const run = useRef(0);
  const key = `${datasetId}:${source ?? ''}`;
  const [pair, setPair] = useState<{ a: SamplerId; b: SamplerId; n: number }>({ a: 'original', b: 'ode_bfnsolver2_multi_step', n: 10 });

  // A result belongs to one dataset and model: it is not shown for another.
  const shown = result && result.key === key ? result : null;
  useEffect(() => {
    run.current += 1;
    setProgress(null);
  }, [key]);

  const measure = useCallback(async () => {
    if (!source) return;
    const mine = ++run.current;
    const samplers = SAMPLER_CHOICES.continuous.map((c) => c.id);
    setProgress({ done: 0, total: samplers.length * QUALITY_STEPS.length });
    try {
      const value = await engine.stepsQuality({ source, samplers, steps: QUALITY_STEPS, points: QUALITY_POINTS, seed }, (done, total) => {
        if (mine === run.current) setProgress({ done, total });
      });
      if (mine === run.current) setResult({ key, words: sourceWords, seed, value });
    } catch (err) {
      if (!(err instanceof Error && err.name === STEPS_QUALITY_CANCELLED) && mine === run.current) onError('Steps vs quality', errorMessage(err));
    } finally {
      if (mine === run.current) setProgress(null);
    }
  }, [engine, source, seed, key, sourceWords, onError]);

  const cancel = useCallback(() => {
    run.current += 1;
    setProgress(null);
    void engine.cancelStepsQuality();
  }, [engine]);

  const chart = useMemo(() => {
    if (!shown) return null;
    const { rows, data } = shown.value;
    const series: Series[] = SAMPLER_CHOICES.continuous.flatMap((c) => {
      const mine = rows.filter((r) => r.sampler === c.id).sort((a, b) => a.n - b.n);
      const x = mine.map((r) => r.n);
      return [
        { id: `${c.id}-p`, label: `${c.short} precision`, color: COLORS[c.id], x, y: mine.map((r) => r.precision), width: 2, dots: true },
        { id: `${c.id}-r`, label: `${c.short} recall`, color: COLORS[c.id], x, y: mine.map((r) => r.recall), width: 1.5, dash: '5 3', dots: true },
      ];
    });
    const refLines = [
      { id: 'data-p', label: `data vs data: precision ${data.precision.toFixed(3)}`, y: data.precision, color: '#6b7280', dash: '2 2' },
      { id: 'data-r', label: `data vs data: recall ${data.recall.toFixed(3)}`, y: data.recall, color: '#9ca3af', dash: '6 2' },
    ];
    return { series, refLines };
  }, [shown]);

  return (
    <section className="card steps-quality" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Steps vs quality</h2>
      <p className="hint">
        How sample quality falls as the number of steps n drops, for each sampler: k-NN precision (solid) and recall (dashed) of {QUALITY_POINTS} samples of{' '}
        {sourceWords} for n = {QUALITY_STEPS.join(', ')}, every run from the same seed. Original: the BFN sampler; ODE-1 and ODE-2M: the deterministic
        BFN-Solvers of first and second (multistep) order; SDE-1 and SDE-2M: the stochastic ones (Xue et al. 2024).
      </p>
      <div className="button-row">
        <button type="button" className="button" onClick={() => void measure()} disabled={!enabled || !source || progress !== null} data-testid="quality-measure">
          Measure
        </button>
        {progress ? (
          <>
            <progress max={progress.total} value={progress.done} aria-label="Steps vs quality progress" data-testid="quality-progress" />
            <button type="button" className="button subtle" onClick={cancel} data-testid="quality-cancel">
              Cancel
            </button>
          </>
        ) : null}
      </div>
      {shown && chart ? (
        <>
          <LineChart
            title="k-NN precision and recall of samples against the number of sampling steps, for each sampler"
            testId="quality-chart"
            data={{ rows: String(shown.value.rows.length) }}
            series={chart.series}
            refLines={chart.refLines}
            xDomain={[QUALITY_STEPS[0]!, QUALITY_STEPS.at(-1)!]}
            xScale="log"
            xTicks={QUALITY_STEPS}
            xLabel="steps n (log scale)"
            yLabel="share"
            yDomain={[0, 1]}
            height={220}
          />
          <table className="quality-table" data-testid="quality-table">
            <caption>
              {shown.value.points} samples of {shown.words} per run (seed {shown.seed}) against {shown.value.heldOut} held-out points, k = {shown.value.k}; precision / recall
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
              {SAMPLER_CHOICES.continuous.map((c) => (
                <tr key={c.id} data-sampler={c.id}>
                  <th scope="row" title={c.label}>
                    {c.short}
                  </th>
                  {QUALITY_STEPS.map((n) => {
                    const r = shown.value.rows.find((x) => x.sampler === c.id && x.n === n);
                    return (
                      <td key={n} data-n={n} data-precision={r ? String(r.precision) : ''} data-recall={r ? String(r.recall) : ''}>
                        {r ? `${r.precision.toFixed(2)}/${r.recall.toFixed(2)}` : "—"}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
          <div className="side-by-side" data-testid="side-by-side">
            <p className="hint">
              Side by side, from the same seed: the BFN-Solvers all start from the same initial noise (the first draw), the original sampler uses that draw as
              its first sender sample.
            </p>
            <div className="fields">
              {(['a', 'b'] as const).map((side) => (
                <label key={side} className="field">
                  {side === 'a' ? 'Left' : 'Right'}
                  <select value={pair[side]} onChange={(e) => setPair((p) => ({ ...p, [side]: e.currentTarget.value as SamplerId }))} data-testid={`pair-${side}`}>
                    {SAMPLER_CHOICES.continuous.map((c) => (
                      <option key={c.id} value={c.id}>
                        {c.label}
                      </option>
                    ))}
                  </select>
                </label>
              ))}
              <label className="field">
                Steps n
                <select value={pair.n} onChange={(e) => setPair((p) => ({ ...p, n: Number(e.currentTarget.value) }))} data-testid="pair-n">
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
                const id = pair[side];
                const row = shown.value.rows.find((r) => r.sampler === id && r.n === pair.n);
                const c = SAMPLER_CHOICES.continuous.find((x) => x.id === id)!;
                return row ? (
                  <MiniScatter
                    key={side}
                    samples={row.samples}
                    color={COLORS[id]}
                    label={`${c.short}, n = ${pair.n}: precision ${row.precision.toFixed(2)}, recall ${row.recall.toFixed(2)}`}
                    testId={`mini-${side}`}
                  />
                ) : null;
              })}
            </div>
          </div>
        </>
      ) : null}
    </section>
  );
}
