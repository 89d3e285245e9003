/** The plot's legend: what each mark means, with a switch per layer. */
import type { ReactNode } from 'react';
import { LAYER_KEYS, type LayerKey, type Layers as LayerState } from '../../../state/urlState';
import { COLORS, TRACKED_POINTS, type PathOf } from './draw';
import { Help } from '../../../ui/Help';
import { CONTROL_HELP } from '../../../ui/controlHelp';

const ITEMS: Record<LayerKey, { swatch: ReactNode; term: string; detail: string }> = {
  data: {
    swatch: (
      <svg viewBox="0 0 36 14" aria-hidden="true">
        {[5, 12, 19, 26, 31].map((cx, k) => <circle key={cx} cx={cx} cy={k % 2 ? 5 : 9} r="1.8" fill={COLORS.data} opacity="0.6" />)}
      </svg>
    ),
    term: 'Data', detail: 'the network learns from',
  },
  mu: {
    swatch: (
      <svg viewBox="0 0 36 14" aria-hidden="true">
        <circle cx="6" cy="7" r="3" fill={COLORS.mu} opacity="0.2" />
        <circle cx="18" cy="7" r="3" fill={COLORS.mu} opacity="0.55" />
        <circle cx="30" cy="7" r="3" fill={COLORS.mu} opacity="0.9" />
      </svg>
    ),
    term: 'Input means μ', detail: '; more opaque as the precision ρ grows',
  },
  xhat: {
    swatch: (
      <svg viewBox="0 0 36 14" aria-hidden="true">
        <circle cx="12" cy="7" r="2.6" fill={COLORS.xHat} opacity="0.6" />
        <circle cx="24" cy="7" r="2.6" fill={COLORS.xHat} opacity="0.6" />
      </svg>
    ),
    term: 'Predictions x̂', detail: ': where the network thinks each point ends',
  },
  y: {
    swatch: (
      <svg viewBox="0 0 36 14" aria-hidden="true">
        {[4, 13, 20, 29].map((cx, k) => <circle key={cx} cx={cx} cy={k % 2 ? 4 : 10} r="2.3" fill={COLORS.y} opacity="0.5" />)}
      </svg>
    ),
    term: 'Sender samples y', detail: '~ N(x̂, 1/α) of the last update',
  },
  paths: {
    swatch: (
      <svg viewBox="0 0 36 14" aria-hidden="true">
        <path d="M2 12 Q8 2 12 8" stroke={COLORS.path} strokeOpacity="0.15" strokeWidth="1.5" fill="none" />
        <path d="M12 8 Q16 12 20 8" stroke={COLORS.path} strokeOpacity="0.75" strokeWidth="1.5" fill="none" />
        <circle cx="20" cy="8" r="3" fill="#fff" stroke={COLORS.tracked} strokeWidth="1.2" />
      </svg>
    ),
    term: 'Paths', detail: `of ${TRACKED_POINTS} tracked points ○, fading with age`,
  },
};

/** Props of {@link Layers}. */
export interface LayersProps {
  layers: LayerState;
  onToggle: (key: LayerKey) => void;
  /** True when the run used a BFN-Solver (its y are the messages its update amounts to). */
  solver?: boolean;
  /** Whose paths the paths layer draws, and its switch. */
  pathOf: PathOf;
  onPathOf: (pathOf: PathOf) => void;
}

/** Words of one legend entry: the term, and its explanation (hidden on narrow screens, where the legend is a row). */
function Words({ term, detail }: { term: string; detail: ReactNode }) {
  return (
    <span>
      <b>{term}</b>
      {typeof detail === 'string' && /^[;:]/.test(detail) ? '' : ' '}
      <span className="layer-detail">{detail}</span>
    </span>
  );
}

/** Legend entries with checkboxes, one per layer, and the choice of mu's or x_hat's paths. */
export function Layers({ layers, onToggle, solver = false, pathOf, onPathOf }: LayersProps) {
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
              {key === 'y' && solver ? (
                <Words term="Messages y" detail="= (ρ′μ′ − ρμ)/α that the solver’s last update amounts to" />
              ) : (
                <Words term={ITEMS[key].term} detail={ITEMS[key].detail} />
              )}
            </label>
            {key === 'paths' ? (
              <span className="segmented small path-of" role="group" aria-label="Paths of">
                {(['mu', 'xhat'] as const).map((p) => (
                  <button
                    key={p}
                    type="button"
                    aria-pressed={pathOf === p}
                    className={pathOf === p ? 'active' : ''}
                    onClick={() => onPathOf(p)}
                    title={p === 'mu' ? 'Paths of the input means μ (what the sampler carries)' : 'Paths of the predictions x̂ (where the network thinks each point ends)'}
                    data-testid={`path-of-${p}`}
                  >
                    {p === 'mu' ? 'μ' : 'x̂'}
                  </button>
                ))}
              </span>
            ) : null}
          </li>
        ))}
        <li className="legend-static">
          <span className="swatch">
            <svg viewBox="0 0 36 14" aria-hidden="true">
              <circle cx="18" cy="7" r="5.5" fill="none" stroke={COLORS.ring} strokeDasharray="3 2" />
              <circle cx="18" cy="7" r="2.6" fill="#fff" stroke={COLORS.selected} strokeWidth="1.6" />
            </svg>
          </span>
          <Words term="Chosen point" detail="(hover or tap), its path so far, and one standard deviation 1/√ρ of its input distribution" />
        </li>
      </ul>
    </fieldset>
  );
}
