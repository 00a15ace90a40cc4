import type { ReactNode } from 'react';
import { type MessageKey, useI18n } from '../i18n';

/** A titled section of a screen; its heading labels it for screen readers. */
export function Panel({ id, title, children }: { id: string; title: MessageKey; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id}>{t(title)}</h2>
      {children}
    </section>
  );
}
