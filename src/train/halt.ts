/**
 * Why a training run stopped by itself, shared by the 2D and MNIST trainers and the step loop: a step whose loss or
 * gradient was not finite (not applied), or a run that diverged with finite losses (its last good weights restored).
 */

/** What made a run halt. */
export type HaltReason = 'non-finite' | 'diverged';

/** A training run stopped by itself; `step` is the step that triggered it, `value` the loss there. */
export class TrainingHaltError extends Error {
  override name = 'TrainingHaltError';
  constructor(readonly reason: HaltReason, readonly step: number, readonly value: number, message: string, readonly restoredStep: number) {
    super(message);
  }
}

/** Raised when a training step's loss or gradient is NaN or infinite; that step was not applied. */
export class NonFiniteLossError extends TrainingHaltError {
  override name = 'NonFiniteLossError';
  /** @param quantity what was not finite: the loss, or (with a finite loss) the gradient's norm. */
  constructor(step: number, value: number, quantity: 'loss' | 'gradient norm' = 'loss') {
    super('non-finite', step, value, `The ${quantity} became ${value} at step ${step}; training paused and that step was not applied: the weights are still those of step ${step - 1}. Try a lower learning rate, then play again.`, step - 1);
  }
}

/**
 * Raised when training diverged while every loss stayed finite (the loss far above its best, or the samples pinned at
 * the clip of x_hat); the weights, their average and the step count were restored to the last good checkpoint.
 */
export class DivergedError extends TrainingHaltError {
  override name = 'DivergedError';
  constructor(step: number, value: number, why: string, restoredStep: number) {
    super('diverged', step, value, `Training diverged at step ${step}: ${why}. Paused, and the weights of step ${restoredStep} (the last good ones) were restored. Try a learning rate 10 times lower or a larger σ₁.`, restoredStep);
  }
}

/**
 * How a diverged run with finite losses is told from a noisy one. The loss is watched as an exponential moving
 * average of ln(loss) (decay `smoothing`, bias-corrected); the run has diverged when that average stays more than
 * ln(`lossRatio`) above its lowest value for `patience` steps in a row. Measured on two moons (`lr` 10, sigma1 0.001):
 * the loss goes from 6.6 to 5e5 nats per dimension within 25 steps and stays there, every sample at a corner of the
 * clip. At the 2D playground's defaults the smoothed loss rose at most 1.12x (spirals) and 1.10x (two moons) above its
 * best over 3,000 steps, tracking exp(max(smoothed - best)) on the cpu backend. A checkpoint of the weights is kept
 * every `checkpointEvery` steps while the smoothed loss is within `healthyRatio` of its best. The 2D samples count as
 * pinned when at least `pinnedShare` of them have a coordinate at +-1 (the clip of x_hat) while under half of the
 * data do.
 */
export const DIVERGENCE = { smoothing: 0.9, lossRatio: 100, patience: 20, checkpointEvery: 50, healthyRatio: 3, pinnedShare: 0.9 } as const;

/** The state of a {@link LossWatch}, to keep with a checkpoint. */
export interface LossWatchState {
  mean: number;
  weight: number;
  best: number;
  over: number;
}

/** What {@link LossWatch.observe} concluded from one more loss. */
export interface LossVerdict {
  /** The run has diverged ({@link DIVERGENCE}). */
  diverged: boolean;
  /** The smoothed loss is within `healthyRatio` of its best: a good moment for a checkpoint. */
  healthy: boolean;
  /** The lowest smoothed loss so far (in the loss's own unit). */
  best: number;
}

/** Watches a run's losses for a divergence with finite values ({@link DIVERGENCE}). */
export class LossWatch {
  private s: LossWatchState = { mean: 0, weight: 0, best: Infinity, over: 0 };

  /** Feeds one step's (finite, non-negative) loss. */
  observe(loss: number): LossVerdict {
    const d = DIVERGENCE.smoothing;
    const s = this.s;
    s.mean = d * s.mean + (1 - d) * Math.log(Math.max(loss, 1e-30));
    s.weight = d * s.weight + (1 - d);
    const smoothed = s.mean / s.weight;
    s.best = Math.min(s.best, smoothed);
    const excess = smoothed - s.best;
    s.over = excess > Math.log(DIVERGENCE.lossRatio) ? s.over + 1 : 0;
    return { diverged: s.over >= DIVERGENCE.patience, healthy: excess < Math.log(DIVERGENCE.healthyRatio), best: Math.exp(s.best) };
  }

  /** A copy of the state (for a checkpoint). */
  save(): LossWatchState {
    return { ...this.s };
  }

  /** Puts back a saved state, with the count of steps above the line reset. */
  restore(state: LossWatchState): void {
    this.s = { ...state, over: 0 };
  }
}

/** The words of a loss divergence, for {@link DivergedError}. @param unit the loss's unit, e.g. "nats per dimension". */
export function divergenceWords(loss: number, best: number, unit: string): string {
  return `the loss (${loss.toExponential(2)} ${unit}) has stayed over ${DIVERGENCE.lossRatio} times its best (${best.toPrecision(3)}) for ${DIVERGENCE.patience} steps`;
}
