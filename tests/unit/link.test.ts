/**
 * What a copied link claims to reproduce round-trips exactly: the user's points through the fragment
 * (src/state/pointsLink.ts), as properties over random point sets (fast-check); the settings in the query string are
 * covered by tests/unit/settings.test.ts over their declarations. Also the CSV
 * download of your points (src/data/points.ts pointsCsv), which must upload back to the same float32 values.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { parsePoints, pointsCsv } from '../../src/data/points';
import { decodePoints, encodePoints, LINK_LIMIT, pointsCodeOf, PointsLinkError, withPointsCode } from '../../src/state/pointsLink';

/** Point sets as the playground holds them: float32 coordinates in [-1, 1], at least one point. */
const pointsArb = fc
  .array(fc.float({ min: -1, max: 1, noNaN: true }), { minLength: 2, maxLength: 4000 })
  .map((v) => Float32Array.from(v.length % 2 ? v.slice(1) : v));

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

describe('a copied link reproduces the view', () => {
  test('your points round-trip through the fragment bit for bit (property over random point sets)', async () => {
    await fc.assert(
      fc.asyncProperty(pointsArb, fc.constantFrom('', '#x=1'), async (points, hash) => {
        const fragment = withPointsCode(hash, await encodePoints(points));
        const code = pointsCodeOf(fragment);
        expect(code).not.toBeNull();
        expect(bits(await decodePoints(code!))).toEqual(bits(points));
        if (hash) expect(new URLSearchParams(fragment.slice(1)).get('x')).toBe('1');
      }),
      { numRuns: 60 },
    );
  });

  test('signed zeros and the ends of [-1, 1] keep their bits', async () => {
    const points = Float32Array.from([-0, 0, -1, 1, Math.fround(1e-30), -Math.fround(1 - 2 ** -24)]);
    expect(bits(await decodePoints(await encodePoints(points)))).toEqual(bits(points));
  });

  test('a link with no points has no code, and removing the code keeps the other fragment keys', () => {
    expect(pointsCodeOf('')).toBeNull();
    expect(pointsCodeOf('#view=1')).toBeNull();
    expect(withPointsCode('#a=1&points=xyz', null)).toBe('#a=1');
    expect(withPointsCode('#points=xyz', null)).toBe('');
  });

  test('about 3,300 drawn points fit in a link; 4,000 do not', async () => {
    // Drawn points are brush jitter: float32 values with random low bits, which deflate barely shortens.
    const drawn = (n: number) => Float32Array.from({ length: 2 * n }, (_, k) => Math.fround(Math.sin(k * 12.9898) * 0.9));
    const len = async (n: number) => (await encodePoints(drawn(n))).length + 200;
    expect(await len(3000)).toBeLessThan(LINK_LIMIT);
    expect(await len(4000)).toBeGreaterThan(LINK_LIMIT);
  });

  test.each([
    ['not base64', '***'],
    ['cut short', 'AAAA'],
    ['empty', ''],
  ])('a damaged code (%s) is refused with a clear message', async (_what, code) => {
    await expect(decodePoints(code)).rejects.toThrow(PointsLinkError);
  });

  test('an edited code is refused, never read as other points (property over one-character edits)', async () => {
    const points = Float32Array.from({ length: 600 }, (_, k) => Math.fround(0.6 * Math.sin(k * 1.7)));
    const code = await encodePoints(points);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    await fc.assert(
      fc.asyncProperty(fc.nat(code.length - 1), fc.constantFrom(...alphabet), async (at, c) => {
        fc.pre(code[at] !== c);
        const edited = code.slice(0, at) + c + code.slice(at + 1);
        const read = await decodePoints(edited).catch((err: unknown) => err);
        // The last character's spare bits may change without changing a byte: then the points are the same ones.
        if (read instanceof Float32Array) expect(bits(read)).toEqual(bits(points));
        else expect(read).toBeInstanceOf(PointsLinkError);
      }),
      { numRuns: 300 },
    );
  });

  test('a code holding a point outside [-1, 1], a non-finite value or half a point is refused', async () => {
    await expect(decodePoints(await encodePoints(Float32Array.from([0.5, 1.5])))).rejects.toThrow(/point 1 has a coordinate 1.5/);
    await expect(decodePoints(await encodePoints(Float32Array.from([0.5, 0.1, NaN, 0])))).rejects.toThrow(/point 2 has a coordinate NaN/);
    await expect(decodePoints(await encodePoints(Float32Array.from([0.5, 0.1, 0.2])))).rejects.toThrow(/12 bytes/);
  });

  test('downloaded CSV uploads back to the same float32 points (property)', () => {
    fc.assert(
      fc.property(pointsArb.filter((p) => p.length >= 4), (points) => {
        const { points: back } = parsePoints(pointsCsv(points), 'points.csv');
        expect(bits(back)).toEqual(bits(points.map((v) => v + 0)));
      }),
      { numRuns: 100 },
    );
    expect(pointsCsv(Float32Array.from([0.1, -0.25, 1, 0]))).toBe('x,y\n0.1,-0.25\n1,0\n');
  });
});
