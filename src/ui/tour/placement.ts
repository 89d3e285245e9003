/**
 * Where the tour card goes beside its target, and where the page scrolls so that both are in view. Pure geometry in
 * CSS pixels, without the DOM, so that it is unit-tested. Hand-written rather than a positioning library (such as
 * Floating UI): none is installed, and the tour needs one more decision those do not make, the page's scroll position
 * that fits the target and the card together.
 */

/** A rectangle: left and top, width and height. */
export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Which side of its target the card sits on; 'over': the target is too large, the card sits at the viewport's foot. */
export type Side = 'right' | 'left' | 'below' | 'above' | 'over';

/** Gap between the target, the card and the viewport's edges. */
export const GAP = 12;
/** The card's width when there is room. */
export const CARD_WIDTH = 360;
/** The narrowest the card may be beside its target (narrower: it goes below). */
export const MIN_SIDE_WIDTH = 260;

/**
 * The card's width and side, from the target's box in page coordinates (left from the viewport's left edge) and the
 * viewport. Beside the target when it fits in the viewport's height and a card of at least MIN_SIDE_WIDTH fits beside
 * it; else below it (as wide as CARD_WIDTH allows) and the caller checks the height with {@link scrollFor}.
 */
export function chooseSide(target: Box, viewport: { width: number; height: number }): { side: 'right' | 'left' | 'below'; width: number } {
  const right = viewport.width - (target.left + target.width) - 2 * GAP;
  const left = target.left - 2 * GAP;
  const fitsHeight = target.height + 2 * GAP <= viewport.height;
  if (fitsHeight && Math.max(right, left) >= MIN_SIDE_WIDTH) {
    return right >= left || right >= CARD_WIDTH ? { side: 'right', width: Math.min(CARD_WIDTH, right) } : { side: 'left', width: Math.min(CARD_WIDTH, left) };
  }
  return { side: 'below', width: Math.min(CARD_WIDTH, viewport.width - 2 * GAP) };
}

/**
 * The page's scroll position (px from its top) that shows the target with the card on `side`, given the card's height:
 * beside it, the target centred; below it, the target and the card centred together; when they do not fit one above
 * the other, the target's top at the viewport's top and side 'over'. Never negative.
 */
export function scrollFor(target: Box, cardHeight: number, side: 'right' | 'left' | 'below', viewportHeight: number): { side: Side; scrollTop: number } {
  if (side !== 'below') return { side, scrollTop: Math.max(0, target.top - (viewportHeight - target.height) / 2) };
  const both = target.height + GAP + cardHeight;
  if (both + 2 * GAP <= viewportHeight) return { side: 'below', scrollTop: Math.max(0, target.top - (viewportHeight - both) / 2) };
  return { side: 'over', scrollTop: Math.max(0, target.top - GAP) };
}

/**
 * The card's top-left corner in viewport coordinates for a target's box in viewport coordinates, kept inside the
 * viewport. A card above or below is centred on the target (and goes to the other side when only that one has room);
 * a card beside it is aligned with its top.
 */
export function cardPosition(target: Box, card: { width: number; height: number }, side: Side, viewport: { width: number; height: number }): { left: number; top: number } {
  const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));
  const maxLeft = Math.max(GAP, viewport.width - card.width - GAP);
  const maxTop = Math.max(GAP, viewport.height - card.height - GAP);
  const centredLeft = clamp(target.left + (target.width - card.width) / 2, GAP, maxLeft);
  switch (side) {
    case 'right':
      return { left: clamp(target.left + target.width + GAP, GAP, maxLeft), top: clamp(target.top, GAP, maxTop) };
    case 'left':
      return { left: clamp(target.left - GAP - card.width, GAP, maxLeft), top: clamp(target.top, GAP, maxTop) };
    case 'below':
    case 'above': {
      // The side asked for, unless only the other one has room (the page could not scroll far enough).
      const below = target.top + target.height + GAP;
      const above = target.top - GAP - card.height;
      const fitsBelow = below <= maxTop;
      const fitsAbove = above >= GAP;
      const useBelow = side === 'below' ? fitsBelow || !fitsAbove : fitsBelow && !fitsAbove;
      return { left: centredLeft, top: clamp(useBelow ? below : above, GAP, maxTop) };
    }
    case 'over':
      return { left: maxLeft, top: maxTop };
  }
}

/** Whether two boxes overlap (touching edges do not). */
export function overlaps(a: Box, b: Box): boolean {
  return a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height && b.top < a.top + a.height;
}
