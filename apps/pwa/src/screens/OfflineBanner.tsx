import { useConnection } from '../connection';
import { useI18n } from '../i18n';

/** Offline: says so plainly, with the time of the information shown (the api's time of the last read). */
export function OfflineBanner() {
  const { t, lang } = useI18n();
  const { offline, receivedAt } = useConnection();
  if (!offline) return null;
  const time =
    receivedAt === undefined
      ? undefined
      : new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'ja-JP', {
          hour: '2-digit',
          minute: '2-digit',
        }).format(receivedAt);
  return (
    <p className="offline" role="status">
      {time === undefined ? t('offline') : t('offlineAsOf', { time })}
    </p>
  );
}
