/**
 * A grid of 28 x 28 probability images drawn pixel-exactly on a canvas (one canvas pixel per image pixel, scaled up
 * by CSS with `image-rendering: pixelated`): white = 1 (on), black = 0 (off), the MNIST convention. Hovering or
 * tapping a pixel reports (image, pixel); the chosen pixel and its image are outlined on top.
 */
import { memo, useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';
import { gridShape, meanOf, PIXELS, SIDE, type PixelRef } from './mnistGeometry';

/** Canvas pixels between two tiles. */
const GAP = 2;
/** Colour of the gaps between tiles (RGB). */
const GAP_RGB = [71, 85, 105] as const;

/** Props of {@link MnistGrid}. */
export interface MnistGridProps {
  /** Values in [0, 1]: `images` images of 784 pixels each, starting at `offset`. */
  values: Float32Array | null;
  offset: number;
  images: number;
  /** The trajectory frame drawn (for `data-frame`). */
  frame: number;
  /** Accessible description of what is drawn. */
  label: string;
  testId?: string;
  /** Drawn faded, with `overlay` on top (e.g. the samples before t = 1). */
  dimmed?: boolean;
  overlay?: ReactNode;
  /** The pixel to outline, or null. */
  focus?: PixelRef | null;
  /** Called with the pixel under the pointer (null when it leaves the grid or is on a gap). */
  onHover?: (p: PixelRef | null) => void;
  /** Called when a pixel is clicked or tapped. */
  onSelect?: (p: PixelRef) => void;
  /** Extra data-* attributes on the canvas (read by tests). */
  data?: Record<string, string>;
  /** Shown instead of the grid when there are no values. */
  placeholder?: string;
}

/** The tile and pixel under a point given in canvas pixels, or null on a gap or outside the tiles. */
function pixelAt(x: number, y: number, images: number): PixelRef | null {
  const { cols } = gridShape(images);
  const step = SIDE + GAP;
  const col = Math.floor(x / step);
  const row = Math.floor(y / step);
  const px = Math.floor(x - col * step);
  const py = Math.floor(y - row * step);
  if (col < 0 || row < 0 || col >= cols || px >= SIDE || py >= SIDE || px < 0 || py < 0) return null;
  const image = row * cols + col;
  return image < images ? { image, pixel: py * SIDE + px } : null;
}

/** Pixel steps (columns, rows) of the arrow keys on a focused grid. */
const ARROWS: Record<string, readonly [number, number]> = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

/**
 * The pixel a key moves to from `p` on a grid of `images` images: arrows move one pixel within the image (stopping at
 * its edge), PageDown and PageUp go to the same pixel of the next and previous image; null for any other key.
 */
export function pixelAfterKey(p: PixelRef, key: string, images: number): PixelRef | null {
  const dir = ARROWS[key];
  if (dir) {
    const col = Math.min(SIDE - 1, Math.max(0, (p.pixel % SIDE) + dir[0]));
    const row = Math.min(SIDE - 1, Math.max(0, Math.floor(p.pixel / SIDE) + dir[1]));
    return { image: p.image, pixel: row * SIDE + col };
  }
  if (key === 'PageDown') return { image: (p.image + 1) % images, pixel: p.pixel };
  if (key === 'PageUp') return { image: (p.image - 1 + images) % images, pixel: p.pixel };
  return null;
}

/** One grid of images on a canvas, with `data-frame` and `data-mean` (the mean of the values drawn, 4 decimals). */
export const MnistGrid = memo(function MnistGrid({ values, offset, images, frame, label, testId, dimmed = false, overlay, focus = null, onHover, onSelect, data, placeholder }: MnistGridProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [keyFocus, setKeyFocus] = useState(false);
  const [said, setSaid] = useState('');
  const { cols, rows } = gridShape(images);
  const width = cols * SIDE + (cols - 1) * GAP;
  const height = rows * SIDE + (rows - 1) * GAP;
  const count = images * PIXELS;
  const mean = useMemo(() => (values && values.length >= offset + count ? meanOf(values, offset, count) : NaN), [values, offset, count]);

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    if (!values || values.length < offset + count) {
      // Nothing to draw (e.g. a reset preview): no stale pixels under the placeholder.
      ctx.clearRect(0, 0, width, height);
      return;
    }
    const img = ctx.createImageData(width, height);
    const out = img.data;
    for (let k = 0; k < out.length; k += 4) {
      out[k] = GAP_RGB[0];
      out[k + 1] = GAP_RGB[1];
      out[k + 2] = GAP_RGB[2];
      out[k + 3] = 255;
    }
    for (let i = 0; i < images; i++) {
      const x0 = (i % cols) * (SIDE + GAP);
      const y0 = Math.floor(i / cols) * (SIDE + GAP);
      const base = offset + i * PIXELS;
      for (let p = 0; p < PIXELS; p++) {
        const v = values[base + p]!;
        const g = Number.isFinite(v) ? Math.round(255 * Math.min(1, Math.max(0, v))) : 0;
        const o = ((y0 + Math.floor(p / SIDE)) * width + x0 + (p % SIDE)) * 4;
        out[o] = g;
        out[o + 1] = g;
        out[o + 2] = g;
      }
    }
    ctx.putImageData(img, 0, 0);
  }, [values, offset, count, images, cols, width, height]);

  const locate = (e: PointerEvent<HTMLCanvasElement>): PixelRef | null => {
    const rect = e.currentTarget.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) return null;
    return pixelAt(((e.clientX - rect.left) / rect.width) * width, ((e.clientY - rect.top) / rect.height) * height, images);
  };

  const dataAttrs = Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [`data-${k}`, v]));
  const interactive = !!(onHover || onSelect);
  // Keyboard: the grid is one Tab stop; arrows and PageUp / PageDown move the chosen pixel (the key is the grid's, so
  // the timeline's shortcuts leave it alone), and a polite live region says where it is and its value.
  const onKeyDown = (e: KeyboardEvent<HTMLCanvasElement>) => {
    if (!onSelect || !values || e.altKey || e.ctrlKey || e.metaKey) return;
    const from = focus ?? { image: 0, pixel: (SIDE / 2) * SIDE + SIDE / 2 };
    const next = e.key === 'Enter' ? from : pixelAfterKey(from, e.key, images);
    if (!next) return;
    e.preventDefault();
    if (e.key === 'Enter' || next.image !== from.image || next.pixel !== from.pixel) onSelect(next);
    const v = values[offset + next.image * PIXELS + next.pixel];
    setSaid(`Image ${next.image + 1}, row ${Math.floor(next.pixel / SIDE) + 1}, column ${(next.pixel % SIDE) + 1}: ${v === undefined ? '' : v.toFixed(3)}.`);
  };
  const box = (x: number, y: number, w: number, h: number) => ({
    left: `${(100 * x) / width}%`,
    top: `${(100 * y) / height}%`,
    width: `${(100 * w) / width}%`,
    height: `${(100 * h) / height}%`,
  });
  let marks: ReactNode = null;
  if (focus && values && focus.image < images) {
    const x0 = (focus.image % cols) * (SIDE + GAP);
    const y0 = Math.floor(focus.image / cols) * (SIDE + GAP);
    marks = (
      <>
        <span className="mnist-mark-tile" style={box(x0, y0, SIDE, SIDE)} aria-hidden="true" />
        <span className={`mnist-mark-pixel${keyFocus ? ' key-focus-pixel' : ''}`} style={box(x0 + (focus.pixel % SIDE), y0 + Math.floor(focus.pixel / SIDE), 1, 1)} aria-hidden="true" />
      </>
    );
  }

  return (
    <div className={`mnist-canvas-wrap${dimmed ? ' dimmed' : ''}`}>
      <canvas
        ref={canvasRef}
        width={width}
        height={height}
        className={`mnist-canvas${interactive ? ' interactive' : ''}`}
        role={onSelect ? 'application' : 'img'}
        aria-roledescription={onSelect ? 'pixel grid' : undefined}
        aria-label={onSelect ? `${label}. Arrow keys move the chosen pixel, Page Down and Page Up change the image, Escape lets it go.` : label}
        tabIndex={onSelect ? 0 : undefined}
        onKeyDown={onSelect ? onKeyDown : undefined}
        onFocus={onSelect ? (e) => setKeyFocus(e.currentTarget.matches(':focus-visible')) : undefined}
        onBlur={onSelect ? () => setKeyFocus(false) : undefined}
        data-testid={testId}
        data-frame={String(frame)}
        data-mean={Number.isFinite(mean) ? mean.toFixed(4) : ''}
        data-images={String(images)}
        {...dataAttrs}
        onPointerMove={onHover ? (e) => e.pointerType === 'mouse' && onHover(locate(e)) : undefined}
        onPointerLeave={onHover ? () => onHover(null) : undefined}
        onPointerDown={
          onSelect
            ? (e) => {
                const p = locate(e);
                if (p) onSelect(p);
              }
            : undefined
        }
      />
      {values ? null : <span className="mnist-placeholder">{placeholder ?? ''}</span>}
      {marks}
      {overlay ? <span className="mnist-overlay">{overlay}</span> : null}
      {onSelect ? (
        <span className="sr-only" aria-live="polite" data-testid={testId ? `${testId}-announce` : undefined}>
          {said}
        </span>
      ) : null}
    </div>
  );
});
