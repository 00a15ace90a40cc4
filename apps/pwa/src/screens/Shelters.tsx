import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { unwrap } from '../../../../libs/web-client/src';
import { useI18n } from '../i18n';
import { api } from '../resident';
import { Loading } from './Alerts';

interface Position {
  lat: number;
  lng: number;
}

/** Great-circle distance in km (haversine): enough to tell the nearest shelter. */
function distanceKm(a: Position, b: Position): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

/** A link the phone opens in its map app (Google Maps' documented URL; iOS hands it to Apple Maps or the app). */
function mapLink(location: Position): string {
  return `https://www.google.com/maps/search/?api=1&query=${location.lat},${location.lng}`;
}

export function SheltersScreen() {
  const { t, label } = useI18n();
  const shelters = useQuery({
    queryKey: ['shelters'],
    queryFn: () => unwrap(api.GET('/v1/resident/shelters')),
  });
  const [here, setHere] = useState<Position | undefined>();
  const [located, setLocated] = useState<'idle' | 'denied'>('idle');

  const locate = () =>
    navigator.geolocation.getCurrentPosition(
      (p) => setHere({ lat: p.coords.latitude, lng: p.coords.longitude }),
      () => setLocated('denied'),
      { maximumAge: 300_000, timeout: 15_000 },
    );

  const list = (shelters.data ?? []).map((s) => ({
    ...s,
    km: here && s.location ? distanceKm(here, s.location) : undefined,
  }));
  if (here) list.sort((a, b) => (a.km ?? Infinity) - (b.km ?? Infinity));

  return (
    <>
      <h1>{t('sheltersTitle')}</h1>
      {'geolocation' in navigator && (
        <p>
          <button type="button" onClick={locate}>
            {t('useLocation')}
          </button>
          {located === 'denied' && <span role="status"> {t('locationDenied')}</span>}
        </p>
      )}
      {shelters.data === undefined ? (
        <Loading error={shelters.error} retry={() => void shelters.refetch()} />
      ) : list.length === 0 ? (
        <p>{t('sheltersEmpty')}</p>
      ) : (
        <ul className="cards">
          {list.map((s) => (
            <li key={s.id} className="card">
              <h2 className="card-title">{s.name}</h2>
              {s.servesMyDistrict && <span className="badge">{t('myDistrict')}</span>}
              {s.crowding && (
                <span className={`badge crowding-${s.crowding}`}>{label('crowding', s.crowding)}</span>
              )}
              {s.address && <p>{s.address}</p>}
              <p className="muted">
                {s.km !== undefined && t('distance', { km: s.km.toFixed(1) })}
                {s.km !== undefined && s.capacity !== null && ' · '}
                {s.capacity !== null && t('capacity', { count: s.capacity })}
              </p>
              {s.location && (
                <a href={mapLink(s.location)} target="_blank" rel="noopener noreferrer">
                  {t('openMap', { name: s.name })}
                </a>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
