/**
 * One pixel's output distribution over the K bins at the current step: a bar per bin centre k_c with height p_O(k)
 * (Graves et al. 2023, §5: the discretized Gaussian, edge bins absorbing the tails), the pixel's input mean mu and the
 * final sample marked. SVG, scaled with its box; data-* attributes carry the values for tests.
 */
import { useId } from 'react';

/** Props of {@link BinBars}. */
export interface BinBarsProps {
  /** p_O(k) at the current frame (K values), or null before a pixel's probabilities have arrived. */
  probs: Float32Array | null;
  /** The bin centres k_c (K values). */
  centres: Float32Array;
  /** The pixel's input mean mu at this frame, and its final sample (a bin centre), or null. */
  mu: number | null;
  sample: number | null;
  /** What is shown, in words (for the caption and the accessible name). */
  label: string;
}

const W = 320;
const H = 150;
const PAD = { left: 30, right: 8, top: 8, bottom: 26 };

/** The K bars of one pixel's output distribution, with the y axis fixed to [0, 1] so that bars compare across t. */
export function BinBars({ probs, centres, mu, sample, label }: BinBarsProps) {
  const titleId = useId();
  const K = centres.length;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (v: number) => PAD.left + ((v + 1) / 2) * plotW;
  const y = (p: number) => PAD.top + (1 - p) * plotH;
  const barW = plotW / K;
  let sum = 0;
  let best = -1;
  if (probs) for (let k = 0; k < K; k++) {
    sum += probs[k]!;
    if (best < 0 || probs[k]! > probs[best]!) best = k;
  }
  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      className="grey-bars"
      role="img"
      aria-labelledby={titleId}
      data-testid="grey-bars"
      data-k={String(K)}
      data-sum={probs ? sum.toFixed(6) : ''}
      data-probs={probs ? Array.from(probs, (p) => p.toFixed(6)).join(',') : ''}
      data-mode={best >= 0 ? centres[best]!.toFixed(4) : ''}
    >
      <title id={titleId}>{label}</title>
      {[0, 0.5, 1].map((p) => (
        <g key={p}>
          <line x1={PAD.left} x2={W - PAD.right} y1={y(p)} y2={y(p)} stroke="#e2e8f0" />
          <text x={PAD.left - 4} y={y(p) + 3} fontSize="9" textAnchor="end" fill="#64748b">
            {p}
          </text>
        </g>
      ))}
      {probs
        ? Array.from(centres, (c, k) => (
            <rect
              key={k}
              x={x(c) - barW / 2 + 1}
              y={y(Math.min(1, Math.max(0, probs[k]!)))}
              width={Math.max(1, barW - 2)}
              height={Math.max(0, plotH * Math.min(1, Math.max(0, probs[k]!)))}
              fill={sample !== null && Math.abs(sample - c) < 1e-6 ? '#f59e0b' : '#db2777'}
            >
              <title>{`bin ${k + 1} (centre ${c.toFixed(4)}): p = ${probs[k]!.toFixed(4)}`}</title>
            </rect>
          ))
        : null}
      {mu !== null && Number.isFinite(mu) ? <line x1={x(Math.max(-1, Math.min(1, mu)))} x2={x(Math.max(-1, Math.min(1, mu)))} y1={PAD.top} y2={PAD.top + plotH} stroke="#1d4ed8" strokeWidth="2" strokeDasharray="4 3" /> : null}
      <line x1={PAD.left} x2={W - PAD.right} y1={PAD.top + plotH} y2={PAD.top + plotH} stroke="#94a3b8" />
      {[-1, 0, 1].map((v) => (
        <text key={v} x={x(v)} y={H - 14} fontSize="9" textAnchor="middle" fill="#64748b">
          {v}
        </text>
      ))}
      <text x={PAD.left + plotW / 2} y={H - 3} fontSize="9" textAnchor="middle" fill="#64748b">
        bin centre k_c (−1 black … 1 white)
      </text>
    </svg>
  );
}
