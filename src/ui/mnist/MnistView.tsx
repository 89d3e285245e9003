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
import { SAMPLER_CHOICES } from '../../bfn/samplerChoices';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  isSampleCancelled, type BackendInfo, type EngineClient, type MnistDataInfo, type MnistDownloadProgress, type MnistModelInfo, type MnistModelSource,
  type MnistTrajectoryPayload,
} from '../../engine/client';
import { SHIPPED_MNIST_ID } from '../../engine/protocol';
import { ModelLoadError, readModelFiles } from '../../state/modelBundle';
import { duration, errorMessage } from '../format';
import { usePrefersReducedMotion } from '../hooks/dom';
import { DownloadProgress } from './DownloadProgress';
import { countNonFinite, SOURCE_WORDS } from './mnistConfig';
import { MnistExplainer } from './MnistExplainer';
import { downloadMnistModel, type MnistDownloadFormat } from './mnistFiles';
import { MnistModelPanel, type ModelSummary } from './MnistModelPanel';
import { MnistSampleControls, type SourceChoices } from './MnistSampleControls';
import { MnistTrainingPanel } from './MnistTrainingPanel';
import { MnistTrajectory } from './MnistTrajectory';
import { useMnistTraining } from './useMnistTraining';
import { useMnistUrlState } from './useMnistUrlState';
import { UrlNote } from '../UrlNote';

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

const LEFT_TRAINING = 'Training was paused when you left the MNIST view; Continue goes on with the same network.';

