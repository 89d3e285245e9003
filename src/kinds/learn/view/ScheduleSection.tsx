/**
 * Learn widget c: the accuracy schedules (Graves et al. 2023, §4.5, eq. 72–74: beta(t) = sigma1^(-2t) - 1 for continuous
 * data; §6, eq. 182–183: beta(t) = beta1 t^2 for discrete data), their rates alpha(t), the expected entropy of the input
 * distribution along the flow and the weight of the L^inf loss (eq. 101, 205). The worker computes every value with
 * src/bfn (schedules.ts, inputEntropy.ts).
 */
import { useMemo, useState } from 'react';
import type { LearnScheduleOptions } from '../../../engine/client';
import { LineChart, type Series } from '../../../ui/charts/LineChart';
import { Equation, texNumber } from './Equation';
import { Source } from './Source';
import { NumberSlider, useLatest } from './controls';
import type { SectionProps } from './sectionProps';
import { COLOURS, readout } from './palette';

/** The schedule widget. */
export function ScheduleSection({ engine, onError }: SectionProps) {
  const [sigma1, setSigma1] = useState(0.02);
  const [beta1, setBeta1] = useState(3);
  const [K, setK] = useState(2);
  const [t, setT] = useState(0.5);
  const options: LearnScheduleOptions = useMemo(() => ({ sigma1, beta1, K, t, points: 101, samples: 400, seed: 1 }), [sigma1, beta1, K, t]);
  const { result: r, current } = useLatest(options, (o) => engine.kind('learn').schedule(o), (m) => onError('Accuracy schedule', m));
  const ctsName = `continuous (σ₁ = ${readout(sigma1)})`;
  const discName = `discrete (β₁ = ${readout(beta1)}, K = ${K})`;
  const both = (key: 'beta' | 'alpha' | 'weight'): Series[] => (r ? [
    { id: 'cts', label: ctsName, color: COLOURS.cts, x: r.t, y: r.cts[key], width: 2.2 },
    { id: 'disc', label: discName, color: COLOURS.discrete, x: r.t, y: r.discrete[key], width: 2.2, dash: '7 4' },
  ] : []);
  const entropy: Series[] = r ? [
    { id: 'cts', label: 'continuous (closed form)', color: COLOURS.cts, x: r.t, y: r.cts.entropy, width: 2.2 },
    { id: 'disc', label: `discrete (Monte Carlo, ${r.options.samples} draws per t)`, color: COLOURS.discrete, x: r.t, y: r.discrete.entropy, width: 2.2, dash: '7 4' },
    // Both bounds in one series, with a gap (NaN) between them, so that the legend names them once.
    { id: 'disc-se', label: 'discrete ± 2 standard errors', color: COLOURS.discrete, x: [...r.t, NaN, ...r.t], y: [...r.discrete.entropy.map((v, k) => v - 2 * r.discrete.entropySe![k]!), NaN, ...r.discrete.entropy.map((v, k) => v + 2 * r.discrete.entropySe![k]!)], width: 1, opacity: 0.6, dash: '2 3' },
  ] : [];
  const n = (v: number, digits = 4) => texNumber(v, digits);
  const T = n(t);
  const at = r?.cts.at;
  const dt = r?.discrete.at;

  return (
    <div className="learn-widget" data-testid="learn-schedule" data-ready={r && current ? 'yes' : 'no'} data-backend={r?.backend}>
      <div className="learn-figure">
        <div className="learn-plots-2 learn-schedule-charts">
          <LineChart title="Accuracy schedule beta(t), log scale" series={both('beta')} xDomain={[0, 1]} xLabel="time t" yLabel="β(t) (precision, log)" yScale="log" marker={t} markerLabel={`t = ${readout(t)}`} testId="sched-chart-beta" />
          <LineChart title="Accuracy rate alpha(t), log scale" series={both('alpha')} xDomain={[0, 1]} xLabel="time t" yLabel="α(t) = dβ/dt (log)" yScale="log" marker={t} testId="sched-chart-alpha" />
          <LineChart title="Expected entropy of the input distribution" series={entropy} xDomain={[0, 1]} xLabel="time t" yLabel="E[H(input)] (nats)" marker={t} testId="sched-chart-entropy" />
          <LineChart title="Weight of the L-infinity loss, log scale" series={both('weight')} xDomain={[0, 1]} xLabel="time t" yLabel="L∞ weight (nats, log)" yScale="log" marker={t} testId="sched-chart-weight" />
        </div>
        <div className="learn-controls">
          <NumberSlider label="σ₁ (continuous)" value={sigma1} min={0.001} max={0.9} step={0.001} onChange={setSigma1} testId="sched-sigma1" help="Input standard deviation at t = 1 (data units): β(1) = σ₁⁻² − 1." />
          <NumberSlider label="β₁ (discrete)" value={beta1} min={0.05} max={30} step={0.05} onChange={setBeta1} testId="sched-beta1" help="Final accuracy β(1) of discrete data (precision, dimensionless)." />
          <p className="learn-note" data-testid="sched-sqrt-note">
            √β₁ = <output data-testid="sched-sqrt-beta1">{readout(Math.sqrt(beta1))}</output>. The official configurations store
            <code> max_sqrt_beta</code> = √β₁, not β₁: <code>max_sqrt_beta: 3</code> (binarized MNIST) means β₁ = 9, and
            text8's 0.75 means β₁ = 0.5625.
          </p>
          <NumberSlider label="classes K (discrete)" value={K} min={2} max={27} step={1} onChange={setK} testId="sched-K" help="Number of classes of each discrete variable (2 for binarized pixels, 27 for text8)." />
          <NumberSlider label="time t" value={t} min={0} max={1} step={0.01} onChange={setT} testId="sched-t" help="The time read out below and marked on the plots." />
        </div>
      </div>
      <div className="learn-text">
        {at && dt ? (
          <>
            <h3 className="learn-eq-head">Continuous data</h3>
            <Equation display tex={`\\begin{aligned} \\beta(t) &= \\sigma_1^{-2t} - 1 = ${n(sigma1)}^{-2 \\cdot ${T}} - 1 = ${n(at.beta)} \\\\ \\alpha(t) &= -2\\ln\\sigma_1\\, \\sigma_1^{-2t} = ${n(at.alpha)} \\\\ w(t) &= -\\ln\\sigma_1\\, \\sigma_1^{-2t} = ${n(at.weight)} \\\\ H &= \\tfrac{1}{2}\\ln(2\\pi e) + t \\ln \\sigma_1 = ${n(at.entropy)} \\end{aligned}`} />
            <h3 className="learn-eq-head">Discrete data</h3>
            <Equation display tex={`\\begin{aligned} \\beta(t) &= \\beta_1 t^2 = ${n(beta1)} \\cdot ${T}^2 = ${n(dt.beta)} \\\\ \\alpha(t) &= 2 \\beta_1 t = ${n(dt.alpha)} \\\\ w(t) &= K \\beta_1 t = ${K} \\cdot ${n(beta1)} \\cdot ${T} = ${n(dt.weight)} \\\\ \\mathbb{E}\\,H(\\theta) &\\approx ${n(dt.entropy)} \\pm ${n(dt.entropySe ?? NaN, 2)} \\end{aligned}`} />
          </>
        ) : null}
        <table className="learn-table" data-testid="sched-table">
          <caption>Values at t = {readout(t)}</caption>
          <thead><tr><th scope="col" /><th scope="col">continuous</th><th scope="col">discrete</th></tr></thead>
          <tbody>
            <tr><th scope="row">β(t)</th><td data-testid="sched-cts-beta">{at ? readout(at.beta, 6) : '…'}</td><td data-testid="sched-disc-beta">{dt ? readout(dt.beta, 6) : '…'}</td></tr>
            <tr><th scope="row">α(t)</th><td data-testid="sched-cts-alpha">{at ? readout(at.alpha, 6) : '…'}</td><td data-testid="sched-disc-alpha">{dt ? readout(dt.alpha, 6) : '…'}</td></tr>
            <tr><th scope="row">E[H] (nats)</th><td data-testid="sched-cts-entropy">{at ? readout(at.entropy, 6) : '…'}</td><td data-testid="sched-disc-entropy">{dt ? `${readout(dt.entropy)} ± ${readout(dt.entropySe ?? NaN, 2)}` : '…'}</td></tr>
            <tr><th scope="row">L∞ weight</th><td data-testid="sched-cts-weight">{at ? readout(at.weight, 6) : '…'}</td><td data-testid="sched-disc-weight">{dt ? readout(dt.weight, 6) : '…'}</td></tr>
          </tbody>
        </table>
        <p>
          The accuracy schedule β(t) says how much precision the sender has delivered by time t; α(t) = dβ/dt is how fast it
          arrives. For continuous data β grows exponentially, so that the input standard deviation falls geometrically from 1 to
          σ₁ (note the log scales); for discrete data it grows as t². The entropy of the input distribution measures what the
          receiver still does not know: for continuous data it is the entropy of a Gaussian with precision 1 + β(t), exact for
          every x; for discrete data it is the average of −Σₖ θₖ ln θₖ over θ drawn from the flow distribution (a seeded Monte
          Carlo estimate in the worker, ± its standard error; ln K at t = 0). The L∞ loss weights the prediction error by
          α(t) / 2 (continuous) or K α(t) / 2 = K β₁ t (discrete): late times, when messages are precise, count most.
        </p>
        <Source
          paper="§4.5, eq. 72–74 and 101 (continuous); §6, eq. 182–183 and 205 (discrete)"
          code="bfn.py, CtsBayesianFlow.get_alpha, DiscreteBayesianFlow.get_alpha / t_to_sqrt_beta, CtsBayesianFlowLoss.cts_time_loss, DiscreteBayesianFlowLoss.cts_time_loss"
          ours="src/bfn/schedules.ts ctsBeta, ctsAlpha, discreteBeta, discreteAlpha, ctsLossInfWeight, discreteLossInfWeight; src/bfn/inputEntropy.ts"
        />
      </div>
    </div>
  );
}
