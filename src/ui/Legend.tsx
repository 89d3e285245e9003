/** What each mark means, with a switch per layer. */
import type { ReactNode } from 'react';
import { COLORS, TRAIL_STEPS, type PlotLayers } from './plot';

interface Item {
  key: keyof PlotLayers;
  swatch: ReactNode;
  label: ReactNode;
}

const ITEMS: Item[] = [
  {
    key: 'mu',
    swatch: (
      <svg viewBox="0 0 36 14" aria-hidden="true">
        <circle cx="6" cy="7" r="3" fill={COLORS.mu} opacity="0.2" />
        <circle cx="18" cy="7" r="3" fill={COLORS.mu} opacity="0.55" />
        <circle cx="30" cy="7" r="3" fill={COLORS.mu} opacity="0.9" />
      </svg>
    ),
    label: (
      <>
        <b>Input means μ</b> of every point; more opaque as the precision ρ grows
      </>
    ),
  },
  {
    key: 'paths',
    swatch: (
      <svg viewBox="0 0 36 14" aria-hidden="true">
        <path d="M2 12 Q12 0 20 8 T34 4" stroke={COLORS.pathDone} strokeWidth="1.5" fill="none" />
        <circle cx="20" cy="8" r="3" fill="#fff" stroke={COLORS.tracked} strokeWidth="1.2" />
      </svg>
    ),
    label: (
      <>
        <b>Paths</b> of 20 tracked points ○: faint for the whole run, dark for the last {TRAIL_STEPS} steps; the dashed circle
        is one standard deviation 1/√ρ around one of them
      </>
    ),
  },
  {
    key: 'data',
    swatch: (
      <svg viewBox="0 0 36 14" aria-hidden="true">
        <path d="M13 7h10M18 2v10" stroke={COLORS.data} strokeWidth="2" strokeLinecap="round" />
      </svg>
    ),
    label: (
      <>
        <b>Data points</b> the optimal denoiser knows (the samples should land on them)
      </>
    ),
  },
  {
    key: 'xHat',
    swatch: (
      <svg viewBox="0 0 36 14" aria-hidden="true">
        <circle cx="12" cy="7" r="2.6" fill={COLORS.xHat} opacity="0.6" />
        <circle cx="24" cy="7" r="2.6" fill={COLORS.xHat} opacity="0.6" />
      </svg>
    ),
    label: (
      <>
        <b>Predictions x̂</b>: what the network thinks each point will become
      </>
    ),
  },
];

/** The legend of the trajectory plot; each entry's checkbox shows or hides its layer. */
export function Legend({ layers, onToggle, hasData }: { layers: PlotLayers; onToggle: (key: keyof PlotLayers) => void; hasData: boolean }) {
  return (
    <section className="card legend" aria-label="Legend and layers">
      <h2>Legend</h2>
      <ul>
        {ITEMS.map((item) => (
          <li key={item.key}>
            <label className={item.key === 'data' && !hasData ? 'inactive' : ''}>
              <input type="checkbox" checked={layers[item.key]} onChange={() => onToggle(item.key)} />
              <span className="swatch">{item.swatch}</span>
              <span>
                {item.label}
                {item.key === 'data' && !hasData ? ' (none for this network)' : ''}
              </span>
            </label>
          </li>
        ))}
      </ul>
      <p className="hint">
        Keys: <kbd>space</kbd> play/pause, <kbd>←</kbd> <kbd>→</kbd> step, <kbd>Home</kbd> <kbd>End</kbd> first/last.
      </p>
    </section>
  );
}
