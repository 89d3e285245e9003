/**
 * Worker calls of the Learn widgets on the Bayesian update, many updates and the accuracy schedule (paper §4).
 */

/** The calls of the update widgets (a, b, c). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface LearnUpdateApi {}
