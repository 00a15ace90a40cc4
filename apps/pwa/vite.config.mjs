// @ts-check
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { webAppConfig } from '../../libs/web-client/vite.base.mjs';
import { iconPlugin } from './icons.mjs';

const base = webAppConfig({ name: 'pwa', base: '/app/', root: fileURLToPath(new URL('.', import.meta.url)) });

// public/ (the manifest and the hand-written service worker /app/sw.js) is copied as it is; the icons are drawn here
export default defineConfig({ ...base, plugins: [iconPlugin()] });
