import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create } from 'qrcode';
import { type Browser, launchChromium } from './browser';

const WIDTH = 640;
const HEIGHT = 480;
/** BT.601 studio range, as Chromium reads a Y4M file: white and black luma, no colour. */
const WHITE = 235;
const BLACK = 16;
const NO_COLOUR = 128;
/** The quiet zone around a QR code, in modules (the standard's four). */
const QUIET = 4;

/**
 * A video of a poster: `text`'s QR code (error correction M, as the console prints it), black on white in the middle
 * of a 640×480 picture, written as YUV4MPEG2 (raw I420 frames), which Chromium plays as its fake camera.
 */
export function qrVideo(dir: string, text: string): string {
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  const cells = modules.size + 2 * QUIET;
  const scale = Math.floor((Math.min(WIDTH, HEIGHT) * 0.9) / cells);
  const left = Math.floor((WIDTH - cells * scale) / 2);
  const top = Math.floor((HEIGHT - cells * scale) / 2);
  const luma = Buffer.alloc(WIDTH * HEIGHT, WHITE);
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (!modules.get(row, col)) continue;
      const x = left + (col + QUIET) * scale;
      const y = top + (row + QUIET) * scale;
      for (let dy = 0; dy < scale; dy++) luma.fill(BLACK, (y + dy) * WIDTH + x, (y + dy) * WIDTH + x + scale);
    }
  }
  const chroma = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2), NO_COLOUR);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma, chroma]);
  const path = join(dir, 'camera.y4m');
  // Chromium loops the file: a few identical frames are a poster held still
  writeFileSync(
    path,
    Buffer.concat([
      Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F10:1 Ip A1:1 C420jpeg\n`),
      frame,
      frame,
      frame,
    ]),
  );
  return path;
}

/**
 * Records the streams the page gets from `getUserMedia` and what it asked for (the fake camera stays the real
 * source), so a test can see which camera was asked for and that its tracks end when the screen is left.
 */
const RECORD_STREAMS = `{
  window.__camera = { asked: [], streams: [] };
  const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    window.__camera.asked.push(JSON.parse(JSON.stringify(constraints)));
    const stream = await original(constraints);
    window.__camera.streams.push(stream);
    return stream;
  };
}`;

export interface CameraState {
  asked: { video?: unknown; audio?: unknown }[];
  /** Per stream the page got, the states of its tracks (`live` or `ended`). */
  tracks: string[][];
}

/** What the page's camera use looks like now (see {@link RECORD_STREAMS}). */
export function cameraState(browser: Browser): Promise<CameraState> {
  return browser.page.evaluate<CameraState>(`({
    asked: window.__camera.asked,
    tracks: window.__camera.streams.map((s) => s.getTracks().map((t) => t.readyState)),
  })`);
}

export interface CameraBrowser extends Browser {
  /** Every URL the page or its worker asked for (a request elsewhere than `base` is also refused). */
  requested: string[];
}

/**
 * Chromium whose camera films `text`'s QR code: a fake device playing {@link qrVideo}, granted to the api's origin
 * without a prompt, the page's streams recorded; every request to another origin refused and noted.
 */
export async function launchQrCameraBrowser(base: string, text: string): Promise<CameraBrowser> {
  const dir = mkdtempSync(join(tmpdir(), 'bousai-qr-camera-'));
  const video = qrVideo(dir, text);
  const browser = await launchChromium([
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-video-capture=${video}`,
  ]);
  const requested: string[] = [];
  browser.context.on('request', (request) => requested.push(request.url()));
  await browser.context.grantPermissions(['camera'], { origin: base });
  await browser.context.addInitScript(RECORD_STREAMS);
  await browser.context.route(
    (url) => url.origin !== base,
    (route) => route.abort('blockedbyclient'),
  );
  return {
    ...browser,
    requested,
    async close() {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