/** The whole MNIST view below the page header. */
export function MnistView({ engine, backend, engineFailed, onError, active = true }: MnistViewProps) {
  const ready = backend !== null;
  const [settings, update, urlClamped, urlMessages] = useMnistUrlState();
  const reducedMotion = usePrefersReducedMotion();

  const [weightsProgress, setWeightsProgress] = useState<{ loaded: number; total: number } | null>(null);
  const [testData, setTestData] = useState<{ progress: MnistDownloadProgress | null; info: MnistDataInfo | null; error: string | null }>({ progress: null, info: null, error: null });
  const [shipped, setShipped] = useState<ShippedState>({ status: 'loading', info: null, message: null });
  const [fileModel, setFileModel] = useState<{ info: MnistModelInfo; label: string } | null>(null);
  const [source, setSource] = useState<MnistModelSource>('shipped');
  const [payload, setPayload] = useState<MnistTrajectoryPayload | null>(null);
  /** The trainer's step when the shown run of the trained network was requested (null for other sources). */
  const [payloadStep, setPayloadStep] = useState<number | null>(null);
  const [sampling, setSampling] = useState<{ progress: { done: number; total: number } | null } | null>(null);
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

  const latest = useRef({ settings, active, trainingBusy, trainedStep: training.step, source, payload });
  latest.current = { settings, active, trainingBusy, trainedStep: training.step, source, payload };
  const sampleGeneration = useRef(0);
  /** True while a run this view asked for may still be running in the worker. */
  const inFlight = useRef(false);

  /** Samples with `src` and the current images, n and seed (cancelling a run in progress); the trajectory then plays from t = 0. */
  const sampleWith = useCallback(
    async (src: MnistModelSource): Promise<void> => {
      const { images, steps, seed, sampler } = latest.current.settings;
      const trainedStep = latest.current.trainedStep;
      const gen = ++sampleGeneration.current;
      if (inFlight.current) void engine.mnistCancelSample().catch(() => undefined);
      inFlight.current = true;
      setSource(src);
      setPending(null);
      setSampleError(null);
      setSampleNote(null);
      setSampling({ progress: null });
      const onProgress = throttle((p: { done: number; total: number }) => gen === sampleGeneration.current && setSampling({ progress: p }), 60, (p) => p.done >= p.total);
      try {
        const p = await engine.mnistSample({ source: src, sampler, images, steps, seed }, (done, total) => onProgress({ done, total }));
        if (gen !== sampleGeneration.current) return;
        setPayload(p);
        setPayloadStep(src === 'trained' ? trainedStep : null);
      } catch (err) {
        if (gen !== sampleGeneration.current || isSampleCancelled(err)) return;
        const message = errorMessage(err);
        setSampleError(message);
        onError('Sampling MNIST', message);
      } finally {
        if (gen === sampleGeneration.current) {
          inFlight.current = false;
          setSampling(null);
        }
      }
    },
    [engine, onError],
  );
  const sampleWithRef = useRef(sampleWith);
  sampleWithRef.current = sampleWith;

  /** Cancels the run in progress (if any) and says why; @returns whether one was cancelled. */
  const cancelSampling = useCallback(
    (note: string): boolean => {
      if (!inFlight.current) return false;
      sampleGeneration.current++;
      inFlight.current = false;
      void engine.mnistCancelSample().catch(() => undefined);
      setSampling(null);
      setSampleNote(note);
      return true;
    },
    [engine],
  );

  /** Samples `src` now when the view is shown and training is stopped, else as soon as it can (and says so). */
  const requestSample = useCallback((src: MnistModelSource) => {
    if (latest.current.active && !latest.current.trainingBusy) void sampleWithRef.current(src);
    else {
      setSource(src);
      setPending(src);
    }
  }, []);

  // Leaving the view: cancel a run in progress (redo it on return when nothing is shown yet) and pause training.
  const { stop: stopTraining } = training;
  useEffect(() => {
    if (active) return;
    stopTraining(LEFT_TRAINING);
    const src = latest.current.source;
    if (cancelSampling('Sampling was cancelled when you left the MNIST view.') && latest.current.payload === null) setPending(src);
  }, [active, stopTraining, cancelSampling]);

  // Unmounting: free the worker for whatever comes next.
  useEffect(
    () => () => {
      if (inFlight.current) void engine.mnistCancelSample().catch(() => undefined);
    },
    [engine],
  );

  // Once the engine is ready: download the test split (for the mean-pixel readout) and load the shipped model, then
  // sample once with it.
  useEffect(() => {
    if (!ready) return;
    let live = true;
    setTestData({ progress: null, info: null, error: null });
    const onData = throttle((p: MnistDownloadProgress) => live && setTestData((d) => ({ ...d, progress: p })), 80, (p) => p.phase !== 'download' || p.loaded === p.total);
    engine.mnistLoadData('test', onData).then(
      (info) => live && setTestData({ progress: null, info, error: null }),
      (err: unknown) => {
        if (!live) return;
        const message = errorMessage(err);
        setTestData((d) => ({ ...d, error: message }));
        onError('MNIST test images', message);
      },
    );
    setShipped({ status: 'loading', info: null, message: null });
    void (async () => {
      let info: MnistModelInfo;
      try {
        const onWeights = throttle((p: { loaded: number; total: number }) => live && setWeightsProgress(p), 80, (p) => p.loaded >= p.total);
        info = await engine.mnistLoadModel({ slot: 'shipped', id: SHIPPED_MNIST_ID }, (loaded, total) => onWeights({ loaded, total }));
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
      // The first run, unless the user has moved on to another model meanwhile.
      if (latest.current.source === 'shipped' && !inFlight.current && latest.current.payload === null) requestSample('shipped');
    })();
    return () => {
      live = false;
    };
  }, [ready, engine, onError, requestSample]);

  const onLoad = useCallback(
    async (files: File[]) => {
      setLoadError(null);
      setLoadingFile(true);
      try {
        const read = await readModelFiles(files);
        const info = await engine.mnistLoadModel({ slot: 'file', modelJson: read.modelJson, weights: read.weights, card: read.card });
        setFileModel({ info, label: read.label });
        setLoadingFile(false);
        // While training runs, sampling waits for it to stop (the status says so).
        requestSample('file');
      } catch (err) {
        const why = err instanceof ModelLoadError || (err instanceof Error && err.name === 'ModelFileError') ? err.message : errorMessage(err);
        setLoadError(`This model was not loaded: ${why}${/[.!?]$/.test(why.trim()) ? '' : '.'} The current model is unchanged.`);
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
        const m = await engine.mnistExportModel('trained');
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
  useEffect(() => {
    if (pending === null || !pendingReady || !active || !ready || trainingBusy) return;
    void sampleWith(pending);
  }, [pending, pendingReady, active, ready, trainingBusy, sampleWith]);

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
      <div className="viz-head">
        <h2 id="mnist-viz-h">From grey (t = 0) to digits (t = 1)</h2>
      </div>
      <p className={`mnist-status ${state}`} data-testid="mnist-status" data-state={state} aria-live="off">
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
      <MnistSampleControls
        settings={settings}
        update={update}
        source={source}
        sources={sources}
        onSource={(s) => {
          setSource(s);
          if (sources[s].available && !trainingBusy) void sampleWith(s);
          else if (pending !== null) setPending(s);
        }}
        blocked={blocked}
        busy={busy}
        progress={sampling?.progress ?? null}
        onSample={() => void sampleWith(source)}
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
      <MnistExplainer beta1={beta1} />
      <MnistTrajectory
        payload={payload}
        dataMean={testData.info?.meanPixel ?? null}
        reducedMotion={reducedMotion}
        head={head}
        side={side}
        placeholder={state === 'error' || (!sampling && sampleNote) ? 'nothing sampled' : pending !== null && trainingBusy ? 'sampled when training stops' : 'sampling…'}
        active={active}
      />
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
