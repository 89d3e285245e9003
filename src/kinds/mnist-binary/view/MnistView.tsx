/**
 * The MNIST view: binarized digits sampled by a discrete-data BFN. It owns the order of the engine calls (the test
 * split's download and the shipped model start together; the first run is sampled as soon as the model is in),
 * which model is sampled, the recorded run, loading model files and the in-browser trainer; the grids, timeline
 * and pixel chart live in MnistTrajectory, which redraws on its own while playing.
 *
 * The page keeps this view mounted (hidden) once visited, so that its state survives switching views. While hidden
 * (`active` false) it samples nothing: a run in progress is cancelled (and redone on return when nothing was shown
 * yet), training is paused (Continue goes on with the same network), playback stops and no keys are listened to.
 */
import { MnistStepsQuality } from './MnistStepsQuality';
import { SAMPLER_CHOICES } from '../../../bfn/samplerChoices';
import { useCallback, useEffect, useEffectEvent, useMemo, useState } from 'react';
import { startStreamedRun } from '../../../ui/hooks/useStreamedRun';
import {
  type BackendInfo, type EngineClient, type MnistDataInfo, type MnistDownloadProgress, type MnistModelInfo, type MnistModelSource,
  type MnistTrajectoryPayload,
} from '../../../engine/client';
import { SHIPPED_MNIST_ID, type MnistSampleOptions } from '../../../engine/protocol';
import { fillFromOpening, isOpeningOf, type Opening } from '../../../engine/client';
import { useRecordedOpening } from '../../../ui/hooks/useRecordedOpening';
import { readModelFiles, refusalText } from '../../../state/modelBundle';
import { duration, errorMessage } from '../../../ui/format';
import { usePrefersReducedMotion } from '../../../ui/hooks/dom';
import { DownloadProgress } from './DownloadProgress';
import { countNonFinite, mnistSettingsToSearch, readMnistUrl, SOURCE_WORDS } from './mnistConfig';
import { MnistExplainer } from './MnistExplainer';
import { downloadMnistModel, type MnistDownloadFormat } from './mnistFiles';
import { MnistModelPanel, type ModelSummary } from './MnistModelPanel';
import { MnistSampleControls, type SourceChoices } from './MnistSampleControls';
import { MnistTrainingPanel } from './MnistTrainingPanel';
import { MnistTrajectory } from './MnistTrajectory';
import './mnist-layout.css';
import { useMnistTraining } from './useMnistTraining';
import { useUrlSettings } from '../../../ui/hooks/useUrlSettings';
import { UrlNote } from '../../../ui/UrlNote';

/** Props of {@link MnistView}. */
export interface MnistViewProps {
  engine: EngineClient;
  /** The engine's backend once it is ready, else null. */
  backend: BackendInfo | null;
  /** True when the engine could not start (its error is shown by the page). */
  engineFailed: boolean;
  onError: (where: string, message: string) => void;
  /** False while another view is shown (this one stays mounted, hidden): nothing runs or listens then. */
  active?: boolean;
}

/** What data-state of the status element says. */
export type MnistViewState = 'loading' | 'sampling' | 'ready' | 'error';

type ShippedState = { status: 'loading' | 'ready' | 'error'; info: MnistModelInfo | null; message: string | null };

/** Calls `fn` at most every `ms` milliseconds, and always for the last value (`isLast`). */
function throttle<T>(fn: (value: T) => void, ms: number, isLast: (value: T) => boolean): (value: T) => void {
  let last = 0;
  return (value: T) => {
    const now = performance.now();
    if (isLast(value) || now - last >= ms) {
      last = now;
      fn(value);
    }
  };
}

/** A run of the sampler that the view asked for: the worker's options, and the trainer's step for the trained network. */
type SampleRun = MnistSampleOptions & { trainedStep: number | null };

const LEFT_TRAINING = 'Training was paused when you left the MNIST view; Continue goes on with the same network.';

