/**
 * Plain helpers about the 2D playground's network settings, shared by the page and the engine worker. No
 * TensorFlow.js here (the page bundle must stay free of it), type-only imports.
 */
import type { Train2DConfig } from './trainer2d';

/** The shape of a 2D MLP as configs, cards and model files describe it (missing options mean none). */
export interface NetworkShape {
  width: number;
  depth: number;
  fourierFeatures?: number;
  residual?: boolean;
}

/** True when two descriptions name the same network shape (width, depth, Fourier features, residual layers). */
export function sameShape(a: NetworkShape, b: NetworkShape): boolean {
  return a.width === b.width && a.depth === b.depth && (a.fourierFeatures ?? 0) === (b.fourierFeatures ?? 0) && (a.residual ?? false) === (b.residual ?? false);
}

/** True when two training configurations build the same network: shape, input features, sigma1 and initialisation seed. */
export function sameNetwork(a: Train2DConfig, b: Train2DConfig): boolean {
  return sameShape(a, b) && a.sigma1 === b.sigma1 && a.seed === b.seed;
}

/**
 * The network in words: "MLP 256 x 3, 4 Fourier features, residual" (without the options it does not use).
 * @param times the multiplication sign ('x' in files and cards, '×' on the page).
 */
export function networkLabel(n: NetworkShape, times = 'x'): string {
  const k = n.fourierFeatures ?? 0;
  return `MLP ${n.width} ${times} ${n.depth}${k ? `, ${k} Fourier feature${k === 1 ? '' : 's'}` : ''}${n.residual ? ', residual' : ''}`;
}
