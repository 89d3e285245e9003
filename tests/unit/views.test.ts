/**
 * The page's list of views (src/ui/views.tsx): `?view=` picks a view by id, an unknown id falls back to the first view
 * with a message for the link's note, and every view has a distinct id, tab label and skip target.
 */
import { describe, expect, test } from 'vitest';
import { VIEWS, viewFromSearch, viewMessages } from '../../src/ui/views';
import { kindsOfSearch, VIEW_KINDS } from '../../src/ui/viewKinds';
import { openingIdOfSearch } from '../../src/ui/openings';

describe('the list of views', () => {
  test('ids, labels and skip targets are distinct', () => {
    for (const key of ['id', 'label'] as const) expect(new Set(VIEWS.map((v) => v[key])).size).toBe(VIEWS.length);
    expect(new Set(VIEWS.map((v) => v.skip.href)).size).toBe(VIEWS.length);
  });

  test('?view= picks a view; none or an unknown id gives the first', () => {
    expect(viewFromSearch('?view=mnist').id).toBe('mnist');
    expect(viewFromSearch('').id).toBe('2d');
    expect(viewFromSearch('?view=bogus&width=64').id).toBe('2d');
  });

  test('an unknown view is said in the link note, a known one or none is not', () => {
    expect(viewMessages('?view=mnist')).toEqual([]);
    expect(viewMessages('?width=64')).toEqual([]);
    const [m, ...rest] = viewMessages('?view=bogus');
    expect(rest).toEqual([]);
    expect(m).toMatchObject({ key: 'view', param: 'view', value: 'bogus', reason: 'is not one of 2d, mnist, mnist-grey, words, simplex, learn' });
    expect(m!.text).toBe('View (view=bogus) is not one of 2d, mnist, mnist-grey, words, simplex, learn; the 2D points view is shown.');
  });

  test('the page entry knows the kinds and the opening of each view without loading the views', () => {
    expect(Object.keys(VIEW_KINDS)).toEqual(VIEWS.map((v) => v.id));
    expect(kindsOfSearch('?view=words')).toEqual(['words']);
    expect(kindsOfSearch('?view=bogus')).toEqual(['points2d']);
    expect(openingIdOfSearch('')).toBe('two-moons');
    expect(openingIdOfSearch('?dataset=spirals&width=64')).toBe('spirals');
    expect(openingIdOfSearch('?view=mnist')).toBe('mnist-binary');
    expect(openingIdOfSearch('?view=mnist-grey')).toBe('mnist-grey');
    expect(openingIdOfSearch('?view=words')).toBe('words');
    expect(openingIdOfSearch('?view=simplex')).toBeNull();
    expect(openingIdOfSearch('?view=learn')).toBeNull();
  });
});
