/**
 * The network half of the simplex view: the shipped toy model (3 variables, 3 classes, x₃ = (x₁ + x₂) mod 3; models/simplex/)
 * sampled by the core BFN sampler in the worker, each variable's theta path on its own triangle with a step scrubber,
 * the final samples' joint table beside the rule, and when each variable commits (max theta >= 0.9) and whether the last
 * one to commit takes the class the other two imply, so that a viewer sees the dependency being learned.
 */
import { useEffect, useMemo, useState } from 'react';
import * as d3 from 'd3';
import { isSampleCancelled, type EngineClient, type SimplexModelInfo, type SimplexSampleOptions, type SimplexSamplePayload } from '../../../engine/client';
import { framesProblem } from '../../../settings/setting';
import { configIndex, RULE_TEXT, ruleShare } from '../../../data/simplexToy';
import { SETTINGS_SIMPLEX, SIMPLEX_LIMITS, type SimplexSettings } from '../../../settings/settingsSimplex';
import { IntField, SelectField } from './fields';
import { CLASS_COLOURS, Triangle, type ThetaPath } from './Triangle';

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));
const DRAWN = 20;
const COMMIT = 0.9;
const VARIABLES = ['x₁', 'x₂', 'x₃'];
/** How long the settings must rest before a run starts (ms): typing 1000 into n starts one run, not four. */
const SETTLE_MS = 400;

/** Props: the engine, whether it is ready and the view shown, the settings, and where errors go. */
export interface ModelPanelProps {
  engine: EngineClient;
  ready: boolean;
  active: boolean;
  settings: SimplexSettings;
  update: (patch: Partial<SimplexSettings>) => void;
  onError: (where: string, message: string) => void;
}

/** theta of variable d of sample s at frame f, from the payload's [(n + 1), S, 3, 3] layout. */
function thetaAt(p: SimplexSamplePayload, f: number, s: number, d: number): Float32Array {
  const S = p.options.samples;
  const off = ((f * S + s) * 3 + d) * 3;
  return p.theta.subarray(off, off + 3);
}

/** The first frame at which variable d of sample s has max theta >= COMMIT (n + 1 when never). */
function commitFrame(p: SimplexSamplePayload, s: number, d: number): number {
  const n = p.options.steps;
  for (let f = 0; f <= n; f++) if (Math.max(...thetaAt(p, f, s, d)) >= COMMIT) return f;
  return n + 1;
}

