/**
 * The 2D view's settings that can change between two training runs of the same network (the others start a fresh
 * network): the learning rate, the batch size, the loss (L^inf or L^n and its n) and the weight averaging, in the
 * words of the charts' change markers.
 */
import type { Train2DConfig } from '../../../engine/protocol';
import type { SettingChange } from '../../../state/trainingHistory';

const lossText = (l: Train2DConfig['loss']) => (l.type === 'inf' ? 'L∞' : `L^${l.n}`);
const emaText = (d: number | undefined) => (d ? `EMA ${d}` : 'off');

/**
 * What changed from `before` to `after` among the settings a network keeps training with: learning rate, batch,
 * loss, weight averaging (width, depth, Fourier features, residual layers, sigma1 and seed build a new network and
 * are not listed). @returns one change per setting, without its step, in that order.
 */
export function trainingChanges(before: Train2DConfig, after: Train2DConfig): Omit<SettingChange, 'step'>[] {
  const out: Omit<SettingChange, 'step'>[] = [];
  const add = (setting: string, name: string, from: string, to: string) => {
    if (from !== to) out.push({ setting, name, from, to });
  };
  add('lr', 'learning rate', String(before.learningRate), String(after.learningRate));
  add('batch', 'batch size', String(before.batch), String(after.batch));
  add('loss', 'loss', lossText(before.loss), lossText(after.loss));
  add('EMA', 'weight averaging', emaText(before.emaDecay), emaText(after.emaDecay));
  return out;
}
