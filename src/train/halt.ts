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
  constructor(step: number, value: number) {
    super('non-finite', step, value, `The loss became ${value} at step ${step}; training paused and that step was not applied: the weights are still those of step ${step - 1}. Try a lower learning rate or a larger sigma1.`, step - 1);
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
