/**
 * Settings as data (src/settings/): the declarations of both views are consistent (defaults, presets and choices
 * within their own limits, URL names unique in the one shared query string); random valid states of BOTH views,
 * generated from the declarations, survive write -> read exactly (fast-check); an invalid value (out of range, wrong
 * type, unknown enum or list item) falls back to its default with a message naming the setting; the controls' limits
 * (rendered with react-dom/server) and the worker's checks (net factories, the 2D session's config check) are the
 * declared ones.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { defaultProblem, defaultsOf, numberProblem, type Declarations, type Setting, type Values } from '../../src/settings/setting';
import { SAMPLE_LIMITS, SETTINGS_2D } from '../../src/settings/settings2d';
import { maxStepsFor, MNIST_TRAIN_DEFAULTS, SETTINGS_MNIST, SETTINGS_MNIST_NET, SETTINGS_MNIST_TRAIN } from '../../src/settings/settingsMnist';
import { readSettings } from '../../src/settings/url';
import { DEFAULT_STATE, readPlaygroundUrl, stateToSearch, type PlaygroundState } from '../../src/state/urlState';
import { DEFAULT_MNIST_SETTINGS, mnistSettingsToSearch, readMnistUrl, type MnistSettings } from '../../src/kinds/mnist-binary/view/mnistConfig';
import { SamplingControls } from '../../src/kinds/points2d/view/SamplingControls';
import { TrainingPanel } from '../../src/kinds/points2d/view/TrainingPanel';
import { MnistSampleControls } from '../../src/kinds/mnist-binary/view/MnistSampleControls';
import { MnistTrainingPanel } from '../../src/kinds/mnist-binary/view/MnistTrainingPanel';
import { Timeline } from '../../src/ui/panels/Timeline';
import type { TrainingHandle } from '../../src/kinds/points2d/view/useTraining';
import type { MnistTrainingHandle } from '../../src/kinds/mnist-binary/view/useMnistTraining';

const GROUPS: Record<string, Declarations> = { SETTINGS_2D, SETTINGS_MNIST, SETTINGS_MNIST_TRAIN, SETTINGS_MNIST_NET };

/** Any valid value of one declaration. */
function arbitraryOf(s: Setting): fc.Arbitrary<unknown> {
  switch (s.type) {
    case 'int':
      return s.choices ? fc.constantFrom(...s.choices) : fc.integer({ min: s.min, max: s.max });
    case 'number':
      return fc.double({ min: s.min, max: s.max, noNaN: true }).map((v) => v + 0);
    case 'enum':
      return fc.constantFrom(...s.values);
    case 'boolean':
      return fc.boolean();
    case 'list':
      return fc.record(Object.fromEntries(s.values.map((v) => [v, fc.boolean()])));
  }
}

/** Any valid values of a group of declarations (before the views' cross-setting limits). */
const valuesOf = <D extends Declarations>(decls: D) =>
  fc.record(Object.fromEntries(Object.entries(decls).map(([k, s]) => [k, arbitraryOf(s)]))) as unknown as fc.Arbitrary<Values<D>>;

const state2d: fc.Arbitrary<PlaygroundState> = valuesOf(SETTINGS_2D).filter((s) => s.samples * s.steps <= SAMPLE_LIMITS.pointSteps);
const stateMnist: fc.Arbitrary<MnistSettings> = valuesOf(SETTINGS_MNIST).filter((s) => s.steps <= maxStepsFor(s.images));

