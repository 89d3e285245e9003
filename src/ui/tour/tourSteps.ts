/**
 * The guided tours, declared as data: each step names the view it belongs to, the element it highlights (a CSS
 * selector, by id or by a `data-tour="…"` attribute on the live view's element), a short text in the paper's terms,
 * and what to set first (the timeline's t, the plot's layers). The tour card (./Tour.tsx) reads these; a link
 * `?tour=<id>&step=<n>` (n counted from 1) resumes a tour.
 *
 * The texts follow Graves et al. 2023 (arXiv:2308.07037): the prior and the Bayesian update for continuous data (§4.1,
 * eqs. 49-50), the sender distribution N(x, alpha^-1 I) (§4.2, eq. 86), the output prediction x_hat (§4.3), the
 * accuracy schedule rho(t) = 1 + beta(t) with beta(t) = sigma1^(-2t) - 1 (§4.4, eqs. 72-73), and for discrete data
 * the input probabilities theta, the output distribution p_O and the sample (§6, eqs. 164-172); the official code's
 * `bfn.py` / `model.py` (`CtsBayesianFlow`, `DiscreteBayesianFlow`) implements the same updates.
 */
import type { LayerKey } from '../../settings/settings2d';

/** What a step sets in the live view before it highlights its target. */
export interface TourApply {
  /** The timeline's position as a fraction of the run, 0 (t = 0) to 1 (t = 1); playback is paused there. */
  t?: number;
  /** Plot layers to switch on (true) or off (false) in the 2D view; the others are left as they are. */
  layers?: Partial<Record<LayerKey, boolean>>;
  /**
   * Choose a point in the 2D plot when none is chosen, as Enter on the focused plot does (the point nearest the
   * plot's centre), so that the point chart has a point to show.
   */
  choosePoint?: boolean;
}

/** One step of a tour. */
export interface TourStep {
  /** Unique within its tour. */
  id: string;
  /** The view (an id of src/ui/views.tsx) the step is shown in. */
  view: string;
  /** CSS selector of the highlighted element; the first visible match is used. */
  target: string;
  title: string;
  text: string;
  apply?: TourApply;
}

/** A tour: an id for links (`?tour=<id>`), a name, and its steps in order. */
export interface TourEntry {
  id: string;
  name: string;
  steps: readonly TourStep[];
}

/** The selector of an element marked `data-tour="<name>"`. */
const tour = (name: string) => `[data-tour="${name}"]`;

