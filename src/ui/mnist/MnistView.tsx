/**
 * The MNIST view: binarized digits sampled by a discrete-data BFN. It owns the order of the engine calls (the test
 * split's download and the shipped model start together; the first run is sampled as soon as the model is in),
 * which model is sampled, the recorded run, loading model files and the in-browser trainer; the grids, timeline
 * and pixel chart live in MnistTrajectory, which redraws on its own while playing.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BackendInfo, EngineClient, MnistDataInfo, MnistDownloadProgress, MnistModelInfo, MnistModelSource, MnistTrajectoryPayload } from '../../engine/client';
import { ModelLoadError, readModelFiles } from '../../state/modelBundle';
import { duration, errorMessage } from '../format';
import { usePrefersReducedMotion } from '../hooks/dom';
import { DownloadProgress } from './DownloadProgress';
import { SOURCE_WORDS } from './mnistConfig';
import { MnistExplainer } from './MnistExplainer';
import { downloadMnistModel } from './mnistFiles';
import { MnistModelPanel, type ModelSummary } from './MnistModelPanel';
import { MnistSampleControls, type SourceChoices } from './MnistSampleControls';
import { MnistTrainingPanel } from './MnistTrainingPanel';
import { MnistTrajectory } from './MnistTrajectory';
import { useMnistTraining } from './useMnistTraining';
import { useMnistUrlState } from './useMnistUrlState';

/** Props of {@link MnistView}. */
export interface MnistViewProps {
  engine: EngineClient;
  /** The engine's backend once it is ready, else null. */
  backend: BackendInfo | null;
  /** True when the engine could not start (its error is shown by the page). */
  engineFailed: boolean;
  onError: (where: string, message: string) => void;
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

/** The whole MNIST view below the page header. */
export function MnistView({ engine, backend, engineFailed, onError }: MnistViewProps) {
  const ready = backend !== null;
  const [settings, update] = useMnistUrlState();
  const reducedMotion = usePrefersReducedMotion();

  const [weightsProgress, setWeightsProgress] = useState<{ loaded: number; total: number } | null>(null);
  const [testData, setTestData] = useState<{ progress: MnistDownloadProgress | null; info: MnistDataInfo | null; error: string | null }>({ progress: null, info: null, error: null });
  const [shipped, setShipped] = useState<ShippedState>({ status: 'loading', info: null, message: null });
  const [fileModel, setFileModel] = useState<{ info: MnistModelInfo; label: string } | null>(null);
  const [source, setSource] = useState<MnistModelSource>('shipped');
  const [payload, setPayload] = useState<MnistTrajectoryPayload | null>(null);
  const [sampling, setSampling] = useState<{ progress: { done: number; total: number } | null } | null>(null);
  const [sampleError, setSampleError] = useState<string | null>(null);
  const [trainedStep, setTrainedStep] = useState<number | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [loadingFile, setLoadingFile] = useState(false);
  const [downloading, setDownloading] = useState(false);

  const latest = useRef({ settings });
  latest.current = { settings };
  const sampleGeneration = useRef(0);

  /** Samples with `src` and the current images, n and seed; the trajectory then plays from t = 0. */
  const sampleWith = useCallback(
    async (src: MnistModelSource): Promise<void> => {
      const { images, steps, seed } = latest.current.settings;
      const gen = ++sampleGeneration.current;
      setSource(src);
      setSampleError(null);
      setSampling({ progress: null });
      const onProgress = throttle((p: { done: number; total: number }) => gen === sampleGeneration.current && setSampling({ progress: p }), 60, (p) => p.done >= p.total);
      try {
        const p = await engine.mnistSample({ source: src, images, steps, seed }, (done, total) => onProgress({ done, total }));
        if (gen !== sampleGeneration.current) return;
        setPayload(p);
      } catch (err) {
        if (gen !== sampleGeneration.current) return;
        const message = errorMessage(err);
        setSampleError(message);
        onError('Sampling MNIST', message);
      } finally {
        if (gen === sampleGeneration.current) setSampling(null);
      }
    },
    [engine, onError],
  );
  const sampleWithRef = useRef(sampleWith);
  sampleWithRef.current = sampleWith;

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
        info = await engine.mnistLoadModel({ slot: 'shipped' }, (loaded, total) => onWeights({ loaded, total }));
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
      await sampleWithRef.current('shipped');
    })();
    return () => {
      live = false;
    };
  }, [ready, engine, onError]);

  const onTrained = useCallback((step: number) => setTrainedStep(step), []);
  const training = useMnistTraining({ engine, onError, onTrained });
  const trainingBusy = training.status !== 'idle';

  const onLoad = useCallback(
    async (files: File[]) => {
      setLoadError(null);
      setLoadingFile(true);
      try {
        const read = await readModelFiles(files);
        const info = await engine.mnistLoadModel({ slot: 'file', modelJson: read.modelJson, weights: read.weights, card: read.card });
        setFileModel({ info, label: read.label });
        setLoadingFile(false);
        await sampleWithRef.current('file');
      } catch (err) {
        const why = err instanceof ModelLoadError || (err instanceof Error && err.name === 'ModelFileError') ? err.message : errorMessage(err);
        setLoadError(`This model was not loaded: ${why}${/[.!?]$/.test(why.trim()) ? '' : '.'} The current model is unchanged.`);
      } finally {
        setLoadingFile(false);
      }
    },
    [engine],
  );

  const onDownload = useCallback(
    async (format: 'bundle' | 'files') => {
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
    trained: { available: trainedStep !== null, label: trainedStep !== null ? `Trained in this page (step ${trainedStep.toLocaleString('en')})` : 'Trained in this page' },
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

  // The status line and its data-state.
  let state: MnistViewState;
  let statusText: string;
  if (engineFailed) {
    state = 'error';
    statusText = 'The engine could not start, so nothing can be sampled (see the error above).';
  } else if (sampling) {
    state = 'sampling';
    const p = sampling.progress;
    statusText = `Sampling ${settings.images} digits with n = ${settings.steps} from ${SOURCE_WORDS[source]}…${p ? ` step ${p.done} of ${p.total}` : ''}`;
  } else if (sampleError) {
    state = 'error';
    statusText = `Sampling failed: ${sampleError}`;
  } else if (!payload && source === 'shipped' && shipped.status === 'error') {
    state = 'error';
    statusText = `The shipped model could not be loaded: ${shipped.message ?? 'unknown error'}. Load a model file or train one below.`;
  } else if (payload) {
    state = 'ready';
    statusText = `${payload.images} digits × ${payload.n} steps from ${SOURCE_WORDS[payload.source]} (seed ${payload.seed}), sampled on ${payload.backend} in ${duration(payload.elapsedMs)}.`;
  } else {
    state = 'loading';
    statusText = !ready ? 'Starting the engine…' : shipped.status === 'loading' ? 'Loading the shipped model…' : 'Preparing…';
  }
  const stale = payload !== null && !sampling && (payload.images !== settings.images || payload.n !== settings.steps || payload.seed !== settings.seed || payload.source !== source);

  const head = (
    <>
      <div className="viz-head">
        <h2 id="mnist-viz-h">From grey (t = 0) to digits (t = 1)</h2>
      </div>
      <p className={`mnist-status ${state}`} data-testid="mnist-status" data-state={state} role="status">
        {statusText}
      </p>
      <MnistSampleControls
        settings={settings}
        update={update}
        source={source}
        sources={sources}
        onSource={(s) => {
          setSource(s);
          if (sources[s].available && !trainingBusy) void sampleWith(s);
        }}
        blocked={blocked}
        busy={busy}
        progress={sampling?.progress ?? null}
        onSample={() => void sampleWith(source)}
      />
      {stale ? (
        <p className="hint" data-testid="mnist-stale">
          The grids show the last run; press Sample to apply the new settings.
        </p>
      ) : null}
      <DownloadProgress split="test" progress={testData.progress} info={testData.info} error={testData.error} testId="mnist-download-progress" />
      {shipped.status === 'loading' ? (
        <div className="mnist-download" data-testid="mnist-model-progress" aria-live="polite">
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
    <div className="mnist-view" data-testid="mnist-view">
      <MnistExplainer beta1={beta1} />
      <MnistTrajectory
        payload={payload}
        dataMean={testData.info?.meanPixel ?? null}
        reducedMotion={reducedMotion}
        head={head}
        side={side}
        placeholder={state === 'error' ? 'nothing sampled' : 'sampling…'}
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
