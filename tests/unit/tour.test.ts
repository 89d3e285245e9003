/**
 * The guided tours and the lesson presets are data (src/ui/tour/tourSteps.ts, src/ui/lessons/lessons.ts): every step
 * names a view that exists and a `data-tour` target some component renders, ids are unique, links resume a tour, and
 * every lesson's parameters pass the settings' own URL reader (no message) and change what they say they change. The
 * tour card's placement never covers its target when the two fit in the viewport.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { MODEL_SOURCES } from '../../src/engine/protocol';
import { defaultsOf } from '../../src/settings/setting';
import { SETTINGS_2D } from '../../src/settings/settings2d';
import { SETTINGS_MNIST } from '../../src/settings/settingsMnist';
import { readSettings } from '../../src/settings/url';
import { LESSONS, lessonProblems, lessonSearch, type Lesson } from '../../src/ui/lessons/lessons';
import { cardPosition, chooseSide, GAP, overlaps, scrollFor } from '../../src/ui/tour/placement';
import { readTourLink, TOURS, writeTourLink } from '../../src/ui/tour/tourSteps';
import { VIEWS } from '../../src/ui/views';

/** Every .tsx file under src, read once. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.tsx') ? [readFileSync(join(dir, e.name), 'utf8')] : [],
  );
}
const SOURCE_TEXT = sources(join(import.meta.dirname, '..', '..', 'src')).join('\n');

describe('the tours', () => {
  test('tour ids and step ids are unique, and every step names an existing view', () => {
    const views = new Set(VIEWS.map((v) => v.id));
    expect(new Set(TOURS.map((t) => t.id)).size).toBe(TOURS.length);
    for (const tour of TOURS) {
      expect(tour.steps.length).toBeGreaterThan(0);
      expect(new Set(tour.steps.map((s) => s.id)).size, tour.id).toBe(tour.steps.length);
      for (const step of tour.steps) expect(views.has(step.view), `${tour.id}/${step.id}: view ${step.view}`).toBe(true);
    }
  });

  test('every data-tour target is rendered by some component, and each t lies in [0, 1]', () => {
    for (const tour of TOURS) {
      for (const step of tour.steps) {
        const name = /^\[data-tour="([\w-]+)"\]$/.exec(step.target)?.[1];
        expect(name, `${tour.id}/${step.id} targets ${step.target}`).toBeDefined();
        expect(SOURCE_TEXT.includes(`data-tour="${name}"`), `no component renders data-tour="${name}"`).toBe(true);
        const t = step.apply?.t;
        if (t !== undefined) expect(t >= 0 && t <= 1, `${tour.id}/${step.id}: t = ${t}`).toBe(true);
      }
    }
  });

  test('a link resumes a tour at its step (counted from 1); bad ids and steps are said', () => {
    expect(readTourLink('?tour=2d&step=3')).toEqual({ tour: TOURS[0], step: 2, problem: null });
    expect(readTourLink('?view=mnist&tour=mnist')).toMatchObject({ step: 0, problem: null });
    expect(readTourLink('?width=64')).toEqual({ tour: null, step: 0, problem: null });
    expect(readTourLink('?tour=nope')).toMatchObject({ tour: null, problem: expect.stringContaining('no tour “nope”') });
    for (const bad of ['0', '99', '2.5', 'x']) expect(readTourLink(`?tour=2d&step=${bad}`)).toMatchObject({ tour: TOURS[0], step: 0, problem: expect.stringContaining('starts at step 1') });
    expect(writeTourLink('?view=mnist&mnistSteps=10', 'mnist', 2)).toBe('?view=mnist&mnistSteps=10&tour=mnist&step=3');
    expect(writeTourLink('?tour=mnist&step=3&view=mnist', null, 0)).toBe('?view=mnist');
    expect(readTourLink(writeTourLink('', '2d', 4))).toMatchObject({ step: 4 });
  });
});

describe('the tour card placement', () => {
  test('when the target and the card fit in the viewport, the card covers none of the target and stays inside', () => {
    const viewport = fc.record({ width: fc.integer({ min: 320, max: 1920 }), height: fc.integer({ min: 480, max: 1200 }) });
    fc.assert(
      fc.property(viewport, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 20, max: 900 }), fc.integer({ min: 20, max: 900 }), fc.integer({ min: 120, max: 320 }), fc.integer({ min: 0, max: 3000 }), (vp, fx, fw, h, w0, cardHeight, pageTop) => {
        const width = Math.min(w0, vp.width - 2 * GAP) * (0.3 + 0.7 * fw);
        const target = { left: GAP + fx * (vp.width - 2 * GAP - width), top: pageTop, width, height: h };
        const choice = chooseSide(target, vp);
        const { side, scrollTop } = scrollFor(target, cardHeight, choice.side, vp.height);
        const inView = { ...target, top: target.top - scrollTop };
        const card = { width: choice.width, height: cardHeight };
        const pos = cardPosition(inView, card, side, vp);
        const cardBox = { ...pos, ...card };
        expect(cardBox.left).toBeGreaterThanOrEqual(GAP - 1e-9);
        expect(cardBox.left + cardBox.width).toBeLessThanOrEqual(vp.width - GAP + 1e-9);
        if (side === 'over') {
          expect(h + GAP + cardHeight + 2 * GAP).toBeGreaterThan(vp.height);
          return;
        }
        expect(inView.top).toBeGreaterThanOrEqual(0);
        expect(inView.top + inView.height).toBeLessThanOrEqual(vp.height + 1e-9);
        expect(overlaps(cardBox, inView)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  test('a 560 px plot at 1280 x 720 gets the card on its wider side, as wide as fits; a phone gets it below', () => {
    expect(chooseSide({ left: 330, top: 200, width: 560, height: 560 }, { width: 1280, height: 720 })).toEqual({ side: 'right', width: 360 });
    expect(chooseSide({ left: 400, top: 200, width: 600, height: 560 }, { width: 1280, height: 720 })).toEqual({ side: 'left', width: 360 });
    expect(chooseSide({ left: 300, top: 200, width: 660, height: 560 }, { width: 1280, height: 720 })).toEqual({ side: 'right', width: 296 });
    expect(chooseSide({ left: 300, top: 200, width: 660, height: 700 }, { width: 1280, height: 720 })).toEqual({ side: 'below', width: 360 });
    expect(chooseSide({ left: 16, top: 400, width: 358, height: 358 }, { width: 390, height: 844 })).toEqual({ side: 'below', width: 360 });
    expect(chooseSide({ left: 12, top: 400, width: 336, height: 336 }, { width: 360, height: 640 })).toEqual({ side: 'below', width: 336 });
  });
});

/** A lesson's settings as its view reads them, and the defaults. */
function lessonValues(lesson: Lesson): { values: Record<string, unknown>; defaults: Record<string, unknown>; decls: typeof SETTINGS_2D | typeof SETTINGS_MNIST } {
  const decls = lesson.view === '2d' ? SETTINGS_2D : SETTINGS_MNIST;
  return { values: readSettings(decls, lessonSearch(lesson)).values, defaults: defaultsOf(decls), decls };
}

