/**
 * The Words view: words generated letter by letter, all positions in parallel, by a discrete-data BFN with K = 27
 * (Graves et al. 2023, §6; the text8 setting of §7.3). On first load it downloads the shipped model and samples a
 * column of words; the timeline scrubs t from 0 to 1, and every position is a bar chart of its 27 probabilities (the
 * output distribution p_O or the input distribution θ) with the most likely symbol written above. Beside it: the
 * current samples' shares of real and new words, and the card's measured figures beside the paper's text8 figure.
 */
import { useCallback, useEffect, useEffectEvent, useId, useState } from 'react';
import type { BackendInfo, EngineClient } from '../../../engine/client';
import { duration, errorMessage, fixed } from '../../../ui/format';
import { usePrefersReducedMotion } from '../../../ui/hooks/dom';
import { useStreamedRun } from '../../../ui/hooks/useStreamedRun';
import { useUrlSettings } from '../../../ui/hooks/useUrlSettings';
import { Timeline } from '../../../ui/panels/Timeline';
import { UrlNote } from '../../../ui/UrlNote';
import { SettingInput } from '../../../ui/SettingInput';
import { framesProblem, numberProblem } from '../../../settings/setting';
import { SHIPPED_WORDS_ID, WORDS_SAMPLE_LIMITS } from '../../../engine/protocol';
import type { WordsModelInfo, WordsSampleOptions, WordsTrajectoryPayload } from '../../../engine/client';
import { WordColumn } from './WordColumn';
import { readWordsUrl, SETTINGS_WORDS, wordsSettingsToSearch, type WordsSettings } from './wordsSettings';
import './words.css';
import { Help } from '../../../ui/Help';

type ModelState = { status: 'loading' | 'ready' | 'error'; info: WordsModelInfo | null; message: string | null };

const pct = (v: number) => `${(100 * v).toFixed(1)} %`;

/** Why a run of these settings is over the worker's limit on words x (n + 1), or null. */
const limitProblem = (s: WordsSettings) => framesProblem(s.words, 'words', s.steps, WORDS_SAMPLE_LIMITS.wordFrames, 'the words');

/** The card's figures and the paper's, in a definition list. */
function CardFigures({ info }: { info: WordsModelInfo | null }) {
  const card = info?.card ?? null;
  const e = card?.evaluation;
  return (
    <section className="card words-card" aria-labelledby="words-card-h" data-testid="words-card">
      <h2 id="words-card-h">The shipped model</h2>
      {!card ? (
        <p className="muted">{info ? 'This model has no card.' : 'Loading…'}</p>
      ) : (
        <>
          <p className="hint">{card.title}. {card.parameters.toLocaleString('en')} parameters, β₁ = {card.spec.beta1}; trained {card.training.steps.toLocaleString('en')} steps × batch {card.training.batch} in {duration(card.training.wallSeconds * 1000)} ({card.training.backend}).</p>
          {e ? (
            <dl className="card-view" data-testid="words-card-figures" data-real={String(e.generation.real.value)} data-real-se={String(e.generation.real.se)}>
              <div>
                <dt>L^∞ + L^r, held-out words</dt>
                <dd>{fixed(e.continuous.value, 3)} ± {fixed(e.continuous.se, 3)} bits per character</dd>
              </div>
              {Object.entries(e.discrete).map(([n, v]) => (
                <div key={n}>
                  <dt>L^n + L^r, n = {n}</dt>
                  <dd>{fixed(v.value, 3)} ± {fixed(v.se, 3)} bits per character</dd>
                </div>
              ))}
              <div>
                <dt>Paper, text8</dt>
                <dd>{card.paper.continuous} bits per character</dd>
              </div>
              <div>
                <dt>Real words</dt>
                <dd>{pct(e.generation.real.value)} ± {pct(e.generation.real.se)} of {e.generation.samples.toLocaleString('en')} (n = {e.generation.steps})</dd>
              </div>
              <div>
                <dt>New (not training words)</dt>
                <dd>{pct(e.generation.novel.value)} ± {pct(e.generation.novel.se)}</dd>
              </div>
              <div>
                <dt>Real and held out</dt>
                <dd>{pct(e.generation.heldOut.value)} ± {pct(e.generation.heldOut.se)}</dd>
              </div>
            </dl>
          ) : (
            <p className="muted">Not evaluated yet (npm run eval -- models/words).</p>
          )}
          <p className="hint">
            Bits per character count all {card.network.length} positions of a word, padding included{e ? ` (${e.evaluationWords})` : ''}. {card.paper.note}
          </p>
          <p className="hint">
            Data: {card.data.selection} ({card.data.source}; licence {card.data.licence.split(' (')[0]}); {card.data.train.toLocaleString('en')} training and {card.data.heldOut.toLocaleString('en')} held-out words; training draws {card.data.draw}.
          </p>
        </>
      )}
    </section>
  );
}

