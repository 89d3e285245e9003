/**
 * The backend chosen by measurement, as pure functions: given each backend's measured time per step of a view's
 * workload (or why it was not measured), which backend to use and the words the status line shows; and the key and
 * freshness of a cached measurement (one per device and view). No TensorFlow.js, no DOM: the timing itself runs in
 * the engine worker (src/engine/measure.ts).
 */

/** One backend's measurement of a view's workload. */
export interface BackendTiming {
  /** The TF.js backend's name. */
  name: string;
  /**
   * Milliseconds per sampling step: the best of the timed sampling runs divided by their step count (a step is one
   * network call Psi(theta, t) and the input-distribution update), or null when not timed.
   */
  sampleMs: number | null;
  /** Milliseconds per training step at the view's batch (loss, gradients, optimizer, weight average), or null. */
  trainMs: number | null;
  /** Kernels TF.js ran per sampling step and per training step (tf.profile), or null when not counted. */
  sampleKernels: number | null;
  trainKernels: number | null;
  /**
   * When timing stopped early: its ms per step as estimated from its first sampling call, already more than the best
   * backend's whole step; else null.
   */
  estimateMs: number | null;
  /**
   * Why the timing is partial or absent, in words (null when complete): "stopped: one sampling step on 1/16 of the
   * batch took 400 ms", "failed: ...".
   */
  note: string | null;
}

/** A backend that was not measured, and why: "software adapter (SwiftShader)", "requested by URL: cpu". */
export interface BackendSkip {
  name: string;
  reason: string;
}

/** A measurement of one view's workload on one device, as cached. */
export interface Measurement {
  /** The view's id (src/ui/views.tsx). */
  view: string;
  /** What one step of the workload is, in words: "16 images x 784 pixels; training batch 64". */
  workload: string;
  timings: BackendTiming[];
  skipped: BackendSkip[];
  /** When it was measured, ms since the Unix epoch. */
  measuredAt: number;
  /** Wall milliseconds the whole measurement took (the view's own calls ran in between). */
  tookMs: number;
  /** Milliseconds of it the measurement's own steps kept the engine worker busy. */
  busyMs: number;
}

/** The choice made from a measurement. */
export interface BackendChoice {
  /** The backend to use, or null when no backend has a complete timing (keep the one running). */
  chosen: string | null;
  /** The score of each fully timed backend: ms per sampling step + ms per training step, fastest first. */
  ranking: { name: string; ms: number }[];
  /** One line for the status line: "wasm chosen: 12 ms/step vs cpu 80 ms/step, measured 2026-12-01". */
  summary: string;
  /** One line per backend for the details popover, measured ones first in ranking order, then the skipped ones. */
  details: string[];
}

/** The score a backend is ranked by: ms per sampling step plus ms per training step; null without both. */
export function stepScore(t: BackendTiming): number | null {
  return t.sampleMs !== null && t.trainMs !== null && Number.isFinite(t.sampleMs) && Number.isFinite(t.trainMs) ? t.sampleMs + t.trainMs : null;
}

/** Milliseconds in words: "12 ms", "0.4 ms", "1.3 s". */
export function msText(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 10) return `${Math.round(ms)} ms`;
  return `${ms.toFixed(1)} ms`;
}

/** A moment as "2026-12-01 16:05" (UTC). */
export function dateText(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 16).replace('T', ' ');
}

function kernelsText(t: BackendTiming): string {
  if (t.sampleKernels === null && t.trainKernels === null) return '';
  const parts = [t.sampleKernels !== null ? `${t.sampleKernels} per sampling step` : null, t.trainKernels !== null ? `${t.trainKernels} per training step` : null];
  return `; kernels: ${parts.filter((p) => p !== null).join(', ')}`;
}

/**
 * Chooses the backend with the smallest {@link stepScore} among fully timed ones (ties go to the earlier in
 * `timings`), and says why. @param m the measurement. @param cached whether it was read from the cache (the words
 * say so). @returns the choice; `chosen` is null when no backend was fully timed.
 */
