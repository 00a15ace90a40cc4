import { ApiError } from '../../../../../libs/web-client/src';
import { type MessageKey, useI18n } from '../../i18n';

/** The outcome of an operator's action: the api's refusal as it said it, or a short confirmation. */
export function ActionMessage({ error, success }: { error: unknown; success?: MessageKey | false }) {
  const { t } = useI18n();
  if (error) {
    const code = error instanceof ApiError ? error.code : 'NETWORK';
    const message = error instanceof Error ? error.message : '';
    return (
      <p role="alert" className="error">
        {t('actionFailed', { code, message })}
      </p>
    );
  }
  if (success)
    return (
      <p role="status" className="notice">
        {t(success)}
      </p>
    );
  return null;
}

/** Whether a role may use the buttons of an operator (viewers only look). */
export const mayOperate = (role: string) => role !== 'viewer';
