/** The numbers of the current frame: step, t, rho(t) and the accuracy alpha of the next update. */
import type { TrajectoryPayload } from '../../../engine/protocol';
import { fixed, sig } from '../../../ui/format';

/** Step, t, rho and alpha of the frame at `pos` (whole frames: the one shown last). Dashes, never NaN. */
export function Readouts({ payload, pos }: { payload: TrajectoryPayload | null; pos: number }) {
  const n = payload?.n ?? 0;
  const k = payload ? Math.min(n, Math.max(0, Math.floor(pos))) : null;
  const t = payload && k !== null ? payload.t[k] : null;
  const rho = payload && k !== null ? payload.rho[k] : null;
  const alpha = payload && k !== null && k < n ? payload.alpha[k] : null;
  return (
    <dl className="readouts" data-testid="readouts" data-tour="readouts" aria-label="Current step">
      <div>
        <dt>step</dt>
        <dd data-testid="readout-step">{payload && k !== null ? `${k} / ${n}` : '—'}</dd>
      </div>
      <div>
        <dt>t</dt>
        <dd data-testid="readout-t">{fixed(t, 3)}</dd>
      </div>
      <div>
        <dt title="input precision: 1 at t = 0, 1/σ₁² at t = 1">ρ(t)</dt>
        <dd data-testid="readout-rho">{sig(rho, 4)}</dd>
      </div>
      <div>
        <dt title="accuracy of the next Bayesian update, α_i with i = step + 1">α next</dt>
        <dd data-testid="readout-alpha">{payload && k === n ? 'done' : sig(alpha, 4)}</dd>
      </div>
    </dl>
  );
}
