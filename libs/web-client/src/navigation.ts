import { type RefObject, useEffect, useRef } from 'react';
import { useLocation } from 'react-router';

/** After a client-side navigation, focus moves to the new screen's main landmark, as a page load would put it. */
export function useFocusOnNavigation(main: RefObject<HTMLElement | null>): void {
  const location = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [location.pathname, main]);
}
