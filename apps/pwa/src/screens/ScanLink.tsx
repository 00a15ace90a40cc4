import { Link } from 'react-router';
import { useI18n } from '../i18n';

/** What the enrolment and visitor screens take from a scanned link: in the history entry, not the address bar. */
export interface ScannedState {
  code?: string;
  municipality?: string;
}

/** The way to the scanner from a screen. */
export function ScanLink() {
  const { t } = useI18n();
  return (
    <p className="scan-link">
      <Link to="/scan" className="button-link">
        {t('scanAction')}
      </Link>
    </p>
  );
}