/** The whole MNIST view below the page header. */
export function MnistView({ engine, backend, engineFailed, onError, active = true }: MnistViewProps) {
  const ready = backend !== null;
  const { state: settings, update, note: urlClamped, messages: urlMessages } = useUrlSettings(readMnistUrl, mnistSettingsToSearch);
  const reducedMotion = usePrefersReducedMotion();

  const [weightsProgress, setWeightsProgress] = useState<{ loaded: number; total: number } | null>(null);
  const [testData, setTestData] = useState<{ progress: MnistDownloadProgress | null; info: MnistDataInfo | null; error: string | null }>({ progress: null, info: null, error: null });
  const [shipped, setShipped] = useState<ShippedState>({ status: 'loading', info: null, message: null });
  const [fileModel, setFileModel] = useState<{ info: MnistModelInfo; label: string } | null>(null);
  const [source, setSource] = useState<MnistModelSource>('shipped');
  const [payload, setPayload] = useState<MnistTrajectoryPayload | null>(null);
  // The run in progress, shown (and played) from its first frames on while the rest is sampled; the complete payload
  // of the same run then takes its place without restarting the playback (same key). Before the first run, the
  // recorded opening of it (`opening`, src/engine/opening.ts) plays while the engine starts; that run then continues
  // it (same key).
  const [streamed, setStreamed] = useState<{ payload: MnistTrajectoryPayload; framesReady: number; key: SampleRun; opening?: Opening<MnistTrajectoryPayload> } | null>(null);
  const [payloadKey, setPayloadKey] = useState<SampleRun | null>(null);
  /** The trainer's step when the shown run of the trained network was requested (null for other sources). */
  const [payloadStep, setPayloadStep] = useState<number | null>(null);
  const [sampleError, setSampleError] = useState<string | null>(null);
  /** Why the last run was cancelled, or null. */
  const [sampleNote, setSampleNote] = useState<string | null>(null);
  /** A source to sample as soon as the view is shown, the engine ready and training stopped. */
  const [pending, setPending] = useState<MnistModelSource | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [loadingFile, setLoadingFile] = useState(false);
  const [downloading, setDownloading] = useState(false);

  const training = useMnistTraining({ engine, onError });
  const trainingBusy = training.status !== 'idle';

  /**
   * The run this view asked for, with the settings it was asked with; null when none is running. The effect below
   * runs it in the worker, and tells the worker to drop it when another run replaces it, when it is cancelled, or when
   * the view goes away.
   */
  const [run, setRun] = useState<SampleRun | null>(null);
  const [runProgress, setRunProgress] = useState<{ of: SampleRun; done: number; total: number } | null>(null);
  const sampling = run === null ? null : { progress: runProgress?.of === run ? { done: runProgress.done, total: runProgress.total } : null };

  /** Samples with `src` and the current images, n and seed (cancelling a run in progress); the trajectory then plays from t = 0. */
  const { images, steps, seed, sampler } = settings;
  const trainedStep = training.step;
  const shownOpening = streamed?.opening ? streamed : null;
  const sampleWith = useCallback(
    (src: MnistModelSource) => {
      const asked: SampleRun = { source: src, sampler, images, steps, seed, trainedStep: src === 'trained' ? trainedStep : null };
      // The run that the opening on show recorded continues it (its key: the playback goes on).
      setRun(shownOpening && isOpeningOf(shownOpening.opening!.header, SHIPPED_MNIST_ID, asked) ? shownOpening.key : asked);
      setSource(src);
      setPending(null);
      setSampleError(null);
      setSampleNote(null);
    },
    [images, steps, seed, sampler, trainedStep, shownOpening],
  );

  // (0) While the engine starts, the first run's recorded opening plays, when the build has one at these settings.
  useRecordedOpening<MnistTrajectoryPayload, MnistSampleOptions>(
    SHIPPED_MNIST_ID,
    () => (run === null && payload === null && !reducedMotion ? { source, sampler, images, steps, seed } : null),
    (opening, options) => {
      const key: SampleRun = { ...options, trainedStep: null };
      setStreamed((s) => s ?? { payload: opening.payload, framesReady: opening.header.frames, key, opening });
    },
  );
  /** The opening that run `r` continues, if it is the one on show. */
  const openingOfRun = useEffectEvent((r: SampleRun) => (streamed?.opening && streamed.key === r ? streamed.opening : null));

  // Under reduced motion a run is shown once complete (its last frame), not played while it is sampled.
  const streamFrames = useEffectEvent(() => !reducedMotion);
  const reportSampleError = useEffectEvent((message: string) => onError('Sampling MNIST', message));
  useEffect(() => {
    if (run === null) return;
    const onProgress = throttle((p: { done: number; total: number }) => setRunProgress({ of: run, ...p }), 60, (p) => p.done >= p.total);
    const { trainedStep: stepOfRun, ...options } = run;
    const api = engine.kind('mnist-binary');
    const continued = openingOfRun(run);
    return startStreamedRun<MnistTrajectoryPayload>((progress, frames) => api.sample(options, progress, frames), () => api.cancelSample(), {
      stream: streamFrames(),
      progress: (done, total) => onProgress({ done, total }),
      frames: (head, framesReady) => {
        // The recorded frames that the run has not reached yet stay on show.
        setStreamed({ payload: head, framesReady: fillFromOpening(head, continued, framesReady), key: run });
      },
      done: (p) => {
        setPayload(p);
        setPayloadKey(run);
        setStreamed(null);
        setPayloadStep(stepOfRun);
        setRun(null);
      },
      failed: (message) => {
        setStreamed(null);
        setRun(null);
        // Cancelled in the worker (by something other than this view): no longer running, and not an error.
        if (message === null) return;
        setSampleError(message);
        reportSampleError(message);
      },
    });
  }, [run, engine]);

  /** Cancels the run in progress (if any) and says why. */
  const cancelSampling = useCallback(
    (note: string) => {
      if (run === null) return;
      setRun(null);
      setSampleNote(note);
    },
    [run],
  );

  /** Samples `src` now when the view is shown and training is stopped, else as soon as it can (and says so). */
  const requestSample = useCallback(
    (src: MnistModelSource) => {
      if (active && !trainingBusy) sampleWith(src);
      else {
        setSource(src);
        setPending(src);
      }
    },
    [active, trainingBusy, sampleWith],
  );

  // Leaving the view: cancel a run in progress (redo it on return when nothing is shown yet) and pause training.
  const [shownActive, setShownActive] = useState(active);
  if (shownActive !== active) {
    setShownActive(active);
    if (!active && run !== null) {
      cancelSampling('Sampling was cancelled when you left the MNIST view.');
      if (payload === null) setPending(source);
    }
  }
  const { stop: stopTraining } = training;
  useEffect(() => {
    if (!active) stopTraining(LEFT_TRAINING);
  }, [active, stopTraining]);

  // Once the engine is ready: load the shipped model and sample once with it, then download the test split (for the
  // mean-pixel readout). Both show as loading from the moment the engine is ready.
  const [loadingSince, setLoadingSince] = useState(ready);
  if (loadingSince !== ready) {
    setLoadingSince(ready);
    if (ready) {
      setTestData({ progress: null, info: null, error: null });
      setShipped({ status: 'loading', info: null, message: null });
    }
  }
  /** The first run, unless the user has moved on to another model meanwhile. */
  const firstSample = useEffectEvent(() => {
    if (source === 'shipped' && run === null && payload === null) requestSample('shipped');
  });
  // The test images (1.6 MB, only for the mean-pixel readout) download after the first frame is drawn (or the
  // shipped model failed), so that the first frame waits for the weights alone.
  const [testWanted, setTestWanted] = useState(false);
  if (!testWanted && ready && (payload !== null || shipped.status === 'error' || sampleError !== null)) setTestWanted(true);
  useEffect(() => {
    if (!ready || !testWanted) return;
    let live = true;
    const onData = throttle((p: MnistDownloadProgress) => live && setTestData((d) => ({ ...d, progress: p })), 80, (p) => p.phase !== 'download' || p.loaded === p.total);
    engine.kind('mnist-binary').loadData('test', onData).then(
      (info) => live && setTestData({ progress: null, info, error: null }),
      (err: unknown) => {
        if (!live) return;
        const message = errorMessage(err);
        setTestData((d) => ({ ...d, error: message }));
        onError('MNIST test images', message);
      },
    );
    return () => {
      live = false;
    };
  }, [ready, testWanted, engine, onError]);
  useEffect(() => {
    if (!ready) return;
    let live = true;
    void (async () => {
      let info: MnistModelInfo;
      try {
        const onWeights = throttle((p: { loaded: number; total: number }) => live && setWeightsProgress(p), 80, (p) => p.loaded >= p.total);
        info = await engine.kind('mnist-binary').loadModel({ slot: 'shipped', id: SHIPPED_MNIST_ID }, (loaded, total) => onWeights({ loaded, total }));
      } catch (err) {
        if (!live) return;
        const message = errorMessage(err);
        setShipped({ status: 'error', info: null, message });
        onError('The shipped MNIST model', message);
        return;
      }
      if (!live) return;
      setWeightsProgress(null);
      setShipped({ status: 'ready', info, message: null });
      firstSample();
    })();
    return () => {
      live = false;
    };
  }, [ready, engine, onError]);

  const onLoad = useCallback(
    async (files: File[]) => {
      setLoadError(null);
      setLoadingFile(true);
      try {
        const read = await readModelFiles(files);
        const info = await engine.kind('mnist-binary').loadModel({ slot: 'file', modelJson: read.modelJson, weights: read.weights, card: read.card });
        setFileModel({ info, label: read.label });
        setLoadingFile(false);
        // While training runs, sampling waits for it to stop (the status says so).
        requestSample('file');
      } catch (err) {
        setLoadError(refusalText(err));
      } finally {
        setLoadingFile(false);
      }
    },
    [engine, requestSample],
  );

  const onDownload = useCallback(
    async (format: MnistDownloadFormat) => {
      setDownloading(true);
      try {
        const m = await engine.kind('mnist-binary').exportModel('trained');
        downloadMnistModel(m, `bfn-mnist-binary-step${m.card.training.steps}`, format);
      } catch (err) {
        onError('Downloading the MNIST model', errorMessage(err));
      } finally {
        setDownloading(false);
      }
    },
    [engine, onError],
  );

  const busy = sampling !== null;
  const sources: SourceChoices = {
    shipped: { available: shipped.status === 'ready', label: shipped.status === 'error' ? 'Shipped (unavailable)' : shipped.status === 'loading' ? 'Shipped (loading…)' : 'Shipped model' },
    // The worker's trainer as it is now (after "Start over", a new network at step 0).
    trained: { available: training.trainer !== null, label: training.trainer !== null ? `Trained in this page (step ${training.step.toLocaleString('en')})` : 'Trained in this page' },
    file: { available: fileModel !== null, label: fileModel ? `Loaded file (${fileModel.label})` : 'Loaded file' },
  };
  const sourceReady = sources[source].available;
  const blocked = !ready
    ? engineFailed
      ? 'The engine did not start.'
      : 'Waiting for the engine…'
    : trainingBusy
      ? 'Stop training to sample (the preview below shows your network meanwhile).'
      : !sourceReady
        ? source === 'shipped' && shipped.status === 'loading'
          ? 'Loading the shipped model…'
          : `Sampling needs a model: ${SOURCE_WORDS[source]} is not available.`
        : null;
  const pendingReady = pending !== null && sources[pending].available;

  // A deferred run (the first one, a loaded file, a run cancelled by leaving) starts once nothing stands in its way.
  if (pending !== null && pendingReady && active && ready && !trainingBusy) sampleWith(pending);

  const nonFinite = useMemo(() => (payload ? countNonFinite([payload.theta, payload.output, payload.samples]) : 0), [payload]);

  // The status line and its data-state; screen readers hear `announce` (start and end, not every step).
  let state: MnistViewState;
  let statusText: string;
  let announce: string;
  if (engineFailed) {
    state = 'error';
    statusText = 'The engine could not start, so nothing can be sampled (see the error above).';
    announce = statusText;
  } else if (sampling) {
    state = 'sampling';
    const p = sampling.progress;
    statusText = `Sampling ${settings.images} digits with n = ${settings.steps} from ${SOURCE_WORDS[source]}…${p ? ` step ${p.done} of ${p.total}` : ''}`;
    announce = `Sampling ${settings.images} digits with n = ${settings.steps}…`;
  } else if (sampleError) {
    state = 'error';
    statusText = `Sampling failed: ${sampleError}`;
    announce = statusText;
  } else if (!payload && source === 'shipped' && shipped.status === 'error') {
    state = 'error';
    statusText = `The shipped model could not be loaded: ${(shipped.message ?? 'unknown error').replace(/[.!?]+$/, '')}. Load a model file or train one below.`;
    announce = statusText;
  } else if (pending !== null && trainingBusy) {
    state = payload ? 'ready' : 'loading';
    statusText = `${SOURCE_WORDS[pending].replace(/^t/, 'T')} will be sampled when training stops.`;
    announce = statusText;
  } else if (sampleNote) {
    state = 'ready';
    statusText = `${sampleNote} ${payload ? 'The grids show the last run.' : 'Press Sample to sample.'}`;
    announce = sampleNote;
  } else if (payload) {
    state = 'ready';
    statusText = `${payload.images} digits × ${payload.n} step${payload.n === 1 ? '' : 's'} from ${SOURCE_WORDS[payload.source]}${payload.source === 'trained' && payloadStep !== null ? ` at step ${payloadStep.toLocaleString('en')}` : ''} (seed ${payload.seed}) with the ${SAMPLER_CHOICES.discrete.find((c) => c.id === payload.sampler)?.label ?? payload.sampler} sampler, sampled on ${payload.backend} in ${duration(payload.elapsedMs)}.`;
    announce = `Sampled ${payload.images} digits.`;
  } else if (streamed?.opening) {
    state = 'loading';
    statusText = `Recorded: the first ${streamed.framesReady} of ${streamed.payload.n + 1} frames of this run (seed ${streamed.payload.seed}) play while the engine starts; the live run takes over.`;
    announce = '';
  } else {
    state = 'loading';
    statusText = !ready ? 'Starting the engine…' : shipped.status === 'loading' ? 'Loading the shipped model…' : 'Preparing…';
    announce = '';
  }
  const stale =
    payload !== null &&
    !sampling &&
    (payload.images !== settings.images ||
      payload.n !== settings.steps ||
      payload.seed !== settings.seed ||
      payload.sampler !== settings.sampler ||
      payload.source !== source ||
      (payload.source === 'trained' && payloadStep !== training.step));

  const head = (
    <>
      <p className="mnist-status" data-testid="mnist-status" data-state={state} aria-live="off">
        {statusText}
      </p>
      <p className="sr-only" role="status" aria-live="polite" data-testid="mnist-status-announce">
        {active ? announce : ''}
      </p>
      {nonFinite > 0 ? (
        <p className="inline-error" role="alert" data-testid="mnist-nonfinite" data-count={String(nonFinite)}>
          This run holds {nonFinite.toLocaleString('en')} value{nonFinite === 1 ? '' : 's'} that {nonFinite === 1 ? 'is' : 'are'} NaN or infinite: the model
          computes nonsense somewhere (its weights may be broken, e.g. after training diverged). Such values are drawn black, so the grids below do not show
          what the model really does.
        </p>
      ) : null}
    </>
  );
  const controls = (
    <>
      <MnistSampleControls
        settings={settings}
        update={update}
        source={source}
        sources={sources}
        onSource={(s) => {
          setSource(s);
          if (sources[s].available && !trainingBusy) sampleWith(s);
          else if (pending !== null) setPending(s);
        }}
        blocked={blocked}
        busy={busy}
        progress={sampling?.progress ?? null}
        onSample={() => sampleWith(source)}
        onCancel={() => cancelSampling('Sampling was cancelled.')}
        stale={stale}
        initialClamped={urlClamped}
      />
      <DownloadProgress split="test" progress={testData.progress} info={testData.info} error={testData.error} testId="mnist-download-progress" />
      {shipped.status === 'loading' ? (
        <div className="mnist-download" data-testid="mnist-model-progress">
          <progress max={weightsProgress?.total || 1} value={weightsProgress && weightsProgress.total > 0 ? weightsProgress.loaded : undefined} aria-label="Downloading the shipped model" />
          <span>
            Downloading the shipped model{weightsProgress ? `: ${(weightsProgress.loaded / 1048576).toFixed(1)}${weightsProgress.total > 0 ? ` / ${(weightsProgress.total / 1048576).toFixed(1)}` : ''} MB` : '…'}
          </span>
        </div>
      ) : null}
    </>
  );

  const modelSummary: ModelSummary = {
    source,
    info: source === 'shipped' ? shipped.info : source === 'file' ? (fileModel?.info ?? null) : null,
    label: source === 'file' ? (fileModel?.label ?? null) : null,
    trained:
      source === 'trained' && training.trainer
        ? { step: training.step, wallSeconds: training.wallSeconds, parameters: training.trainer.parameters, fromShipped: training.trainer.fromShipped }
        : null,
  };
  const side = <MnistModelPanel model={modelSummary} shipped={shipped} onLoad={(f) => void onLoad(f)} loading={loadingFile} loadError={loadError} />;

  const beta1 = payload?.beta1 ?? shipped.info?.beta1 ?? null;
  return (
    <div className="mnist-view" data-testid="mnist-view" hidden={!active}>
      <UrlNote messages={urlMessages} testId="mnist-url-note" />
      <MnistTrajectory
        payload={streamed?.payload ?? payload}
        framesReady={streamed?.framesReady ?? null}
        recorded={streamed?.opening !== undefined}
        runKey={streamed?.key ?? payloadKey}
        dataMean={testData.info?.meanPixel ?? null}
        reducedMotion={reducedMotion}
        head={head}
        controls={controls}
        side={side}
        placeholder={state === 'error' || (!sampling && sampleNote) ? 'nothing sampled' : pending !== null && trainingBusy ? 'sampled when training stops' : 'sampling…'}
        active={active}
      />
      {/* Below the grids and their timeline, so that a projector shows those first. */}
      <MnistExplainer beta1={beta1} />
      <MnistStepsQuality
        engine={engine}
        source={source}
        sourceWords={SOURCE_WORDS[source]}
        seed={settings.seed}
        enabled={ready && !trainingBusy && (source !== 'shipped' || shipped.status === 'ready')}
        onError={onError}
      />
      <MnistTrainingPanel
        training={training}
        shippedReady={shipped.status === 'ready'}
        blocked={ready ? null : engineFailed ? 'The engine did not start.' : 'Waiting for the engine…'}
        backend={backend?.active ?? null}
        onDownload={(f) => void onDownload(f)}
        downloading={downloading}
      />
    </div>
  );
}
