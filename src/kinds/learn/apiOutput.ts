/**
 * Worker calls of the Learn widgets on sender, receiver and output distributions (paper §3) and on a BFN beside a
 * diffusion model.
 */

/** The calls of the output widgets (d, e). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface LearnOutputApi {}
