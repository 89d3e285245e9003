/**
 * The page's views, one entry each: adding a view (a new kind of model's page) adds one line here. App.tsx draws the
 * tabs, the skip link, the intro and the active view from this list; `?view=<id>` opens a view (the first is the
 * default and has no parameter).
 */
import type { ReactNode } from 'react';
import type { BackendInfo, EngineClient } from '../engine/client';
import type { SettingMessage } from '../settings/url';
import { MnistView } from '../kinds/mnist-binary/view/MnistView';
import { Playground } from '../kinds/points2d/view/Playground';
import { MnistGreyView } from '../kinds/mnist-grey/view/MnistGreyView';
import { WordsView } from '../kinds/words/view/WordsView';
import { SimplexView } from '../kinds/simplex/view/SimplexView';
import { LearnView } from '../kinds/learn/view/LearnView';

/** What App hands every view. */
export interface ViewProps {
  engine: EngineClient;
  backend: BackendInfo | null;
  engineFailed: boolean;
  onError: (where: string, message: string) => void;
  /** False while a kept-mounted view is hidden (it stays idle). */
  active: boolean;
}

/** One view of the page. */
export interface ViewEntry {
  id: string;
  /** The tab's label. */
  label: string;
  /** The skip link's target (an element id in the view) and its words: "Skip to the plot". */
  skip: { href: string; words: string };
  /** The intro's sentence about what this view shows. */
  intro: string;
  /** Stay mounted (hidden) once opened, so that its runs, models and training survive a switch of view. */
  keepMounted: boolean;
  render: (props: ViewProps) => ReactNode;
}

export const VIEWS: readonly ViewEntry[] = [
  {
    id: '2d', label: '2D points', skip: { href: '#plot-area', words: 'plot' }, keepMounted: false,
    intro: 'every point starts as a broad Gaussian at the origin and, one noisy message at a time, its mean μ flows to a sample. Pick or draw a point cloud, train a network on it here in your browser, and scrub t from 0 to 1.',
    render: ({ engine, backend, onError }) => <Playground engine={engine} backend={backend} onError={onError} />,
  },
  {
    id: 'mnist', label: 'MNIST digits', skip: { href: '#mnist-main', words: 'digits' }, keepMounted: true,
    intro: 'every pixel starts as a fair coin (θ = ½) and, one noisy message at a time, its probability of being on flows to 0 or 1. Sample digits, watch what the network sees and predicts, and train one here in your browser.',
    render: (props) => <MnistView {...props} />,
  },
  {
    id: 'mnist-grey', label: 'Grey-scale MNIST', skip: { href: '#grey-main', words: 'digits' }, keepMounted: true,
    intro: 'every pixel is a Gaussian belief about its grey level, starting at mid-grey with low precision; noisy messages sharpen it until it settles on one of 16 grey levels. Sample digits and watch each pixel\'s 16 output probabilities change over t.',
    render: (props) => <MnistGreyView {...props} />,
  },
  {
    id: 'words', label: 'Words', skip: { href: '#words-main', words: 'words' }, keepMounted: true,
    intro: 'every letter position starts as a uniform guess over 27 symbols (a–z and padding) and, one noisy message at a time, its probabilities sharpen into a word. Watch all positions of a column of words sharpen in parallel.',
    render: (props) => <WordsView {...props} />,
  },
  {
    id: 'simplex', label: 'K = 3 simplex', skip: { href: '#simplex-main', words: 'simplex' }, keepMounted: false,
    intro: 'a variable with three classes has a probability vector θ, a point of the triangle. Watch the Bayesian flow distribution carry θ from the centre towards the corner of its class, and a tiny network learn how three such variables depend on each other.',
    render: (props) => <SimplexView {...props} />,
  },
  {
    id: 'learn', label: 'Learn', skip: { href: '#learn-main', words: 'lesson' }, keepMounted: true,
    intro: 'this page takes its ideas one at a time. Each widget sits beside its equation, with the numbers you set substituted in and the place in the paper it comes from.',
    render: (props) => <LearnView {...props} />,
  },
];

/** The view a query string names (`?view=<id>`), else the first. */
export function viewFromSearch(search: string): ViewEntry {
  const id = new URLSearchParams(search).get('view');
  return VIEWS.find((v) => v.id === id) ?? VIEWS[0]!;
}

/** The message about a `?view=` that names no view (shown in the page's note about the link), or none. */
export function viewMessages(search: string): SettingMessage[] {
  const id = new URLSearchParams(search).get('view');
  if (id === null || VIEWS.some((v) => v.id === id)) return [];
  const names = VIEWS.map((v) => v.id).join(', ');
  const reason = `is not one of ${names}`;
  return [{ key: 'view', param: 'view', value: id, reason, text: `View (view=${id}) ${reason}; the ${VIEWS[0]!.label} view is shown.` }];
}
