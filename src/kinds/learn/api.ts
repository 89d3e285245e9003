/**
 * The Learn view's worker API (types only: importing this module never pulls TensorFlow.js into the page). The Learn
 * view has no model file of its own; its worker session (./session.ts) computes what the widgets show with the same
 * src/bfn code the models use (the Bayesian update, the flow, the losses), and reads the shipped models of other kinds
 * where a widget needs a network's output. src/engine/protocol.ts lists this API under the id 'learn'.
 *
 * Each widget's calls are declared in a file of its own and joined here.
 */
import type { LearnUpdateApi } from './apiUpdate';
import type { LearnOutputApi } from './apiOutput';

export type * from './apiUpdate';
export type * from './apiOutput';

/** The Learn view's worker session: every widget's calls. */
export interface LearnApi extends LearnUpdateApi, LearnOutputApi {}
