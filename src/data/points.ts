/**
 * Parsing user-supplied 2D point files (CSV or JSON) with validation. Every problem becomes a {@link PointsError}
 * with a message a user can act on; nothing is returned half-parsed, so the caller keeps its current data.
 */
import Papa from 'papaparse';
import { z } from 'zod';
import { DATA_EXTENT } from './toy2d/types';

/** Limits on uploaded files. */
export const POINT_LIMITS = { maxBytes: 5 * 1024 * 1024, maxPoints: 50_000, minPoints: 2 } as const;

/** A user-facing error about a point file. */
export class PointsError extends Error {
  override name = 'PointsError';
}

/** What {@link parsePoints} returns: points in [-1, 1] [n, 2] row-major, and notes about what was done to them. */
export interface ParsedPoints {
  points: Float32Array;
  notes: string[];
}

const jsonPoints = z.union([
  z.array(z.tuple([z.number(), z.number()])),
  z.array(z.object({ x: z.number(), y: z.number() })),
]);

function fromJson(text: string): number[][] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new PointsError(`This is not valid JSON: ${(err as Error).message}`);
  }
  if (data && typeof data === 'object' && !Array.isArray(data) && 'points' in data) data = (data as { points: unknown }).points;
  const parsed = jsonPoints.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PointsError(`Expected a JSON array of [x, y] pairs or {x, y} objects; at ${issue.path.length ? `[${issue.path.join('][')}]` : 'the top level'}: ${issue.message}.`);
  }
  return parsed.data.map((p) => (Array.isArray(p) ? p : [p.x, p.y]));
}

/**
 * A header cell is a name: it starts with a letter or underscore and is not a spelling of a number (NaN, Infinity).
 * A first row counts as a header only when both its cells are names, so a mistyped first point ("0.1,", "O.1,0.2",
 * "NaN,0.2") is reported like any other bad row instead of being skipped.
 */
const isHeaderCell = (s: string) => /^[A-Za-z_]/.test(s) && !/^[+-]?(nan|inf(inity)?)$/i.test(s);

function fromCsv(text: string, notes: string[]): number[][] {
  const { data, errors } = Papa.parse<string[]>(text.trim(), { skipEmptyLines: 'greedy', delimitersToGuess: [',', '\t', ';', ' '] });
  if (errors.length) throw new PointsError(`CSV problem on row ${(errors[0]!.row ?? 0) + 1}: ${errors[0]!.message}.`);
  const rows = data.map((r) => r.map((c) => c.trim()));
  const isNumber = (s: string) => s !== '' && Number.isFinite(Number(s));
  const header = rows.length > 0 && rows[0]!.length === 2 && rows[0]!.every(isHeaderCell);
  if (header) notes.push(`Row 1 (${rows[0]!.map((c) => `'${c.slice(0, 20)}'`).join(', ')}) was read as a header, not a point.`);
  const start = header ? 1 : 0;
  const points: number[][] = [];
  for (let r = start; r < rows.length; r++) {
    const row = rows[r]!;
    if (row.length !== 2) throw new PointsError(`Row ${r + 1} has ${row.length} column${row.length === 1 ? '' : 's'}; expected 2 (x, y).`);
    row.forEach((cell, c) => {
      if (!isNumber(cell)) throw new PointsError(`Row ${r + 1}, column ${c + 1}: '${cell.slice(0, 20)}' is not a number.`);
    });
    points.push(row.map(Number));
  }
  return points;
}

/**
 * Parses a CSV (two numeric columns, an optional header row of two names, noted in `notes`) or JSON ([[x, y], ...], [{x, y}, ...] or {points: [...]}) file
 * of 2D points. Points outside [-1, 1] are centred and scaled into [-0.9, 0.9] (noted in `notes`).
 * @param text the file's contents. @param fileName used to pick the format (.json is JSON, anything else is tried as
 *   JSON when it starts with '[' or '{', else CSV). @param sizeBytes the file size, checked against the limit.
 * @throws PointsError for an empty, oversized, malformed or non-numeric file, or too few or too many points.
 */
export function parsePoints(text: string, fileName = 'points.csv', sizeBytes = text.length): ParsedPoints {
  if (sizeBytes > POINT_LIMITS.maxBytes) throw new PointsError(`The file is ${(sizeBytes / 1048576).toFixed(1)} MB; the limit is ${POINT_LIMITS.maxBytes / 1048576} MB.`);
  const trimmed = text.trim();
  if (trimmed === '') throw new PointsError('The file is empty.');
  const asJson = fileName.toLowerCase().endsWith('.json') || /^[[{]/.test(trimmed);
  const notes: string[] = [];
  const rows = asJson ? fromJson(trimmed) : fromCsv(trimmed, notes);
  if (rows.length < POINT_LIMITS.minPoints) throw new PointsError(`The file has ${rows.length} point${rows.length === 1 ? '' : 's'}; at least ${POINT_LIMITS.minPoints} are needed.`);
  if (rows.length > POINT_LIMITS.maxPoints) throw new PointsError(`The file has ${rows.length} points; the limit is ${POINT_LIMITS.maxPoints}.`);
  if (rows.some((p) => !p.every(Number.isFinite))) throw new PointsError('Every coordinate must be a finite number.');
  const flat = rows.flat();
  const maxAbs = flat.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  let points = Float32Array.from(flat);
  if (maxAbs > 1) {
    const centre = [0, 1].map((d) => rows.reduce((s, p) => s + p[d]!, 0) / rows.length);
    const spread = rows.reduce((m, p) => Math.max(m, Math.abs(p[0]! - centre[0]!), Math.abs(p[1]! - centre[1]!)), 0) || 1;
    points = Float32Array.from(flat, (v, k) => ((v - centre[k % 2]!) / spread) * DATA_EXTENT);
    notes.push(`Coordinates reached ${maxAbs.toPrecision(3)}; the points were centred and scaled into [-${DATA_EXTENT}, ${DATA_EXTENT}].`);
  }
  return { points, notes };
}

/**
 * Points ([n, 2] row-major) as CSV text with the header `x,y`, each coordinate written as the shortest decimal that
 * {@link parsePoints} reads back to the same float32 value (so a downloaded file uploads to the same points).
 */
export function pointsCsv(points: Float32Array): string {
  const cell = (v: number) => {
    for (let digits = 1; digits < 9; digits++) {
      const text = String(Number(v.toPrecision(digits)));
      if (Math.fround(Number(text)) === v) return text;
    }
    return String(v);
  };
  const rows = ['x,y'];
  for (let k = 0; k + 1 < points.length; k += 2) rows.push(`${cell(points[k]!)},${cell(points[k + 1]!)}`);
  return `${rows.join('\n')}\n`;
}
