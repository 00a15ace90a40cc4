/** Reads the text of a QR code in the video's current frame, or undefined when the frame shows none. */
export type QrDecoder = (video: HTMLVideoElement) => Promise<string | undefined>;

/** The Barcode Detection API, where the browser has it (Chromium on Android and macOS, Safari 17+ behind a flag). */
interface NativeDetector {
  detect(source: CanvasImageSource): Promise<{ rawValue: string }[]>;
}
interface NativeDetectorClass {
  new (options: { formats: string[] }): NativeDetector;
  getSupportedFormats(): Promise<string[]>;
}

/** Frames are scaled down to this width before decoding in JavaScript: enough for a poster's code, and quick. */
const DECODE_WIDTH = 640;

/**
 * The browser's own QR reader when it has one, else jsQR (pure JavaScript: no WebAssembly, no worker, nothing the
 * CSP does not already allow), loaded only now so the app's first load stays as small as before.
 */
export async function createQrDecoder(): Promise<QrDecoder> {
  const Native = (window as { BarcodeDetector?: NativeDetectorClass }).BarcodeDetector;
  if (Native) {
    const formats = await Native.getSupportedFormats().catch(() => [] as string[]);
    if (formats.includes('qr_code')) {
      const detector = new Native({ formats: ['qr_code'] });
      return async (video) => (await detector.detect(video))[0]?.rawValue;
    }
  }
  const { default: jsQR } = await import('jsqr');
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('no 2d canvas');
  return (video) => {
    const { videoWidth, videoHeight } = video;
    if (videoWidth === 0 || videoHeight === 0) return Promise.resolve(undefined);
    const scale = Math.min(1, DECODE_WIDTH / videoWidth);
    const width = Math.round(videoWidth * scale);
    const height = Math.round(videoHeight * scale);
    canvas.width = width;
    canvas.height = height;
    context.drawImage(video, 0, 0, width, height);
    const image = context.getImageData(0, 0, width, height);
    return Promise.resolve(jsQR(image.data, width, height, { inversionAttempts: 'dontInvert' })?.data);
  };
}
