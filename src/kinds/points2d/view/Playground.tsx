/**
 * The 2D playground: the dataset, the network trained in the worker, the models the sampler can use, the recorded
 * trajectory and its timeline, and how they are laid out. It owns the order of the engine calls (data first, then
 * models, then sampling; the worker runs them in that order) and what is saved in the URL and in IndexedDB.
 */
import { useCallback, useEffect, useEffectEvent, useMemo, useRef, useState } from 'react';
import { DATASETS_2D } from '../../../data/toy2d';
import { IDEAL_POINTS, type BackendInfo, type EngineClient, type ModelInfo, type ModelSource, type SampleOptions2D, type Train2DConfig, type TrainerInfo, type TrajectoryPayload } from '../../../engine/client';
import { sameNetwork } from '../network';
import type { ConfigureOutcome } from '../../../engine/protocol';
import { bundleText, download, readModelFiles, refusalText } from '../../../state/modelBundle';
import { clearTrainedModel, loadTrainedModel, saveTrainedModel } from '../../../state/persist';
import { shippedModelIds } from '../../../state/shippedIds';
import { CUSTOM_DATASET, readPlaygroundUrl, stateToSearch, trainConfigOf } from '../../../state/urlState';
import { SAMPLER_CHOICES, type SamplerId } from '../../../bfn/samplerChoices';
import { duration, errorMessage } from '../../../ui/format';
import { usePrefersReducedMotion } from '../../../ui/hooks/dom';
import { useDataset } from './useDataset';
import { useSampler } from './useSampler';
import { useRecordedOpening } from '../../../ui/hooks/useRecordedOpening';
import { useTraining } from './useTraining';
import { trainingChanges } from './trainingChanges';
import type { SavedHistory } from '../../../state/trainingHistory';
import { useUrlSettings } from '../../../ui/hooks/useUrlSettings';
import { UrlNote } from '../../../ui/UrlNote';
import { DataPanel } from './DataPanel';
import { Explainer } from './Explainer';
import { ModelPanel, type ModelSources } from './ModelPanel';
import { StepsQuality } from '../../../ui/panels/StepsQuality';
import { TrainingPanel } from './TrainingPanel';
import type { PlotTool } from './PlaygroundPlot';
import { TrajectoryColumn } from './TrajectoryColumn';
import './playground-layout.css';

/** Props of {@link Playground}. */
export interface PlaygroundProps {
  engine: EngineClient;
  /** The engine's backend once it is ready, else null. */
  backend: BackendInfo | null;
  onError: (where: string, message: string) => void;
}

type ShippedState = ModelSources['shipped'];

const SOURCE_WORDS: Record<ModelSource, string> = {
  shipped: 'the shipped model',
  trained: 'your network',
  file: 'the loaded model',
  ideal: 'the ideal denoiser',
};

/** Milliseconds after the last edit of your points before the ideal denoiser resamples them. */
const EDIT_RESAMPLE_MS = 700;

const samplerLabel = (id: SamplerId) => SAMPLER_CHOICES.continuous.find((c) => c.id === id)?.label ?? id;

