/**
 * The network-free half of the simplex view: the Bayesian flow distribution p_F(theta | x; t) of discrete data with
 * K = 3 (Graves et al. 2023, §6) as a heat map on the triangle, exact or sampled, for a chosen class x, beta1 and t, and
 * sample paths of theta under the sender / Bayesian update process with a t scrubber. Every number comes from the
 * worker (src/kinds/simplex/session.ts): the exact maths of src/bfn/simplexFlow.ts and the core discrete BFN code.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { EngineClient, FlowPathsPayload, HeatmapOptions, HeatmapPayload } from '../../../engine/client';
import { useFirstFrameMark } from '../../../ui/firstFrame';
import { heatmapMean, simplexGrid } from '../../../bfn/simplexFlow';
import { SETTINGS_SIMPLEX, type SimplexSettings } from '../../../settings/settingsSimplex';
import { IntField, SelectField, SliderField } from './fields';
import { CLASS_COLOURS, Triangle, type ThetaPath } from './Triangle';

const CORNER_LABELS = ['class 1 (θ₁ = 1)', 'class 2 (θ₂ = 1)', 'class 3 (θ₃ = 1)'];
const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));
const f3 = (v: number) => v.toFixed(3);

/** Props: the engine, whether it is ready, the settings and their updater, and where errors go. */
export interface FlowPanelProps {
  engine: EngineClient;
  ready: boolean;
  settings: SimplexSettings;
  update: (patch: Partial<SimplexSettings>) => void;
  onError: (where: string, message: string) => void;
}