/** Texts that are not a valid value of `s`, with the words the message must use. */
function invalidTexts(s: Setting): [string, RegExp][] {
  switch (s.type) {
    case 'int':
    case 'number': {
      const out: [string, RegExp][] = [
        [String(s.min - 1), /below the minimum/],
        [String(s.max * 2 + 1), /above the maximum/],
        ['abc', /not a (whole )?number/],
        ['0x10', /not a (whole )?number/],
        ['Infinity', /not a (whole )?number/],
      ];
      if (s.type === 'int') out.push([`${s.min}.5`, /not a whole number/]);
      if (s.choices) out.push([String(s.choices[0]! + 1), /not one of/]);
      return out;
    }
    case 'enum':
      return [['nope', /not one of/], [`${s.values[0]}x`, /not one of/]];
    case 'boolean':
      return [['maybe', /not true or false/], ['2', /not true or false/], ['TRUE', /not true or false/]];
    case 'list':
      return [['foo', /'foo', not among/], [`${s.values[0]},bar`, /'bar', not among/]];
  }
}

describe('the declarations', () => {
  test.each(Object.entries(GROUPS))('%s: every default, preset and choice lies within its own limits', (_name, decls) => {
    for (const [key, s] of Object.entries(decls)) {
      expect(defaultProblem(s), key).toBeNull();
      expect(s.label.length, key).toBeGreaterThan(0);
      expect(s.help.length, key).toBeGreaterThan(30);
      if (s.type === 'int' || s.type === 'number') {
        expect(s.min, key).toBeLessThanOrEqual(s.max);
        for (const v of [...(s.presets ?? []), ...(s.choices ?? [])]) expect(numberProblem(s, v), `${key} = ${v}`).toBeNull();
        if (s.choices) expect(s.choices, key).toContain(s.default);
      }
    }
  });

  test('the two views share one query string: every URL name is used once, and the old names are kept', () => {
    const names = [SETTINGS_2D, SETTINGS_MNIST].flatMap((d) => Object.values(d).flatMap((s: Setting) => (s.url ? [s.url] : [])));
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['dataset', 'lr', 'sigma1', 'lossN', 'sampleSeed', 'sampler', 'evalPoints', 'layers', 'speed', 'mnistImages', 'mnistSteps', 'mnistSeed', 'mnistSampler']));
    expect(names).not.toContain('view');
    expect(names).not.toContain('backend');
  });

  test('the defaults are the ones links and shipped models were made with', () => {
    expect(defaultsOf(SETTINGS_2D)).toEqual({
      dataset: 'two-moons', seed: 1, lr: 5e-3, batch: 256, sigma1: 0.02, loss: 'inf', lossN: 20, width: 128, depth: 3, fourier: 5, residual: false, ema: 0.99,
      samples: 1000, steps: 100, sampleSeed: 1, sampler: 'original', evalPoints: 500, evalSteps: 50, speed: 1,
      layers: { data: true, y: false, paths: true, mu: true, xhat: false },
    });
    expect(defaultsOf(SETTINGS_MNIST)).toEqual({ images: 16, steps: 25, seed: 1, sampler: 'original' });
    expect(MNIST_TRAIN_DEFAULTS).toMatchObject({ batch: 64, learningRate: 1e-3, warmupSteps: 500, beta1Adam: 0.9, beta2Adam: 0.98, weightDecay: 0.01, clipNorm: 5, emaDecay: 0.999 });
  });
});

