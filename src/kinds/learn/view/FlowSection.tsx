/**
 * Learn widget b: many small updates versus one update with their summed accuracy (Graves et al. 2023, §3 and §4.3:
 * accuracies add), and the Bayesian flow distribution p_F(mu | x; t) = N(gamma(t) x, gamma(t)(1 - gamma(t))) with
 * gamma = beta / (1 + beta) as a band over t with sample paths (§4.4, eq. 77–80). The worker runs both processes with
 * src/bfn's ctsSenderSample and ctsBayesianUpdate and takes the closed form from ctsFlowMoments.
 */
import { useMemo, useState } from 'react';
import * as d3 from 'd3';
import type { LearnFlowOptions } from '../../../engine/client';
import { Equation, texNumber } from './Equation';
import { Source } from './Source';
import { LearnPlot, type PlotLine } from './LearnPlot';
import { NumberSlider, useLatest } from './controls';
import type { SectionProps } from './sectionProps';
import { COLOURS, readout } from './palette';

const BINS = 36;

/** A histogram normalised to a density on `edges`: a visual summary of the runs (d3's bin). */
function histogram(values: Float32Array, edges: number[]): number[] {
  const bins = d3.bin().domain([edges[0]!, edges[edges.length - 1]!]).thresholds(edges.slice(1, -1))(Array.from(values));
  const width = edges[1]! - edges[0]!;
  return bins.map((b) => b.length / (values.length * width));
}

