import { useMutation } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { unwrap } from '../../../../libs/web-client/src';
import { useI18n } from '../i18n';
import { api } from '../resident';
import { codeOf } from './Enrol';

/**
 * A shelter's QR code opens `/app/#/shelter-check-in/<token>`: one button checks the holder in, which the office
 * counts as a safety answer (無事) for the alerts that asked them.
 */
export function CheckInScreen() {
  const { token = '' } = useParams();
  const { t } = useI18n();
  const checkIn = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/resident/shelters/check-in', { body: { token } })),
  });
  return (
    <>
      <h1>{t('checkInTitle')}</h1>
      {checkIn.data ? (
        <p role="status" className="ok">
          {t('checkedIn', { name: checkIn.data.shelterName })}
        </p>
      ) : (
        <button
          type="button"
          className="primary"
          disabled={checkIn.isPending}
          onClick={() => checkIn.mutate()}
        >
          {t('checkInButton')}
        </button>
      )}
      {checkIn.error && (
        <p role="alert" className="error">
          {t('checkInFailed', { code: codeOf(checkIn.error) })}
        </p>
      )}
    </>
  );
}
