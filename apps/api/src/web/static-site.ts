import { createReadStream, type Stats, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import type { NextFunction, Request, Response } from 'express';

/** A built web app the api serves on its own origin, under its own path, with its own Content-Security-Policy. */
export interface StaticSite {
  /** Where the app lives, e.g. `/console` (no trailing slash). */
  path: string;
  /** The built app (`dist/<app>`). */
  dir: string;
  csp: string;
  /** The Permissions-Policy of its pages, if it sets one. */
  permissions?: string;
  /** Headers of particular files (relative paths like `/sw.js`), added to the common ones. */
  fileHeaders?: Record<string, Record<string, string>>;
}

/**
 * What a bousai web page may do: scripts, styles and data from this origin only (no inline script, no eval), no
 * framing, no plugins. `connect-src 'self'` covers the api and the socket.io websocket of the same host (CSP 3).
 */
const BASE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
];

export const CONSOLE_PATH = '/console';
/**
 * The console's policy. Its district map loads tile images from `tileSource` (CONSOLE_MAP_TILES_URL's origin) when
 * one is configured, and nothing else: Leaflet positions its panes through the CSSOM (`element.style`), which
 * `style-src 'self'` allows, and its style sheet is a file of the bundle.
 */
export function consoleCsp(tileSource?: string): string {
  return BASE_CSP.map((d) => (tileSource && d.startsWith('img-src ') ? `${d} ${tileSource}` : d)).join('; ');
}

export const PWA_PATH = '/app';
/**
 * The residents' app adds its service worker and manifest, both from this origin. Its QR scanner needs nothing more
 * of the CSP: the camera's stream is no fetch, the decoder is a script of the bundle (no WebAssembly, no worker).
 */
export const PWA_CSP = [...BASE_CSP, "worker-src 'self'", "manifest-src 'self'"].join('; ');
/**
 * The powerful features the app uses, for its own pages only: the camera (the QR scanner) and the location (the
 * distance to shelters); never the microphone (the scanner asks for video alone).
 */
export const PWA_PERMISSIONS = 'camera=(self), geolocation=(self), microphone=()';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
};

function fileAt(path: string): Stats | undefined {
  try {
    const stats = statSync(path);
    return stats.isFile() ? stats : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Serves a built web app from `site.dir` under `site.path`: files as they are, hashed assets (`<path>/assets/…`)
 * cached for a year, and every other path (a client-side route) the app's `index.html`, never cached, so a new
 * build is picked up at the next page load. Paths with a file extension that match no file are 404s, not pages.
 */
export function staticSite(site: StaticSite): (req: Request, res: Response, next: NextFunction) => void {
  const root = resolve(site.dir);
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.originalUrl.split('?')[0] === site.path) {
      return res.redirect(301, `${site.path}/`);
    }
    let relative: string;
    try {
      relative = decodeURIComponent(req.path);
    } catch {
      return next();
    }
    if (relative.includes('\0')) return next();
    const index = join(root, 'index.html');
    const wanted = resolve(join(root, relative));
    const inside = wanted.startsWith(root + sep);
    let path = wanted;
    let stats = inside ? fileAt(wanted) : undefined;
    if (!stats) {
      if (extname(relative) !== '') return next();
      path = index;
      stats = fileAt(index);
      if (!stats) return next();
    }
    const immutable = relative.startsWith('/assets/') && path !== index;
    res.setHeader('Content-Type', TYPES[extname(path)] ?? 'application/octet-stream');
    res.setHeader('Content-Length', String(stats.size));
    res.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    res.setHeader('Content-Security-Policy', site.csp);
    if (site.permissions) res.setHeader('Permissions-Policy', site.permissions);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    for (const [name, value] of Object.entries(site.fileHeaders?.[relative] ?? {}))
      res.setHeader(name, value);
    if (req.method === 'HEAD') return void res.end();
    createReadStream(path).on('error', next).pipe(res);
  };
}