describe('the lesson presets', () => {
  test('ids are unique and each opens a view that exists', () => {
    expect(new Set(LESSONS.map((l) => l.id)).size).toBe(LESSONS.length);
    for (const l of LESSONS) expect(VIEWS.some((v) => v.id === l.view), l.id).toBe(true);
  });

  test('every preset passes its view\'s own URL validation, and each of its parameters changes a setting from its default', () => {
    for (const lesson of LESSONS) {
      expect(lessonProblems(lesson)).toEqual([]);
      const { values, defaults, decls } = lessonValues(lesson);
      for (const [param, text] of Object.entries(lesson.params)) {
        const key = Object.entries(decls).find(([, s]) => s.url === param)![0];
        expect(values[key], `${lesson.id}: ${param}`).not.toEqual(defaults[key]);
        expect(String(values[key]), `${lesson.id}: ${param}`).toBe(String(Number(text)));
      }
    }
  });

  test('every control a lesson presses is rendered by some component, in the 2D view', () => {
    for (const lesson of LESSONS) {
      for (const id of lesson.press ?? []) {
        // The Model panel names its buttons source-<one of MODEL_SOURCES>; the others are written out.
        const rendered = SOURCE_TEXT.includes(`data-testid="${id}"`) || (SOURCE_TEXT.includes('data-testid={`source-${s}`}') && MODEL_SOURCES.some((s) => id === `source-${s}`));
        expect(rendered, `${lesson.id} presses ${id}`).toBe(true);
      }
    }
    expect(lessonProblems({ id: 'x', name: 'x', description: 'x', view: 'mnist', params: {}, press: ['source-ideal'] })).toEqual(['x: only lessons of the 2d view press controls.']);
  });

  test('the check refuses a parameter no setting reads, a value out of range, and a run above the limits', () => {
    const base: Lesson = { id: 'x', name: 'x', description: 'x', view: '2d', params: {} };
    expect(lessonProblems({ ...base, params: { stepz: '10' } })).toEqual(['x: no setting of the 2d view reads the parameter stepz.']);
    expect(lessonProblems({ ...base, params: { sigma1: '0.9' } })).toEqual(['x: σ₁ (sigma1=0.9) is above the maximum 0.5; reset to 0.02.']);
    expect(lessonProblems({ ...base, params: { samples: '5000', steps: '1000' } })).toHaveLength(1);
    expect(lessonProblems({ ...base, view: 'mnist', params: { mnistImages: '64', mnistSteps: '1000' } })).toEqual(['x: 1000 steps exceed the limit 200 for 64 images.']);
  });
});
