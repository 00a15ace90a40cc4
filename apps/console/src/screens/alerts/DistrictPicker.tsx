import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useMemo } from 'react';
import { unwrap } from '../../../../../libs/web-client/src';
import { useOrdersInForce } from '../../components/OrdersInForcePanel';
import { QueryState } from '../../components/QueryState';
import { useI18n } from '../../i18n';
import { session } from '../../session';
import type { MappedDistrict } from './DistrictMap';

/** Leaflet and its style sheet load only when a district has a polygon to draw. */
const DistrictMap = lazy(() => import('./DistrictMap'));

/** The districts with their household counts (coverage knows the count per district). */
function useDistricts(municipalityId: string) {
  return useQuery({
    queryKey: ['compose-districts', municipalityId],
    queryFn: async () => {
      const [areas, coverage] = await Promise.all([
        unwrap(
          session.api.GET('/v1/municipalities/{municipalityId}/areas', {
            params: { path: { municipalityId }, query: { limit: 500 } },
          }),
        ),
        unwrap(
          session.api.GET('/v1/municipalities/{municipalityId}/coverage', {
            params: { path: { municipalityId } },
          }),
        ),
      ]);
      const households = new Map(coverage.areas.map((a) => [a.areaId, a.households]));
      return areas.items.map((a) => ({ ...a, households: households.get(a.id) ?? 0 }));
    },
  });
}

/** The api's console settings (the map's tile source): configuration, so read once per session. */
function useConsoleSettings() {
  return useQuery({
    queryKey: ['console-settings'],
    queryFn: () => unwrap(session.api.GET('/v1/console/settings')),
    staleTime: Infinity,
  });
}

/**
 * The audience's districts: a checklist with household counts and, where districts have polygons, a map beside it.
 * Both show and change the one selection `areaIds`.
 */
export function DistrictPicker({
  municipalityId,
  areaIds,
  setAreaIds,
}: {
  municipalityId: string;
  areaIds: string[];
  setAreaIds: (update: (ids: string[]) => string[]) => void;
}) {
  const { t } = useI18n();
  const districts = useDistricts(municipalityId);
  const settings = useConsoleSettings();
  const inForce = useOrdersInForce(municipalityId);
  const set = (id: string, on: boolean) =>
    setAreaIds((ids) => (on ? [...ids.filter((v) => v !== id), id] : ids.filter((v) => v !== id)));
  const mapped = useMemo<MappedDistrict[]>(
    () =>
      (districts.data ?? []).flatMap((d) =>
        d.polygon ? [{ id: d.id, name: d.name, polygon: d.polygon }] : [],
      ),
    [districts.data],
  );
  const levels = useMemo(() => new Map((inForce.data ?? []).map((d) => [d.areaId, d.level])), [inForce.data]);

  return (
    <div className={mapped.length > 0 ? 'district-picker with-map' : 'district-picker'}>
      <QueryState query={districts} empty="composeNoDistricts">
        {(list) => (
          <ul className="checklist">
            {list.map((d) => (
              <li key={d.id}>
                <label className="choice">
                  <input
                    type="checkbox"
                    checked={areaIds.includes(d.id)}
                    onChange={(e) => set(d.id, e.target.checked)}
                  />
                  {d.name} <span className="detail">{t('composeHouseholds', { n: d.households })}</span>
                </label>
              </li>
            ))}
          </ul>
        )}
      </QueryState>
      {mapped.length > 0 && !settings.isPending && (
        <div>
          <Suspense fallback={null}>
            <DistrictMap
              districts={mapped}
              selected={areaIds}
              levels={levels}
              onToggle={(id) =>
                setAreaIds((ids) => (ids.includes(id) ? ids.filter((v) => v !== id) : [...ids, id]))
              }
              tiles={settings.data?.mapTiles ?? null}
              label={t('composeMapLabel')}
              zoomLabels={[t('composeMapZoomIn'), t('composeMapZoomOut')]}
            />
          </Suspense>
          <p className="detail">{t('composeMapHint')}</p>
        </div>
      )}
    </div>
  );
}
