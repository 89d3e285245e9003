/**
 * A column of words at one frame of a recorded run: for each word, its L positions, each drawn as a bar chart of the
 * 27 probabilities of one distribution (the output distribution p_O or the input distribution θ; padding first, then
 * a..z) on one canvas per word, with the most likely symbol of each position written above its bars and its
 * probability in the title. The sampled word (the result at t = 1) is shown beside each row with whether it is a real,
 * held-out or new word.
 */
import { memo, useEffect, useRef } from 'react';
import { WORD_ALPHABET } from '../../../data/words/words';
import { useDevicePixelRatio } from '../../../ui/hooks/dom';
import type { WordMark } from '../../../engine/client';

/** Props of {@link WordColumn}. */
export interface WordColumnProps {
  /** Probabilities [words, L, K] of the frame, starting at `offset` of `values`. */
  values: Float32Array;
  offset: number;
  words: number;
  length: number;
  classes: number;
  /** The sampled words (raw symbols) and their marks; null while the run is still being sampled. */
  samples: readonly { raw: string; mark: WordMark }[] | null;
  /** Which distribution the bars show, for the accessible names. */
  what: string;
  frame: number;
}

/** CSS pixels of one position's bar chart. */
const BAR_HEIGHT = 24;

const MARK_WORDS: Record<WordMark, string> = {
  train: 'a training word',
  heldOut: 'a real word never trained on',
  new: 'not in the word list',
  malformed: 'breaks the padding rule',
};

/** The symbol shown for a class: '·' for padding, else its letter. */
export function symbolOf(k: number): string {
  return k === 0 ? '·' : WORD_ALPHABET[k]!;
}

/** The most likely class of each position of word w and its probability. */
export function topClasses(values: Float32Array, offset: number, w: number, L: number, K: number): { k: number; p: number }[] {
  return Array.from({ length: L }, (_, pos) => {
    const base = offset + (w * L + pos) * K;
    let k = 0;
    for (let c = 1; c < K; c++) if (values[base + c]! > values[base + k]!) k = c;
    return { k, p: values[base + k]! };
  });
}

/** One word's bars: L small charts side by side, drawn on one canvas that fills its row's width. */
const WordBars = memo(function WordBars({ values, offset, w, L, K, label }: { values: Float32Array; offset: number; w: number; L: number; K: number; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const dpr = useDevicePixelRatio();
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const draw = () => {
      const cssWidth = canvas.clientWidth;
      if (cssWidth <= 0) return;
      canvas.width = Math.round(cssWidth * dpr);
      canvas.height = Math.round(BAR_HEIGHT * dpr);
      const ctx = canvas.getContext('2d');
      if (!ctx) return;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, cssWidth, BAR_HEIGHT);
      const cell = cssWidth / L;
      const gap = Math.min(6, cell * 0.12);
      const barW = (cell - gap) / K;
      for (let pos = 0; pos < L; pos++) {
        const base = offset + (w * L + pos) * K;
        let top = 0;
        for (let c = 1; c < K; c++) if (values[base + c]! > values[base + top]!) top = c;
        const x0 = pos * cell + gap / 2;
        ctx.fillStyle = '#eef2f8';
        ctx.fillRect(x0, 0, cell - gap, BAR_HEIGHT);
        for (let c = 0; c < K; c++) {
          const p = values[base + c]!;
          const h = Number.isFinite(p) ? Math.max(0, Math.min(1, p)) * BAR_HEIGHT : 0;
          ctx.fillStyle = c === top ? '#1d4ed8' : c === 0 ? '#94a3b8' : '#93c5fd';
          ctx.fillRect(x0 + c * barW, BAR_HEIGHT - h, Math.max(barW * 0.85, 0.6), h);
        }
      }
    };
    draw();
    const observer = new ResizeObserver(draw);
    observer.observe(canvas);
    return () => observer.disconnect();
  }, [values, offset, w, L, K, dpr]);
  return <canvas ref={ref} className="words-bars" role="img" aria-label={label} style={{ height: `${BAR_HEIGHT}px` }} />;
});

/** The column of words at one frame. */
export function WordColumn({ values, offset, words, length: L, classes: K, samples, what, frame }: WordColumnProps) {
  return (
    <ol className="words-column" data-testid="words-column" data-frame={String(frame)}>
      {Array.from({ length: words }, (_, w) => {
        const top = topClasses(values, offset, w, L, K);
        const sample = samples?.[w];
        const leading = top.map(({ k }) => symbolOf(k)).join('');
        return (
          <li key={w} className="words-row" data-testid="words-row">
            <div className="words-letters" aria-label={`Most likely symbols of word ${w + 1}: ${leading}`} data-testid="words-leading" data-leading={leading}>
              {top.map(({ k, p }, pos) => (
                <span key={pos} title={`position ${pos + 1}: '${symbolOf(k)}' with probability ${p.toFixed(3)}`} style={{ opacity: 0.35 + 0.65 * Math.min(1, Math.max(0, p)) }}>
                  {symbolOf(k)}
                </span>
              ))}
            </div>
            <WordBars values={values} offset={offset} w={w} L={L} K={K} label={`${what} of the ${L} positions of word ${w + 1}`} />
            {sample ? (
              <span className={`words-sample ${sample.mark}`} data-testid="words-sample" data-raw={sample.raw} data-mark={sample.mark} title={MARK_WORDS[sample.mark]}>
                {sample.raw.replace(/_+$/, '') || sample.raw}
                <small>{sample.mark === 'train' ? 'real' : sample.mark === 'heldOut' ? 'real, held out' : sample.mark === 'new' ? 'new' : 'malformed'}</small>
              </span>
            ) : samples === null ? (
              <span className="words-sample pending" data-testid="words-sample-pending" title="The sampled word comes when the run is sampled">
                …<small>sampling</small>
              </span>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
