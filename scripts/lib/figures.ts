/**
 * The pictures and the Markdown table of the shipped 2D models that `npm run figures` makes (scripts/figures.ts):
 * - {@link pairSvg}: one SVG per model, held-out data beside the model's samples on the same [-1, 1]^2 axes, with
 *   the card's precision, recall and off-support share under the samples;
 * - {@link renderOverviewPng}: all the SVGs in a grid, rendered by headless Chromium (playwright-core) into one PNG;
 * - {@link modelTable}: the README's table of the shipped 2D models, built from their cards alone.
 * Nothing here samples or reads models/; scripts/figures.ts does that and passes the points and cards in.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { PointsCard } from '../../src/kinds/points2d/files';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser';
import { networkLabel } from '../../src/kinds/points2d/network';

/** The command that prints {@link modelTable}; the table's first line names it. */
export const TABLE_COMMAND = 'npm run figures -- --table-only';

/** What one figure shows: a title, and two [N, 2] row-major point sets in [-1, 1]^2 with a label and caption each. */
export interface PairFigure {
  /** Bold title, e.g. the dataset's display name. */
  title: string;
  /** Lighter text after the title, e.g. the network. */
  subtitle?: string;
  data: Float32Array;
  samples: Float32Array;
  /** Heading of each panel. */
  dataLabel: string;
  samplesLabel: string;
  /** One line under each panel (optional). */
  dataCaption?: string;
  samplesCaption?: string;
}

/** Layout of a figure in pixels: panel side, margins and the gap between the two panels. */
const PANEL = 256;
const LEFT = 30;
const GAP = 44;
const RIGHT = 20;
const TOP = 50;
const BOTTOM = 42;
/** Width and height of every SVG that {@link pairSvg} writes, pixels. */
export const FIGURE_SIZE = { width: LEFT + 2 * PANEL + GAP + RIGHT, height: TOP + PANEL + BOTTOM } as const;

/** The style shared by every figure: one dot size and colour for both panels (the radius in data units). */
const STYLE = [
  'text{font-family:Helvetica,Arial,"Liberation Sans","DejaVu Sans",sans-serif;fill:#222}',
  '.title{font-size:15px;font-weight:bold}',
  '.sub{font-size:12px;font-weight:normal;fill:#666}',
  '.label{font-size:12px}',
  '.cap{font-size:11.5px;fill:#333}',
  '.tick{font-size:10px;fill:#777}',
  '.box{fill:#fbfbfb;stroke:#888;stroke-width:1}',
  '.axis{stroke:#ddd;stroke-width:1}',
  'circle{r:.0105px;fill:#1f5fa8;fill-opacity:.6}',
].join('');

/** A coordinate rounded to 3 decimals, written as briefly as SVG allows (`-.25`, `.5`, `1`). */
function coord(v: number): string {
  return String(Number(v.toFixed(3)) || 0).replace(/^(-?)0\./, '$1.');
}

/** Escapes text for SVG/XML character data. */
function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** One panel: axes box with ticks at -1, 0, 1, the heading, the dots (y up) and the caption, its left edge at x0. */
function panelSvg(x0: number, points: Float32Array, label: string, caption: string | undefined): string {
  if (points.length % 2 !== 0) throw new RangeError(`pairSvg: ${points.length} values are not [N, 2]`);
  const half = PANEL / 2;
  const cx = x0 + half;
  const cy = TOP + half;
  const parts = [
    `<text class="label" x="${x0}" y="${TOP - 7}">${escapeXml(label)}</text>`,
    `<rect class="box" x="${x0}" y="${TOP}" width="${PANEL}" height="${PANEL}"/>`,
    `<path class="axis" d="M${cx} ${TOP}V${TOP + PANEL}M${x0} ${cy}H${x0 + PANEL}"/>`,
  ];
  for (const v of [-1, 0, 1]) {
    const x = cx + v * half;
    const y = cy - v * half;
    parts.push(`<text class="tick" x="${x}" y="${TOP + PANEL + 12}" text-anchor="middle">${v}</text>`);
    parts.push(`<text class="tick" x="${x0 - 4}" y="${y + 3.5}" text-anchor="end">${v}</text>`);
  }
  const dots: string[] = [];
  for (let k = 0; k < points.length; k += 2) dots.push(`<circle cx="${coord(points[k]!)}" cy="${coord(-points[k + 1]!)}"/>`);
  parts.push(`<g transform="translate(${cx} ${cy}) scale(${half})">${dots.join('')}</g>`);
  if (caption) parts.push(`<text class="cap" x="${x0}" y="${TOP + PANEL + 32}">${escapeXml(caption)}</text>`);
  return parts.join('\n');
}

/**
 * An SVG of data beside samples: two square panels on the same [-1, 1]^2 axes (y up), the same dot size and colour,
 * a title, a heading above and an optional caption below each panel. Dot coordinates are rounded to 3 decimals and
 * carry no attribute but cx and cy (the radius and colour are in the shared style).
 * @returns the SVG document text, {@link FIGURE_SIZE} pixels. @throws RangeError when a point set is not [N, 2].
 */
export function pairSvg(figure: PairFigure): string {
  const { width, height } = FIGURE_SIZE;
  const subtitle = figure.subtitle ? ` <tspan class="sub">${escapeXml(figure.subtitle)}</tspan>` : '';
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<style>${STYLE}</style>`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text class="title" x="${LEFT}" y="20">${escapeXml(figure.title)}${subtitle}</text>`,
    panelSvg(LEFT, figure.data, figure.dataLabel, figure.dataCaption),
    panelSvg(LEFT + PANEL + GAP, figure.samples, figure.samplesLabel, figure.samplesCaption),
    '</svg>',
    '',
  ].join('\n');
}

