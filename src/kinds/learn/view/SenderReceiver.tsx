/**
 * Learn widget d: sender, receiver and output distributions for one variable at step i of n (Graves et al. 2023, §3):
 * the output distribution p_O(. | theta; t) that a shipped network gives for an input theta drawn from the Bayesian
 * flow, the receiver distribution p_R it implies, the sender distribution p_S, and the KL between them that the
 * discrete-time loss L^n sums. Continuous data use the shipped two-moons model, K classes the shipped words model
 * (K = 27). Every number comes from the worker's Learn session (src/kinds/learn/sessionOutput.ts).
 */
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { LineChart } from '../../../ui/charts/LineChart';
import type { CtsKlOptions, DiscreteKlOptions } from '../../../engine/client';
import { LEARN_OUTPUT_LIMITS } from '../../../settings/settingsLearnOutput';
import { Equation, texNumber } from './Equation';
import { Source } from './Source';
import { BarChart } from './outputCharts';
import { CheckedField, ChoiceField, intProblem, RangeField } from './outputFields';
import type { SectionProps } from './sectionProps';
import { useLatest } from './controls';
import './output.css';

const SENDER = '#1d4ed8';
const RECEIVER = '#c2410c';
const OUTPUT = '#15803d';
const INPUT = '#94a3b8';

/** A number as the page shows it for reading (6 significant digits). */
export const shown = (v: number) => String(Number(v.toPrecision(6)));

/** A labelled number: label, value, test id (read by the browser tests) and unit. */
export type NumberRow = [label: ReactNode, value: number, testId: string, unit?: string];

