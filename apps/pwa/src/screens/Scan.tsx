import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { useI18n } from '../i18n';
import { createQrDecoder } from '../qr-decoder';
import { type ScanKey, useScanTexts } from '../scan-i18n';
import { type AppLink, parseAppLink, parseTypedCode } from '../scan-link';
import type { ScannedState } from './ScanLink';

type Camera = 'starting' | 'looking' | 'denied' | 'unavailable';

/** The route a link of ours opens, or the message of why it cannot be opened here. */
function useOpenLink(enrolled: boolean): (link: AppLink) => ScanKey | undefined {
  const navigate = useNavigate();
  return (link) => {
    if (link.kind === 'check-in') {
      if (!enrolled) return 'scanNeedsEnrol';
      void navigate(`/shelter-check-in/${link.token}`, { replace: true });
    } else if (enrolled) {
      return 'scanEnrolled';
    } else if (link.kind === 'enrol') {
      void navigate('/', { replace: true, state: { code: link.code } satisfies ScannedState });
    } else {
      void navigate('/visitor', {
        replace: true,
        state: { municipality: link.municipality } satisfies ScannedState,
      });
    }
    return undefined;
  };
}

/**
 * The app's own QR scanner: an installed app (on iOS above all) is not where the phone's camera app opens a link.
 * The rear camera, frame by frame, until a code of ours is seen; its route opens inside the app. Any other code is
 * refused with a message and never opened. Without a camera, the code or link can be typed. The camera stops when
 * the screen is left. The default export: App loads the screen and its decoder only when it is opened.
 */
export default function ScanScreen({ enrolled }: { enrolled: boolean }) {
  const { t: app } = useI18n();
  const t = useScanTexts();
  const video = useRef<HTMLVideoElement>(null);
  const [camera, setCamera] = useState<Camera>('starting');
  const [refusal, setRefusal] = useState<ScanKey | undefined>();
  const [typed, setTyped] = useState('');
  const open = useOpenLink(enrolled);
  // the frame loop outlives renders: it reads the latest handler
  const onText = useRef<(text: string) => boolean>(() => false);
  onText.current = (text) => {
    const link = parseAppLink(text, window.location.origin);
    const refused = link ? open(link) : 'scanForeign';
    setRefusal(refused);
    return refused === undefined;
  };

  useEffect(() => {
    const element = video.current;
    let stopped = false;
    let stream: MediaStream | undefined;
    let frame = 0;
    const stop = () => {
      stopped = true;
      cancelAnimationFrame(frame);
      for (const track of stream?.getTracks() ?? []) track.stop();
      if (element) element.srcObject = null;
    };
    void (async () => {
      if (!element || !navigator.mediaDevices?.getUserMedia) return setCamera('unavailable');
      try {
        stream = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: { ideal: 'environment' } },
          audio: false,
        });
      } catch (e) {
        if (!stopped)
          setCamera(e instanceof DOMException && e.name === 'NotAllowedError' ? 'denied' : 'unavailable');
        return;
      }
      if (stopped) return stop();
      try {
        element.srcObject = stream;
        await element.play();
        const decode = await createQrDecoder();
        if (stopped) return;
        setCamera('looking');
        const scan = async () => {
          const text = await decode(element).catch(() => undefined);
          if (stopped) return;
          if (text !== undefined && onText.current(text)) return stop();
          frame = requestAnimationFrame(() => void scan());
        };
        void scan();
      } catch {
        stop();
        setCamera('unavailable');
      }
    })();
    return stop;
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const link = parseTypedCode(typed, window.location.origin);
    setRefusal(link ? open(link) : 'scanForeign');
  };

  const blocked = camera === 'denied' || camera === 'unavailable';
  return (
    <>
      <h1>{app('scanAction')}</h1>
      <p>{t('scanIntro')}</p>
      <video
        ref={video}
        className="scan-video"
        hidden={blocked}
        muted
        playsInline
        aria-label={t('scanVideo')}
      />
      {blocked ? (
        <p role="alert" className="error">
          {t(camera === 'denied' ? 'scanDenied' : 'scanNoCamera')}
        </p>
      ) : (
        <p role="status">{t(camera === 'starting' ? 'scanStarting' : 'scanLooking')}</p>
      )}
      {refusal && (
        <p role="alert" className="error" id="scan-refusal">
          {t(refusal)}
        </p>
      )}
      <form onSubmit={submit} className="stack">
        <label htmlFor="scan-code">{t('scanManual')}</label>
        <p id="scan-code-hint" className="muted hint">
          {t('scanManualHint')}
        </p>
        <input
          id="scan-code"
          name="scan-code"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          required
          maxLength={1000}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          aria-describedby={refusal ? 'scan-code-hint scan-refusal' : 'scan-code-hint'}
        />
        <button type="submit" className="primary">
          {t('scanOpen')}
        </button>
      </form>
    </>
  );
}
