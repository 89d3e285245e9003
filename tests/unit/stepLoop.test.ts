/**
 * The training-step loop (src/train/stepLoop.ts runTrainingSteps) and the sessions' TrainingRun.steps
 * (src/engine/session.ts) on a fake clock: maxSteps, the time budget, a halt (non-finite step, divergence) reported
 * and stopping the loop, other errors rethrown, the wall time added across calls, and the checks of maxSteps.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { runTrainingSteps } from '../../src/train/stepLoop';
import { DivergedError, NonFiniteLossError } from '../../src/train/halt';
import { MAX_STEPS_PER_CALL, TrainingRun } from '../../src/engine/session';
import type { StepReport } from '../../src/train/trainer';

/** A fake clock read through performance.now(). */
let now = 0;
beforeEach(() => {
  now = 1000;
  vi.spyOn(performance, 'now').mockImplementation(() => now);
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** A step that takes `ms` of fake time and returns its (1-based) call number / 10, or throws `fail(call)`; at most 200 calls. */
function fakeStep(ms: number, fail: (call: number) => Error | null = () => null) {
  const calls = { count: 0 };
  const step = async () => {
    calls.count++;
    // A loop that never stops would otherwise spin on resolved promises, out of reach of the test timeout.
    if (calls.count > 200) throw new Error('the fake step ran more than 200 times');
    now += ms;
    const err = fail(calls.count);
    if (err) throw err;
    return calls.count / 10;
  };
  return { step, calls };
}

describe('runTrainingSteps', () => {
  test('stops at maxSteps within the budget', async () => {
    const { step, calls } = fakeStep(10);
    const r = await runTrainingSteps(step, 3, 1e6);
    expect(calls.count).toBe(3);
    expect(Array.from(r.losses)).toEqual([0.1, 0.2, 0.3].map(Math.fround));
    expect(r.halt).toBeNull();
    expect(r.elapsedMs).toBe(30);
    expect(r.stepsPerSecond).toBe(100);
  });

  test('stops after the step that crosses budgetMs', async () => {
    const { step, calls } = fakeStep(10);
    // 10, 20, 30 ms are under 35; the fourth step ends at 40 ms, past the budget, and is kept.
    const r = await runTrainingSteps(step, 100, 35);
    expect(calls.count).toBe(4);
    expect(r.losses.length).toBe(4);
    expect(r.elapsedMs).toBe(40);
    expect(r.stepsPerSecond).toBe(100);
    // A budget met exactly stops there too.
    const exact = fakeStep(10);
    expect((await runTrainingSteps(exact.step, 100, 30)).losses.length).toBe(3);
    // A budget of 0 still runs one step.
    const zero = fakeStep(10);
    expect((await runTrainingSteps(zero.step, 100, 0)).losses.length).toBe(1);
  });

  test.each([
    ['a non-finite step', () => new NonFiniteLossError(3, NaN), { reason: 'non-finite', step: 3, value: NaN, restoredStep: 2 }],
    ['a divergence', () => new DivergedError(3, 5e5, 'the loss stayed high', 1), { reason: 'diverged', step: 3, value: 5e5, restoredStep: 1 }],
  ] as const)('%s is reported as halt with its fields and no further step runs (a pause)', async (_what, make, fields) => {
    const error = make();
    const { step, calls } = fakeStep(10, (call) => (call === 3 ? error : null));
    const r = await runTrainingSteps(step, 100, 1e6);
    expect(calls.count).toBe(3);
    expect(Array.from(r.losses)).toEqual([0.1, 0.2].map(Math.fround));
    expect(r.halt).toEqual({ ...fields, message: error.message });
    expect(r.elapsedMs).toBe(30);
    expect(r.stepsPerSecond).toBeCloseTo(2000 / 30, 12);
  });

  test('rethrows any other error', async () => {
    const boom = new RangeError('boom');
    const { step, calls } = fakeStep(10, (call) => (call === 2 ? boom : null));
    await expect(runTrainingSteps(step, 100, 1e6)).rejects.toBe(boom);
    expect(calls.count).toBe(2);
  });

  test('stepsPerSecond is 0 when no step completed', async () => {
    const { step } = fakeStep(10, () => new NonFiniteLossError(1, Infinity));
    const r = await runTrainingSteps(step, 100, 1e6);
    expect(r.losses.length).toBe(0);
    expect(r.halt?.step).toBe(1);
    expect(r.elapsedMs).toBe(10);
    expect(r.stepsPerSecond).toBe(0);
    // Nor when steps take no time at all.
    const instant = fakeStep(0);
    const s = await runTrainingSteps(instant.step, 5, 1e6);
    expect(s.losses.length).toBe(5);
    expect(s.stepsPerSecond).toBe(0);
  });
});

/** A trainer as TrainingRun sees it: each step takes `ms` of fake time and has loss 0.5. */
function fakeTrainer(ms: number) {
  const trainer = {
    step: 0,
    disposed: false,
    async trainStep(): Promise<StepReport> {
      now += ms;
      trainer.step++;
      return { step: trainer.step, loss: 0.5, gradNorm: 1, learningRate: 1e-3 };
    },
    dispose() {
      trainer.disposed = true;
    },
  };
  return trainer;
}

describe('TrainingRun.steps', () => {
  test('adds the wall time across calls and scales the losses', async () => {
    const run = new TrainingRun<ReturnType<typeof fakeTrainer>>();
    run.replace(fakeTrainer(250), { wallSeconds: 2 });
    expect(run.wallSeconds).toBe(2);
    const first = await run.steps(4, 1e6, 784);
    expect(Array.from(first.losses)).toEqual([392, 392, 392, 392]);
    expect(first.step).toBe(4);
    expect(first.wallSeconds).toBe(3);
    expect(first.stepsPerSecond).toBe(4);
    expect(first.halt).toBeNull();
    // The budget: 250 ms per step, a 600 ms budget ends after the third step.
    const second = await run.steps(100, 600);
    expect(Array.from(second.losses)).toEqual([0.5, 0.5, 0.5]);
    expect(second.step).toBe(7);
    expect(second.wallSeconds).toBe(3.75);
    expect(run.wallSeconds).toBe(3.75);
    // keepTime keeps the clock; a new trainer without it starts at its own time; the old one is disposed.
    const old = run.trainer!;
    run.replace(fakeTrainer(100), { keepTime: true });
    expect(old.disposed).toBe(true);
    expect(run.wallSeconds).toBe(3.75);
    run.replace(fakeTrainer(100));
    expect(run.wallSeconds).toBe(0);
    run.dispose();
  });

  test.each([0, -1, 1.5, NaN, MAX_STEPS_PER_CALL + 1])('refuses maxSteps %s with a RangeError and runs nothing', async (maxSteps) => {
    const run = new TrainingRun<ReturnType<typeof fakeTrainer>>();
    run.replace(fakeTrainer(10));
    await expect(run.steps(maxSteps, 1000)).rejects.toThrow(RangeError);
    await expect(run.steps(maxSteps, 1000)).rejects.toThrow(`maxSteps must be an integer in 1..${MAX_STEPS_PER_CALL}, got ${maxSteps}`);
    expect(run.trainer!.step).toBe(0);
    expect(run.wallSeconds).toBe(0);
    // The largest count is allowed.
    expect((await run.steps(MAX_STEPS_PER_CALL, 0)).losses.length).toBe(1);
  });

  test('errors without a trainer', async () => {
    const run = new TrainingRun();
    await expect(run.steps(1, 1000)).rejects.toThrow(/there is no trainer/);
    await expect(run.steps(1, 1000)).rejects.not.toThrow(RangeError);
  });
});
