// @vitest-environment jsdom
/**
 * The timeline hook (src/ui/hooks/usePlayback.ts) under React Testing Library: seeking and stepping, playback
 * advanced by animation frames (a hand-driven requestAnimationFrame, so each frame's time is exact), the end of the
 * run, restarts, reduced motion, and the keyboard rules (which keys belong to a focused control).
 */
import { act, renderHook } from '@testing-library/react';
import { describe, expect, test, vi } from 'vitest';
import { frame, queue, installManualFrames } from './manualFrames';
import { nextSpeed, PLAYBACK_MS, usePlayback, type PlaybackHandle } from '../../../src/ui/hooks/usePlayback';

installManualFrames();

interface Props {
  last: number;
  speed: number;
  reducedMotion: boolean;
  active: boolean;
}

function setup(initial: Partial<Props> = {}) {
  const setSpeed = vi.fn<(speed: number) => void>();
  const props: Props = { last: 20, speed: 1, reducedMotion: false, active: true, ...initial };
  const view = renderHook((p: Props) => usePlayback(p.last, p.speed, setSpeed, p.reducedMotion, p.active), { initialProps: props });
  const h = (): PlaybackHandle => view.result.current;
  return { h, setSpeed, rerender: (patch: Partial<Props>) => view.rerender({ ...props, ...patch }) };
}

/** Dispatches a keydown at `target` (bubbling to window) and returns the event. */
function press(key: string, target: EventTarget = document.body, init: KeyboardEventInit = {}): KeyboardEvent {
  const e = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init });
  act(() => {
    target.dispatchEvent(e);
  });
  return e;
}

describe('usePlayback: seeking and stepping', () => {
  test('seek clamps to [0, last]; step moves to the next or previous whole frame and pauses', () => {
    const { h } = setup();
    expect(h().pos).toBe(0);
    expect(h().playing).toBe(false);
    act(() => h().seek(7.5));
    expect(h().pos).toBe(7.5);
    act(() => h().step(1));
    expect(h().pos).toBe(8); // floor(7.5) + 1
    act(() => h().seek(7.5));
    act(() => h().step(-1));
    expect(h().pos).toBe(7); // ceil(7.5) - 1
    act(() => h().seek(-3));
    expect(h().pos).toBe(0);
    act(() => h().step(-1));
    expect(h().pos).toBe(0);
    act(() => h().seek(99));
    expect(h().pos).toBe(20);
    act(() => h().step(1));
    expect(h().pos).toBe(20);
  });

  test('nextSpeed walks the list of speeds and stops at its ends', () => {
    expect(nextSpeed(1, 1)).toBe(2);
    expect(nextSpeed(1, -1)).toBe(0.5);
    expect(nextSpeed(4, 1)).toBe(4);
    expect(nextSpeed(0.25, -1)).toBe(0.25);
    expect(nextSpeed(3, -1)).toBe(2); // a speed between two steps goes to the neighbour
  });
});

describe('usePlayback: playing', () => {
  test('each animation frame advances last / PLAYBACK_MS * speed frames per millisecond', () => {
    const { h } = setup({ last: 20, speed: 2 });
    act(() => h().togglePlay());
    expect(h().playing).toBe(true);
    frame(1000); // the first frame only sets the clock
    expect(h().pos).toBe(0);
    frame(1050);
    expect(h().pos).toBeCloseTo((20 / PLAYBACK_MS) * 2 * 50, 12); // 0.4 frames
    frame(1080);
    expect(h().pos).toBeCloseTo((20 / PLAYBACK_MS) * 2 * 80, 12);
    // A long pause between frames (a hidden tab) counts as 100 ms at most.
    frame(5000);
    expect(h().pos).toBeCloseTo((20 / PLAYBACK_MS) * 2 * 180, 12);
  });

  test('the run stops on exactly the last frame and schedules no more frames; play then starts again from 0', () => {
    const { h } = setup({ last: 4 });
    act(() => h().seek(3.9));
    act(() => h().togglePlay());
    frame(0);
    frame(100); // +0.08 frames: 3.98
    expect(h().pos).toBeCloseTo(3.98, 12);
    expect(h().playing).toBe(true);
    frame(200); // would be 4.06
    expect(h().pos).toBe(4);
    expect(h().playing).toBe(false);
    expect(queue.size).toBe(0);
    act(() => h().togglePlay());
    expect(h().pos).toBe(0);
    expect(h().playing).toBe(true);
  });

  test('pause keeps the position; a seek while playing pauses there and a frame already scheduled cannot move it back', () => {
    const { h } = setup({ last: 20 });
    act(() => h().togglePlay());
    frame(0);
    frame(100);
    const at = h().pos;
    act(() => h().togglePlay());
    expect(h().playing).toBe(false);
    expect(h().pos).toBe(at);
    act(() => h().togglePlay());
    frame(200);
    act(() => h().seek(12));
    frame(300);
    expect(h().pos).toBe(12);
    expect(h().playing).toBe(false);
  });

  test('restart(true) plays from frame 0; restart(false) shows the last frame, and stepping back from it works', () => {
    const { h } = setup({ last: 20 });
    act(() => h().seek(9));
    act(() => h().restart(true));
    expect(h().pos).toBe(0);
    expect(h().playing).toBe(true);
    act(() => h().restart(false));
    expect(h().playing).toBe(false);
    expect(h().pos).toBe(20);
    act(() => h().step(-1));
    expect(h().pos).toBe(19);
  });

  test('a shorter trajectory keeps the position inside it', () => {
    const { h, rerender } = setup({ last: 20 });
    act(() => h().seek(15));
    rerender({ last: 10 });
    expect(h().pos).toBe(10);
    act(() => h().step(-1));
    expect(h().pos).toBe(9);
  });

  test('under reduced motion a restart does not play, and playing steps whole frames every 400 ms', () => {
    const { h } = setup({ last: 20, reducedMotion: true });
    act(() => h().restart(true));
    expect(h().playing).toBe(false);
    expect(h().pos).toBe(20);
    act(() => h().seek(2.5));
    act(() => h().togglePlay());
    frame(0);
    frame(100);
    frame(200);
    frame(300);
    expect(h().pos).toBe(2.5);
    frame(400);
    expect(h().pos).toBe(3); // the next whole frame, not 3.5
    for (let t = 500; t <= 800; t += 100) frame(t);
    expect(h().pos).toBe(4);
  });

  test('an inactive view runs no animation frames and listens to no keys', () => {
    const { h, rerender } = setup({ last: 20, active: false });
    act(() => h().togglePlay());
    expect(queue.size).toBe(0);
    press('End');
    expect(h().pos).toBe(0);
    rerender({ active: true });
    expect(queue.size).toBe(1); // resumes where it was
  });
});

