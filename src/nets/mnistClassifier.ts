/**
 * A small classifier of binarized MNIST digits, used only to measure how digit-like sampled digits are (the
 * steps-vs-quality chart for the MNIST view): a TF.js layers model 784 -> 256 (ReLU) -> 10 (softmax), trained by
 * scripts/train-classifier.ts on dynamically binarized training images and stored in the TF.js layers format
 * (`tf.io`), so the worker and Node load it with `tfl.loadLayersModel`. Its test accuracy is on its card.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** Pixels per image. */
const PIXELS = 784;

/** A fresh, untrained classifier (Glorot-uniform weights from `seed`). */
export function createMnistClassifier(seed: number): tfl.Sequential {
  const init = (k: number) => tfl.initializers.glorotUniform({ seed: seed * 10 + k });
  return tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [PIXELS], units: 256, activation: 'relu', kernelInitializer: init(1) }),
      tfl.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: init(2) }),
    ],
  });
}

/**
 * Loads a classifier saved by scripts/train-classifier.ts: `modelJson` is its model.json object (TF.js layers format,
 * one weights group) and `weights` the bytes of weights.bin. Used by the worker and the Node tests alike.
 * @throws Error (from tf.io) when the files do not describe a layers model or the weights do not match it.
 */
export function loadMnistClassifier(modelJson: unknown, weights: Uint8Array): Promise<tfl.LayersModel> {
  const json = modelJson as { modelTopology: object; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  return tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((g) => g.weights), weightData }));
}

/** How digit-like a set of images is, by the classifier's confidence in its top class. */
export interface DigitConfidence {
  /** Mean over images of the top class probability, in [0.1, 1]. */
  meanConfidence: number;
  /** Share of images whose top class probability is at least 0.9. */
  confidentShare: number;
  /** Images per predicted class (10 counts). */
  classCounts: number[];
  /** The predicted class of each image (first on ties). */
  predicted: Int32Array;
}

/**
 * The classifier's confidence on `images` ({0, 1} pixels, [count, 784] row-major).
 * @throws RangeError when the array is not a whole number of 784-pixel images.
 */
export function digitConfidence(model: tfl.LayersModel, images: Float32Array): DigitConfidence {
  if (images.length === 0 || images.length % PIXELS !== 0) throw new RangeError(`expected [count, 784] pixels, got ${images.length} values`);
  const count = images.length / PIXELS;
  const probs = tf.tidy(() => (model.predict(tf.tensor2d(images, [count, PIXELS])) as tf.Tensor2D).dataSync());
  let sum = 0;
  let confident = 0;
  const classCounts = new Array<number>(10).fill(0);
  const predicted = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    let best = 0;
    for (let c = 1; c < 10; c++) if (probs[10 * i + c]! > probs[10 * i + best]!) best = c;
    const p = probs[10 * i + best]!;
    sum += p;
    if (p >= 0.9) confident++;
    classCounts[best]! += 1;
    predicted[i] = best;
  }
  return { meanConfidence: sum / count, confidentShare: confident / count, classCounts, predicted };
}
