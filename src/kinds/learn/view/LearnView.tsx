/**
 * The Learn view (`?view=learn`): the ideas of a Bayesian Flow Network one widget at a time, each beside its equation
 * (KaTeX) with the current numbers substituted in and its source in the paper. Every number comes from the worker's
 * Learn session, which uses the same src/bfn code as the models.
 */
import type { BackendInfo, EngineClient } from '../../../engine/client';
import { LEARN_SECTIONS } from './sections';
import './learn.css';

export interface LearnViewProps {
  engine: EngineClient;
  backend: BackendInfo | null;
  onError: (where: string, message: string) => void;
  active: boolean;
}

/** The Learn view: a table of contents and the sections. */
export function LearnView({ engine, onError, active }: LearnViewProps) {
  return (
    <div className="learn" id="learn-main" tabIndex={-1}>
      <nav className="learn-toc card" aria-label="Learn sections">
        <h2>Sections</h2>
        <ol>
          {LEARN_SECTIONS.map((s) => <li key={s.id}><a href={`#${s.id}`}>{s.title}</a></li>)}
        </ol>
      </nav>
      <div className="learn-sections">
        {LEARN_SECTIONS.map((s) => (
          <section key={s.id} id={s.id} className="card learn-section" aria-labelledby={`${s.id}-title`}>
            <h2 id={`${s.id}-title`}>{s.title}</h2>
            {s.render({ engine, onError, active })}
          </section>
        ))}
      </div>
    </div>
  );
}
