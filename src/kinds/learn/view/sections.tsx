/**
 * The Learn view's sections, in reading order, one entry each: a section is a widget beside its equation. Adding a
 * section adds its file and one line here.
 */
import type { ReactNode } from 'react';
import type { SectionProps } from './sectionProps';
import { UpdateSection } from './UpdateSection';
import { FlowSection } from './FlowSection';
import { ScheduleSection } from './ScheduleSection';
import { SenderReceiverSection } from './SenderReceiver';
import { BfnVsDiffusionSection } from './BfnVsDiffusion';

export type { SectionProps };

/** One section of the Learn view. */
export interface LearnSection {
  /** The anchor (`?view=learn#<id>`). */
  id: string;
  title: string;
  render: (props: SectionProps) => ReactNode;
}

export const LEARN_SECTIONS: readonly LearnSection[] = [
  { id: 'bayesian-update', title: 'The Bayesian update of one variable', render: (p) => <UpdateSection {...p} /> },
  { id: 'many-updates', title: 'Many small updates, one big one, and the Bayesian flow', render: (p) => <FlowSection {...p} /> },
  { id: 'accuracy-schedule', title: 'The accuracy schedule', render: (p) => <ScheduleSection {...p} /> },
  { id: 'sender-receiver', title: 'Sender, receiver and output distributions', render: (p) => <SenderReceiverSection {...p} /> },
  { id: 'bfn-vs-diffusion', title: 'A BFN beside a diffusion model', render: (p) => <BfnVsDiffusionSection {...p} /> },
];
