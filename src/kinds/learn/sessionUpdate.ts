/**
 * Worker methods of the Learn widgets on the Bayesian update, many updates and the accuracy schedule.
 */
import type { SessionEnv, SessionWiring } from '../../engine/session';
import type { LearnUpdateApi } from './apiUpdate';

/** The update widgets' methods. */
export function updateMethods(_env: SessionEnv, _wiring: SessionWiring): LearnUpdateApi {
  return {};
}
