/**
 * The batch-of-steps loop shared by the worker's 2D and MNIST sessions: run training steps until `maxSteps` are done
 * or `budgetMs` has passed, and stop when training halts by itself: a non-finite loss or a divergence, which the
 * trainers raise as a {@link TrainingHaltError} after leaving or restoring their weights.
 */
import { TrainingHaltError, type HaltReason } from './halt';

/** What {@link runTrainingSteps} did: the loss of each completed step, the halt if any, and the time taken. */
export interface StepLoopResult {
  losses: Float32Array;
  halt: { reason: HaltReason; step: number; value: number; message: string; restoredStep: number } | null;
  elapsedMs: number;
  /** Completed steps per second (0 when none completed). */
  stepsPerSecond: number;
}

/**
 * Runs `step` repeatedly. @param step one training step, resolving to its loss (in the caller's unit).
 * @param maxSteps at most this many steps. @param budgetMs stop after the step that crosses this many milliseconds.
 * @throws whatever `step` throws, except a TrainingHaltError, which ends the loop and is reported.
 */
export async function runTrainingSteps(step: () => Promise<number>, maxSteps: number, budgetMs: number): Promise<StepLoopResult> {
  const started = performance.now();
  const losses: number[] = [];
  let halt: StepLoopResult['halt'] = null;
  while (losses.length < maxSteps) {
    try {
      losses.push(await step());
    } catch (err) {
      if (!(err instanceof TrainingHaltError)) throw err;
      halt = { reason: err.reason, step: err.step, value: err.value, message: err.message, restoredStep: err.restoredStep };
      break;
    }
    if (performance.now() - started >= budgetMs) break;
  }
  const elapsedMs = performance.now() - started;
  return {
    losses: Float32Array.from(losses), halt, elapsedMs,
    stepsPerSecond: losses.length > 0 && elapsedMs > 0 ? (1000 * losses.length) / elapsedMs : 0,
  };
}