/** A share in [0, 1] as a percentage with two decimals, e.g. `1.23%`. */
function percent(share: number): string {
  return `${(100 * share).toFixed(2)}%`;
}

/**
 * The caption line of a model's or the data's support metrics, e.g. `precision 0.963, recall 0.991, off-support
 * 1.2%`. @returns undefined when the card has no such numbers (an evaluation from before they existed, or none).
 */
export function supportCaption(evaluation: PointsCard['evaluation'], of: 'model' | 'data'): string | undefined {
  if (!evaluation) return undefined;
  const [p, r, s] = of === 'model'
    ? [evaluation.precision, evaluation.recall, evaluation.offSupport]
    : [evaluation.dataPrecision, evaluation.dataRecall, evaluation.dataOffSupport];
  if (p === undefined || r === undefined || s === undefined) return undefined;
  return `precision ${p.toFixed(3)}, recall ${r.toFixed(3)}, off-support ${percent(s)}`;
}

/** `v ± se` with `digits` decimals; `v` alone when there is no SE. */
function withSE(v: number, se: number | undefined, digits: number, scale = 1, unit = ''): string {
  return se === undefined ? `${(scale * v).toFixed(digits)}${unit}` : `${(scale * v).toFixed(digits)} ± ${(scale * se).toFixed(digits)}${unit}`;
}

/**
 * One "model \| data" cell: the model's value ± SE beside the data-vs-data value, or a dash when the card lacks
 * the model's value. Shares given as percentages when `asPercent`.
 */
function pairCell(model: number | undefined, modelSE: number | undefined, data: number | undefined, asPercent: boolean): string {
  if (model === undefined) return '—';
  const [digits, scale, unit] = asPercent ? [2, 100, ' %'] : [3, 1, ''];
  const left = withSE(model, modelSE, digits, scale, unit);
  return data === undefined ? left : `${left} \\| ${withSE(data, undefined, digits, scale, unit)}`;
}

/**
 * The Markdown table of the shipped 2D models, from their cards only: a comment line naming {@link TABLE_COMMAND},
 * then one row per card (model, network, σ1, training steps, wall time, precision, recall and off-support share each
 * beside the data-vs-data value, energy-distance ratio). Missing evaluation numbers show as a dash.
 * @returns the lines, without a final line end.
 */
export function modelTable(cards: readonly PointsCard[]): string {
  const lines = [
    `<!-- generated by \`${TABLE_COMMAND}\` from models/*/card.json; do not edit by hand -->`,
    '| model | network | σ1 | steps | wall time | precision \\| data | recall \\| data | off-support \\| data | energy-distance ratio |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const card of cards) {
    const e = card.evaluation;
    const sigma1 = 'sigma1' in card.spec ? String(card.spec.sigma1) : '—';
    lines.push(`| ${[
      card.id,
      networkLabel(card.network),
      sigma1,
      String(card.training.steps),
      `${Math.round(card.training.wallSeconds)} s`,
      pairCell(e?.precision, e?.precisionSE, e?.dataPrecision, false),
      pairCell(e?.recall, e?.recallSE, e?.dataRecall, false),
      pairCell(e?.offSupport, e?.offSupportSE, e?.dataOffSupport, true),
      e ? e.ratio.toFixed(2) : '—',
    ].join(' | ')} |`);
  }
  return lines.join('\n');
}

/**
 * Renders SVG documents side by side in a grid in headless Chromium (at device scale 1) and writes the screenshot.
 * The dots are drawn without anti-aliasing there (shape-rendering: crispEdges added to each SVG's style): 16,000
 * anti-aliased dots make a PNG about 2.7 times as large (about 400 KB instead of 150 KB) and no more legible.
 * The browser is $CHROMIUM_PATH or /usr/bin/chromium with the e2e tests' flags (scripts/lib/browser.ts).
 * @param svgs SVG texts, each {@link FIGURE_SIZE}. @param columns grid columns. @param path the PNG to write.
 * @returns the PNG's size in bytes. @throws Error when Chromium is missing or does not start.
 */
export async function renderOverviewPng(svgs: readonly string[], columns: number, path: string): Promise<number> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}; install Debian's chromium or set CHROMIUM_PATH`);
  const { width, height } = FIGURE_SIZE;
  const rows = Math.ceil(svgs.length / columns);
  const crisp = (svg: string) => svg.replace('</style>', 'circle{shape-rendering:crispEdges}</style>');
  const images = svgs.map((svg) => `<img width="${width}" height="${height}" src="data:image/svg+xml;base64,${Buffer.from(crisp(svg)).toString('base64')}">`);
  const html = `<!doctype html><html><body style="margin:0;background:#fff"><div id="grid" style="display:grid;grid-template-columns:repeat(${columns},${width}px);grid-auto-rows:${height}px;width:${columns * width}px">${images.join('')}</div></body></html>`;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  try {
    const page = await browser.newPage({ viewport: { width: columns * width, height: rows * height }, deviceScaleFactor: 1 });
    await page.setContent(html, { waitUntil: 'load' });
    await page.evaluate(() => Promise.all(Array.from(document.images, (img) => img.decode())));
    const png = await page.locator('#grid').screenshot({ type: 'png' });
    writeFileSync(path, png);
    return png.byteLength;
  } finally {
    await browser.close();
  }
}
