/**
 * The shipped binarized-MNIST classifier's files (models/classifiers/mnist-binary/, made by
 * `npm run train:classifier`), read at build time: model.json and card.json as objects, weights.bin as a URL.
 * Null when the build has none.
 */
import { z } from 'zod';

const modelJsons = import.meta.glob<unknown>('/models/classifiers/mnist-binary/model.json', { eager: true, import: 'default' });
const cards = import.meta.glob<unknown>('/models/classifiers/mnist-binary/card.json', { eager: true, import: 'default' });
const weightUrls = import.meta.glob<string>('/models/classifiers/mnist-binary/weights.bin', { eager: true, query: '?url', import: 'default' });

/** What the chart needs of the classifier's card: its test accuracy and its confidence on test digits. */
export const classifierCardSchema = z.object({
  title: z.string(),
  evaluation: z.object({ testImages: z.number().int(), testAccuracy: z.number(), dataMeanConfidence: z.number(), dataConfidentShare: z.number() }),
});

/** The classifier's card. */
export type ClassifierCard = z.infer<typeof classifierCardSchema>;

/** The classifier's files, or null when the build has none. @throws ZodError when its card is malformed. */
export function classifierFiles(): { modelJson: unknown; weightsUrl: string; card: ClassifierCard } | null {
  const modelJson = Object.values(modelJsons)[0];
  const weightsUrl = Object.values(weightUrls)[0];
  const card = Object.values(cards)[0];
  if (!modelJson || !weightsUrl || !card) return null;
  return { modelJson, weightsUrl, card: classifierCardSchema.parse(card) };
}