/** Shares of the shown samples that are real and new words. */
function SampleShares({ payload }: { payload: WordsTrajectoryPayload | null }) {
  if (!payload) return null;
  const count = (m: string) => payload.decoded.filter((d) => d.mark === m).length;
  const N = payload.words;
  const real = count('train') + count('heldOut');
  const novel = N - count('train');
  return (
    <p className="words-shares" data-testid="words-shares" data-real={String(payload.shares.real)} data-novel={String(payload.shares.novel)} data-count={String(N)}>
      <b>These {N} words</b>: real {real} ({pct(payload.shares.real)}), of them {count('heldOut')} held out (never trained on); new {novel} ({pct(payload.shares.novel)}); malformed {count('malformed')}.
    </p>
  );
}

/** Props of {@link WordsView}. */
export interface WordsViewProps {
  engine: EngineClient;
  /** The engine's backend once it is ready, else null. */
  backend: BackendInfo | null;
  /** True when the engine could not start (its error is shown by the page). */
  engineFailed: boolean;
  onError: (where: string, message: string) => void;
  /** False while another view is shown (this one stays mounted, hidden): nothing runs or listens then. */
  active: boolean;
}

/** The whole Words view. */
export function WordsView({ engine, backend, engineFailed, onError, active }: WordsViewProps) {
  const ready = backend !== null;
  const { state: settings, update, messages } = useUrlSettings(readWordsUrl, wordsSettingsToSearch);
  const reducedMotion = usePrefersReducedMotion();
  const id = useId();
  const [model, setModel] = useState<ModelState>({ status: 'loading', info: null, message: null });
  const [weights, setWeights] = useState<{ loaded: number; total: number } | null>(null);
  const [texts, setTexts] = useState({ steps: String(settings.steps), seed: String(settings.seed) });
  // The recorded run, played from its first frames while the rest is sampled; a newer request cancels it.
  const onSampleError = useCallback((message: string) => onError('Sampling words', message), [onError]);
  const sampler = useStreamedRun<WordsSampleOptions, WordsTrajectoryPayload>('words', engine.kind('words'), {
    active, reducedMotion, onError: onSampleError,
    // The first run's recorded opening plays while the engine starts (when the settings are the recorded ones).
    opening: { id: SHIPPED_WORDS_ID, options: { words: settings.words, steps: settings.steps, seed: settings.seed } },
  });
  const { run, progress, payload, complete, framesReady, error: sampleError, playback, speed, setSpeed, frame, recorded } = sampler;
  const { start: startRun, cancel: cancelRun } = sampler;

  const reportError = useEffectEvent((where: string, message: string) => onError(where, message));
  const sampleNow = useCallback((s: WordsSettings) => {
    if (limitProblem(s)) return;
    startRun({ words: s.words, steps: s.steps, seed: s.seed });
  }, [startRun]);
  // The first run starts as soon as the shipped model is in.
  const firstRun = useEffectEvent(() => sampleNow(settings));
  // The shipped model, once the engine is ready; then the first run.
  useEffect(() => {
    if (!ready || !active || model.status !== 'loading') return;
    let live = true;
    engine.kind('words').loadModel((loaded, total) => live && setWeights({ loaded, total })).then(
      (info) => {
        if (!live) return;
        setModel({ status: 'ready', info, message: null });
        firstRun();
      },
      (err: unknown) => {
        if (!live) return;
        const message = errorMessage(err);
        setModel({ status: 'error', info: null, message });
        reportError('Loading the words model', message);
      },
    );
    return () => {
      live = false;
    };
  }, [ready, active, engine, model.status]);


  const stepsProblem = numberProblem(SETTINGS_WORDS.steps, Number(texts.steps));
  const seedProblem = numberProblem(SETTINGS_WORDS.seed, Number(texts.seed));
  const onText = (key: 'steps' | 'seed', text: string) => {
    setTexts((t) => ({ ...t, [key]: text }));
    const value = Number(text);
    if (text.trim() !== '' && numberProblem(SETTINGS_WORDS[key], value) === null) update({ [key]: value });
  };
  // Only when n's text is valid: settings.steps is then what the field shows.
  const overLimit = stepsProblem ? null : limitProblem(settings);
  const canSample = model.status === 'ready' && !stepsProblem && !seedProblem && !overLimit;

  const n = payload?.n ?? 0;
  const t = n > 0 ? frame / n : 0;
  const frameSize = payload ? payload.words * payload.length * payload.classes : 0;
  const barsWhat = settings.bars === 'output' ? 'output distribution p_O(· | θ; t)' : 'input distribution θ';

  let state: 'loading' | 'sampling' | 'ready' | 'idle' | 'error';
  let status: string;
  if (engineFailed) {
    state = 'error';
    status = 'The engine could not start, so nothing can be sampled (see the error above).';
  } else if (model.status === 'error') {
    state = 'error';
    status = `The shipped words model could not be loaded: ${model.message ?? 'unknown error'}`;
  } else if (run) {
    state = 'sampling';
    // As short as the finished run's line, so that the view does not move when the run ends.
    status = `Sampling ${run.words} words, n = ${run.steps}${progress ? `: step ${progress.done} of ${progress.total}` : ''}${framesReady !== null ? ', playing meanwhile' : ''}…`;
  } else if (recorded && payload) {
    state = 'loading';
    status = `Recorded: the first ${framesReady} of ${payload.n + 1} frames of this run (seed ${payload.seed}) play while the engine starts; the live run takes over.`;
  } else if (sampleError) {
    state = 'error';
    status = `Sampling failed: ${sampleError}`;
  } else if (payload) {
    state = 'ready';
    status = `${payload.words} words × ${payload.n} steps (seed ${payload.seed}), sampled on ${payload.backend} in ${duration(payload.elapsedMs)}.`;
  } else if (model.status === 'ready') {
    state = 'idle';
    status = overLimit ? 'Nothing sampled: the words and n are over the limit (see below).' : 'Nothing sampled yet: press Sample.';
  } else {
    state = 'loading';
    status = !ready ? 'Starting the engine…' : 'Loading the shipped model…';
  }

  return (
    <div className="words-view" data-testid="words-view" hidden={!active}>
      <UrlNote messages={messages} testId="words-url-note" />
      <section className="card words-main" aria-labelledby="words-h" id="words-main" tabIndex={-1}>
        <div className="viz-head">
          <h2 id="words-h">From uniform letters (t = 0) to words (t = 1)</h2>
        </div>
        <p className={`words-status${state === 'error' ? ' error' : ''}`} data-testid="words-status" data-state={state} role="status" aria-live="polite">
          {status}
        </p>
        {model.status === 'loading' && ready ? (
          <progress max={weights?.total || 1} value={weights && weights.total > 0 ? weights.loaded : undefined} aria-label="Downloading the shipped words model" />
        ) : null}
        <form
          className="words-controls"
          onSubmit={(e) => {
            e.preventDefault();
            if (canSample) sampleNow(settings);
          }}
        >
          <label htmlFor={`${id}-count`}>
            {SETTINGS_WORDS.words.label}
            <select id={`${id}-count`} value={String(settings.words)} onChange={(e) => update({ words: Number(e.currentTarget.value) })} data-testid="words-count" title={SETTINGS_WORDS.words.help}>
              {(SETTINGS_WORDS.words.choices ?? []).map((c) => (
                <option key={c} value={c}>{c}</option>
              ))}
            </select>
          </label>
          <Help topic={SETTINGS_WORDS.words.label} text={SETTINGS_WORDS.words.help} describes={[`${id}-count`]} />
          <label htmlFor={`${id}-steps`}>
            {SETTINGS_WORDS.steps.label}
            <SettingInput id={`${id}-steps`} setting={SETTINGS_WORDS.steps} text={texts.steps} onText={(v) => onText('steps', v)} invalid={stepsProblem !== null} testId="words-steps" title={SETTINGS_WORDS.steps.help} />
          </label>
          <Help topic={SETTINGS_WORDS.steps.label} text={SETTINGS_WORDS.steps.help} describes={[`${id}-steps`]} />
          <label htmlFor={`${id}-seed`}>
            {SETTINGS_WORDS.seed.label}
            <SettingInput id={`${id}-seed`} setting={SETTINGS_WORDS.seed} text={texts.seed} onText={(v) => onText('seed', v)} invalid={seedProblem !== null} testId="words-seed" title={SETTINGS_WORDS.seed.help} />
          </label>
          <Help topic={SETTINGS_WORDS.seed.label} text={SETTINGS_WORDS.seed.help} describes={[`${id}-seed`]} />
          <button type="submit" className="primary" disabled={!canSample || run !== null} data-testid="words-sample-button">
            Sample
          </button>
          {run ? (
            <button type="button" onClick={cancelRun} data-testid="words-cancel">
              Cancel
            </button>
          ) : null}
          <fieldset className="words-bars-choice">
            <legend>
              {SETTINGS_WORDS.bars.label} <Help topic={SETTINGS_WORDS.bars.label} text={SETTINGS_WORDS.bars.help} />
            </legend>
            {(['output', 'input'] as const).map((b) => (
              <label key={b} title={SETTINGS_WORDS.bars.help}>
                <input type="radio" name={`${id}-bars`} value={b} checked={settings.bars === b} onChange={() => update({ bars: b })} data-testid={`words-bars-${b}`} />
                {b === 'output' ? 'output p_O' : 'input θ'}
              </label>
            ))}
          </fieldset>
        </form>
        {stepsProblem || seedProblem ? (
          <p className="inline-error" role="alert">
            {stepsProblem ? `Steps n: ${stepsProblem}. ` : ''}
            {seedProblem ? `Seed: ${seedProblem}.` : ''}
          </p>
        ) : null}
        {overLimit ? (
          <p className="inline-error" role="alert" data-testid="words-limit">
            {overLimit}
          </p>
        ) : null}
        <p className="hint words-legend">
          Each position: 27 bars, the {barsWhat} over <span className="words-key pad">padding ·</span> then <span className="words-key">a … z</span>; the
          <span className="words-key top"> darkest bar</span> is the most likely symbol, written above (fainter when less likely). At the right, the sampled word
          (the result at t = 1).
        </p>
        <Timeline
          n={n}
          playback={playback}
          disabled={!payload}
          speed={speed}
          onSpeed={setSpeed}
          sampled={framesReady === null ? null : framesReady - 1}
        />
        {payload ? (
          <WordColumn
            values={settings.bars === 'output' ? payload.output : payload.theta}
            offset={frame * frameSize}
            words={payload.words}
            length={payload.length}
            classes={payload.classes}
            samples={payload === complete ? payload.decoded : null}
            what={barsWhat}
            frame={frame}
          />
        ) : (
          <p className="words-placeholder muted">{state === 'error' || state === 'idle' ? 'nothing sampled' : 'sampling…'}</p>
        )}
        <dl className="readouts" data-testid="words-readouts" aria-label="Current step">
          <div>
            <dt>step</dt>
            <dd data-testid="words-readout-step">{payload ? `${frame} / ${n}` : '—'}</dd>
          </div>
          <div>
            <dt>t</dt>
            <dd>{payload ? fixed(t, 3) : '—'}</dd>
          </div>
          <div>
            <dt>β(t) = β₁t²</dt>
            <dd>{payload ? fixed(payload.beta1 * t * t, 4) : '—'}</dd>
          </div>
        </dl>
        <SampleShares payload={payload === complete ? complete : null} />
        <p className="hint">
          Keys: <kbd>space</kbd> play/pause, <kbd>←</kbd> <kbd>→</kbd> step, <kbd>Home</kbd> <kbd>End</kbd>, <kbd>+</kbd> <kbd>−</kbd> speed.
        </p>
      </section>
      <CardFigures info={model.info} />
    </div>
  );
}