describe('one URL reader/writer for both views', () => {
  test('random valid states of both views survive write -> read exactly, with no message (property)', () => {
    fc.assert(
      fc.property(state2d, stateMnist, fc.constantFrom('', '?view=mnist', '?backend=wasm&x=1'), (s2d, mnist, other) => {
        const search = mnistSettingsToSearch(mnist, stateToSearch(s2d, other));
        const back2d = readPlaygroundUrl(search);
        const backMnist = readMnistUrl(search);
        expect(back2d.values).toEqual(s2d);
        expect(backMnist.values).toEqual(mnist);
        expect([...back2d.messages, ...backMnist.messages]).toEqual([]);
        expect(backMnist.note).toBeNull();
        for (const [k, v] of new URLSearchParams(other)) expect(new URLSearchParams(search).get(k)).toBe(v);
      }),
      { numRuns: 400 },
    );
  });

  test('an invalid value falls back to its default with a message naming the setting, the value and why (property)', () => {
    const cases = [SETTINGS_2D, SETTINGS_MNIST].flatMap((decls: Declarations) =>
      Object.entries(decls).flatMap(([key, s]) => invalidTexts(s).map(([text, why]) => ({ decls, key, s, text, why }))),
    );
    expect(cases.length).toBeGreaterThan(80);
    fc.assert(
      fc.property(fc.constantFrom(...cases), state2d, stateMnist, ({ decls, key, s, text, why }, s2d, mnist) => {
        const params = new URLSearchParams(mnistSettingsToSearch(mnist, stateToSearch(s2d, '')));
        params.set(s.url!, text);
        const { messages, values } = readSettings(decls, `?${params}`);
        expect(messages).toHaveLength(1);
        expect(messages[0]!.param).toBe(s.url);
        expect(messages[0]!.value).toBe(text);
        expect(messages[0]!.reason).toMatch(why);
        expect(messages[0]!.text).toContain(`${s.label} (${s.url}=${text})`);
        expect((values as Record<string, unknown>)[key]).toEqual(s.default);
        // Every other setting of both views is read as written.
        const { [key]: _a, ...rest } = (decls === SETTINGS_MNIST ? mnist : s2d) as Record<string, unknown>;
        expect(values).toMatchObject(rest);
      }),
      { numRuns: 300 },
    );
  });

  test('examples: the words of a message, several at once, and the views\' own limits', () => {
    const { values: state, messages } = readPlaygroundUrl('?width=5000&depth=0&residual=maybe&layers=foo&lr=abc&samples=5000&steps=1000&seed=7');
    expect(state).toMatchObject({ width: 128, depth: 3, residual: false, lr: 5e-3, layers: DEFAULT_STATE.layers, samples: 1000, steps: 100, seed: 7 });
    expect(messages.map((m) => m.text)).toEqual([
      'Learning rate (lr=abc) is not a number; reset to 0.005.',
      'Width (width=5000) is above the maximum 1024; reset to 128.',
      'Hidden layers (depth=0) is below the minimum 1; reset to 3.',
      'Residual layers (residual=maybe) is not true or false; reset to false.',
      "Layers (layers=foo) names 'foo', not among data, y, paths, mu, xhat (or none); reset to data,paths,mu.",
      'Points N = 5000 with steps n = 1000 gives N × n = 5,000,000, above the limit 500,000; both reset to 1000 and 100.',
    ]);
    expect(stateToSearch(DEFAULT_STATE, '')).toBe('');
    expect(mnistSettingsToSearch(DEFAULT_MNIST_SETTINGS, '?view=mnist')).toBe('?view=mnist');
    // 'none' turns every layer off; an empty value is the default, with no message.
    expect(readPlaygroundUrl('?layers=none&lr=').values.layers).toEqual({ data: false, y: false, paths: false, mu: false, xhat: false });
    expect(readPlaygroundUrl('?layers=none&lr=').messages).toEqual([]);
    // MNIST: a valid n above what 64 images allow is lowered with a note, not reset; an n above 1000 is reset.
    expect(readMnistUrl('?mnistImages=64&mnistSteps=500')).toMatchObject({ values: { images: 64, steps: 200 }, messages: [], note: expect.stringMatching(/lowered to 200/) });
    const big = readMnistUrl('?mnistSteps=5000&mnistImages=17&mnistSampler=euler');
    expect(big.values).toEqual({ images: 16, steps: 25, seed: 1, sampler: 'original' });
    expect(big.messages.map((m) => m.param)).toEqual(['mnistImages', 'mnistSteps', 'mnistSampler']);
    expect(big.messages[0]!.reason).toBe('is not one of 16, 25, 36, 49, 64');
  });
});

