/**
 * Worker methods of the Learn widgets on sender, receiver and output distributions and on a BFN beside diffusion.
 */
import type { SessionEnv, SessionWiring } from '../../engine/session';
import type { LearnOutputApi } from './apiOutput';

/** The output widgets' methods. */
export function outputMethods(_env: SessionEnv, _wiring: SessionWiring): LearnOutputApi {
  return {};
}
