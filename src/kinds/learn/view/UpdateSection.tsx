/**
 * Learn widget a: one Bayesian update of a continuous variable (Graves et al. 2023, §4.1–4.2, eq. 49–50). The sender
 * adds Gaussian noise of precision alpha to the true x; the receiver's input distribution N(mu, 1/rho) becomes
 * N(mu', 1/rho') with rho' = rho + alpha and mu' = (mu rho + y alpha) / rho'. The worker computes y, mu', rho' and the
 * densities with src/bfn's ctsSenderSample, ctsBayesianUpdate and normalLogPdf.
 */
import { useMemo, useState } from 'react';
import * as d3 from 'd3';
import type { LearnUpdateOptions } from '../../../engine/client';
import { useFirstFrameMark } from '../../../ui/firstFrame';
import { Equation, texNumber } from './Equation';
import { Source } from './Source';
import { LearnPlot } from './LearnPlot';
import { NumberSlider, useLatest } from './controls';
import type { SectionProps } from './sectionProps';
import { COLOURS, readout } from './palette';
import './widgets.css';

const RANGE: [number, number] = [-4, 4];

/** The Bayesian update widget. */
export function UpdateSection({ engine, onError }: SectionProps) {
  const [x, setX] = useState(0.8);
  const [alpha, setAlpha] = useState(2);
  const [mu, setMu] = useState(-1);
  const [rho, setRho] = useState(1);
  const [seed, setSeed] = useState(1);
  const options: LearnUpdateOptions = useMemo(() => ({ x, alpha, mu, rho, seed, lo: RANGE[0], hi: RANGE[1], points: 321 }), [x, alpha, mu, rho, seed]);
  const { result: r, current } = useLatest(options, (o) => engine.kind('learn').bayesianUpdate(o), (m) => onError('Bayesian update', m));
  useFirstFrameMark(r !== null, { view: 'learn', source: 'live' });
  const yTop = r ? 1.12 * Math.max(d3.max(r.prior) ?? 0, d3.max(r.sender) ?? 0, d3.max(r.posterior) ?? 0) : 1;
  const n = (v: number) => texNumber(v, 4);
  const tex = r
    ? [
      `y \\sim \\mathcal{N}\\!\\left(x, \\alpha^{-1}\\right) = \\mathcal{N}\\!\\left(${n(x)}, ${n(1 / alpha)}\\right), \\quad y = ${n(r.y)}`,
      `\\rho' = \\rho + \\alpha = ${n(rho)} + ${n(alpha)} = ${n(r.rhoPost)}`,
      `\\mu' = \\frac{\\mu\\rho + y\\alpha}{\\rho'} = \\frac{(${n(mu)})(${n(rho)}) + (${n(r.y)})(${n(alpha)})}{${n(r.rhoPost)}} = ${n(r.muPost)}`,
    ]
    : [];

  return (
    <div className="learn-widget" data-testid="learn-update" data-ready={r && current ? 'yes' : 'no'} data-backend={r?.backend}>
      <div className="learn-figure">
        <LearnPlot
          title="Prior, sender distribution, sender sample and posterior of one continuous variable"
          xLabel="value of the variable (data units)" yLabel="density (1 / unit)" xDomain={RANGE} yDomain={[0, yTop]} testId="update-plot"
          lines={r ? [
            { id: 'prior', label: `prior N(μ, 1/ρ) = N(${readout(mu)}, ${readout(1 / rho)})`, colour: COLOURS.prior, x: r.grid, y: r.prior, fill: true },
            { id: 'sender', label: `sender N(x, 1/α) = N(${readout(x)}, ${readout(1 / alpha)})`, colour: COLOURS.sender, x: r.grid, y: r.sender, dash: '6 4' },
            { id: 'posterior', label: `posterior N(μ′, 1/ρ′) = N(${readout(r.muPost)}, ${readout(1 / r.rhoPost)})`, colour: COLOURS.posterior, x: r.grid, y: r.posterior, fill: true, width: 2.6 },
          ] : []}
          markers={r ? [{ id: 'y', label: `sender sample y = ${readout(r.y)}`, colour: COLOURS.sample, x: r.y, dash: '3 3' }] : []}
          handles={[
            { id: 'x', label: 'true x', colour: COLOURS.sender, x, min: -3, max: 3, step: 0.01, onChange: setX, testId: 'update-handle-x' },
            { id: 'mu', label: 'prior mean μ', colour: COLOURS.prior, x: mu, min: -3, max: 3, step: 0.01, onChange: setMu, testId: 'update-handle-mu' },
          ]}
        />
        <div className="learn-controls">
          <NumberSlider label="true x" value={x} min={-3} max={3} step={0.01} onChange={setX} testId="update-x" help="The value the sender knows (data units). Orange handle on the plot." />
          <NumberSlider label="accuracy α" value={alpha} min={0.05} max={20} step={0.05} onChange={setAlpha} testId="update-alpha" help="Precision of the sender's noise, 1 / variance (1 / unit²). Large α: y lies close to x." />
          <NumberSlider label="prior mean μ" value={mu} min={-3} max={3} step={0.01} onChange={setMu} testId="update-mu" help="The receiver's current guess (data units). Blue handle on the plot." />
          <NumberSlider label="prior precision ρ" value={rho} min={0.05} max={20} step={0.05} onChange={setRho} testId="update-rho" help="How sure the receiver is, 1 / variance (1 / unit²)." />
          <div className="learn-buttons">
            <button type="button" className="button" onClick={() => setSeed((s) => s + 1)} data-testid="update-new-sample">New sample y</button>
            <span className="learn-muted">noise seed <output data-testid="update-seed">{seed}</output></span>
          </div>
        </div>
      </div>
      <div className="learn-text">
        {tex.map((t, k) => <Equation key={k} tex={t} display />)}
        <dl className="learn-readouts">
          <div><dt>sender sample y</dt><dd data-testid="update-y">{r ? readout(r.y, 6) : '…'}</dd></div>
          <div><dt>posterior mean μ′</dt><dd data-testid="update-mu-post">{r ? readout(r.muPost, 6) : '…'}</dd></div>
          <div><dt>posterior precision ρ′</dt><dd data-testid="update-rho-post">{r ? readout(r.rhoPost, 6) : '…'}</dd></div>
        </dl>
        <p>
          The receiver's belief about one number is a Gaussian with mean μ and precision ρ (the <em>input distribution</em>).
          The sender knows the true x and sends a noisy copy y, drawn from the <em>sender distribution</em> with precision α,
          the <em>accuracy</em>. Bayes' rule for two Gaussians gives the posterior in closed form: precisions add, and the new mean
          is the precision-weighted average of the old mean and the sample. So a small α nudges μ a little towards y, a large α
          moves it almost all the way, and the posterior is always narrower than the prior, whatever y was.
        </p>
        <Source paper="§4.1–4.2, eq. 49–50" code="bfn.py, CtsBayesianFlow.get_sender_dist and update_input_params" ours="src/bfn/continuous.ts ctsSenderSample, ctsBayesianUpdate" />
      </div>
    </div>
  );
}
