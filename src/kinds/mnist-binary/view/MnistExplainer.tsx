/** The MNIST view's introduction: what θ and p_O are for binary pixels and why the samples sharpen with t. */
import { sig } from '../../../ui/format';

/** A short explanation of the discrete (binary) BFN sampler; `beta1` comes from the loaded model (null before). */
export function MnistExplainer({ beta1 }: { beta1: number | null }) {
  const b = beta1 === null ? 'β₁' : sig(beta1, 3);
  return (
    <section className="card explainer mnist-intro" aria-labelledby="mnist-intro-h" data-testid="mnist-explainer">
      <h2 id="mnist-intro-h">Binarized MNIST: a BFN for discrete data</h2>
      <p>
        Every pixel is either off or on. For each pixel the <b>input distribution</b> is a single number <b>θ</b>, the
        probability that the pixel is on; every image starts at θ = ½ everywhere (a flat grey, total uncertainty). At each
        of the n steps the network looks at all of θ and at t and predicts, for every pixel, the <b>output probability p_O</b>{' '}
        that it is on — using the whole image as context. A noisy message about a class drawn from that prediction is then
        folded into θ by Bayes' rule, with accuracy α<sub>i</sub> = β(i/n) − β((i−1)/n) and{' '}
        <span className="eq">β(t) = β₁ t²</span>{beta1 === null ? '' : <> (this model: β₁ = {b})</>}.
      </p>
      <p>
        Early messages carry almost no information, so θ barely leaves ½ and p_O is a blurry average digit. As t grows the
        accumulated accuracy β(t) rises to {beta1 === null ? 'β₁' : `β₁ = ${b}`} at t = 1, the messages become decisive, θ is pushed towards 0 or 1, and the
        prediction commits to one digit: the samples sharpen. The sample is the output's most likely value at t = 1.
      </p>
    </section>
  );
}