/** The many-updates widget. */
export function FlowSection({ engine, onError }: SectionProps) {
  const [x, setX] = useState(0.5);
  const [sigma1, setSigma1] = useState(0.1);
  const [t, setT] = useState(0.4);
  const [n, setN] = useState(20);
  const [runs, setRuns] = useState(2000);
  const [seed, setSeed] = useState(1);
  const options: LearnFlowOptions = useMemo(() => ({ x, sigma1, t, n, runs, paths: 6, pathSteps: 100, points: 101, seed }), [x, sigma1, t, n, runs, seed]);
  const { result: r, current } = useLatest(options, (o) => engine.kind('learn').flow(o), (m) => onError('Many updates', m), t > 0);

  const hist = useMemo(() => {
    if (!r) return null;
    const lo = r.mean - 4.5 * r.std;
    const hi = r.mean + 4.5 * r.std;
    const edges = d3.range(BINS + 1).map((k) => lo + ((hi - lo) * k) / BINS);
    const many = histogram(r.many, edges);
    const one = histogram(r.one, edges);
    const stats = (v: Float32Array) => ({ mean: d3.mean(v) ?? NaN, sd: d3.deviation(v) ?? NaN });
    return { edges, many, one, top: 1.15 * Math.max(d3.max(many) ?? 0, d3.max(one) ?? 0, d3.max(r.density) ?? 0), manyStats: stats(r.many), oneStats: stats(r.one) };
  }, [r]);

  const paths: PlotLine[] = useMemo(() => {
    if (!r) return [];
    const P = r.options.paths;
    const F = r.options.pathSteps + 1;
    const ts = Float32Array.from({ length: F }, (_, f) => f / r.options.pathSteps);
    return Array.from({ length: P }, (_, p) => ({ id: `path${p}`, label: p === 0 ? 'sample paths of μ (100 updates)' : undefined, colour: '#334155', x: ts, y: Float32Array.from({ length: F }, (_, f) => r.pathMu[f * P + p]!), width: 1, opacity: 0.6 }));
  }, [r]);

  const nn = (v: number) => texNumber(v, 4);
  const band = r ? { lo2: r.bandMean.map((m, k) => m - 2 * r.bandStd[k]!), hi2: r.bandMean.map((m, k) => m + 2 * r.bandStd[k]!), lo1: r.bandMean.map((m, k) => m - r.bandStd[k]!), hi1: r.bandMean.map((m, k) => m + r.bandStd[k]!) } : null;
  const yAbs = Math.max(1, Math.abs(x) + 0.2);

  return (
    <div className="learn-widget" data-testid="learn-flow" data-ready={r && current ? 'yes' : 'no'} data-backend={r?.backend}>
      <div className="learn-figure">
        <div className="learn-plots-2">
          <LearnPlot
            title={`Final mean μ of ${runs} runs: ${n} small updates and one update, and the closed form`} testId="flow-hist"
            xLabel="final mean μ (data units)" yLabel="density (1 / unit)"
            xDomain={hist ? [hist.edges[0]!, hist.edges[BINS]!] : [-1, 1]} yDomain={[0, hist?.top ?? 1]}
            histograms={hist ? [
              { id: 'many', label: `${n} updates, αᵢ summing to β(t)`, colour: COLOURS.many, edges: hist.edges, density: hist.many },
              { id: 'one', label: 'one update with α = β(t)', colour: COLOURS.one, edges: hist.edges, density: hist.one, hatch: true },
            ] : []}
            lines={r ? [{ id: 'pf', label: 'closed form p_F(μ | x; t)', colour: COLOURS.closed, x: r.densityGrid, y: r.density, width: 2.2 }] : []}
          />
          <LearnPlot
            title="The Bayesian flow distribution over t: mean, one and two standard deviations, and sample paths" testId="flow-band"
            xLabel="time t" yLabel="input mean μ (data units)" xDomain={[0, 1]} yDomain={[-yAbs, yAbs]}
            bands={r && band ? [
              { id: 'sd2', label: 'mean ± 2 sd', colour: COLOURS.posterior, x: r.bandT, lo: band.lo2, hi: band.hi2, opacity: 0.14 },
              { id: 'sd1', label: 'mean ± 1 sd', colour: COLOURS.posterior, x: r.bandT, lo: band.lo1, hi: band.hi1, opacity: 0.28 },
            ] : []}
            lines={r ? [{ id: 'mean', label: 'mean γ(t) x', colour: COLOURS.posterior, x: r.bandT, y: r.bandMean, width: 2.4 }, ...paths] : []}
            markers={[{ id: 't', label: `t = ${readout(t)}`, colour: COLOURS.sample, x: t, dash: '3 3' }]}
            handles={[{ id: 't', label: 'time t', colour: COLOURS.sample, x: t, min: 0.01, max: 1, step: 0.01, onChange: setT, testId: 'flow-handle-t' }]}
          />
        </div>
        <div className="learn-controls">
          <NumberSlider label="true x" value={x} min={-1} max={1} step={0.01} onChange={setX} testId="flow-x" help="The data value (data units, in [-1, 1] as in the paper)." />
          <NumberSlider label="σ₁" value={sigma1} min={0.005} max={0.9} step={0.005} onChange={setSigma1} testId="flow-sigma1" help="Standard deviation of the input distribution at t = 1 (data units); sets β(t) = σ₁^(−2t) − 1." />
          <NumberSlider label="time t" value={t} min={0.01} max={1} step={0.01} onChange={setT} testId="flow-t" help="How far the flow has gone (0 = prior, 1 = end)." />
          <NumberSlider label="small updates n" value={n} min={1} max={200} step={1} onChange={setN} testId="flow-n" help="Number of updates whose accuracies sum to β(t)." />
          <NumberSlider label="runs" value={runs} min={100} max={10000} step={100} onChange={setRuns} testId="flow-runs" help="Independent runs of each process in the histograms." />
          <div className="learn-buttons">
            <button type="button" className="button" onClick={() => setSeed((s) => s + 1)} data-testid="flow-new-runs">New runs</button>
            <span className="learn-muted">noise seed {seed}</span>
          </div>
        </div>
      </div>
      <div className="learn-text">
        {r ? (
          <>
            <Equation display tex={`\\begin{aligned} \\sum_{i=1}^{${n}} \\alpha_i &= \\sum_{i=1}^{${n}} \\Big[\\beta\\big(\\tfrac{i t}{n}\\big) - \\beta\\big(\\tfrac{(i-1) t}{n}\\big)\\Big] \\\\ &= \\beta(t) = ${nn(r.betaT)} \\end{aligned}`} />
            <Equation display tex={`\\gamma(t) = \\frac{\\beta(t)}{1 + \\beta(t)} = 1 - \\sigma_1^{2t} = ${nn(r.gamma)}`} />
            <Equation display tex={`\\begin{aligned} p_F(\\mu \\mid x; t) &= \\mathcal{N}\\big(\\gamma(t)\\, x,\\ \\gamma(t)(1 - \\gamma(t))\\big) \\\\ &= \\mathcal{N}\\big(${nn(r.mean)},\\ ${nn(r.std)}^2\\big) \\end{aligned}`} />
          </>
        ) : null}
        <table className="learn-table" data-testid="flow-table">
          <caption>Final mean μ at t = {readout(t)}: the runs against the closed form</caption>
          <thead><tr><th scope="col" /><th scope="col">mean</th><th scope="col">sd</th></tr></thead>
          <tbody>
            <tr><th scope="row">closed form p_F</th><td data-testid="flow-mean">{r ? readout(r.mean, 6) : '…'}</td><td data-testid="flow-std">{r ? readout(r.std, 6) : '…'}</td></tr>
            <tr><th scope="row">{n} small updates</th><td data-testid="flow-many-mean">{hist ? readout(hist.manyStats.mean) : '…'}</td><td data-testid="flow-many-sd">{hist ? readout(hist.manyStats.sd) : '…'}</td></tr>
            <tr><th scope="row">one update</th><td data-testid="flow-one-mean">{hist ? readout(hist.oneStats.mean) : '…'}</td><td data-testid="flow-one-sd">{hist ? readout(hist.oneStats.sd) : '…'}</td></tr>
          </tbody>
        </table>
        <p>
          Because precisions add, it does not matter whether the sender sends one message of accuracy β or n messages whose
          accuracies sum to β: the receiver ends with the same precision 1 + β, and its mean has the same distribution. Both
          histograms therefore sit on the same closed-form curve, up to sampling noise (about sd / √runs for the means). Starting
          from the prior N(0, 1) and letting β grow with t along the accuracy schedule gives the <em>Bayesian flow distribution</em>:
          the band shows where μ lies at each t, and each grey path is one receiver's μ after 100 small updates. The mean moves
          from 0 to x as γ(t) goes from 0 to 1; the spread first grows (the messages move μ) and then shrinks (μ settles on x).
        </p>
        <Source paper="§3 (accuracies add), §4.3–4.4, eq. 77–80" code="bfn.py, CtsBayesianFlow.forward and update_input_params" ours="src/bfn/continuous.ts ctsSenderSample, ctsBayesianUpdate; src/bfn/schedules.ts ctsBeta, ctsFlowMoments" />
      </div>
    </div>
  );
}
