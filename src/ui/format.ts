/** Number formatting for the page: never shows NaN or Infinity (a dash instead). */

const DASH = '—';

/** `x` with `digits` decimals, or a dash when x is not finite. */
export function fixed(x: number | null | undefined, digits: number): string {
  return x !== null && x !== undefined && Number.isFinite(x) ? x.toFixed(digits) : DASH;
}

/** `x` with `digits` significant digits (plain notation for moderate magnitudes), or a dash. */
export function sig(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return DASH;
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return x.toExponential(digits - 1);
  return Number(x.toPrecision(digits)).toString();
}

/** Milliseconds as "850 ms" or "1.3 s". */
export function duration(ms: number): string {
  if (!Number.isFinite(ms)) return DASH;
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The message of anything thrown. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}
