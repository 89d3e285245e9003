/**
 * Lesson presets, declared as data: a name, a sentence for the student, the view, and the URL parameters that set it
 * up (the views' own settings, src/settings/). The Lessons menu links to each; `lesson=<id>` in the link makes the page
 * show the lesson's description. {@link lessonProblems} checks a preset against the settings' own URL reader, so that
 * a renamed or narrowed setting fails a unit test instead of silently resetting a lesson.
 */
import { maxStepsFor, SETTINGS_MNIST } from '../../settings/settingsMnist';
import { readSettings } from '../../settings/url';
import { readPlaygroundUrl, SETTINGS_2D } from '../../state/urlState';

/** One lesson preset. */
export interface Lesson {
  /** Unique; the link's `lesson=<id>`. */
  id: string;
  name: string;
  /** What to look at, in one or two sentences. */
  description: string;
  /** The view it opens (an id of src/ui/views.tsx). */
  view: '2d' | 'mnist';
  /** The view's settings, as URL parameters (the settings' `url` names and their text). */
  params: Readonly<Record<string, string>>;
  /**
   * Controls of the 2D view (their data-testid) that the page presses, in order, once the view has shown its first
   * run: what its URL settings cannot choose, such as the model the sampler uses. See ./pressLesson.ts.
   */
  press?: readonly string[];
}

/** The presets, in the menu's order. */
export const LESSONS: readonly Lesson[] = [
  {
    id: 'few-steps', name: 'Few steps (n = 10)', view: '2d', params: { steps: '10' },
    description: 'Ten Bayesian updates with large accuracies α each: every jump of μ is big, and the samples land less exactly on the data. Compare with the many-steps lesson.',
  },
  {
    id: 'many-steps', name: 'Many steps (n = 200)', view: '2d', params: { steps: '200' },
    description: 'Two hundred small updates: μ flows smoothly from the origin and the samples follow the data closely. The total accuracy β(1) is the same as with ten steps.',
  },
  {
    id: 'small-sigma1', name: 'Small σ₁ (0.005)', view: '2d', params: { sigma1: '0.005' }, press: ['source-ideal'],
    description: 'The ideal denoiser (chosen for you in the Model panel: the shipped model keeps its own σ₁ = 0.02) with σ₁ = 0.005: the final precision ρ(1) = σ₁⁻² = 40,000 is high, so the samples are sharp points of the data. Compare with a large σ₁.',
  },
  {
    id: 'large-sigma1', name: 'Large σ₁ (0.2)', view: '2d', params: { sigma1: '0.2' }, press: ['source-ideal'],
    description: 'The ideal denoiser (chosen for you in the Model panel) with σ₁ = 0.2: ρ(1) = 25 only, so at t = 1 each point is still uncertain by about 0.2 and the samples are blurred around the data.',
  },
  {
    id: 'untrained', name: 'An untrained network', view: '2d', params: { seed: '7', lr: '1e-6' }, press: ['train-step-button'],
    description: 'A fresh network (seed 7) takes one training step with a learning rate of 10⁻⁶, so its weights are still the random initial ones: the plot shows what an untrained network’s predictions x̂ make of the flow. Set the learning rate back to 0.005 and train to see it learn.',
  },
  {
    id: 'mnist-10-steps', name: 'Binarized MNIST with 10 steps', view: 'mnist', params: { mnistSteps: '10' },
    description: 'Ten updates of every pixel’s θ instead of 25: scrub t to see each update decide many pixels at once, and compare the digits with those of more steps.',
  },
];

/** The lesson with this id, or undefined. */
export function findLesson(id: string | null): Lesson | undefined {
  return LESSONS.find((l) => l.id === id);
}

/** The query string that opens `lesson` (view, its parameters and `lesson=<id>`, and the `backend` of `current`, a query string), starting with '?'. */
export function lessonSearch(lesson: Lesson, current = ''): string {
  const params = new URLSearchParams();
  // The backend the reader chose (`?backend=`) is the reader's, not the lesson's: it carries over.
  const backend = new URLSearchParams(current).get('backend');
  if (backend !== null) params.set('backend', backend);
  if (lesson.view !== '2d') params.set('view', lesson.view);
  for (const [k, v] of Object.entries(lesson.params)) params.set(k, v);
  params.set('lesson', lesson.id);
  return `?${params.toString()}`;
}

/**
 * What is wrong with a preset, in sentences (none when it is fine): a parameter no setting of its view reads (it would
 * be ignored), a value the view's URL reader refuses (it would be reset), or a run above the view's limits.
 */
export function lessonProblems(lesson: Lesson): string[] {
  const search = lessonSearch(lesson);
  const decls = lesson.view === '2d' ? SETTINGS_2D : SETTINGS_MNIST;
  const owned = new Set(Object.values(decls).map((s) => s.url));
  const problems = Object.keys(lesson.params)
    .filter((k) => !owned.has(k))
    .map((k) => `${lesson.id}: no setting of the ${lesson.view} view reads the parameter ${k}.`);
  if (lesson.press && lesson.view !== '2d') problems.push(`${lesson.id}: only lessons of the 2d view press controls.`);
  if (lesson.view === '2d') {
    problems.push(...readPlaygroundUrl(search).messages.map((m) => `${lesson.id}: ${m.text}`));
  } else {
    const { values, messages } = readSettings(SETTINGS_MNIST, search);
    problems.push(...messages.map((m) => `${lesson.id}: ${m.text}`));
    if (values.steps > maxStepsFor(values.images)) problems.push(`${lesson.id}: ${values.steps} steps exceed the limit ${maxStepsFor(values.images)} for ${values.images} images.`);
  }
  return problems;
}
