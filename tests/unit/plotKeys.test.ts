/**
 * Keyboard moves over points and pixels: the nearest point in an arrow's direction on hand-placed points (the
 * 45-degree cone first, else the nearest point ahead, else none), and the MNIST grid's pixel moves (one pixel within
 * the 28 x 28 image, stopping at its edge; PageDown / PageUp wrap over the images).
 */
import { describe, expect, it } from 'vitest';
import { nearestInDirection } from '../../src/kinds/points2d/view/usePlotKeyboard';
import { pixelAfterKey } from '../../src/ui/MnistGrid';

// Point 0 at the origin; 1 is right and a little up; 2 is nearer but 60 degrees up-right (outside the right cone);
// 3 is far right; 4 is straight up; 5 is left and down.
const P: [number, number][] = [[0, 0], [0.5, 0.1], [0.2, 0.35], [0.9, 0], [0, 0.6], [-0.3, -0.2]];
const at = (j: number) => P[j]!;

describe('nearestInDirection', () => {
  it('takes the nearest point within 45 degrees of the arrow', () => {
    expect(nearestInDirection(P.length, at, 0, [1, 0])).toBe(1);
    // Up: 2 (0.2, 0.35) lies within 45 degrees of up and is nearer than 4.
    expect(nearestInDirection(P.length, at, 0, [0, 1])).toBe(2);
    expect(nearestInDirection(P.length, at, 1, [1, 0])).toBe(3);
  });
  it('falls back to the nearest point ahead when the cone is empty, and to none when nothing is ahead', () => {
    // Left of point 0: only 5 is ahead (-0.3, -0.2), within 45 degrees of left: in the cone.
    expect(nearestInDirection(P.length, at, 0, [-1, 0])).toBe(5);
    // Down from 0: 5 is ahead (0.2 down) but 0.3 across: outside the cone, still the nearest ahead.
    expect(nearestInDirection(P.length, at, 0, [0, -1])).toBe(5);
    // Right of 3 (the rightmost): nothing.
    expect(nearestInDirection(P.length, at, 3, [1, 0])).toBeNull();
  });
  it('goes to the lower index on a tie', () => {
    const tie: [number, number][] = [[0, 0], [1, 0.5], [1, -0.5]];
    expect(nearestInDirection(3, (j) => tie[j]!, 0, [1, 0])).toBe(1);
  });
});

describe('pixelAfterKey', () => {
  it('moves one pixel within the image and stops at its edges', () => {
    expect(pixelAfterKey({ image: 2, pixel: 5 * 28 + 7 }, 'ArrowRight', 16)).toEqual({ image: 2, pixel: 5 * 28 + 8 });
    expect(pixelAfterKey({ image: 2, pixel: 5 * 28 + 7 }, 'ArrowDown', 16)).toEqual({ image: 2, pixel: 6 * 28 + 7 });
    expect(pixelAfterKey({ image: 2, pixel: 5 * 28 + 27 }, 'ArrowRight', 16)).toEqual({ image: 2, pixel: 5 * 28 + 27 });
    expect(pixelAfterKey({ image: 2, pixel: 7 }, 'ArrowUp', 16)).toEqual({ image: 2, pixel: 7 });
    expect(pixelAfterKey({ image: 2, pixel: 5 * 28 }, 'ArrowLeft', 16)).toEqual({ image: 2, pixel: 5 * 28 });
  });
  it('changes the image with PageDown and PageUp, wrapping around, and ignores other keys', () => {
    expect(pixelAfterKey({ image: 15, pixel: 100 }, 'PageDown', 16)).toEqual({ image: 0, pixel: 100 });
    expect(pixelAfterKey({ image: 0, pixel: 100 }, 'PageUp', 16)).toEqual({ image: 15, pixel: 100 });
    expect(pixelAfterKey({ image: 0, pixel: 100 }, ' ', 16)).toBeNull();
  });
});