export function chooseBackend(m: Pick<Measurement, 'timings' | 'skipped' | 'measuredAt' | 'workload'>, cached = false): BackendChoice {
  const ranking = m.timings
    .map((t) => ({ name: t.name, ms: stepScore(t) }))
    .filter((r): r is { name: string; ms: number } => r.ms !== null)
    .sort((a, b) => a.ms - b.ms);
  // The day in the status line; the minute in the details.
  const when = `measured ${dateText(m.measuredAt).slice(0, 10)}${cached ? ' (cached)' : ''}`;
  // Skipped backends grouped by reason: "webgpu, webgl skipped: software adapter".
  const reasons = new Map<string, string[]>();
  for (const s of m.skipped) reasons.set(s.reason, [...(reasons.get(s.reason) ?? []), s.name]);
  const skippedWords = [...reasons].map(([reason, names]) => `; ${names.join(', ')} skipped: ${reason}`).join('');
  const best = ranking[0];
  const partial = m.timings.filter((t) => stepScore(t) === null);
  const partialWords = (t: BackendTiming) => (t.estimateMs !== null ? `${t.name} ~${msText(t.estimateMs)}/step (estimated)` : `${t.name} not timed`);
  let summary: string;
  if (!best) {
    summary = `no backend timed completely (${partial.map(partialWords).join(', ') || 'none tried'}), ${when}${skippedWords}`;
  } else {
    const others = [...ranking.slice(1).map((r) => `${r.name} ${msText(r.ms)}/step`), ...partial.map(partialWords)];
    summary = `${best.name} chosen: ${msText(best.ms)}/step${others.length ? ` vs ${others.join(', ')}` : ' (the only backend timed)'}, ${when}${skippedWords}`;
  }
  const byName = new Map(m.timings.map((t) => [t.name, t]));
  const details = [
    ...ranking.map((r) => {
      const t = byName.get(r.name)!;
      return `${r.name}: ${msText(r.ms)} per step = sampling ${msText(t.sampleMs!)} + training ${msText(t.trainMs!)}${kernelsText(t)}`;
    }),
    ...partial.map((t) => `${t.name}: ${t.note ?? 'not timed'}`),
    ...m.skipped.map((s) => `${s.name}: skipped, ${s.reason}`),
    `Measured ${dateText(m.measuredAt)} UTC${cached ? ', read back from this browser\'s cache' : ''}.`,
  ];
  return { chosen: best?.name ?? null, ranking, summary, details };
}

/** How long a cached measurement stays valid: 30 days (browsers and drivers change). */
export const MEASUREMENT_MAX_AGE_MS = 30 * 24 * 3600 * 1000;

/** What identifies a device for the cache: the GPU adapter's description, the user agent, the logical cores. */
export interface DeviceFacts {
  /** The WebGPU adapter's or WebGL renderer's description, or null when there is none. */
  adapter: string | null;
  userAgent: string;
  hardwareConcurrency: number;
}

/** The cache key of a view's measurement on a device: "backend-measure|<view>|<cores>|<adapter>|<user agent>". */
export function measurementKey(device: DeviceFacts, view: string): string {
  return ['backend-measure', view, String(device.hardwareConcurrency), device.adapter ?? 'no-gpu', device.userAgent].join('|');
}

/**
 * Whether a cached value is a usable measurement of `view`: the right shape, for that view, measured no longer than
 * `maxAgeMs` before `now` and not in the future (a clock set back).
 */
export function isFreshMeasurement(value: unknown, view: string, now: number, maxAgeMs = MEASUREMENT_MAX_AGE_MS): value is Measurement {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Partial<Measurement>;
  if (m.view !== view || typeof m.measuredAt !== 'number' || !Array.isArray(m.timings) || !Array.isArray(m.skipped) || typeof m.workload !== 'string') return false;
  const age = now - m.measuredAt;
  return age >= 0 && age <= maxAgeMs;
}
