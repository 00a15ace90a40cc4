import { useState } from 'react';
import { useI18n } from '../../i18n';

/** Keyset pages: the cursors of the pages seen so far, so "previous" needs no offset. */
export function usePager() {
  const [cursors, setCursors] = useState<string[]>([]);
  return {
    cursor: cursors.at(-1),
    page: cursors.length + 1,
    next: (cursor: string) => setCursors((c) => [...c, cursor]),
    prev: () => setCursors((c) => c.slice(0, -1)),
    reset: () => setCursors([]),
  };
}

/** Previous and next page buttons for a keyset-paged list. */
export function Pager({
  pager,
  nextCursor,
}: {
  pager: ReturnType<typeof usePager>;
  nextCursor: string | undefined;
}) {
  const { t } = useI18n();
  return (
    <div className="pager">
      <button type="button" disabled={pager.page === 1} onClick={pager.prev}>
        {t('rosterPrevPage')}
      </button>
      <span>{t('rosterPageN', { n: pager.page })}</span>
      <button type="button" disabled={!nextCursor} onClick={() => nextCursor && pager.next(nextCursor)}>
        {t('rosterNextPage')}
      </button>
    </div>
  );
}
