/**
 * Keyboard access to the playground plot: the plot is one Tab stop, and while it has keyboard focus the arrow keys
 * move the chosen point to the nearest point in the arrow's direction (input means mu at the frame shown; after a
 * mouse click on the plot the arrows stay the timeline's), PageDown and PageUp to the next and previous point by
 * index, and Enter chooses the point nearest the centre when none is chosen (Escape, page-wide, lets the point go).
 * A polite live region says which point is chosen and where.
 */
import { useState, type FocusEvent, type KeyboardEvent } from 'react';
import type { TrajectoryPayload } from '../../../engine/protocol';
import { fixed } from '../../../ui/format';
import { pointAt } from './draw';

/** Unit steps in data coordinates of the arrow keys (x2 grows upwards, as on the plot's axis). */
const ARROWS: Record<string, readonly [number, number]> = {
  ArrowRight: [1, 0],
  ArrowLeft: [-1, 0],
  ArrowUp: [0, 1],
  ArrowDown: [0, -1],
};

/**
 * The point nearest to point `from` in direction `dir` among `count` points at `coords(j)`: the nearest of those
 * within 45 degrees of the direction, else the nearest of those ahead of it (positive projection), else null.
 * Ties go to the lower index. Hand-written: a linear scan over at most 5,000 points per key press (d3-quadtree finds
 * the nearest point, not the nearest in a cone).
 */
export function nearestInDirection(count: number, coords: (j: number) => [number, number], from: number, dir: readonly [number, number]): number | null {
  const [x0, y0] = coords(from);
  let cone: number | null = null;
  let coneD = Infinity;
  let ahead: number | null = null;
  let aheadD = Infinity;
  for (let j = 0; j < count; j++) {
    if (j === from) continue;
    const [x, y] = coords(j);
    const along = (x - x0) * dir[0] + (y - y0) * dir[1];
    if (!(along > 0)) continue;
    const across = Math.abs((x - x0) * dir[1] - (y - y0) * dir[0]);
    const d = along * along + across * across;
    if (across <= along && d < coneD) [cone, coneD] = [j, d];
    if (d < aheadD) [ahead, aheadD] = [j, d];
  }
  return cone ?? ahead;
}

/** What {@link usePlotKeyboard} hands the plot: props for the focusable element, the announcement, and the focus. */
export interface PlotKeyboard {
  /** Spread on the plot's SVG: Tab stop, role, label and handlers. */
  props: {
    tabIndex: 0;
    role: 'application';
    'aria-roledescription': string;
    'aria-label': string;
    onKeyDown: (e: KeyboardEvent<SVGSVGElement>) => void;
    onFocus: (e: FocusEvent<SVGSVGElement>) => void;
    onBlur: () => void;
  };
  /** Text for a polite live region: the chosen point and its input mean, or that none is chosen. */
  announcement: string;
  /** True while the plot has keyboard focus (the chosen point gets a focus marker). */
  focused: boolean;
}

/**
 * Arrow-key navigation over the points of `payload` at frame position `pos`. @param chosen the point the plot
 * shows (selected or hovered), or null. @param onChoose makes a point the selected one. @param label the plot's
 * description (what it shows); the hook adds how to use the keys.
 */
export function usePlotKeyboard(payload: TrajectoryPayload | null, pos: number, live: boolean, chosen: number | null, onChoose: (i: number) => void, label: string): PlotKeyboard {
  const [focused, setFocused] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const usable = payload !== null && !live && payload.points > 0;
  const at = (i: number): [number, number] => pointAt(payload!.mu, payload!.points, payload!.n, i, pos);
  const valid = usable && chosen !== null && chosen < payload.points;

  const onKeyDown = (e: KeyboardEvent<SVGSVGElement>) => {
    if (!usable || e.altKey || e.ctrlKey || e.metaKey) return;
    const count = payload.points;
    // The point nearest the plot's centre (the prior's mean), where a keyboard user starts.
    const centre = () => {
      let best = 0;
      for (let j = 1; j < count; j++) if (Math.hypot(...at(j)) < Math.hypot(...at(best))) best = j;
      return best;
    };
    let next: number | null;
    // Arrows are the plot's only under keyboard focus: after a click on a point (focus without :focus-visible) they
    // stay the timeline's step keys, as a mouse user expects.
    const dir = focused ? ARROWS[e.key] : undefined;
    if (dir) next = valid ? nearestInDirection(count, at, chosen, dir) : centre();
    else if (e.key === 'PageDown') next = valid ? (chosen + 1) % count : 0;
    else if (e.key === 'PageUp') next = valid ? (chosen - 1 + count) % count : count - 1;
    else if (e.key === 'Enter') next = valid ? chosen : centre();
    else return;
    // The key is the plot's: the timeline's shortcuts (which check defaultPrevented) leave it alone.
    e.preventDefault();
    if (next === null) return;
    onChoose(next);
    // Said once per key press (not every animation frame while the trajectory plays).
    const [x1, x2] = at(next);
    setAnnouncement(`Point ${next}: μ = (${fixed(x1, 3)}, ${fixed(x2, 3)}) at step ${Math.min(payload.n, Math.floor(pos))} of ${payload.n}.`);
  };

  // A point let go (Escape, a click elsewhere, a new run without it) is said too.
  const [announcedFor, setAnnouncedFor] = useState(valid);
  if (announcedFor !== valid) {
    setAnnouncedFor(valid);
    if (!valid) setAnnouncement('No point chosen.');
  }
  const keys = usable ? ' Arrow keys choose the nearest point in that direction, Page Down and Page Up the next and previous point, Escape lets it go.' : '';
  return {
    props: {
      tabIndex: 0,
      role: 'application',
      'aria-roledescription': 'scatter plot',
      'aria-label': `${label}.${keys}`,
      onKeyDown,
      onFocus: (e) => setFocused(e.currentTarget.matches(':focus-visible')),
      onBlur: () => setFocused(false),
    },
    announcement,
    focused,
  };
}
