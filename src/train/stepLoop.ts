/**
 * The batch-of-steps loop shared by the worker's 2D and MNIST sessions: run training steps until `maxSteps` are done
 * or `budgetMs` has passed, and stop at the first non-finite loss (which the trainers raise as
 * {@link NonFiniteLossError} after leaving or restoring their weights).
 */
import { NonFiniteLossError } from './trainer2d';

/** What {@link runTrainingSteps} did: the loss of each completed step, the non-finite stop if any, and the time taken. */
export interface StepLoopResult {
  losses: Float32Array;
  nonFinite: { step: number; value: number; message: string } | null;
  elapsedMs: number;
  /** Completed steps per second (0 when none completed). */
  stepsPerSecond: number;
}

/**
 * Runs `step` repeatedly. @param step one training step, resolving to its loss (in the caller's unit).
 * @param maxSteps at most this many steps. @param budgetMs stop after the step that crosses this many milliseconds.
 * @throws whatever `step` throws, except NonFiniteLossError, which ends the loop and is reported.
 */
export async function runTrainingSteps(step: () => Promise<number>, maxSteps: number, budgetMs: number): Promise<StepLoopResult> {
  const started = performance.now();
  const losses: number[] = [];
  let nonFinite: StepLoopResult['nonFinite'] = null;
  while (losses.length < maxSteps) {
    try {
      losses.push(await step());
    } catch (err) {
      if (!(err instanceof NonFiniteLossError)) throw err;
      nonFinite = { step: err.step, value: err.value, message: err.message };
      break;
    }
    if (performance.now() - started >= budgetMs) break;
  }
  const elapsedMs = performance.now() - started;
  return {
    losses: Float32Array.from(losses), nonFinite, elapsedMs,
    stepsPerSecond: losses.length > 0 && elapsedMs > 0 ? (1000 * losses.length) / elapsedMs : 0,
  };
}
