import { useEffect, useRef } from 'react';
import { type MessageKey, useI18n } from '../i18n';

/**
 * A modal question before an action that cannot be undone (cancelling an alert that is going out). A native
 * `<dialog>` opened with `showModal()`: focus moves into it, Escape closes it, the page behind is inert.
 */
export function ConfirmDialog({
  open,
  title,
  message,
  confirm,
  busy,
  onConfirm,
  onClose,
}: {
  open: boolean;
  title: MessageKey;
  message: string;
  confirm: MessageKey;
  busy?: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className="confirm-dialog" aria-labelledby="confirm-title" onClose={onClose}>
      <h2 id="confirm-title">{t(title)}</h2>
      <p>{message}</p>
      <div className="actions">
        <button type="button" onClick={onClose} autoFocus>
          {t('confirmBack')}
        </button>
        <button type="button" className="danger" disabled={busy} onClick={onConfirm}>
          {t(confirm)}
        </button>
      </div>
    </dialog>
  );
}
