// @ts-check
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { webAppConfig } from '../../libs/web-client/vite.base.mjs';

export default defineConfig(
  webAppConfig({ name: 'console', base: '/console/', root: fileURLToPath(new URL('.', import.meta.url)) }),
);
