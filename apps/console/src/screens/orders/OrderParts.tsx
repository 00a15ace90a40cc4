import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { type MessageKey, useI18n } from '../../i18n';
import type { CommandOutcome, Order } from './orderCommands';

/** "Level 4 避難指示 (flood)": how an order is named everywhere on these screens. */
export function useOrderName() {
  const { t, label } = useI18n();
  return (order: Pick<Order, 'level' | 'hazard'>) =>
    t('ordersDetailTitle', {
      level: label('level', String(order.level)),
      hazard: label('hazard', order.hazard),
    });
}

/** Who drafted an order: the operator by name, or the feed (「気象庁 (自動)」). */
export function useCreatorName() {
  const { t } = useI18n();
  return (order: Pick<Order, 'source' | 'createdByName'>) =>
    order.source === 'feed' ? t('ordersByFeed') : (order.createdByName ?? '—');
}

/** The districts of an order, or 全域. */
export function OrderDistricts({ order }: { order: Pick<Order, 'wholeMunicipality' | 'districts'> }) {
  const { t } = useI18n();
  if (order.wholeMunicipality) return <>{t('ordersWhole')}</>;
  return <>{order.districts.map((d) => d.name).join('、')}</>;
}

/** What the last command did: done (with its alerts), a version conflict to reload, or a refusal. */
export function CommandResult({ outcome, onReload }: { outcome: CommandOutcome; onReload: () => void }) {
  const { t, label } = useI18n();
  if (outcome.state === 'idle') return null;
  if (outcome.state === 'conflict') {
    return (
      <div role="alert" className="error">
        <p>{t('ordersConflict')}</p>
        <button type="button" onClick={onReload}>
          {t('ordersReload')}
        </button>
      </div>
    );
  }
  if (outcome.state === 'failed') {
    return (
      <div role="alert" className="error">
        <p>{t('ordersFailed', { code: outcome.code, message: outcome.message })}</p>
      </div>
    );
  }
  const waiting = outcome.step.alerts.some((a) => a.status === 'pending_approval');
  return (
    <div role="status" className="notice">
      <p>{t('ordersDone', { status: label('orderStatus', outcome.step.order.status) })}</p>
      {outcome.step.alerts.length > 0 && (
        <p>{t('ordersAlertsMade', { count: outcome.step.alerts.length })}</p>
      )}
      {waiting && <p>{t('ordersAwaitingApproval')}</p>}
    </div>
  );
}

/** Reloads everything about orders after a conflict. */
export function useReloadOrders(municipalityId: string, reset: () => void) {
  const queries = useQueryClient();
  return () => {
    reset();
    void queries.invalidateQueries({ queryKey: ['evacuation-orders', municipalityId] });
  };
}

/**
 * A modal question before an order command residents will hear about (or a draft thrown away). A native
 * `<dialog>`: focus moves in, Escape closes it, the page behind is inert. With `reason`, the confirm button
 * waits until a reason is written.
 */
export function OrderConfirmDialog({
  open,
  title,
  children,
  confirm,
  tone,
  reasonLabel,
  busy,
  onConfirm,
  onClose,
}: {
  open: boolean;
  title: MessageKey;
  children: ReactNode;
  confirm: MessageKey;
  tone: 'lift' | 'retract' | 'plain';
  reasonLabel?: MessageKey;
  busy: boolean;
  onConfirm: (reason: string) => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      setReason('');
      dialog.showModal();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (reasonLabel && reason.trim() === '') return;
    onConfirm(reason.trim());
  };
  const titleId = `order-dialog-${tone}`;
  return (
    <dialog
      ref={ref}
      className={`order-dialog order-dialog-${tone}`}
      aria-labelledby={titleId}
      onClose={onClose}
    >
      <form onSubmit={submit}>
        <h2 id={titleId}>{t(title)}</h2>
        {children}
        {reasonLabel && (
          <p>
            <label htmlFor={`${titleId}-reason`}>{t(reasonLabel)}</label>
            <textarea
              id={`${titleId}-reason`}
              required
              rows={3}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          </p>
        )}
        <div className="actions">
          <button type="button" onClick={onClose} autoFocus>
            {t('ordersCancel')}
          </button>
          <button
            type="submit"
            className={`order-${tone}`}
            disabled={busy || (!!reasonLabel && reason.trim() === '')}
          >
            {t(confirm)}
          </button>
        </div>
      </form>
    </dialog>
  );
}
