/** Constants of the official implementation that several data kinds share (official `model.py`, `probability.py`). */

/**
 * Times below this, compared in float32 with strict `<`, give the output distribution's prior prediction
 * (x_hat = 0, or mu_x = 0 and sigma_x = 1); otherwise gamma is evaluated at max(t, T_MIN) (official
 * `PredDistToDataDistFactory(min_t=1e-6)`; torch compares in float32, where float32(1e-6) < 1e-6 is false).
 */
export const T_MIN = 1e-6;

/** Output clip range of the continuous delta output distribution (official `DeltaFactory(clip_range=1.0)`). */
export const X_CLIP = 1;

/** Discrete flow: t is clamped to at most 1 - DISCRETE_T_EPS (official `DiscreteBayesianFlow` `epsilon`). */
export const DISCRETE_T_EPS = 1e-6;

/** Discrete flow: theta is uniform where sqrt(beta) is below this (official `DiscreteBayesianFlow` `min_sqrt_beta`). */
export const DISCRETE_MIN_SQRT_BETA = 1e-10;

/** Monte-Carlo samples per variable in the official discrete-time losses L^n (`discrete_time_loss`, `n_samples=10`). */
export const LOSS_N_SAMPLES = 10;
