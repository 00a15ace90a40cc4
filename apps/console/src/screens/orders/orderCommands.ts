import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, type Schemas, unwrap } from '../../../../../libs/web-client/src';
import { session } from '../../session';

export type Order = Schemas['EvacuationOrderDto'];
export type OrderDetail = Schemas['EvacuationOrderDetailDto'];
export type Step = Schemas['EvacuationOrderStepDto'];
export type Level = Order['level'];
export type Hazard = Order['hazard'];

export const LEVELS: readonly Level[] = [3, 4, 5];
export const HAZARDS: readonly Hazard[] = [
  'heavy_rain',
  'landslide',
  'inundation',
  'flood',
  'storm_surge',
  'tsunami',
  'earthquake',
  'other',
];

/** Roles that may command orders (the api refuses the others anyway). */
export function canCommand(role: string): boolean {
  return role !== 'viewer';
}

export function useOrders(municipalityId: string) {
  return useQuery({
    queryKey: ['evacuation-orders', municipalityId, 'list'],
    queryFn: () =>
      unwrap(
        session.api.GET('/v1/municipalities/{municipalityId}/evacuation-orders', {
          params: { path: { municipalityId } },
        }),
      ),
    refetchInterval: 15_000,
  });
}

export function useOrder(municipalityId: string, id: string) {
  return useQuery({
    queryKey: ['evacuation-orders', municipalityId, 'detail', id],
    queryFn: () =>
      unwrap(
        session.api.GET('/v1/municipalities/{municipalityId}/evacuation-orders/{id}', {
          params: { path: { municipalityId, id } },
        }),
      ),
  });
}

/** The districts a new order or an added district can name, with their households (from coverage). */
export function useDistricts(municipalityId: string) {
  return useQuery({
    queryKey: ['evacuation-orders', municipalityId, 'districts'],
    queryFn: async () => {
      const path = { municipalityId };
      const [areas, coverage] = await Promise.all([
        unwrap(
          session.api.GET('/v1/municipalities/{municipalityId}/areas', {
            params: { path, query: { limit: 500 } },
          }),
        ),
        unwrap(session.api.GET('/v1/municipalities/{municipalityId}/coverage', { params: { path } })),
      ]);
      const households = new Map(coverage.areas.map((a) => [a.areaId, a.households]));
      return areas.items.map((a) => ({ code: a.code, name: a.name, households: households.get(a.id) ?? 0 }));
    },
  });
}

export type OrderCommand =
  | { kind: 'issue' | 'lift' | 'discard' }
  | { kind: 'level'; level: Level }
  | { kind: 'districts'; add?: string[]; remove?: string[] }
  | { kind: 'retract'; reason: string };

/** The outcome of the last command, as the screen tells it. */
export type CommandOutcome =
  | { state: 'idle' }
  | { state: 'done'; command: OrderCommand['kind']; step: Step }
  | { state: 'conflict' }
  | { state: 'failed'; code: string; message: string };

function send(municipalityId: string, order: Pick<Order, 'id' | 'version'>, command: OrderCommand) {
  const path = { municipalityId, id: order.id };
  const expectedVersion = order.version;
  const base = '/v1/municipalities/{municipalityId}/evacuation-orders/{id}' as const;
  switch (command.kind) {
    case 'issue':
      return unwrap(session.api.POST(`${base}/issue`, { params: { path }, body: { expectedVersion } }));
    case 'lift':
      return unwrap(session.api.POST(`${base}/lift`, { params: { path }, body: { expectedVersion } }));
    case 'discard':
      return unwrap(session.api.POST(`${base}/discard`, { params: { path }, body: { expectedVersion } }));
    case 'level':
      return unwrap(
        session.api.POST(`${base}/level`, {
          params: { path },
          body: { expectedVersion, level: command.level },
        }),
      );
    case 'districts':
      return unwrap(
        session.api.POST(`${base}/districts`, {
          params: { path },
          body: { expectedVersion, add: command.add, remove: command.remove },
        }),
      );
    case 'retract':
      return unwrap(
        session.api.POST(`${base}/retract`, {
          params: { path },
          body: { expectedVersion, reason: command.reason },
        }),
      );
  }
}

/**
 * Sends one command with the version the operator saw. A 409 CONFLICT means someone changed the order first: the
 * screen asks the operator to reload rather than retrying on their behalf.
 */
export function useOrderCommand(municipalityId: string) {
  const queries = useQueryClient();
  const [outcome, setOutcome] = useState<CommandOutcome>({ state: 'idle' });
  const mutation = useMutation({
    mutationFn: ({ order, command }: { order: Pick<Order, 'id' | 'version'>; command: OrderCommand }) =>
      send(municipalityId, order, command),
    onSuccess: (step, { command }) => setOutcome({ state: 'done', command: command.kind, step }),
    onError: (error) => {
      if (error instanceof ApiError && error.status === 409 && error.code === 'CONFLICT') {
        setOutcome({ state: 'conflict' });
      } else {
        setOutcome({
          state: 'failed',
          code: error instanceof ApiError ? error.code : 'NETWORK',
          message: error.message,
        });
      }
    },
    // a step with a message also made a hand-off record: its checklist shows at once
    onSettled: () =>
      Promise.all([
        queries.invalidateQueries({ queryKey: ['evacuation-orders', municipalityId] }),
        queries.invalidateQueries({ queryKey: ['evacuation-handoffs', municipalityId] }),
      ]),
  });
  return {
    run: (order: Pick<Order, 'id' | 'version'>, command: OrderCommand) => {
      setOutcome({ state: 'idle' });
      mutation.mutate({ order, command });
    },
    busy: mutation.isPending,
    outcome,
    reset: () => setOutcome({ state: 'idle' }),
  };
}