/** The toy model's samples and paths. */
export function ModelPanel({ engine, ready, active, settings, update, onError }: ModelPanelProps) {
  const { modelSteps, modelSamples, seed } = settings;
  const [model, setModel] = useState<SimplexModelInfo | null>(null);
  const [run, setRun] = useState<SimplexSamplePayload | null>(null);
  // The options of the run in the worker, or null.
  const [busy, setBusy] = useState<SimplexSampleOptions | null>(null);
  const [frame, setFrame] = useState<number | null>(null);

  useEffect(() => {
    if (!ready || !active || model) return;
    let live = true;
    engine.kind('simplex').loadModel({ slot: 'shipped', id: 'simplex' }).then(
      (info) => live && setModel(info),
      (err: unknown) => live && onError('Loading the toy model', errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [engine, ready, active, model, onError]);

  const overLimit = framesProblem(modelSamples, 'samples', modelSteps, SIMPLEX_LIMITS.sampleFrames, 'the model samples');
  // A run once the settings have rested SETTLE_MS; a newer setting cancels the run in the worker.
  useEffect(() => {
    if (!model || overLimit) return;
    let live = true;
    const api = engine.kind('simplex');
    const timer = setTimeout(() => {
      const options = { samples: modelSamples, steps: modelSteps, seed };
      setBusy(options);
      api.sample(options).then(
        (p) => {
          if (!live) return;
          setRun(p);
          setFrame(null);
        },
        (err: unknown) => live && !isSampleCancelled(err) && onError('Sampling the toy model', errorText(err)),
      ).finally(() => live && setBusy(null));
    }, SETTLE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
      setBusy(null);
      void api.cancelSample();
    };
  }, [engine, model, modelSamples, modelSteps, seed, onError, overLimit]);

  const n = run?.options.steps ?? modelSteps;
  const shownFrame = frame ?? n;
  const analysis = useMemo(() => {
    if (!run) return null;
    const S = run.options.samples;
    const counts = new Array<number>(27).fill(0);
    for (let s = 0; s < S; s++) counts[configIndex(run.samples[3 * s]!, run.samples[3 * s + 1]!, run.samples[3 * s + 2]!)]!++;
    // Commit times (t = frame / n) of the first, second and last variable to commit, per sample.
    const order: number[][] = [[], [], []];
    const perVariable: number[][] = [[], [], []];
    // Whether the last variable to commit commits to the class the other two's final classes imply.
    let lastAsImplied = 0;
    let lastCommitted = 0;
    for (let s = 0; s < S; s++) {
      const frames = [0, 1, 2].map((d) => commitFrame(run, s, d));
      frames.forEach((f, d) => perVariable[d]!.push(f / run.options.steps));
      [...frames].sort((a, b) => a - b).forEach((f, k) => order[k]!.push(f / run.options.steps));
      const last = frames.indexOf(Math.max(...frames));
      if (frames[last]! > run.options.steps) continue;
      const theta = thetaAt(run, frames[last]!, s, last);
      const committed = theta.indexOf(Math.max(...theta));
      const [x1, x2, x3] = [run.samples[3 * s]!, run.samples[3 * s + 1]!, run.samples[3 * s + 2]!];
      const implied = last === 2 ? (x1 + x2) % 3 : last === 1 ? (x3 - x1 + 3) % 3 : (x3 - x2 + 3) % 3;
      lastCommitted++;
      if (committed === implied) lastAsImplied++;
    }
    return {
      counts, share: ruleShare(run.samples), order: order.map((o) => d3.mean(o)!), perVariable: perVariable.map((o) => d3.median(o)!),
      lastAsImplied: lastAsImplied / lastCommitted, lastCommitted,
    };
  }, [run]);

  const triangles = useMemo(() => {
    if (!run) return [];
    const S = Math.min(DRAWN, run.options.samples);
    return [0, 1, 2].map((d) => {
      const paths: ThetaPath[] = [];
      for (let s = 0; s < S; s++) {
        const pts = new Float32Array((n + 1) * 3);
        for (let f = 0; f <= n; f++) pts.set(thetaAt(run, f, s, d), 3 * f);
        paths.push({ points: pts, colour: CLASS_COLOURS[run.samples[3 * s + d]!]! });
      }
      return paths;
    });
  }, [run, n]);

  const card = model?.card ?? null;
  const ev = card?.evaluation;
  return (
    <section className="card simplex-panel" aria-labelledby="simplex-model-title">
      <h2 id="simplex-model-title">A network learns dependencies: toy data with {RULE_TEXT}</h2>
      <p className="hint">
        Three variables with three classes each: x₁ and x₂ are independent, x₃ = (x₁ + x₂) mod 3, so any two fix the third. The shipped
        model (an MLP over all nine θ values) samples all three in parallel with n Bayesian updates; a path’s colour is the class that
        variable finally takes.
      </p>
      <div className="fields simplex-model-fields">
        <IntField setting={SETTINGS_SIMPLEX.modelSteps} value={modelSteps} onChange={(v) => update({ modelSteps: v })} testId="simplex-model-steps" />
        <SelectField label={SETTINGS_SIMPLEX.modelSamples.label} help={SETTINGS_SIMPLEX.modelSamples.help} value={modelSamples} onChange={(v) => update({ modelSamples: v })}
          testId="simplex-model-samples" options={SETTINGS_SIMPLEX.modelSamples.choices!.map((v) => ({ value: v, text: String(v) }))} />
        <div className="field simplex-slider simplex-wide">
          <label htmlFor="simplex-model-frame">
            Step: <output data-testid="simplex-model-frame-value">{shownFrame} of {n} (t = {(shownFrame / n).toFixed(2)})</output>
          </label>
          <input id="simplex-model-frame" type="range" min={0} max={n} step={1} value={shownFrame} onChange={(e) => setFrame(Number(e.currentTarget.value))} data-testid="simplex-model-frame" disabled={!run} />
        </div>
      </div>
      {overLimit ? <p className="inline-error" role="alert" data-testid="simplex-model-limit">{overLimit}</p> : null}
      <p className="status" data-testid="simplex-model-status" data-state={model && overLimit ? 'idle' : run && !busy ? 'ready' : 'busy'} aria-live="polite">
        {!model ? 'Loading the shipped model…' : overLimit ? `Not sampled: the model samples and n are over the limit${run ? '; the triangles show the last run' : ''}.`
          : busy ? `Sampling ${busy.samples} samples with n = ${busy.steps}…` : run ? `${run.options.samples} samples, n = ${run.options.steps}, ${run.elapsedMs.toFixed(0)} ms on ${run.backend}` : ''}
      </p>
      <div className="simplex-triple">
        {[0, 1, 2].map((d) => (
          <Triangle key={d} label={`theta paths of variable ${VARIABLES[d]} for ${triangles[d]?.length ?? 0} samples, up to step ${shownFrame}`}
            cornerLabels={['1', '2', '3']} paths={triangles[d] ?? []} frame={shownFrame} testId={`simplex-variable-${d + 1}`}
            caption={<>θ of {VARIABLES[d]}{analysis ? `: median commit t ${analysis.perVariable[d]!.toFixed(2)}` : ''}</>} />
        ))}
      </div>
      {analysis && run ? (
        <div className="simplex-results">
          <table className="simplex-joint" data-testid="simplex-joint">
            <caption>Final samples: count of each (x₁, x₂) and the share whose x₃ obeys the rule</caption>
            <thead>
              <tr><th scope="col">x₁ \ x₂</th>{[0, 1, 2].map((b) => <th key={b} scope="col">{b + 1}</th>)}</tr>
            </thead>
            <tbody>
              {[0, 1, 2].map((a) => (
                <tr key={a}>
                  <th scope="row">{a + 1}</th>
                  {[0, 1, 2].map((b) => {
                    const cell = [0, 1, 2].map((c) => analysis.counts[configIndex(a, b, c)]!);
                    const total = cell[0]! + cell[1]! + cell[2]!;
                    const ok = cell[(a + b) % 3]!;
                    return <td key={b}>{total}{total ? <small> ({Math.round((100 * ok) / total)} % x₃ = {((a + b) % 3) + 1})</small> : null}</td>;
                  })}
                </tr>
              ))}
            </tbody>
          </table>
          <dl className="simplex-readouts" data-testid="simplex-rule" data-rule-share={String(analysis.share)} data-samples={String(run.options.samples)} data-card-rule-share={ev ? String(ev.ruleShare.value) : ''}>
            <dt>Obey the rule</dt>
            <dd>{(100 * analysis.share).toFixed(1)} % of {run.options.samples} (data 100 %; independent variables {ev ? (100 * ev.independentRuleShare).toFixed(1) : '…'} %)</dd>
            <dt>Card</dt>
            <dd data-testid="simplex-card">
              {ev ? `${(100 * ev.ruleShare.value).toFixed(1)} ± ${(100 * ev.ruleShare.se).toFixed(1)} % of ${ev.samples} samples (n = ${ev.steps}); NLL bound L^∞ + L^r ${ev.continuous.value.toFixed(3)} ± ${ev.continuous.se.toFixed(3)} bits per variable (data entropy ${ev.dataEntropy.toFixed(3)})` : 'no evaluation in the card'}
            </dd>
            <dt>Commit order</dt>
            <dd data-testid="simplex-commit">
              mean t at which the first, second and last variable to commit reach max θ ≥ {COMMIT}: {analysis.order.map((v) => v.toFixed(2)).join(', ')}.
              {' '}The last commits to the class the other two imply in <span data-testid="simplex-last-implied">{(100 * analysis.lastAsImplied).toFixed(1)}</span> % of
              {' '}{analysis.lastCommitted} samples (by chance: about 33 %).
            </dd>
          </dl>
        </div>
      ) : null}
    </section>
  );
}
