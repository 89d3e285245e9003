/**
 * A network's training history as the charts show it and as it is saved beside the network: each step's loss and
 * its smoothed curve, the distance-to-data measurements, and the steps where a setting changed. Saved records are
 * checked with zod when read back: a record saved before histories were kept, or one that does not parse, costs the
 * charts their history and nothing else (the network is restored all the same).
 */
import { z } from 'zod';
import type { SupportMetrics } from '../train/knnMetrics';

/** A setting the user changed between two training runs of the same network. */
export interface SettingChange {
  /** The last step trained with the old value (the new one applies from the next step). */
  step: number;
  /** Short name for the chart's label ("lr"). */
  setting: string;
  /** Full name for the tooltip ("learning rate"). */
  name: string;
  from: string;
  to: string;
}

/** The short label of a change's marker ("lr 0.003") and its sentence ("step 120: learning rate 0.001 → 0.003"). */
export function changeText(c: SettingChange): { label: string; detail: string } {
  return { label: `${c.setting} ${c.to}`, detail: `step ${c.step.toLocaleString('en')}: ${c.name} ${c.from} → ${c.to}` };
}

/**
 * Adds a change to a history's list. A second change of the same setting at the same step (the user tried several
 * values before training on) merges with the first, keeping the original value; one that returns to it is dropped.
 * @returns a new list, sorted by step.
 */
export function addChange(list: readonly SettingChange[], change: SettingChange): SettingChange[] {
  const same = list.findIndex((c) => c.step === change.step && c.setting === change.setting);
  if (same < 0) return [...list, change].sort((a, b) => a.step - b.step);
  const merged = { ...change, from: list[same]!.from };
  const rest = list.filter((_, k) => k !== same);
  return merged.from === merged.to ? rest : [...rest, merged].sort((a, b) => a.step - b.step);
}

/** One measurement of the 2D view's distance-to-data metrics. */
export interface MetricPoint {
  step: number;
  /** Energy distance of the samples to the held-out points. */
  value: number;
  /** Precision, recall and off-support share of the samples (src/train/knnMetrics.ts). */
  support: SupportMetrics;
  /** The same for a draw of the data (data vs data). */
  dataSupport: SupportMetrics;
}

/** A history as saved: the loss of steps firstStep, firstStep + 1, …, their smoothed curve, measurements, changes. */
export interface SavedHistory {
  firstStep: number;
  losses: number[];
  smoothed: number[];
  metrics: MetricPoint[];
  changes: SettingChange[];
}

/** Version of the saved history's layout (a record with another version reads as unreadable, never as wrong numbers). */
export const HISTORY_VERSION = 1;

const step = z.number().int().nonnegative();
// Shares and distances may be NaN when a measurement had too few points; the losses kept are finite.
const share = z.number().or(z.nan());
const support = z.object({ precision: share, recall: share, offSupport: share });
const historySchema = z
  .object({
    version: z.literal(HISTORY_VERSION),
    firstStep: step,
    losses: z.array(z.number()),
    smoothed: z.array(z.number()),
    metrics: z.array(z.object({ step, value: share, support, dataSupport: support })),
    changes: z.array(z.object({ step, setting: z.string(), name: z.string(), from: z.string(), to: z.string() })),
  })
  .refine((h) => h.smoothed.length === h.losses.length, { message: 'the smoothed loss and the loss differ in length', path: ['smoothed'] });

/** The record saved beside a network. */
export type HistoryRecord = z.infer<typeof historySchema>;

/** A history in its saved form (plain arrays, a version). */
export function historyRecord(h: SavedHistory): HistoryRecord {
  return { version: HISTORY_VERSION, firstStep: h.firstStep, losses: [...h.losses], smoothed: [...h.smoothed], metrics: h.metrics.map((m) => ({ ...m })), changes: h.changes.map((c) => ({ ...c })) };
}

/** What reading a saved history gave: the history, or the note the charts show instead. */
export type HistoryLoad = { status: 'restored'; history: SavedHistory } | { status: 'missing' | 'corrupt'; note: string };

/** The note of a network saved before histories were kept. */
export const HISTORY_NOT_SAVED = 'history not saved with this network';

/**
 * Reads a saved history back.
 * @param value the stored record (undefined for a record saved before histories were kept).
 * @param networkStep the restored network's step: a history reaching past it belongs to another network.
 * @returns the history, or 'missing' / 'corrupt' with a note saying what was lost and why (never throws).
 */
export function readHistoryRecord(value: unknown, networkStep: number): HistoryLoad {
  if (value === undefined || value === null) return { status: 'missing', note: HISTORY_NOT_SAVED };
  const parsed = historySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length ? ` at ${issue.path.join('.')}` : '';
    return { status: 'corrupt', note: `the saved history could not be read (${issue?.message ?? 'malformed'}${where}); the network was restored without it` };
  }
  const { version: _version, ...h } = parsed.data;
  const last = Math.max(h.firstStep + h.losses.length - 1, ...h.metrics.map((m) => m.step), ...h.changes.map((c) => c.step));
  if (last > networkStep) return { status: 'corrupt', note: `the saved history reaches step ${last}, past the network's ${networkStep}; the network was restored without it` };
  return { status: 'restored', history: h };
}