describe('usePlayback: keyboard', () => {
  test('space plays and pauses, arrows step, Home and End seek, + and - change the speed', () => {
    const { h, setSpeed } = setup({ last: 20, speed: 1 });
    const space = press(' ');
    expect(space.defaultPrevented).toBe(true);
    expect(h().playing).toBe(true);
    press(' ');
    expect(h().playing).toBe(false);
    press('End');
    expect(h().pos).toBe(20);
    press('ArrowLeft');
    expect(h().pos).toBe(19);
    press('Home');
    expect(h().pos).toBe(0);
    press('ArrowRight');
    expect(h().pos).toBe(1);
    press('+');
    press('=');
    press('-');
    expect(setSpeed.mock.calls).toEqual([[2], [2], [0.5]]);
  });

  test('keys with Ctrl, Alt or Meta, and keys typed into text fields, are left alone', () => {
    const { h } = setup({ last: 20 });
    const withCtrl = press(' ', document.body, { ctrlKey: true });
    expect(withCtrl.defaultPrevented).toBe(false);
    press('End', document.body, { altKey: true });
    expect(h().pos).toBe(0);
    const text = document.body.appendChild(document.createElement('input'));
    text.type = 'text';
    const typed = press(' ', text);
    expect(typed.defaultPrevented).toBe(false);
    expect(h().playing).toBe(false);
    const area = document.body.appendChild(document.createElement('textarea'));
    press('End', area);
    expect(h().pos).toBe(0);
  });

  test('a focused button, checkbox or disclosure keeps space; a slider keeps its arrows, Home and End but not space or +', () => {
    const { h, setSpeed } = setup({ last: 20 });
    const button = document.body.appendChild(document.createElement('button'));
    const onButton = press(' ', button);
    expect(onButton.defaultPrevented).toBe(false);
    expect(h().playing).toBe(false);
    press('End', button); // a button has no End of its own
    expect(h().pos).toBe(20);

    const box = document.body.appendChild(document.createElement('input'));
    box.type = 'checkbox';
    press(' ', box);
    const summary = document.body.appendChild(document.createElement('summary'));
    press(' ', summary);
    const roleSwitch = document.body.appendChild(document.createElement('div'));
    roleSwitch.setAttribute('role', 'switch');
    press(' ', roleSwitch);
    expect(h().playing).toBe(false);

    const slider = document.body.appendChild(document.createElement('input'));
    slider.type = 'range';
    const arrow = press('ArrowLeft', slider);
    expect(arrow.defaultPrevented).toBe(false);
    press('Home', slider);
    expect(h().pos).toBe(20);
    press('+', slider);
    expect(setSpeed).toHaveBeenCalledWith(2);
    const spaceOnSlider = press(' ', slider);
    expect(spaceOnSlider.defaultPrevented).toBe(true);
    expect(h().playing).toBe(true);
  });

  test('a trajectory of one frame (last = 0) neither plays nor listens', () => {
    const { h } = setup({ last: 0 });
    act(() => h().togglePlay());
    expect(h().playing).toBe(false);
    const e = press(' ');
    expect(e.defaultPrevented).toBe(false);
    expect(queue.size).toBe(0);
  });
});

describe('usePlayback with frames still being sampled', () => {
  const last = 20;

  test('plays up to the last sampled frame, waits there playing, and goes on when more frames arrive', () => {
    const view = renderHook((p: { available: number }) => usePlayback(last, 1, () => undefined, false, true, p.available), { initialProps: { available: 2 } });
    expect(PLAYBACK_MS / last).toBe(250); // ms per frame at speed 1, which the times below assume
    act(() => view.result.current.restart(true));
    // Animation frames every 100 ms (the hook caps a frame's time step at 100 ms): 0.4 frames each at speed 1.
    frame(0);
    frame(100);
    frame(200);
    frame(300);
    expect(view.result.current.pos).toBeCloseTo(1.2, 9);
    frame(400);
    frame(500); // 2.0: the last sampled frame
    frame(600); // would be 2.4
    expect(view.result.current.pos).toBe(2);
    expect(view.result.current.playing).toBe(true);
    view.rerender({ available: 10 });
    frame(700);
    expect(view.result.current.pos).toBeCloseTo(2.4, 9);
  });

  test('seeking and End stop at the last sampled frame; play ends only at the real last frame', () => {
    const view = renderHook((p: { available: number }) => usePlayback(last, 1, () => undefined, false, true, p.available), { initialProps: { available: 5 } });
    act(() => view.result.current.seek(15));
    expect(view.result.current.pos).toBe(5);
    act(() => view.result.current.step(1));
    expect(view.result.current.pos).toBe(5);
    view.rerender({ available: last });
    act(() => view.result.current.seek(15));
    expect(view.result.current.pos).toBe(15);
  });
});
