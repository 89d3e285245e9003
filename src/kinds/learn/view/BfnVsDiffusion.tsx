/**
 * Learn widget e: a BFN beside a diffusion model on the same 2D data (two moons). At equal t, what each feeds its
 * network: the BFN the input mean mu ~ p_F(mu | x; t) = N(gamma x, gamma (1 - gamma) I) (Graves et al. 2023, eq. 77,
 * 80), a variance-preserving diffusion model the noisy data z_t = sqrt(abar) x + sqrt(1 - abar) eps (Ho et al. 2020,
 * eq. 4) under the cosine schedule (Nichol & Dhariwal 2021, eq. 17) or one matched to the BFN's signal-to-noise
 * ratio. Both use the same standard normal draws. Numbers come from the worker (src/bfn/continuous.ts ctsFlowSample,
 * src/bfn/diffusion.ts).
 */
import { useCallback, useMemo, useState } from 'react';
import type { DiffusionSchedule, FlowVsDiffusionOptions } from '../../../engine/client';
import { LEARN_OUTPUT_LIMITS } from '../../../settings/settingsLearnOutput';
import { Equation, texNumber } from './Equation';
import { Source } from './Source';
import { ScatterPlot } from './outputCharts';
import { CheckedField, ChoiceField, intProblem, RangeField } from './outputFields';
import type { SectionProps } from './sectionProps';
import { useLatest } from './controls';
import { Numbers } from './SenderReceiver';

const DATA = '#94a3b8';
const BFN = '#1d4ed8';
const DIFFUSION = '#c2410c';