/** The attributes of the element with data-testid `id` in static markup. */
function attrs(html: string, id: string): Record<string, string> {
  const tag = new RegExp(`<(input|select)[^>]*data-testid="${id}"[^>]*>`).exec(html);
  if (!tag) throw new Error(`no control ${id}`);
  return Object.fromEntries([...tag[0].matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
}

/** The option values of the select with data-testid `id`. */
function options(html: string, id: string): number[] {
  const at = html.indexOf(`data-testid="${id}"`);
  if (at < 0) throw new Error(`no select ${id}`);
  const body = html.slice(at, html.indexOf('</select>', at));
  return [...body.matchAll(/<option[^>]*value="([^"]*)"/g)].map((m) => Number(m[1]));
}

/** The selected option's value of the select with data-testid `id`. */
function selected(html: string, id: string): number {
  const at = html.indexOf(`data-testid="${id}"`);
  const body = html.slice(at, html.indexOf('</select>', at));
  return Number(/<option[^>]*value="([^"]*)"[^>]*selected=""/.exec(body)?.[1]);
}

const noop = () => {};

describe('the controls read the declarations', () => {
  test('2D: every select offers the declared presets and every number input carries the declared limits', () => {
    const training = {
      status: 'idle', step: 0, stepsPerSecond: null, wallSeconds: 0, history: { firstStep: 0, losses: [], smoothed: [], metrics: [], changes: [], note: null }, version: 0,
      liveSamples: null, halt: null, play: noop, pause: noop, stepOnce: noop, clear: noop,
    } as unknown as TrainingHandle;
    const settings: PlaygroundState = { ...DEFAULT_STATE, loss: 'n' };
    const panel = renderToStaticMarkup(
      createElement(TrainingPanel, { settings, update: noop, training, disabledReason: null, backend: null, baseline: null, heldOut: null, notice: null, onReset: noop }),
    );
    for (const key of ['lr', 'batch', 'sigma1', 'width', 'depth', 'fourier', 'ema', 'evalPoints', 'evalSteps'] as const) {
      expect(options(panel, `setting-${key}`), key).toEqual(SETTINGS_2D[key].presets);
    }
    expect(attrs(panel, 'setting-lossN')).toMatchObject({ min: String(SETTINGS_2D.lossN.min), max: String(SETTINGS_2D.lossN.max) });
    expect(attrs(panel, 'setting-seed')).toMatchObject({ min: String(SETTINGS_2D.seed.min), max: String(SETTINGS_2D.seed.max) });

    const sampling = renderToStaticMarkup(createElement(SamplingControls, { settings: DEFAULT_STATE, update: noop, canSample: true, busy: false, progress: null, onSample: noop }));
    for (const key of ['samples', 'steps', 'sampleSeed'] as const) {
      expect(attrs(sampling, `input-${key}`), key).toMatchObject({ min: String(SETTINGS_2D[key].min), max: String(SETTINGS_2D[key].max) });
    }
    const timeline = renderToStaticMarkup(createElement(Timeline, { n: 10, playback: { pos: 0, playing: false, togglePlay: noop, step: noop, seek: noop, restart: noop }, disabled: false, speed: 1, onSpeed: noop }));
    expect(options(timeline, 'speed-select')).toEqual(SETTINGS_2D.speed.presets);
  });

  test('MNIST: images, n, seed, learning rate and batch offer the declared values and limits', () => {
    const sources = { shipped: { available: true, label: 'shipped' }, trained: { available: false, label: 'trained' }, file: { available: false, label: 'file' } };
    const settings: MnistSettings = { images: 64, steps: 25, seed: 1, sampler: 'original' };
    const controls = renderToStaticMarkup(
      createElement(MnistSampleControls, {
        settings, update: noop, source: 'shipped', sources, onSource: noop, blocked: null, busy: false, progress: null, onSample: noop, onCancel: noop, stale: false, initialClamped: null,
      }),
    );
    expect(options(controls, 'mnist-images-select')).toEqual(SETTINGS_MNIST.images.choices);
    expect(attrs(controls, 'mnist-steps-input')).toMatchObject({ min: String(SETTINGS_MNIST.steps.min), max: String(maxStepsFor(64)) });
    expect(attrs(controls, 'mnist-seed-input')).toMatchObject({ min: String(SETTINGS_MNIST.seed.min), max: String(SETTINGS_MNIST.seed.max) });

    const training: MnistTrainingHandle = {
      status: 'idle', trainer: null, step: 0, wallSeconds: 0, stepsPerSecond: null, history: { firstStep: 0, losses: [], smoothed: [], changes: [], note: null },
      trainData: { progress: null, info: null, error: null }, preview: null, halt: null, notice: null, start: noop, stop: noop,
    };
    const panel = renderToStaticMarkup(createElement(MnistTrainingPanel, { training, shippedReady: true, blocked: null, backend: null, onDownload: noop, downloading: false }));
    expect(options(panel, 'mnist-train-lr')).toEqual(SETTINGS_MNIST_TRAIN.learningRate.presets);
    expect(selected(panel, 'mnist-train-lr')).toBe(SETTINGS_MNIST_TRAIN.learningRate.default);
    expect(selected(panel, 'mnist-train-batch')).toBe(SETTINGS_MNIST_TRAIN.batch.default);
    expect(options(panel, 'mnist-train-batch')).toEqual(SETTINGS_MNIST_TRAIN.batch.choices);
  });
});

describe('the worker\'s checks read the declarations', () => {
  test('the MLP and MNIST network factories and the 2D session\'s config check refuse one past each declared limit', async () => {
    const { createMlp } = await import('../../src/nets/mlp');
    const { createMnistNet } = await import('../../src/nets/mnistNet');
    const { validateConfig } = await import('../../src/kinds/points2d/session');
    const { DEFAULT_TRAIN_2D } = await import('../../src/kinds/points2d/trainer');
    const { DEFAULT_TRAIN_MNIST } = await import('../../src/kinds/mnist-binary/trainer');
    const mlp = (over: object) => () => createMlp({ inputDim: 2, outputDim: 2, width: 4, depth: 1, ...over });
    expect(mlp({ width: SETTINGS_2D.width.max + 1 })).toThrow(/width must be an integer in 1..1024/);
    expect(mlp({ depth: SETTINGS_2D.depth.max + 1 })).toThrow(/depth must be an integer in 1..8/);
    expect(mlp({ fourierFeatures: SETTINGS_2D.fourier.max + 1 })).toThrow(/fourierFeatures must be an integer in 0..12/);
    expect(() => createMnistNet({ width: SETTINGS_MNIST_NET.width.min - 1 })).toThrow(/width must be an integer in 16..4096/);
    expect(() => createMnistNet({ convLayers: SETTINGS_MNIST_NET.convLayers.max + 1 })).toThrow(/convLayers must be an integer in 2..6/);
    expect(() => validateConfig({ ...DEFAULT_TRAIN_2D, batch: SETTINGS_2D.batch.max + 1 })).toThrow(/batch size must be an integer in \[1, 4096\]/);
    expect(() => validateConfig({ ...DEFAULT_TRAIN_2D, seed: SETTINGS_2D.seed.max + 1 })).toThrow(/seed must be an integer in \[0, 2147483647\]/);
    expect(() => validateConfig({ ...DEFAULT_TRAIN_2D, loss: { type: 'n', n: SETTINGS_2D.lossN.max + 1 } })).toThrow(/L\^n loss must be an integer in \[1, 1000\]/);
    expect(validateConfig({ ...DEFAULT_TRAIN_2D, batch: SETTINGS_2D.batch.max, seed: SETTINGS_2D.seed.max })).toMatchObject({ batch: 4096 });
    // The trainers' defaults are the declared ones (what an empty URL gives).
    expect(DEFAULT_TRAIN_2D).toEqual({ sigma1: 0.02, loss: { type: 'inf' }, learningRate: 5e-3, batch: 256, width: 128, depth: 3, residual: false, fourierFeatures: 5, seed: 1, emaDecay: 0.99 });
    expect(DEFAULT_TRAIN_MNIST).toEqual({ net: {}, ...MNIST_TRAIN_DEFAULTS });
  });
});
