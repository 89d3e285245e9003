// @vitest-environment jsdom
/**
 * The shared loss chart (src/ui/charts/LossChart.tsx) rendered in jsdom with the binarized-MNIST view's numbers: its y
 * axis turns logarithmic once the loss spans decades, its step ticks are integers, a setting change is a labelled
 * line at its step, the user can override the axis, and non-positive losses and a missing history are said, not
 * dropped silently.
 */
import { act, cleanup, fireEvent, render } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { LossChart } from '../../src/ui/charts/LossChart';
import type { LossHistory } from '../../src/ui/hooks/useTrainingLoop';
import { HISTORY_NOT_SAVED } from '../../src/state/trainingHistory';

/** Width jsdom's stand-in ResizeObserver reports for every chart. */
const WIDTH = 640;

beforeEach(() => {
  vi.stubGlobal(
    'ResizeObserver',
    class {
      constructor(private cb: ResizeObserverCallback) {}
      observe(el: Element) {
        this.cb([{ contentRect: { width: WIDTH } } as ResizeObserverEntry], this as unknown as ResizeObserver);
        void el;
      }
      disconnect() {}
      unobserve() {}
    },
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/**
 * An MNIST-like loss curve, nats per image, steps 1..n: from L∞ of uniform predictions (K beta1 E[t] ‖e_x − 1/2‖² per
 * pixel = 2 · 9 · 1/2 · 1/2 = 4.5, times 784 pixels = 3,528) down towards the shipped model's final 91.5.
 */
function mnistHistory(n: number, changes: LossHistory['changes'] = [], note: string | null = null): LossHistory {
  const losses = Array.from({ length: n }, (_, k) => 91.5 + (3528 - 91.5) * Math.exp(-k / 40));
  return { firstStep: 1, losses, smoothed: losses, changes, note };
}

function chart(history: LossHistory) {
  return render(<LossChart history={history} title="MNIST loss" testId="mnist-train-loss" yLabel="L∞ (nats / image)" empty="Start training" />);
}

/** The x pixel of each labelled tick of an axis (d3 writes translate(x, 0) on each). */
function ticks(container: HTMLElement, axis: 0 | 1): { value: string; pos: number }[] {
  const g = container.querySelectorAll('g.axis')[axis]!;
  return Array.from(g.querySelectorAll('.tick')).map((t) => {
    const m = /translate\(([-\d.e]+),\s*([-\d.e]+)\)/.exec(t.getAttribute('transform') ?? '')!;
    return { value: t.textContent ?? '', pos: Number(axis === 0 ? m[1] : m[2]) };
  });
}

describe('LossChart', () => {
  test('the MNIST loss of 300 steps spans decades: a log axis labelled at 100 and 1000', () => {
    const { getByTestId, container } = chart(mnistHistory(300));
    const fig = getByTestId('mnist-train-loss');
    expect(fig.getAttribute('data-y-scale')).toBe('log');
    const labelled = ticks(container, 1).filter((t) => t.value !== '').map((t) => t.value);
    expect(labelled).toEqual(['100', '1000']);
    // On the log axis, 100 → 1,000 takes the same height as 1,000 → 10,000 would: the late losses are not on the floor.
    const y = ticks(container, 1);
    const y100 = y.find((t) => t.value === '100')!.pos;
    const y1000 = y.find((t) => t.value === '1000')!.pos;
    const y200 = y[y.findIndex((t) => t.value === '100') + 1]!.pos;
    expect((y100 - y200) / (y100 - y1000)).toBeCloseTo(Math.log10(2), 6);
  });

  test('the first 30 steps span less than 10x: linear; the user can force log and go back', () => {
    const { getByTestId } = chart(mnistHistory(30));
    const fig = getByTestId('mnist-train-loss');
    expect(fig.getAttribute('data-y-scale')).toBe('linear');
    const select = getByTestId('mnist-train-loss-yscale') as HTMLSelectElement;
    act(() => {
      fireEvent.change(select, { target: { value: 'log' } });
    });
    expect(fig.getAttribute('data-y-scale')).toBe('log');
    act(() => {
      fireEvent.change(select, { target: { value: 'auto' } });
    });
    expect(fig.getAttribute('data-y-scale')).toBe('linear');
  });

  test('step ticks are integers, even over a handful of steps', () => {
    for (const n of [2, 3, 5, 300]) {
      const { container, unmount } = chart(mnistHistory(n));
      const values = ticks(container, 0).map((t) => Number(t.value.replace(/,/g, '')));
      expect(values.length).toBeGreaterThanOrEqual(2);
      for (const v of values) expect(Number.isInteger(v)).toBe(true);
      unmount();
    }
  });

  test('a setting change is a labelled line at its step', () => {
    const { getByTestId, container } = chart(mnistHistory(300, [{ step: 120, setting: 'lr', name: 'learning rate', from: '0.001', to: '0.0003' }]));
    const marker = getByTestId('mnist-train-loss-change');
    expect(marker.getAttribute('data-step')).toBe('120');
    expect(marker.textContent).toContain('lr 0.0003');
    expect(marker.querySelector('title')?.textContent).toBe('step 120: learning rate 0.001 → 0.0003');
    // Its x lies 20 % of the way from the tick at 100 to the tick at 200 (d3 shifts its ticks by half a pixel).
    const x = ticks(container, 0);
    const at = (v: string) => x.find((t) => t.value === v)!.pos;
    const lineX = Number(marker.querySelector('line')!.getAttribute('x1'));
    expect(lineX).toBeCloseTo(at('100') + 0.2 * (at('200') - at('100')) - 0.5, 6);
    expect(getByTestId('mnist-train-loss').textContent).toContain('a setting changed');
  });

  test('non-positive losses are counted on the chart, and a missing history is said', () => {
    const h = mnistHistory(300, [], HISTORY_NOT_SAVED);
    h.losses = [...h.losses.slice(0, 298), 0, -2];
    const { getByTestId, getAllByTestId } = chart(h);
    expect(getByTestId('mnist-train-loss').getAttribute('data-y-scale')).toBe('linear');
    const notes = getAllByTestId('mnist-train-loss-note').map((n) => n.textContent);
    expect(notes).toEqual(['linear axis: 2 values ≤ 0 cannot go on a log axis', HISTORY_NOT_SAVED]);
    act(() => {
      fireEvent.change(getByTestId('mnist-train-loss-yscale'), { target: { value: 'log' } });
    });
    expect(getAllByTestId('mnist-train-loss-note')[0]!.textContent).toBe('2 values ≤ 0 not drawn on the log axis');
  });
});