/** Every tour: one through the 2D view, one through the MNIST view. */
export const TOURS: readonly TourEntry[] = [
  {
    id: '2d',
    name: 'The 2D playground',
    steps: [
      {
        id: 'prior', view: '2d', target: tour('plot'), title: 'The prior', apply: { t: 0, layers: { mu: true } },
        text: 'At t = 0 each point’s input distribution is the prior N(μ, ρ⁻¹ I) with every μ at the origin and precision ρ = 1. Nothing is known yet: all the points sit on top of each other.',
      },
      {
        id: 'sender', view: '2d', target: tour('plot'), title: 'Noisy messages', apply: { t: 0.3, layers: { y: true, xhat: false } },
        text: 'At each step the sender adds Gaussian noise to the data: y ~ N(x, α⁻¹ I), with accuracy α. While sampling, x is unknown, so the receiver draws y around the network’s prediction instead. The faint dots are the messages y of the last step.',
      },
      {
        id: 'predictions', view: '2d', target: tour('plot'), title: 'The network’s predictions', apply: { t: 0.3, layers: { y: false, xhat: true } },
        text: 'The network sees only the input means μ and the time t, and predicts where each point will end: x̂ = Ψ(μ, t). Near t = 0 its predictions huddle near the data’s mean (scrub back to see); here, at t = 0.3, they already lie along the data, and they sharpen with μ.',
      },
      {
        id: 'update', view: '2d', target: tour('readouts'), title: 'The Bayesian update', apply: { t: 0.5, layers: { xhat: false } },
        text: 'Each message y updates the input distribution: μ′ = (ρμ + αy)/(ρ + α) moves μ toward y, and the precision grows by the accuracy, ρ′ = ρ + α. These numbers are those of the current step.',
      },
      {
        id: 'timeline', view: '2d', target: tour('timeline'), title: 'From t = 0 to t = 1', apply: { t: 0.5 },
        text: 'Play or drag t to watch the n updates one after the other: μ flows from the origin to the data. The arrow keys step one update at a time.',
      },
      {
        id: 'precision', view: '2d', target: tour('point-chart'), title: 'The growing precision', apply: { t: 1, choosePoint: true },
        text: 'The chart follows one point (hover, tap or pick another in the plot): its μ and x̂ over t, and below them the precision ρ(t) = 1 + β(t) = σ₁^(−2t) on a log axis, the same for every point. At t = 1 the input distribution has standard deviation σ₁.',
      },
    ],
  },
  {
    id: 'mnist',
    name: 'Binarized MNIST',
    steps: [
      {
        id: 'theta', view: 'mnist', target: tour('mnist-theta'), title: 'What the network sees: θ', apply: { t: 0 },
        text: 'Each pixel is a two-class variable; its input distribution is a probability θ of being on. At t = 0 every θ = ½, a fair coin, so the network sees a flat grey image, never a noisy digit.',
      },
      {
        id: 'output', view: 'mnist', target: tour('mnist-output'), title: 'What it predicts: p_O', apply: { t: 0.25 },
        text: 'From all of θ and t the network predicts, for every pixel, the probability p_O that it is on in the final digit. Early on it already guesses whole digits, blurred where it is unsure.',
      },
      {
        id: 'update', view: 'mnist', target: tour('mnist-theta'), title: 'The Bayesian update of θ', apply: { t: 0.6 },
        text: 'The receiver draws a noisy message from the network’s prediction and updates θ by Bayes’ rule; the accuracy schedule β(t) = β₁ t² decides how informative each message is. θ sharpens toward 0 or 1.',
      },
      {
        id: 'sample', view: 'mnist', target: tour('mnist-sample'), title: 'The sample', apply: { t: 1 },
        text: 'At t = 1 each pixel is drawn from the last output distribution: a digit of 0/1 pixels. Drag t back to see how early each stroke was decided.',
      },
    ],
  },
];

/** The tour with this id, or undefined. */
export function findTour(id: string): TourEntry | undefined {
  return TOURS.find((t) => t.id === id);
}

/** The tour whose first step is in this view, or undefined (the "Take the tour" button offers it). */
export function tourOfView(view: string): TourEntry | undefined {
  return TOURS.find((t) => t.steps[0]?.view === view);
}

/** Where a link asks a tour to start: a tour and a step index counted from 0, and a sentence about a bad parameter. */
export interface TourLink {
  tour: TourEntry | null;
  step: number;
  problem: string | null;
}

/**
 * Reads `?tour=<id>&step=<n>` (n from 1). A tour id no tour has gives no tour and a problem; a step that is not a
 * whole number from 1 to the tour's length gives step 1 and a problem. Throws nothing.
 */
export function readTourLink(search: string): TourLink {
  const params = new URLSearchParams(search);
  const id = params.get('tour');
  if (id === null || id === '') return { tour: null, step: 0, problem: null };
  const entry = findTour(id);
  if (!entry) return { tour: null, step: 0, problem: `There is no tour “${id}” (tours: ${TOURS.map((t) => t.id).join(', ')}); none was started.` };
  const raw = params.get('step');
  if (raw === null || raw === '') return { tour: entry, step: 0, problem: null };
  const n = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!(n >= 1 && n <= entry.steps.length)) {
    return { tour: entry, step: 0, problem: `The tour has steps 1 to ${entry.steps.length}, not “${raw}”; it starts at step 1.` };
  }
  return { tour: entry, step: n - 1, problem: null };
}

/** `search` with the tour's parameters set (step counted from 0, written from 1), or removed when `tour` is null. */
export function writeTourLink(search: string, tour: string | null, step: number): string {
  const params = new URLSearchParams(search);
  if (tour === null) {
    params.delete('tour');
    params.delete('step');
  } else {
    params.set('tour', tour);
    params.set('step', String(step + 1));
  }
  const query = params.toString();
  return query ? `?${query}` : '';
}