/** A list of labelled numbers. */
export function Numbers({ rows }: { rows: NumberRow[] }) {
  return (
    <dl className="learn-numbers">
      {rows.map(([label, value, testId, unit]) => (
        <div key={testId}>
          <dt>{label}</dt>
          <dd><span data-testid={testId}>{shown(value)}</span>{unit ? ` ${unit}` : null}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The step controls shared by both parts: n (typed) and step i (slider, t = (i - 1)/n). */
function StepFields({ n, i, set, prefix }: { n: number; i: number; set: (n: number, i: number) => void; prefix: string }) {
  return (
    <>
      <CheckedField
        label="Steps n" help={`number of steps of L^n, ${LEARN_OUTPUT_LIMITS.n[0]}–${LEARN_OUTPUT_LIMITS.n[1]}`} value={String(n)} numeric
        problem={(s) => intProblem(s, LEARN_OUTPUT_LIMITS.n[0], LEARN_OUTPUT_LIMITS.n[1])} onChange={(s) => set(Number(s), Math.min(i, Number(s)))} testId={`${prefix}-n`}
      />
      <RangeField
        label="Step i" help="the network sees θ at t = (i − 1)/n; the sender has accuracy α_i" value={i} min={1} max={n} step={1}
        onChange={(v) => set(n, v)} format={(v) => `${v} (t = ${shown((v - 1) / n)})`} testId={`${prefix}-i`}
      />
    </>
  );
}

/** A vertical line from 0 to `top` at u, as a line-chart series. */
const vline = (id: string, label: string, color: string, u: number, top: number, dash?: string) => ({ id, label, color, x: [u, u], y: [0, top], dash, width: 1.6 });

/** The continuous part: one coordinate of a two-moons point. */
function ContinuousPart({ engine, onError, active }: SectionProps) {
  const [o, setO] = useState<CtsKlOptions>({ point: 3, coordinate: 0, n: 20, i: 10, seed: 1 });
  const options = useMemo(() => o, [o]);
  const call = useCallback((x: CtsKlOptions) => engine.kind('learn').ctsKl(x), [engine]);
  const { result: r, current } = useLatest(options, call, (m) => onError('Sender, receiver and output (continuous)', m), active);
  const top = r ? Math.max(...r.sender, ...r.receiver) : 1;
  return (
    <div className="learn-part" data-testid="cts-kl" data-ready={current ? 'yes' : 'no'}>
      <h3>Continuous data: one coordinate of a two-moons point</h3>
      <div className="fields learn-fields">
        <CheckedField
          label="Data point" help={`which of ${LEARN_OUTPUT_LIMITS.points} fixed two-moons points, 0–${LEARN_OUTPUT_LIMITS.points - 1}`} value={String(o.point)} numeric
          problem={(s) => intProblem(s, 0, LEARN_OUTPUT_LIMITS.points - 1)} onChange={(s) => setO({ ...o, point: Number(s) })} testId="cts-point"
        />
        <ChoiceField label="Variable" help="the coordinate shown" value={o.coordinate} options={[{ value: 0, text: 'first coordinate' }, { value: 1, text: 'second coordinate' }]} onChange={(c) => setO({ ...o, coordinate: c })} testId="cts-coordinate" />
        <StepFields n={o.n} i={o.i} set={(n, i) => setO({ ...o, n, i })} prefix="cts" />
        <CheckedField label="Seed" help="seed of the flow sample μ" value={String(o.seed)} numeric problem={(s) => intProblem(s, 0, 1e9)} onChange={(s) => setO({ ...o, seed: Number(s) })} testId="cts-seed" />
      </div>
      {r ? (
        <div className="learn-out-widget learn-widget-split">
          <div className="learn-out-text">
          <div className="learn-equations">
            <Equation display tex={`\\begin{aligned}\\alpha_i &= \\sigma_1^{-2i/n}\\,(1 - \\sigma_1^{2/n}) \\\\ &= ${texNumber(r.sigma1)}^{-2 \\times ${r.options.i}/${r.options.n}}\\,(1 - ${texNumber(r.sigma1)}^{2/${r.options.n}}) = ${texNumber(r.alpha)}\\end{aligned}`} />
            <Equation display tex={`\\begin{aligned}p_S(y \\mid x;\\alpha_i) &= \\mathcal N(y \\mid x, \\alpha_i^{-1}) \\\\ &= \\mathcal N(y \\mid ${texNumber(r.x)}, ${texNumber(1 / r.alpha)})\\end{aligned}`} />
            <Equation display tex={`p_O(\\cdot \\mid \\theta; t) = \\delta(\\cdot - \\hat x(\\theta, t)),\\quad \\hat x = ${texNumber(r.xHat)}`} />
            <Equation display tex={`\\begin{aligned}p_R(y \\mid \\theta; t, \\alpha_i) &= \\mathcal N(y \\mid \\hat x, \\alpha_i^{-1}) \\\\ &= \\mathcal N(y \\mid ${texNumber(r.xHat)}, ${texNumber(1 / r.alpha)})\\end{aligned}`} />
            <Equation display tex={`\\begin{aligned}D_{KL}(p_S \\,\\|\\, p_R) &= \\tfrac{\\alpha_i}{2}(x - \\hat x)^2 \\\\ &= \\tfrac{${texNumber(r.alpha)}}{2}\\,(${texNumber(r.x)} - (${texNumber(r.xHat)}))^2 \\\\ &= ${texNumber(r.kl)}\\ \\text{nats}\\end{aligned}`} />
          </div>
          <Numbers rows={[
            ['t = (i − 1)/n', r.t, 'cts-t'],
            ['σ₁', r.sigma1, 'cts-sigma1'],
            ['data x', r.x, 'cts-x'],
            ['input mean μ', r.mu, 'cts-mu'],
            ['precision ρ(t)', r.rho, 'cts-rho'],
            ['output x̂', r.xHat, 'cts-xhat'],
            ['accuracy α_i', r.alpha, 'cts-alpha'],
            ['KL(p_S ‖ p_R)', r.kl, 'cts-kl-value', 'nats'],
            ['n · KL (this step’s L^n term)', r.options.n * r.kl, 'cts-kl-n', 'nats'],
          ]} />
          </div>
          <div className="learn-plots">
          <LineChart
            title="Sender and receiver densities of y" testId="cts-densities" xDomain={[r.grid[0]!, r.grid[r.grid.length - 1]!]} xLabel="sender sample y (data units)" yLabel="density (per unit of y)"
            series={[
              { id: 's', label: 'sender p_S = N(x, 1/α)', color: SENDER, x: r.grid, y: r.sender, width: 2 },
              { id: 'r', label: 'receiver p_R = N(x̂, 1/α)', color: RECEIVER, x: r.grid, y: r.receiver, width: 2, dash: '6 3' },
              vline('x', 'data x', SENDER, r.x, top),
              vline('xh', 'output x̂ (p_O is a point mass here)', OUTPUT, r.xHat, top, '2 2'),
            ]}
            height={200}
          />
          </div>
        </div>
      ) : <p className="learn-wait">Loading the shipped two-moons model…</p>}
      <p>
        The network sees only θ = (μ, ρ), here μ drawn from the Bayesian flow at t. For continuous data its output
        distribution is a point mass at x̂. Averaging the sender over it gives the receiver: the same Gaussian noise,
        centred on x̂ instead of the true x. Their KL is the cost of sending y to a receiver that guesses x̂. Each
        step of L^n adds one such term (times n), so a better guess x̂ means a shorter message.
      </p>
    </div>
  );
}

/** The K-class part: one letter of a word under the shipped words model. */
function DiscretePart({ engine, onError, active }: SectionProps) {
  const [o, setO] = useState<DiscreteKlOptions>({ word: 'flow', position: 2, n: 20, i: 4, seed: 1, samples: 4000 });
  const options = useMemo(() => o, [o]);
  const call = useCallback((x: DiscreteKlOptions) => engine.kind('learn').discreteKl(x), [engine]);
  const { result: r, current } = useLatest(options, call, (m) => onError('Sender, receiver and output (K classes)', m), active);
  const L = r?.L ?? 8;
  const symbols = r ? [...r.alphabet] : [];
  const top = r ? Math.max(...r.sender, ...r.receiver) : 1;
  return (
    <div className="learn-part" data-testid="discrete-kl" data-ready={current ? 'yes' : 'no'}>
      <h3>K classes: one letter of a word (words model, K = 27)</h3>
      <div className="fields learn-fields">
        <CheckedField
          label="Word" help={`lower-case letters a–z, 1–${L} letters`} value={o.word}
          problem={(s) => (/^[a-z]+$/.test(s) ? (s.length <= L ? null : `at most ${L} letters`) : 'letters a–z only')} onChange={(s) => setO({ ...o, word: s })} testId="disc-word"
        />
        <CheckedField label="Position" help={`letter position 1–${L} (after the word: padding _)`} value={String(o.position)} numeric problem={(s) => intProblem(s, 1, L)} onChange={(s) => setO({ ...o, position: Number(s) })} testId="disc-position" />
        <StepFields n={o.n} i={o.i} set={(n, i) => setO({ ...o, n, i })} prefix="disc" />
        <CheckedField
          label="Sender samples S" help={`Monte-Carlo samples of the KL, ${LEARN_OUTPUT_LIMITS.samples[0]}–${LEARN_OUTPUT_LIMITS.samples[1]}`} value={String(o.samples)} numeric
          problem={(s) => intProblem(s, LEARN_OUTPUT_LIMITS.samples[0], LEARN_OUTPUT_LIMITS.samples[1])} onChange={(s) => setO({ ...o, samples: Number(s) })} testId="disc-samples"
        />
        <CheckedField label="Seed" help="seed of θ and of the sender samples" value={String(o.seed)} numeric problem={(s) => intProblem(s, 0, 1e9)} onChange={(s) => setO({ ...o, seed: Number(s) })} testId="disc-seed" />
      </div>
      {r ? (
        <div className="learn-out-widget learn-widget-split">
          <div className="learn-out-text">
          <div className="learn-equations">
            <Equation display tex={`\\begin{aligned}\\alpha_i &= \\beta_1 \\frac{2i - 1}{n^2} \\\\ &= ${texNumber(r.beta1)} \\times \\frac{2 \\times ${r.options.i} - 1}{${r.options.n}^2} = ${texNumber(r.alpha)}\\end{aligned}`} />
            <Equation display tex={`\\begin{aligned}p_S(\\mathbf y \\mid x;\\alpha_i) &= \\mathcal N\\big(\\mathbf y \\mid \\alpha_i(K\\mathbf e_x - \\mathbf 1), \\alpha_i K \\mathbf I\\big), \\\\ x &= \\text{‘${symbols[r.x]}’},\\ K = ${r.K}\\end{aligned}`} />
            <Equation display tex={`\\begin{aligned}&p_R(\\mathbf y \\mid \\theta; t,\\alpha_i) = \\sum_{k=1}^{K} p_O(k \\mid \\theta; t) \\\\ &\\quad \\times \\mathcal N\\big(\\mathbf y \\mid \\alpha_i(K\\mathbf e_k - \\mathbf 1), \\alpha_i K \\mathbf I\\big), \\\\ &p_O(x \\mid \\theta; t) = ${texNumber(r.pO[r.x]!)}\\end{aligned}`} />
            <Equation display tex={`\\begin{aligned}D_{KL}(p_S \\,\\|\\, p_R) &\\approx \\frac1S \\sum_{s=1}^{S} \\ln \\frac{p_S(\\mathbf y_s)}{p_R(\\mathbf y_s)},\\ S = ${r.options.samples} \\\\ &= ${texNumber(r.kl)} \\pm ${texNumber(r.klSE, 2)}\\ \\text{nats}\\end{aligned}`} />
          </div>
          <Numbers rows={[
            ['t = (i − 1)/n', r.t, 'disc-t'],
            ['β₁', r.beta1, 'disc-beta1'],
            ['accuracy α_i', r.alpha, 'disc-alpha'],
            ['p_O(x | θ; t)', r.pO[r.x]!, 'disc-px'],
            ['KL estimate', r.kl, 'disc-kl-value', 'nats'],
            ['its standard error', r.klSE, 'disc-kl-se', 'nats'],
            ['n · KL (this step’s L^n term)', r.options.n * r.kl, 'disc-kl-n', 'nats'],
          ]} />
          </div>
          <div className="learn-plots">
          <BarChart
            title="Input θ and output p_O over the 27 classes" testId="disc-bars" categories={symbols} mark={r.x} markLabel={`true class x = ‘${symbols[r.x]}’`}
            xLabel="class k (letter; _ is padding)" yLabel="probability"
            series={[{ id: 'theta', label: 'input θ (what the network sees)', color: INPUT, values: r.theta }, { id: 'po', label: 'output p_O(k | θ; t)', color: OUTPUT, values: r.pO }]}
          />
          <LineChart
            title="Marginal densities of the true class's coordinate y_x" testId="disc-densities" xDomain={[r.grid[0]!, r.grid[r.grid.length - 1]!]} xLabel="y_x, the true class's coordinate of y" yLabel="density (per unit of y_x)"
            series={[
              { id: 's', label: 'sender: N(α(K − 1), αK)', color: SENDER, x: r.grid, y: r.sender, width: 2 },
              { id: 'r', label: 'receiver: p_O(x) N(α(K − 1), αK) + (1 − p_O(x)) N(−α, αK)', color: RECEIVER, x: r.grid, y: r.receiver, width: 2, dash: '6 3' },
              vline('m', 'mean under class x', SENDER, r.alpha * (r.K - 1), top, '2 2'),
            ]}
            height={200}
          />
          <details className="learn-out-table">
            <summary>p_O and θ as numbers</summary>
            <table data-testid="disc-po-table">
              <thead><tr><th scope="col">class</th><th scope="col">θ</th><th scope="col">p_O</th></tr></thead>
              <tbody>
                {symbols.map((c, k) => <tr key={c}><th scope="row">{c}</th><td>{r.theta[k]!.toPrecision(4)}</td><td data-testid="disc-po">{r.pO[k]!.toPrecision(4)}</td></tr>)}
              </tbody>
            </table>
          </details>
          </div>
        </div>
      ) : <p className="learn-wait">Loading the shipped words model…</p>}
      <p>
        For K classes the sender adds Gaussian noise to a scaled one-hot vector of the true letter. The receiver does
        not know the letter, so it mixes the K possible senders with the network's probabilities p_O. The KL has no
        closed form here; it is estimated from S sender samples, as the official code does, with its standard
        error. The more mass p_O puts on the true letter, the closer the receiver is to the sender and the smaller
        the KL.
      </p>
    </div>
  );
}

/** Section d of the Learn view. */
export function SenderReceiverSection(props: SectionProps) {
  return (
    <>
      <p>
        At every step i of n the sender adds noise of accuracy α_i to the data; the receiver, which only has the
        network's output distribution, must predict that noisy message. The discrete-time loss L^n is n times the
        expected KL between the two.
      </p>
      <Equation className="learn-output-eq" display tex={'\\begin{aligned}&L^n(\\mathbf x) = n\\, \\mathbb E_{i \\sim U\\{1,n\\},\\, \\theta \\sim p_F(\\cdot \\mid \\mathbf x; t_{i-1})} \\\\ &\\quad D_{KL}\\big(p_S(\\cdot \\mid \\mathbf x; \\alpha_i) \\,\\|\\, p_R(\\cdot \\mid \\theta; t_{i-1}, \\alpha_i)\\big)\\end{aligned}'} />
      <ContinuousPart {...props} />
      <DiscretePart {...props} />
      <Source paper="§3.1–3.2 (sender, output and receiver distributions), §3.8 (L^n); §4, eq. 95–96 (continuous); §6, eq. 189–190 (discrete)" code="model.py, CtsBayesianFlowLoss.discrete_time_loss and DiscreteBayesianFlowLoss.discrete_time_loss" ours="src/bfn/senderReceiver.ts ctsSenderReceiverKl, discreteSenderReceiverKl, discreteClassMarginals" />
    </>
  );
}