/** The whole 2D playground below the page header. */
export function Playground({ engine, backend, onError }: PlaygroundProps) {
  const ready = backend !== null;
  const { state: settings, update, messages: urlMessages } = useUrlSettings(readPlaygroundUrl, stateToSearch);
  const { points: dataset, setCustomPoints, storageProblem, linkNote } = useDataset(settings.dataset, settings.seed);
  const reducedMotion = usePrefersReducedMotion();
  const sampler = useSampler(engine, onError);

  const [source, setSource] = useState<ModelSource | null>(null);
  const [shipped, setShipped] = useState<ShippedState>({ status: 'loading', info: null, message: null });
  const [fileModel, setFileModel] = useState<{ info: ModelInfo | null; label: string | null }>({ info: null, label: null });
  const [modelError, setModelError] = useState<string | null>(null);
  const [modelLoading, setModelLoading] = useState(false);
  const [trained, setTrained] = useState<{ available: boolean; wallSeconds: number; config: Train2DConfig | null }>({ available: false, wallSeconds: 0, config: null });
  const [baseline, setBaseline] = useState<number | null>(null);
  const [dataSynced, setDataSynced] = useState<string | null>(null);
  // The worker holds this dataset's points (fewer than 2 points are never sent: nothing is synced then).
  const synced = dataset.metric !== null && dataSynced === dataset.id;
  const shownBaseline = dataset.metric !== null ? baseline : null;
  const [notice, setNotice] = useState<string | null>(null);
  // A page opened on your points starts with the draw tool, as choosing "Your points" does (the hint says so).
  const [tool, setTool] = useState<PlotTool>(() => (settings.dataset === CUSTOM_DATASET ? 'draw' : 'inspect'));
  const [savedStep, setSavedStep] = useState<number | null>(null);
  const pickedWhileTraining = useRef<ModelSource | null>(null);

  // The training configuration changes only when one of its own fields does (not with the layers or the speed).
  const { sigma1, loss, lossN, lr, batch, width, depth, fourier, residual, seed, ema } = settings;
  const config = useMemo(
    () => trainConfigOf({ sigma1, loss, lossN, lr, batch, width, depth, fourier, residual, seed, ema }),
    [sigma1, loss, lossN, lr, batch, width, depth, fourier, residual, seed, ema],
  );

  /**
   * Samples with `src` using the current N, n and seed. The trajectory column then plays it from t = 0, or, for a
   * `quiet` run (a resample after editing your points), shows its last frame without replaying the animation.
   */
  const runSampler = sampler.run;
  const [autoplay, setAutoplay] = useState(true);
  const { sampler: samplerId, samples, steps, sampleSeed } = settings;
  const datasetId = dataset.id;
  const sampleWith = useCallback(
    async (src: ModelSource, quiet = false): Promise<TrajectoryPayload | null> => {
      setSource(src);
      setAutoplay(!quiet);
      // A run that plays from t = 0 is shown from its first frames on; a quiet one (or under reduced motion) once complete.
      return runSampler({ source: src, sampler: samplerId, points: samples, steps, seed: sampleSeed }, datasetId, !quiet && !reducedMotion);
    },
    [runSampler, samplerId, samples, steps, sampleSeed, datasetId, reducedMotion],
  );
  // Effects sample with the settings of the latest render, and run only when their own inputs change.
  const sampleFromEffect = useEffectEvent((src: ModelSource, quiet = false) => sampleWith(src, quiet));

  // (0) While the engine starts, the first run's recorded opening plays (src/engine/opening.ts), when the build has
  // one for this data set at these settings; the live run then continues it.
  useRecordedOpening<TrajectoryPayload, SampleOptions2D>(
    datasetId,
    () => (sampler.runKey === 0 && !reducedMotion ? { source: 'shipped', sampler: samplerId, points: samples, steps, seed: sampleSeed } : null),
    (opening) => sampler.open(opening, opening.header.id),
  );

  /** When your network is dropped while it is the sampler's model: sample with the shipped model or the ideal one. */
  const shippedReady = shipped.status === 'ready';
  const hasPoints = dataset.metric !== null;
  const leaveTrained = useCallback(() => {
    if (source !== 'trained') return;
    const fallback: ModelSource | null = shippedReady ? 'shipped' : hasPoints ? 'ideal' : null;
    if (fallback) void sampleWith(fallback);
    else setSource(null);
  }, [source, shippedReady, hasPoints, sampleWith]);

  /** Saves the trained network (and its settings and training history) in IndexedDB. */
  const saveTrained = useCallback(async (history: SavedHistory) => {
    try {
      const m = await engine.kind('points2d').exportModel({ source: 'trained', dataset: datasetId, datasetName: dataset.name });
      await saveTrainedModel({ ...m, config, dataset: datasetId, savedAt: new Date().toISOString() }, history);
      setSavedStep(m.card.training.steps);
    } catch (err) {
      setNotice(`Your network could not be saved in this browser (${errorMessage(err)}).`);
    }
  }, [engine, datasetId, dataset.name, config]);

  const metricOptions = useMemo(() => ({ points: settings.evalPoints, steps: settings.evalSteps }), [settings.evalPoints, settings.evalSteps]);
  const training = useTraining({
    engine,
    metric: metricOptions,
    enabled: ready && synced,
    onSettled: useCallback((history: SavedHistory) => {
      setTrained((t) => ({ ...t, available: true }));
      // A model the user picked while training stopped is what they see next; otherwise the network just trained.
      const picked = pickedWhileTraining.current;
      pickedWhileTraining.current = null;
      if (picked === null || picked === 'trained') void sampleWith('trained');
      void saveTrained(history);
    }, [sampleWith, saveTrained]),
    onError,
  });
  const { status: trainingStatus, pause: pauseTraining } = training;
  const trainingIdle = trainingStatus === 'idle';
  // Effects reset the training state as the hook stands at the latest render.
  const clearTraining = useEffectEvent((atStep: number) => training.clear(atStep));
  const restoreTraining = useEffectEvent((atStep: number, saved: NonNullable<Awaited<ReturnType<typeof loadTrainedModel>>>, want: Train2DConfig) => {
    training.restore(atStep, saved.history);
    training.markChanges(trainingChanges(saved.config, want), atStep);
  });

  // What runs is what the Model panel shows: once training (or stepping) starts, that is your network.
  const [wasTraining, setWasTraining] = useState(!trainingIdle);
  if (wasTraining !== !trainingIdle) {
    setWasTraining(!trainingIdle);
    if (!trainingIdle) setSource('trained');
  }

  /**
   * A model chosen in the Model panel. While training plays, the choice pauses it first (the shipped model stays one
   * click away); the choice is then sampled, and the end of the run does not sample your network over it.
   */
  const chooseSource = useCallback(
    (src: ModelSource) => {
      if (trainingStatus === 'playing') {
        pickedWhileTraining.current = src;
        pauseTraining();
        if (src === 'trained') return;
      }
      void sampleWith(src);
    },
    [trainingStatus, pauseTraining, sampleWith],
  );

  // (1) The data goes to the worker whenever it changes. Edits of your own points resample the ideal denoiser.
  /** Whether an edit of your points resamples: the ideal denoiser (or nothing) is shown and no training runs. */
  const editResamples = useEffectEvent(() => (source === 'ideal' || source === null) && trainingIdle);
  const previousData = useRef<string | null>(null);
  const editTimer = useRef<number | null>(null);
  useEffect(() => {
    if (!ready || !dataset.loaded) return;
    const metric = dataset.metric;
    const edited = previousData.current === dataset.id && dataset.custom;
    previousData.current = dataset.id;
    if (!metric) return;
    let live = true;
    engine.kind('points2d').setData({ train: dataset.train, heldOut: metric.heldOut, reference: metric.reference }).then(
      (info) => {
        if (!live) return;
        setBaseline(info.baseline);
        setDataSynced(dataset.id);
      },
      (err: unknown) => onError('Data', errorMessage(err)),
    );
    // While drawing, each stroke edits the points: resample once the strokes pause, and without replaying.
    if (editTimer.current !== null) clearTimeout(editTimer.current);
    if (edited && editResamples()) {
      editTimer.current = window.setTimeout(() => {
        editTimer.current = null;
        void sampleFromEffect('ideal', true);
      }, EDIT_RESAMPLE_MS);
    }
    return () => {
      live = false;
    };
  }, [ready, dataset, engine, onError]);
  useEffect(() => () => {
    if (editTimer.current !== null) clearTimeout(editTimer.current);
  }, []);
  /** A new stroke holds back the resample of the strokes before it: it comes once this stroke has ended and paused. */
  const onStrokeStart = useCallback(() => {
    if (editTimer.current !== null) clearTimeout(editTimer.current);
    editTimer.current = null;
  }, []);

  // (2) A new dataset: drop the trained network, restore a saved one (first visit), load the shipped model, sample.
  // The page's state of the network and its notice go at once; the effect drops the network in the worker.
  const [networkOf, setNetworkOf] = useState(dataset.id);
  if (networkOf !== dataset.id) {
    setNetworkOf(dataset.id);
    setTrained({ available: false, wallSeconds: 0, config: null });
    setNotice(null);
  }
  // What the effect reads without running again for it: edits of your points, new settings, a new error handler.
  const datasetStart = useEffectEvent(() => ({ hasPoints: dataset.metric !== null, want: config }));
  const reportFromEffect = useEffectEvent((where: string, err: unknown) => onError(where, errorMessage(err)));
  const firstVisit = useRef(true);
  useEffect(() => {
    if (!ready || !dataset.loaded) return;
    let live = true;
    const id = dataset.id;
    const { hasPoints } = datasetStart();
    clearTraining(0);
    void (async () => {
      await engine.kind('points2d').clearTrainer();
      let restored = false;
      if (firstVisit.current) {
        firstVisit.current = false;
        const saved = await loadTrainedModel().catch(() => null);
        const { want } = datasetStart();
        if (saved && saved.dataset === id && hasPoints && sameNetwork(saved.config, want)) {
          try {
            const info = await engine.kind('points2d').restoreTrainer({ modelJson: saved.modelJson, weights: saved.weights, card: saved.card, config: saved.config });
            await engine.kind('points2d').configureTrainer(want);
            if (!live) return;
            restoreTraining(info.step, saved, want);
            setTrained({ available: true, wallSeconds: info.wallSeconds, config: info.config });
            setNotice(`Restored your network from this browser (${info.step.toLocaleString('en')} steps).`);
            restored = true;
          } catch (err) {
            setNotice(`Your saved network could not be restored (${errorMessage(err)}).`);
          }
        }
      }
      // The worker finds, downloads and validates the data set's shipped model (null: the build has none for it).
      let shippedReady = false;
      setShipped({ status: 'loading', info: null, message: null });
      try {
        const info = await engine.kind('points2d').loadModel({ slot: 'shipped', id });
        if (!live) return;
        setShipped(info ? { status: 'ready', info, message: null } : { status: 'none', info: null, message: null });
        shippedReady = info !== null;
      } catch (err) {
        if (!live) return;
        setShipped({ status: 'error', info: null, message: errorMessage(err) });
      }
      if (!live) return;
      const src: ModelSource | null = restored ? 'trained' : shippedReady ? 'shipped' : hasPoints ? 'ideal' : null;
      setSource(src);
      if (src) await sampleFromEffect(src);
    })().catch((err: unknown) => live && reportFromEffect('Loading the dataset', err));
    return () => {
      live = false;
    };
    // Only a different dataset, the engine becoming ready, or another engine starts this; edits of the points do not.
  }, [ready, dataset.id, dataset.loaded, engine]);

  // (3) Training settings go to the worker; a different network shape starts a fresh network.
  /** What the worker's answer to new settings changes on the page (with the state of the latest render). */
  const onConfigured = useEffectEvent((outcome: ConfigureOutcome, trainer: TrainerInfo | null, before: Train2DConfig | null) => {
    const trainerConfig = trainer?.config ?? null;
    const sigma1Changed = before !== null && before.sigma1 !== config.sigma1;
    if (outcome === 'reset') {
      training.clear(0);
      setTrained({ available: false, wallSeconds: 0, config: trainerConfig });
      setNotice('A fresh network: the width, depth, Fourier features, residual layers, σ₁ or seed changed.');
      leaveTrained();
    } else if (outcome === 'updated') {
      setNotice('The new learning rate, batch, loss or averaging apply from the next step (the optimizer restarted).');
      if (before && trainer) training.markChanges(trainingChanges(before, config), trainer.step);
    }
    if (sigma1Changed && source === 'ideal' && trainingIdle) void sampleWith('ideal');
  });
  const previousConfig = useRef<Train2DConfig | null>(null);
  useEffect(() => {
    if (!ready) return;
    const before = previousConfig.current;
    previousConfig.current = config;
    engine.kind('points2d').configureTrainer(config).then(
      ({ outcome, trainer }) => onConfigured(outcome, trainer, before),
      (err: unknown) => onError('Training settings', errorMessage(err)),
    );
  }, [ready, config, engine, onError]);

  const reset = useCallback(async () => {
    training.clear(0);
    setNotice(null);
    try {
      const info = await engine.kind('points2d').resetTrainer(config);
      setTrained({ available: false, wallSeconds: 0, config: info.config });
      await clearTrainedModel().catch(() => undefined);
      leaveTrained();
    } catch (err) {
      onError('Reset', errorMessage(err));
    }
  }, [training, engine, config, leaveTrained, onError]);

  const chooseDataset = useCallback(
    (id: string) => {
      training.pause();
      setTool(id === CUSTOM_DATASET ? 'draw' : 'inspect');
      update({ dataset: id });
    },
    [training, update],
  );

  const onStroke = useCallback(
    (points: Float32Array) => {
      if (!dataset.custom) return;
      const merged = new Float32Array(dataset.all.length + points.length);
      merged.set(dataset.all);
      merged.set(points, dataset.all.length);
      setCustomPoints(merged.length / 2 > 50_000 ? merged.subarray(merged.length - 100_000) : merged);
    },
    [dataset.custom, dataset.all, setCustomPoints],
  );

  const onUpload = useCallback(
    (points: Float32Array) => {
      training.pause();
      setCustomPoints(points);
      setTool('inspect');
      update({ dataset: CUSTOM_DATASET });
    },
    [training, setCustomPoints, update],
  );

  const onDownload = useCallback(
    async (format: 'bundle' | 'files') => {
      const src = source;
      if (!src) return;
      try {
        const m = await engine.kind('points2d').exportModel({ source: src, dataset: datasetId, datasetName: dataset.name });
        const stem = `bfn-${datasetId}-${src === 'trained' ? `step${training.step}` : src}`;
        if (format === 'bundle') {
          download(`${stem}.json`, bundleText(m), 'application/json');
        } else {
          download('model.json', JSON.stringify(m.modelJson, null, 1), 'application/json');
          download('weights.bin', m.weights, 'application/octet-stream');
          download('card.json', JSON.stringify(m.card, null, 1), 'application/json');
        }
      } catch (err) {
        onError('Download', errorMessage(err));
      }
    },
    [source, datasetId, dataset.name, engine, onError, training.step],
  );

  const onLoad = useCallback(
    async (files: File[]) => {
      setModelError(null);
      setModelLoading(true);
      try {
        const read = await readModelFiles(files);
        const info = await engine.kind('points2d').loadModel({ slot: 'file', modelJson: read.modelJson, weights: read.weights, card: read.card });
        setFileModel({ info, label: read.label });
        await sampleWith('file');
      } catch (err) {
        setModelError(refusalText(err));
      } finally {
        setModelLoading(false);
      }
    },
    [engine, sampleWith],
  );

  const clearPoints = useCallback(() => setCustomPoints(new Float32Array(0)), [setCustomPoints]);
  const sampleAgain = useCallback(() => {
    if (source) void sampleWith(source);
  }, [source, sampleWith]);

  // What the plot shows: while training, the latest samples of the network; otherwise the trajectory (if it
  // belongs to this dataset).
  const payload = sampler.payload && sampler.tag === dataset.id && dataset.metric !== null ? sampler.payload : null;
  const live = training.status === 'playing' ? training.liveSamples : null;

  const pointCount = dataset.all.length / 2;
  const placeholder = !ready
    ? 'Starting the engine…'
    : !dataset.loaded
      ? 'Reading your points…'
      : dataset.custom && pointCount < 2
        ? tool === 'draw'
          ? 'Draw here: press and drag'
          : 'No points yet: choose ✎ Draw above, or upload a file'
        : live
          ? null
          : !payload && sampler.busy
            ? 'Sampling…'
            : null;
  const disabledReason = !ready
    ? 'Waiting for the engine…'
    : dataset.metric === null
      ? 'Draw or upload at least 2 points to train.'
      : !synced
        ? 'Preparing the data…'
        : null;

  const sources: ModelSources = {
    shipped,
    trained: {
      available: trained.available || training.step > 0,
      step: training.step,
      wallSeconds: Math.max(trained.wallSeconds, training.wallSeconds),
      width: trained.config?.width ?? config.width,
      depth: trained.config?.depth ?? config.depth,
      fourierFeatures: trained.config?.fourierFeatures ?? config.fourierFeatures ?? 0,
      residual: trained.config?.residual ?? config.residual ?? false,
      sigma1: trained.config?.sigma1 ?? config.sigma1,
      savedStep: savedStep !== null && savedStep === training.step ? savedStep : null,
    },
    file: fileModel,
    ideal: { available: synced, sigma1: config.sigma1, points: Math.min(IDEAL_POINTS, dataset.train.length / 2) },
  };
  const shippedIds = useMemo(() => new Set(shippedModelIds()), []);
  const datasetName = DATASETS_2D.find((d) => d.id === dataset.id)?.name ?? dataset.name;

  let runInfo: string;
  if (live) runInfo = `Training: ${(live.length / 2).toLocaleString('en')} samples from your network at step ${training.history.metrics.at(-1)?.step ?? 0}, refreshed every few seconds.`;
  else if (payload && sampler.recorded) runInfo = `Recorded: the first ${sampler.framesReady} of ${payload.n + 1} frames of this run (seed ${payload.seed}) play while the engine starts; the live run takes over.`;
  else if (payload && sampler.framesReady !== null) runInfo = `Sampling ${payload.points.toLocaleString('en')} points × ${payload.n} steps from ${SOURCE_WORDS[payload.source]} on ${payload.backend}${sampler.progress ? ` (step ${sampler.progress.done} of ${sampler.progress.total})` : ''}: playing the first ${sampler.framesReady} of ${payload.n + 1} frames while the rest is sampled…`;
  else if (payload) runInfo = `${payload.points.toLocaleString('en')} points × ${payload.n} steps from ${SOURCE_WORDS[payload.source]} (σ₁ = ${payload.sigma1}) with the ${samplerLabel(payload.sampler)} sampler, sampled on ${payload.backend} in ${duration(payload.elapsedMs)}.`;
  else runInfo = sampler.busy ? 'Sampling…' : 'No trajectory yet.';

  // Memoised: the trajectory column re-renders only when its own inputs change.
  const qualityEnabled = ready && synced && trainingIdle;
  const qualityPanel = useMemo(
    () => (
      <StepsQuality
        engine={engine}
        source={source}
        sourceWords={source ? SOURCE_WORDS[source] : 'no model'}
        datasetId={dataset.id}
        seed={settings.sampleSeed}
        enabled={qualityEnabled}
        onError={onError}
      />
    ),
    [engine, source, dataset.id, settings.sampleSeed, qualityEnabled, onError],
  );

  return (
    <div className="playground">
      <div className="col-left">
        <UrlNote messages={urlMessages} />
        <DataPanel
          dataset={dataset}
          shippedIds={shippedIds}
          onDataset={chooseDataset}
          onDraw={() => {
            setTool('draw');
            if (!dataset.custom) chooseDataset(CUSTOM_DATASET);
          }}
          onUpload={onUpload}
          onClear={clearPoints}
          storageProblem={storageProblem}
          linkNote={linkNote}
        />
        <TrainingPanel
          settings={settings}
          update={update}
          training={training}
          disabledReason={disabledReason}
          backend={backend?.active ?? null}
          baseline={shownBaseline}
          heldOut={dataset.metric ? { points: dataset.metric.heldOut.length / 2, fromTraining: dataset.metric.heldOutFromTraining, custom: dataset.custom } : null}
          notice={notice}
          onReset={() => void reset()}
        />
      </div>
      <TrajectoryColumn
        payload={payload}
        framesReady={payload ? sampler.framesReady : null}
        runKey={sampler.runKey}
        recorded={sampler.recorded}
        data={dataset.display}
        live={live}
        runInfo={runInfo}
        placeholder={placeholder}
        settings={settings}
        update={update}
        reducedMotion={reducedMotion}
        custom={dataset.custom}
        pointCount={pointCount}
        tool={tool}
        onTool={setTool}
        onStroke={onStroke}
        onStrokeStart={onStrokeStart}
        onClearPoints={clearPoints}
        canSample={ready && source !== null && !live}
        sampling={sampler.busy}
        progress={sampler.progress}
        onSample={sampleAgain}
        autoplay={autoplay}
        below={qualityPanel}
      />
      <div className="col-right">
        <ModelPanel
          source={source}
          sources={sources}
          datasetName={datasetName}
          busy={sampler.busy}
          training={training.status !== 'idle'}
          onSource={chooseSource}
          onDownload={(f) => void onDownload(f)}
          onLoad={(f) => void onLoad(f)}
          loadError={modelError}
          loading={modelLoading}
        />
        <Explainer />
      </div>
    </div>
  );
}
