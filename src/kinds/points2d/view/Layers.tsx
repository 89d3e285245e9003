/** The plot's legend: what each mark means, with a switch per layer. */
import type { ReactNode } from 'react';
import { LAYER_KEYS, type LayerKey, type Layers as LayerState } from '../../../state/urlState';
import { COLORS, TRACKED_POINTS } from './draw';
import { Help } from '../../../ui/Help';
import { CONTROL_HELP } from '../../../ui/controlHelp';

const ITEMS: Record<LayerKey, { swatch: ReactNode; label: ReactNode }> = {
  data: {
    swatch: (
      <svg viewBox="0 0 36 14" aria-hidden="true">
        {[5, 12, 19, 26, 31].map((cx, k) => <circle key={cx} cx={cx} cy={k % 2 ? 5 : 9} r="1.8" fill={COLORS.data} opacity="0.6" />)}
      </svg>
    ),
    label: <><b>Data</b> the network learns from</>,
  },
  mu: {
    swatch: (
      <svg viewBox="0 0 36 14" aria-hidden="true">
        <circle cx="6" cy="7" r="3" fill={COLORS.mu} opacity="0.2" />
        <circle cx="18" cy="7" r="3" fill={COLORS.mu} opacity="0.55" />
        <circle cx="30" cy="7" r="3" fill={COLORS.mu} opacity="0.9" />
      </svg>
    ),
    label: <><b>Input means μ</b>; more opaque as the precision ρ grows</>,
  },
  xhat: {
    swatch: (
      <svg viewBox="0 0 36 14" aria-hidden="true">
        <circle cx="12" cy="7" r="2.6" fill={COLORS.xHat} opacity="0.6" />
        <circle cx="24" cy="7" r="2.6" fill={COLORS.xHat} opacity="0.6" />
      </svg>
    ),
    label: <><b>Predictions x̂</b>: where the network thinks each point ends</>,
  },
  y: {
    swatch: (
      <svg viewBox="0 0 36 14" aria-hidden="true">
        {[4, 13, 20, 29].map((cx, k) => <circle key={cx} cx={cx} cy={k % 2 ? 4 : 10} r="2.3" fill={COLORS.y} opacity="0.5" />)}
      </svg>
    ),
    label: <><b>Sender samples y</b> ~ N(x̂, 1/α) of the last update</>,
  },
  paths: {
    swatch: (
      <svg viewBox="0 0 36 14" aria-hidden="true">
        <path d="M2 12 Q12 0 20 8 T34 4" stroke={COLORS.pathDone} strokeWidth="1.5" fill="none" />
        <circle cx="20" cy="8" r="3" fill="#fff" stroke={COLORS.tracked} strokeWidth="1.2" />
      </svg>
    ),
    label: <><b>Paths</b> of {TRACKED_POINTS} tracked points ○</>,
  },
};

/** Legend entries with checkboxes, one per layer. */
export function Layers({ layers, onToggle, solver = false }: { layers: LayerState; onToggle: (key: LayerKey) => void; solver?: boolean }) {
  return (
    <fieldset className="layers" data-testid="layers">
      <legend>
        Layers <Help topic="the layers" text={CONTROL_HELP.layers} />
      </legend>
      <ul>
        {[...LAYER_KEYS].reverse().map((key) => (
          <li key={key}>
            <label>
              <input type="checkbox" checked={layers[key]} onChange={() => onToggle(key)} data-testid={`layer-${key}`} />
              <span className="swatch">{ITEMS[key].swatch}</span>
              <span>
                {key === 'y' && solver ? (
                  <>
                    <b>Messages y</b> = (ρ′μ′ − ρμ)/α that the solver&apos;s last update amounts to
                  </>
                ) : (
                  ITEMS[key].label
                )}
              </span>
            </label>
          </li>
        ))}
        <li className="legend-static">
          <span className="swatch">
            <svg viewBox="0 0 36 14" aria-hidden="true">
              <circle cx="18" cy="7" r="5.5" fill="none" stroke={COLORS.ring} strokeDasharray="3 2" />
              <circle cx="18" cy="7" r="2.6" fill="#fff" stroke={COLORS.selected} strokeWidth="1.6" />
            </svg>
          </span>
          <span>
            <b>Chosen point</b> (hover or tap), its path, and one standard deviation 1/√ρ of its input distribution
          </span>
        </li>
      </ul>
    </fieldset>
  );
}
