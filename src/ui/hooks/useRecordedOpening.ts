/**
 * The views' one way to show a recorded opening (src/engine/opening.ts) before their first run: fetch the opening of
 * a shipped model and hand it to the view if, once it has arrived, the view still wants it with the settings it was
 * recorded with. Used by the 2D, MNIST, grey-scale MNIST and words views. (Kept out of src/ui/openings.ts, which the
 * page's entry imports before React.)
 */
import { useEffect, useEffectEvent } from 'react';
import { isOpeningOf, type Opening } from '../../engine/client';
import { fetchOpening } from '../openings';

/**
 * @param id the shipped model whose opening to show (the effect runs again when it changes), or null for none.
 * @param wanted the sampling options the view's first run will have, or null when it wants no opening (a run already
 *   asked for, reduced motion...): read before fetching and again when the opening has arrived, at the latest render.
 * @param show called once with the opening and those options, when it is the run of those options.
 */
export function useRecordedOpening<P, O extends object>(id: string | null, wanted: () => O | null, show: (opening: Opening<P>, options: O) => void): void {
  const wantedNow = useEffectEvent(wanted);
  const showNow = useEffectEvent(show);
  useEffect(() => {
    if (id === null || wantedNow() === null) return;
    let live = true;
    void fetchOpening<P>(id).then((opening) => {
      const options = wantedNow();
      if (live && opening && options && isOpeningOf(opening.header, id, options)) showNow(opening, options);
    });
    return () => {
      live = false;
    };
  }, [id]);
}
