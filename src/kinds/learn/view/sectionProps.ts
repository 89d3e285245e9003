/** What every section of the Learn view gets (a module of its own, so that sections and the list import it without a cycle). */
import type { EngineClient } from '../../../engine/client';

export interface SectionProps {
  engine: EngineClient;
  onError: (where: string, message: string) => void;
  /** False while the Learn view is hidden. */
  active: boolean;
}
