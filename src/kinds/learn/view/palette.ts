/** Colours and number formatting shared by the Learn widgets (one colour per distribution across every widget). */
import * as d3 from 'd3';

export const COLOURS = {
  prior: '#2563eb',
  sender: '#ea580c',
  sample: '#0f172a',
  posterior: '#15803d',
  many: '#7c3aed',
  one: '#0891b2',
  closed: '#0f172a',
  cts: '#2563eb',
  discrete: '#c2410c',
} as const;

/** A number for a read-out: `digits` significant digits, trailing zeros dropped (d3's format, not a hand-written one). */
export function readout(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return String(v);
  return d3.format(`.${digits}~g`)(v).replace(/−/g, '-');
}
