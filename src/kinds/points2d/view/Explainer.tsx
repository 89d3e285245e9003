/** "What you are seeing": the continuous-data BFN sampler in words and equations, next to the views. */

/** The explanation panel. */
export function Explainer() {
  return (
    <section className="card explainer" aria-labelledby="explainer-h" data-testid="explainer">
      <h2 id="explainer-h">What you are seeing</h2>
      <p>
        Every sampled point starts as a Gaussian <i>input distribution</i> with mean <b>μ = 0</b> and precision{' '}
        <b>ρ = 1</b>. Each of the n steps (t<sub>i−1</sub> = (i−1)/n) does three things:
      </p>
      <ol>
        <li>
          The network sees all means and t and predicts the data: <span className="eq">x̂ = Ψ(μ, t)</span> (it predicts the
          noise ε̂, and x̂ = μ/γ − √((1−γ)/γ) ε̂ with γ = β/(1+β)).
        </li>
        <li>
          A noisy message is drawn around that guess: <span className="eq">y ~ N(x̂, 1/α<sub>i</sub>)</span>, with accuracy{' '}
          <span className="eq">α<sub>i</sub> = β(i/n) − β((i−1)/n)</span>.
        </li>
        <li>
          A Bayesian update folds it in: <span className="eq">μ ← (ρ μ + α y) / (ρ + α)</span>,{' '}
          <span className="eq">ρ ← ρ + α</span>.
        </li>
      </ol>
      <p>
        The accuracy schedule <span className="eq">β(t) = σ₁<sup>−2t</sup> − 1</span> makes ρ(t) = 1 + β(t) grow from 1 to
        1/σ₁², so the final standard deviation is σ₁. Early messages are nearly pure noise (turn on the y layer); late ones
        are precise, and μ settles on a sample. The loss that trains Ψ is the continuous-time{' '}
        <span className="eq">L<sup>∞</sup> = −ln σ₁ · E[σ₁<sup>−2t</sup> ‖x − x̂‖²]</span> (per dimension) or its
        discrete-time version L<sup>n</sup>, in nats.
      </p>
      <p className="hint">
        Keys: <kbd>space</kbd> play/pause, <kbd>←</kbd> <kbd>→</kbd> step, <kbd>Home</kbd> <kbd>End</kbd> first/last,{' '}
        <kbd>+</kbd> <kbd>−</kbd> speed, <kbd>F</kbd> presentation mode, <kbd>Esc</kbd> forget the chosen point (or leave presentation mode).
      </p>
    </section>
  );
}
