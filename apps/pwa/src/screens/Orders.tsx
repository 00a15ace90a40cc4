import { useQuery } from '@tanstack/react-query';
import { useI18n } from '../i18n';
import { useProfile } from './Alerts';

/** One order in force as the public evacuation route lists it; read loosely (the route is newer than this app). */
interface OrderView {
  key: string;
  level: string;
  hazard: string;
  places: string;
}

function asText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

function ordersOf(body: unknown): OrderView[] {
  const record = (body ?? {}) as Record<string, unknown>;
  const list = Array.isArray(body) ? body : Array.isArray(record.orders) ? record.orders : [];
  return list.map((item: unknown, i) => {
    const o = (item ?? {}) as Record<string, unknown>;
    const districts = Array.isArray(o.districtNames)
      ? o.districtNames
      : Array.isArray(o.districts)
        ? o.districts
        : [];
    return {
      key: asText(o.id) || String(i),
      level: asText(o.levelName) || asText(o.label) || asText(o.level),
      hazard: asText(o.hazardName) || asText(o.hazard),
      places: districts
        .map((d: unknown) => (typeof d === 'string' ? d : asText((d as { name?: unknown })?.name)))
        .join('、'),
    };
  });
}

/**
 * The evacuation orders in force in the resident's municipality (`GET /v1/public/municipalities/{code}/evacuation`),
 * shown above the alerts. When the route cannot be read, the panel says so plainly instead of "no order".
 */
export function OrdersPanel() {
  const { t } = useI18n();
  const profile = useProfile();
  const code = profile.data?.municipalityCode;
  const orders = useQuery({
    queryKey: ['evacuation', code],
    enabled: code !== undefined,
    retry: false,
    queryFn: async () => {
      const res = await fetch(`/v1/public/municipalities/${code ?? ''}/evacuation`);
      if (!res.ok) throw new Error(`HTTP_${res.status}`);
      return ordersOf(await res.json());
    },
  });
  return (
    <section aria-labelledby="orders-title" className="orders">
      <h2 id="orders-title">{t('ordersTitle')}</h2>
      {orders.error ? (
        <p>{t('ordersUnavailable')}</p>
      ) : orders.data === undefined ? (
        <p role="status">{t('loading')}</p>
      ) : orders.data.length === 0 ? (
        <p>{t('ordersEmpty')}</p>
      ) : (
        <ul>
          {orders.data.map((o) => (
            <li key={o.key} className="order">
              <strong>{o.level}</strong> {o.hazard} {o.places}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
