/**
 * The MNIST view's steps-vs-quality panel: for each sampler and n, 32 digits of the sampled model from one seed, and
 * how digit-like they are by the shipped classifier (models/classifiers/mnist-binary/, test accuracy on its card):
 * its mean confidence in its top class and the share of digits it classifies with at least 90 % confidence, beside
 * the same two numbers on binarized test digits.
 */
import { useCallback, useEffect, useRef } from 'react';
import type { SamplerId } from '../../../bfn/samplerChoices';
import type { EngineClient, MnistModelSource } from '../../../engine/client';
import { StepsQualityPanel, type QualityTable } from '../../../ui/panels/StepsQuality';

/** Digits per run (the side-by-side shows the first 16). */
export const MNIST_QUALITY_IMAGES = 32;

/** Up to 16 digits ({0, 1} pixels, [count, 784]) as a 4 x 4 canvas grid. */
function MiniDigits({ samples, label, testId }: { samples: Float32Array; label: string; testId: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const image = ctx.createImageData(112, 112);
    const count = Math.min(16, samples.length / 784);
    for (let i = 0; i < count; i++) {
      for (let p = 0; p < 784; p++) {
        const x = (i % 4) * 28 + (p % 28);
        const y = Math.floor(i / 4) * 28 + Math.floor(p / 28);
        const v = samples[i * 784 + p]! > 0.5 ? 255 : 0;
        image.data.set([v, v, v, 255], 4 * (y * 112 + x));
      }
    }
    ctx.putImageData(image, 0, 0);
  }, [samples]);
  return (
    <figure className="mini-scatter" data-testid={testId}>
      <canvas ref={ref} width={112} height={112} className="mnist-canvas" role="img" aria-label={label} />
      <figcaption>{label}</figcaption>
    </figure>
  );
}

/** Props of {@link MnistStepsQuality}. */
export interface MnistStepsQualityProps {
  engine: EngineClient;
  source: MnistModelSource;
  sourceWords: string;
  seed: number;
  enabled: boolean;
  onError: (where: string, message: string) => void;
}

/** The panel, measuring with the classifier in the worker. */
export function MnistStepsQuality({ engine, source, sourceWords, seed, enabled, onError }: MnistStepsQualityProps) {
  const measure = useCallback(
    async (samplers: SamplerId[], steps: number[], onProgress: (done: number, total: number) => void): Promise<QualityTable> => {
      const r = await engine.kind('mnist-binary').stepsQuality({ source, samplers, steps, images: MNIST_QUALITY_IMAGES, seed }, onProgress);
      const c = r.classifier;
      return {
        rows: r.rows.map((x) => ({ sampler: x.sampler, n: x.n, a: x.meanConfidence, b: x.confidentShare, samples: x.samples })),
        dataA: c.dataMeanConfidence,
        dataB: c.dataConfidentShare,
        caption: `${r.images} digits of ${sourceWords} per run (seed ${seed}), judged by a classifier with ${(100 * c.testAccuracy).toFixed(1)} % test accuracy; data: its values on ${c.testImages.toLocaleString('en')} binarized test digits`,
      };
    },
    [engine, source, seed, sourceWords],
  );
  const cancel = useCallback(() => void engine.kind('mnist-binary').cancelStepsQuality(), [engine]);
  const renderSamples = useCallback((samples: Float32Array, label: string, _color: string, testId: string) => <MiniDigits samples={samples} label={label} testId={testId} />, []);
  return (
    <StepsQualityPanel
      kind="discrete"
      names={{ a: 'confidence', b: 'confident share' }}
      yLabel="probability, share"
      intro={
        <>
          How digit quality falls as the number of steps n drops, for each sampler: a digit classifier&apos;s mean confidence in its top class on{' '}
          {MNIST_QUALITY_IMAGES} digits of {sourceWords}, and the share it classifies with at least 90 % confidence,
        </>
      }
      resultKey={`${source}:${seed}`}
      enabled={enabled}
      measure={measure}
      cancel={cancel}
      renderSamples={renderSamples}
      onError={onError}
    />
  );
}
