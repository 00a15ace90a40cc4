import { Link, useLocation } from 'react-router';
import { useI18n } from '../../i18n';
import { QrCode } from '../../components/QrCode';

/** One printed page: the code a resident types (or scans) in the app to register their devices. */
export interface PrintSheet {
  name: string;
  address: string;
  code: string;
  expiresAt: string;
}

/**
 * The printable enrolment sheets, one page per resident: a large code and its QR code. The codes come only in the
 * navigation state of the screen that issued them (the api shows a code once), so a reload shows none.
 */
export function EnrolmentPrintScreen() {
  const { t } = useI18n();
  const sheets = (useLocation().state as { sheets?: PrintSheet[] } | null)?.sheets ?? [];
  return (
    <>
      <div className="no-print">
        <h1>{t('printTitle')}</h1>
        {sheets.length === 0 ? <p className="empty">{t('printNothing')}</p> : <p>{t('printIntro')}</p>}
        <p className="inline-form">
          {sheets.length > 0 && (
            <button type="button" className="primary" onClick={() => window.print()}>
              {t('printButton')}
            </button>
          )}
          <Link to="/roster">{t('printBack')}</Link>
        </p>
      </div>
      {sheets.map((sheet) => (
        <Sheet key={sheet.code} sheet={sheet} />
      ))}
    </>
  );
}

function Sheet({ sheet }: { sheet: PrintSheet }) {
  const { t, dateTime } = useI18n();
  return (
    <article className="enrol-sheet" aria-label={t('printFor', { name: sheet.name })}>
      <h2>{t('printSheetTitle')}</h2>
      <p className="enrol-for">{t('printFor', { name: sheet.name })}</p>
      <p>{sheet.address}</p>
      <p>{t('printHow')}</p>
      <p className="enrol-code">{sheet.code}</p>
      <QrCode className="enrol-qr" text={sheet.code} label={t('printQrLabel', { code: sheet.code })} />
      <p>{t('printExpires', { date: dateTime(sheet.expiresAt) })}</p>
    </article>
  );
}
