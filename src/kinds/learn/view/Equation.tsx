/**
 * An equation typeset with KaTeX (a well-kept library: the page's equations were plain text before). `tex` is LaTeX;
 * numbers substituted into it should be formatted by the caller (see `texNumber`). A formula KaTeX cannot parse is
 * shown as its source in red with KaTeX's message as a title, never thrown: a typo must not take the page down.
 */
import katex from 'katex';
import 'katex/dist/katex.min.css';
import { useMemo } from 'react';

export interface EquationProps {
  tex: string;
  /** Display (block) style, centred on its own line; inline otherwise. */
  display?: boolean;
  /** Words read by screen readers instead of KaTeX's MathML, when the formula needs saying in words. */
  label?: string;
  className?: string;
}

/** A KaTeX-rendered equation. */
export function Equation({ tex, display = false, label, className }: EquationProps) {
  const html = useMemo(() => katex.renderToString(tex, { displayMode: display, throwOnError: false, output: 'htmlAndMathml' }), [tex, display]);
  const cls = ['equation', display ? 'equation-display' : 'equation-inline', className].filter(Boolean).join(' ');
  // KaTeX's output is generated from our own TeX strings (no user HTML), so inserting it is safe.
  return display
    ? <div className={cls} aria-label={label} role={label ? 'math' : undefined} dangerouslySetInnerHTML={{ __html: html }} />
    : <span className={cls} aria-label={label} role={label ? 'math' : undefined} dangerouslySetInnerHTML={{ __html: html }} />;
}

/**
 * A number for TeX: `digits` significant digits, exponent form (a \times 10^{b}) outside [1e-3, 1e5). @throws never;
 * NaN and infinities come out as \text{NaN}, \infty.
 */
export function texNumber(value: number, digits = 4): string {
  if (Number.isNaN(value)) return '\\text{NaN}';
  if (!Number.isFinite(value)) return value > 0 ? '\\infty' : '-\\infty';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e-3 && abs < 1e5) return String(Number(value.toPrecision(digits)));
  const [m, e] = value.toExponential(digits - 1).split('e');
  return `${Number(m)} \\times 10^{${Number(e)}}`;
}