/** Section e of the Learn view. */
export function BfnVsDiffusionSection({ engine, onError, active }: SectionProps) {
  const [o, setO] = useState<FlowVsDiffusionOptions>({ t: 0.5, points: 600, seed: 1, schedule: 'cosine' });
  const options = useMemo(() => o, [o]);
  const call = useCallback((x: FlowVsDiffusionOptions) => engine.kind('learn').flowVsDiffusion(x), [engine]);
  const { result: r, current } = useLatest(options, call, (m) => onError('BFN beside diffusion', m), active);
  // One extent for both plots, so that their spreads compare at a glance.
  const extent = useMemo(() => {
    if (!r) return 1;
    let m = 1;
    for (const a of [r.mu, r.z]) for (const v of a) m = Math.max(m, Math.abs(v));
    return Math.ceil(m * 2) / 2;
  }, [r]);
  const abarTex = (r?.options.schedule ?? o.schedule) === 'cosine'
    ? `\\bar\\alpha &= \\frac{\\cos^2\\!\\big(\\frac{\\pi}{2}\\frac{(1 - t) + s}{1 + s}\\big)}{\\cos^2\\!\\big(\\frac{\\pi}{2}\\frac{s}{1 + s}\\big)}\\ (s = 0.008) \\\\ &`
    : '\\bar\\alpha &= \\gamma(t)\\ \\text{(matched SNR)} \\\\ &';
  return (
    <div className="learn-part" data-testid="bfn-diffusion" data-ready={current ? 'yes' : 'no'}>
      <div className="fields learn-fields">
        <RangeField label="t" help="BFN time: 0 is the prior, 1 the data; the diffusion model is shown at the same stage (its time 1 − t)" value={o.t} min={0} max={1} step={0.01} onChange={(t) => setO({ ...o, t })} format={(v) => v.toFixed(2)} testId="diff-t" />
        <ChoiceField<DiffusionSchedule>
          label="Diffusion schedule" help="ᾱ of the diffusion model: cosine (Nichol & Dhariwal 2021) or matched to the BFN" value={o.schedule}
          options={[{ value: 'cosine', text: 'VP cosine' }, { value: 'matched', text: 'matched SNR: ᾱ = γ(t)' }]}
          onChange={(schedule) => setO({ ...o, schedule })} testId="diff-schedule"
        />
        <CheckedField
          label="Points" help={`data points drawn, ${LEARN_OUTPUT_LIMITS.scatter[0]}–${LEARN_OUTPUT_LIMITS.scatter[1]}`} value={String(o.points)} numeric
          problem={(s) => intProblem(s, LEARN_OUTPUT_LIMITS.scatter[0], LEARN_OUTPUT_LIMITS.scatter[1])} onChange={(s) => setO({ ...o, points: Number(s) })} testId="diff-points"
        />
        <CheckedField label="Seed" help="seed of the data and of the noise ε (shared by both)" value={String(o.seed)} numeric problem={(s) => intProblem(s, 0, 1e9)} onChange={(s) => setO({ ...o, seed: Number(s) })} testId="diff-seed" />
      </div>
      {r ? (
        <div className="learn-out-widget">
          <div className="learn-equations">
            <Equation display tex={`\\begin{aligned}\\text{BFN: } \\mu &\\sim p_F(\\mu \\mid x; t) = \\mathcal N\\big(\\gamma x, \\gamma(1 - \\gamma)\\mathbf I\\big), \\\\ \\gamma &= 1 - \\sigma_1^{2t} = 1 - ${texNumber(r.sigma1)}^{2 \\times ${texNumber(r.options.t)}} = ${texNumber(r.gamma)}\\end{aligned}`} />
            <Equation display tex={`\\begin{aligned}\\text{diffusion: } z &= \\sqrt{\\bar\\alpha}\\, x + \\sqrt{1 - \\bar\\alpha}\\, \\varepsilon, \\\\ ${abarTex} = ${texNumber(r.alphaBar)}\\end{aligned}`} />
          </div>
          <div className="learn-scatter-pair">
            <div>
            <h4 className="learn-plot-title">BFN: the input mean μ</h4>
            <ScatterPlot
              title={`BFN input mean μ at t = ${r.options.t}`} testId="diff-bfn-plot" extent={extent} xLabel="first coordinate" yLabel="second coordinate"
              sets={[{ id: 'x', label: 'data x', color: DATA, points: r.x, opacity: 0.5 }, { id: 'mu', label: 'BFN input μ', color: BFN, points: r.mu }]}
            />
            </div>
            <div>
            <h4 className="learn-plot-title">Diffusion: the noisy data z</h4>
            <ScatterPlot
              title={`Diffusion noisy data z at t = ${r.options.t}`} testId="diff-diffusion-plot" extent={extent} xLabel="first coordinate" yLabel="second coordinate"
              sets={[{ id: 'x', label: 'data x', color: DATA, points: r.x, opacity: 0.5 }, { id: 'z', label: 'diffusion input z', color: DIFFUSION, points: r.z }]}
            />
            </div>
          </div>
          <Numbers rows={[
            ['γ(t)', r.gamma, 'diff-gamma'],
            ['σ₁', r.sigma1, 'diff-sigma1'],
            ['ᾱ', r.alphaBar, 'diff-abar'],
            ['sample variance of μ − γx', r.muNoiseVar, 'diff-mu-var'],
            ['closed form γ(1 − γ)', r.muNoiseVarExact, 'diff-mu-var-exact'],
            ['sample variance of z − √ᾱ x', r.zNoiseVar, 'diff-z-var'],
            ['closed form 1 − ᾱ', r.zNoiseVarExact, 'diff-z-var-exact'],
          ]} />
        </div>
      ) : <p className="learn-wait">Loading…</p>}
      <p>
        A diffusion network sees noisy data: at the start pure noise of variance 1, at the end the data. A BFN
        network sees μ, the mean of its input distribution, a parameter of a belief about x: it starts at the prior
        mean 0 (every point at the origin), and its noise γ(1 − γ) vanishes at both ends, so the inputs stay close to
        the prior early and move smoothly out to the data. With the matched schedule the two inputs hold the same
        information (z = μ/√γ with the same ε); they differ in what the network is given: a shrunken, less noisy
        parameter instead of noisy data. For discrete data the BFN's input stays a probability vector, which is
        where the two approaches part (paper §1).
      </p>
      <Source paper="§1 (BFNs and diffusion), §4, eq. 77 and 80 (the Bayesian flow of continuous data); diffusion: Ho et al. 2020 eq. 4, Nichol & Dhariwal 2021 eq. 17" code="model.py, CtsBayesianFlow.forward" ours="src/bfn/continuous.ts ctsFlowSample, src/bfn/diffusion.ts diffusionSample, diffusionAlphaBarAtBfnTime" />
    </div>
  );
}
