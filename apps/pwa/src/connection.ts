import { useSyncExternalStore } from 'react';
import type { ApiClient } from '../../../libs/web-client/src';

/**
 * Whether what the app shows is live, and as of when: offline when the browser says so, when an api read failed,
 * or when the service worker answered it from what it kept (`x-bousai-kept`). `receivedAt` is the api's `date` of
 * the last data read, which a kept answer still carries: the time the information shown was received.
 */
export interface Connection {
  offline: boolean;
  receivedAt: number | undefined;
}

let state: Connection = { offline: !navigator.onLine, receivedAt: undefined };
const listeners = new Set<() => void>();

function update(next: Partial<Connection>): void {
  const merged = { ...state, ...next };
  if (merged.offline === state.offline && merged.receivedAt === state.receivedAt) return;
  state = merged;
  for (const l of listeners) l();
}

/** Follows the api reads of `api` and the browser's online/offline events. */
export function watchConnection(api: ApiClient): void {
  api.use({
    onResponse({ request, response }) {
      if (request.method !== 'GET') return;
      const date = Date.parse(response.headers.get('date') ?? '');
      const kept = response.headers.has('x-bousai-kept');
      update({ offline: kept || !navigator.onLine, receivedAt: Number.isNaN(date) ? Date.now() : date });
    },
    onError({ request }) {
      if (request.method === 'GET') update({ offline: true });
    },
  });
  window.addEventListener('offline', () => update({ offline: true }));
  window.addEventListener('online', () => update({ offline: false }));
}

export function useConnection(): Connection {
  return useSyncExternalStore(
    (changed) => {
      listeners.add(changed);
      return () => listeners.delete(changed);
    },
    () => state,
  );
}
