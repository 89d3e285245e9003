/**
 * Limits of the Learn view's output widgets (sender / receiver / output, and a BFN beside diffusion), read by the
 * page's fields and checked again by the worker (src/kinds/learn/sessionOutput.ts). Not kept in links.
 */

/** Limits of the output widgets' options. */
export const LEARN_OUTPUT_LIMITS = {
  /** Data points of two moons to choose from (a fixed draw). */
  points: 64,
  /** Steps n of the discrete-time loss. */
  n: [1, 1000],
  /** Sender samples of the discrete KL's Monte-Carlo estimate. */
  samples: [2, 20000],
  /** Points in the BFN / diffusion scatter plots. */
  scatter: [10, 2000],
} as const;