/** The heat map and sample paths of p_F, with their controls. */
export function FlowPanel({ engine, ready, settings, update, onError }: FlowPanelProps) {
  const { x, beta1, t, method, samples, grid: G, n, paths, seed } = settings;
  const options: HeatmapOptions = useMemo(() => ({ x, beta1, t, G, method, samples, seed }), [x, beta1, t, G, method, samples, seed]);
  const [heat, setHeat] = useState<HeatmapPayload | null>(null);
  const [busy, setBusy] = useState(false);
  // One heat map in flight at a time; the latest options wait and go next (scrubbing t does not queue a backlog).
  const inFlight = useRef(false);
  const wanted = useRef(options);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    wanted.current = options;
    if (!ready || inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    const asked = options;
    engine.kind('simplex').heatmap(asked).then(
      (p) => setHeat(p),
      (err: unknown) => onError('Heat map of p_F', errorText(err)),
    ).finally(() => {
      inFlight.current = false;
      setBusy(false);
      if (wanted.current !== asked) setTick((k) => k + 1);
    });
  }, [engine, ready, options, onError, tick]);

  const [pathRun, setPathRun] = useState<FlowPathsPayload | null>(null);
  useEffect(() => {
    if (!ready) return;
    let live = true;
    engine.kind('simplex').flowPaths({ x, beta1, n, paths, seed }).then(
      (p) => live && setPathRun(p),
      (err: unknown) => live && onError('Sample paths', errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [engine, ready, x, beta1, n, paths, seed, onError]);

  const grid = useMemo(() => simplexGrid(heat?.options.G ?? G), [heat, G]);
  const summary = useMemo(() => (heat ? heatmapMean(heat) : null), [heat]);
  const thetaPaths: ThetaPath[] = useMemo(() => {
    if (!pathRun) return [];
    const { n: steps, paths: P } = pathRun.options;
    return Array.from({ length: P }, (_, p) => {
      const pts = new Float32Array((steps + 1) * 3);
      for (let f = 0; f <= steps; f++) pts.set(pathRun.theta.subarray((f * P + p) * 3, (f * P + p) * 3 + 3), f * 3);
      return { points: pts, colour: p % 2 ? '#f8fafc' : '#0f172a' };
    });
  }, [pathRun]);
  const frame = pathRun ? Math.round(t * pathRun.options.n) : 0;
  // The payload's options are a copy made by the worker message: compare them field by field.
  const heatMatches = heat !== null && (Object.keys(options) as (keyof HeatmapOptions)[]).every((k) => heat.options[k] === options[k]);
  const beta = heat?.beta ?? NaN;
  useFirstFrameMark(heat !== null, { view: 'simplex', source: 'live' });

  return (
    <section className="card simplex-panel" aria-labelledby="simplex-flow-title">
      <h2 id="simplex-flow-title">Bayesian flow distribution p<sub>F</sub>(θ | x; t), no network</h2>
      <p className="hint">
        θ = softmax(y), y ~ N(β(t)(3 e<sub>x</sub> − 1), 3 β(t) I), β(t) = β₁ t². The log-ratios ln(θ₁/θ₃), ln(θ₂/θ₃) are jointly Gaussian
        (mean 3β(δ<sub>1x</sub> − δ<sub>3x</sub>, δ<sub>2x</sub> − δ<sub>3x</sub>), covariance 3β[[2, 1], [1, 2]]), so the density on the
        triangle is that Gaussian at the log-ratios divided by θ₁θ₂θ₃.
      </p>
      <div className="simplex-layout">
        <div>
          <Triangle
            label={`Heat map of the Bayesian flow distribution for class ${x + 1}, beta1 ${beta1}, t ${t}, with ${thetaPaths.length} sample paths`}
            cornerLabels={CORNER_LABELS}
            heat={heat ? { grid, masses: heat.masses } : null}
            paths={thetaPaths}
            frame={frame}
            testId="simplex-heatmap"
            data={heat ? {
              'data-ready': heatMatches && !busy ? 'yes' : 'no', 'data-grid': String(heat.options.G), 'data-x': String(heat.options.x), 'data-beta1': String(heat.options.beta1),
              'data-t': String(heat.options.t), 'data-method': heat.options.method, 'data-masses': JSON.stringify(Array.from(heat.masses)),
              'data-moments': JSON.stringify(Array.from(heat.moments)), 'data-frame': String(frame),
            } : { 'data-ready': 'no' }}
            caption={
              <>
                Light and dark lines: {thetaPaths.length} paths of θ under the sender / Bayesian update process with the true class (n = {pathRun?.options.n ?? n}),
                drawn up to t = {t.toFixed(2)} (step {frame}).
              </>
            }
          />
        </div>
        <div className="simplex-controls">
          <SliderField setting={SETTINGS_SIMPLEX.t} value={t} onChange={(v) => update({ t: v })} testId="simplex-t" format={(v) => v.toFixed(2)} />
          <SliderField setting={SETTINGS_SIMPLEX.beta1} value={beta1} onChange={(v) => update({ beta1: v })} testId="simplex-beta1" format={(v) => v.toFixed(2)} />
          <div className="fields">
            <SelectField label={SETTINGS_SIMPLEX.x.label} help={SETTINGS_SIMPLEX.x.help} value={x} onChange={(v) => update({ x: v })} testId="simplex-class"
              options={[0, 1, 2].map((k) => ({ value: k, text: `class ${k + 1}` }))} />
            <SelectField label={SETTINGS_SIMPLEX.method.label} help={SETTINGS_SIMPLEX.method.help} value={method} onChange={(v) => update({ method: v })} testId="simplex-method"
              options={[{ value: 'exact' as const, text: 'exact' }, { value: 'sampled' as const, text: 'sampled' }]} />
            <SelectField label={SETTINGS_SIMPLEX.samples.label} help={SETTINGS_SIMPLEX.samples.help} value={samples} onChange={(v) => update({ samples: v })} testId="simplex-samples"
              options={SETTINGS_SIMPLEX.samples.choices!.map((v) => ({ value: v, text: v.toLocaleString('en') }))} />
            <SelectField label={SETTINGS_SIMPLEX.grid.label} help={SETTINGS_SIMPLEX.grid.help} value={G} onChange={(v) => update({ grid: v })} testId="simplex-grid"
              options={SETTINGS_SIMPLEX.grid.choices!.map((v) => ({ value: v, text: `${v} (${v * v} cells)` }))} />
            <IntField setting={SETTINGS_SIMPLEX.n} value={n} onChange={(v) => update({ n: v })} testId="simplex-n" />
            <IntField setting={SETTINGS_SIMPLEX.paths} value={paths} onChange={(v) => update({ paths: v })} testId="simplex-paths" />
            <IntField setting={SETTINGS_SIMPLEX.seed} value={seed} onChange={(v) => update({ seed: v })} testId="simplex-seed" />
          </div>
          <dl className="simplex-readouts" data-testid="simplex-readouts" aria-live="polite">
            <dt>β(t)</dt>
            <dd>{Number.isNaN(beta) ? '…' : beta.toPrecision(4)}</dd>
            <dt>How</dt>
            <dd data-testid="simplex-method-note">
              {heat?.options.method === 'sampled'
                ? `sampled: ${heat.options.samples.toLocaleString('en')} draws θ = softmax(y) from the core flow sampler, binned`
                : 'exact: each cell’s probability by deterministic quadrature of the exact density (Gaussian log-ratios), no sampling'}
            </dd>
            <dt>Cells sum to</dt>
            <dd data-testid="simplex-mass-total">{summary ? `${summary.total.toFixed(6)} (tolerance 1e-3)` : '…'}</dd>
            <dt>E[θ]</dt>
            <dd data-testid="simplex-mean">{summary ? `(${summary.mean.map(f3).join(', ')})` : '…'}</dd>
            <dt>Worker</dt>
            <dd>{heat ? `${heat.elapsedMs.toFixed(0)} ms on ${heat.backend}${busy ? ', updating…' : ''}` : busy ? 'computing…' : '…'}</dd>
          </dl>
          <p className="hint">
            Corners: <span style={{ color: CLASS_COLOURS[0] }}>class 1</span>, <span style={{ color: CLASS_COLOURS[1] }}>class 2</span>,{' '}
            <span style={{ color: CLASS_COLOURS[2] }}>class 3</span>. At t = 0 all mass sits at the centre (θ = ⅓ each); as t grows it spreads and drifts to the corner of x.
          </p>
        </div>
      </div>
    </section>
  );
}
