import { useEffect, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { Schemas } from '../../../libs/web-client/src';
import { session } from './session';

/** An alert's live counters as the `/operators` namespace pushes them and `GET …/alerts/{id}/live` answers. */
export type LiveView = Schemas['LiveViewDto'];

type WatchReply = { ok: true; counters: LiveView } | { ok: false; error: { code: string; message: string } };
export type LiveState = 'connecting' | 'connected' | 'offline';

/** Statuses that count as reached: accepted by a provider or confirmed by the device. */
export const REACHED_STATUSES = ['sent', 'delivered', 'played', 'read'];

/**
 * Watches alerts on `/operators` and keeps their latest counters. The socket authenticates with the in-memory
 * access token at every (re)connection and watches the alerts again after a reconnect.
 */
export function useLiveCounters(alertIds: readonly string[]): {
  state: LiveState;
  counters: Record<string, LiveView>;
} {
  const [state, setState] = useState<LiveState>('connecting');
  const [counters, setCounters] = useState<Record<string, LiveView>>({});
  const key = [...alertIds].sort().join(',');

  useEffect(() => {
    const ids = key === '' ? [] : key.split(',');
    if (ids.length === 0) return;
    const socket: Socket = io('/operators', {
      transports: ['websocket'],
      auth: (cb) => void session.currentToken().then((token) => cb({ token })),
    });
    const keep = (view: LiveView) => setCounters((all) => ({ ...all, [view.alertId]: view }));
    socket.on('connect', () => {
      setState('connected');
      for (const alertId of ids) {
        socket.emit('watch', { alertId }, (reply: WatchReply) => {
          if (reply.ok) keep(reply.counters);
        });
      }
    });
    socket.on('disconnect', () => setState('offline'));
    socket.on('connect_error', () => {
      setState('offline');
      // the api refused the token (expired, ended): renew it and try once more; a dead session stops here
      if (!socket.active) {
        void session.renew().then((token) => {
          if (token) socket.connect();
        });
      }
    });
    socket.on('counters', keep);
    return () => {
      socket.disconnect();
    };
  }, [key]);

  return { state, counters };
}
