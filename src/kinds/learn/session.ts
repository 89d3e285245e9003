/**
 * The Learn view's part of the engine worker: the numbers of the Learn widgets, computed with the src/bfn code the
 * models use. Runs inside the engine worker only. Each widget's methods live in a file of their own and are joined here.
 */
import type { SessionEnv, SessionWiring } from '../../engine/session';
import type { LearnApi } from './api';
import { updateMethods } from './sessionUpdate';
import { outputMethods } from './sessionOutput';

/** The Learn session's API for the worker. @param env the worker's environment (backend, shipped models). */
export function learnSession(env: SessionEnv, wiring: SessionWiring): LearnApi {
  return { ...updateMethods(env, wiring), ...outputMethods(env, wiring) };
}
