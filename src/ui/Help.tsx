/**
 * Help beside a control: a small (i) button that opens a short popover saying what the control does and its unit.
 * It opens on click, Enter or space, closes on Escape (the focus stays on the button), on a click elsewhere and when
 * the focus leaves it. The text is always in the page (hidden while closed), and the controls it describes point at
 * it with aria-describedby, so a screen reader reads it with the control. The settings' help comes from their
 * declarations (src/settings/), the one source of these texts; the actions' help from ./controlHelp.ts.
 *
 * Hand-written (about 40 lines): none of the installed libraries has a popover, and the native Popover API places
 * its box in the middle of the screen unless CSS anchor positioning is available, which not every browser has.
 */
import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import './help.css';

/** Moves an open popover sideways, by as little as needed, so that it lies inside the viewport (phones included). */
function useKeepOnScreen(open: boolean): RefObject<HTMLSpanElement | null> {
  const pop = useRef<HTMLSpanElement>(null);
  useLayoutEffect(() => {
    const el = pop.current;
    if (!el || !open) return;
    el.style.translate = '';
    const r = el.getBoundingClientRect();
    const margin = 8;
    const dx = r.right > innerWidth - margin ? innerWidth - margin - r.right : r.left < margin ? margin - r.left : 0;
    if (dx !== 0) el.style.translate = `${Math.round(dx)}px 0`;
  }, [open]);
  return pop;
}

/** Props of {@link Help}. */
export interface HelpProps {
  /** What the help is about, for the button's accessible name ("About Learning rate"). */
  topic: string;
  /** The help text: what the control does, and its unit. */
  text: ReactNode;
  /** Ids of the controls this help describes (they get aria-describedby). */
  describes?: readonly string[];
}

/** An (i) button with a popover of help, reachable and dismissible by keyboard. */
export function Help({ topic, text, describes = [] }: HelpProps) {
  const popId = `help-${useId().replace(/[^\w-]/g, '')}`;
  const [open, setOpen] = useState(false);
  const [alignEnd, setAlignEnd] = useState(false);
  const wrap = useRef<HTMLSpanElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const pop = useKeepOnScreen(open);

  // The controls' descriptions point at the (hidden while closed) text.
  const describedIds = describes.join(' ');
  useEffect(() => {
    const els = describedIds.split(' ').filter(Boolean).map((id) => document.getElementById(id)).filter((el): el is HTMLElement => el !== null);
    for (const el of els) el.setAttribute('aria-describedby', popId);
    return () => els.forEach((el) => el.removeAttribute('aria-describedby'));
  }, [describedIds, popId]);

  // A click or tap outside closes it.
  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (!wrap.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onDown);
    return () => document.removeEventListener('pointerdown', onDown);
  }, [open]);

  const toggle = () => {
    const r = button.current?.getBoundingClientRect();
    // Near the right edge the popover opens leftwards, so that it stays on screen.
    setAlignEnd(r !== undefined && r.left > window.innerWidth / 2);
    setOpen((o) => !o);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || !open) return;
    // Escape is the help's: the page's own Escape (letting a chosen point go) does not see it.
    e.preventDefault();
    e.stopPropagation();
    setOpen(false);
    button.current?.focus();
  };

  return (
    <span className="help" ref={wrap} onKeyDown={onKeyDown} onBlur={(e) => !wrap.current?.contains(e.relatedTarget as Node | null) && setOpen(false)}>
      <button ref={button} type="button" className="help-button" aria-label={`About ${topic}`} aria-expanded={open} aria-controls={popId} onClick={toggle} data-testid="help-button">
        <span aria-hidden="true">i</span>
      </button>
      <span ref={pop} id={popId} role="tooltip" className={`help-pop${alignEnd ? ' end' : ''}`} hidden={!open} data-testid="help-pop">
        {text}
      </span>
    </span>
  );
}

/** A field's label with its help beside it: the label names the control `htmlFor`, the help describes it. */
export function FieldLabel({ htmlFor, help, children }: { htmlFor: string; help: ReactNode; children: ReactNode }) {
  return (
    <span className="field-label">
      <label htmlFor={htmlFor}>{children}</label>
      <Help topic={typeof children === 'string' ? children : htmlFor} text={help} describes={[htmlFor]} />
    </span>
  );
}

/**
 * A tooltip for a control with no room for an (i) button beside it: `text` shows below the control while the
 * keyboard focus is on it or the pointer over it, Escape hides it, and the control is described by it. The control
 * must carry the id `describes`.
 */
export function Tip({ text, describes, children }: { text: ReactNode; describes: string; children: ReactNode }) {
  const tipId = `tip-${useId().replace(/[^\w-]/g, '')}`;
  const [open, setOpen] = useState(false);
  const pop = useKeepOnScreen(open);
  useEffect(() => {
    const el = document.getElementById(describes);
    el?.setAttribute('aria-describedby', tipId);
    return () => el?.removeAttribute('aria-describedby');
  }, [describes, tipId]);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || !open) return;
    e.preventDefault();
    e.stopPropagation();
    setOpen(false);
  };
  return (
    <span
      className="help tip"
      onKeyDown={onKeyDown}
      onFocus={(e) => setOpen((e.target as Element).matches(':focus-visible'))}
      onBlur={() => setOpen(false)}
      onPointerEnter={(e) => e.pointerType === 'mouse' && setOpen(true)}
      onPointerLeave={() => setOpen(false)}
    >
      {children}
      <span ref={pop} id={tipId} role="tooltip" className="help-pop end" hidden={!open} data-testid="help-tip">
        {text}
      </span>
    </span>
  );
}
