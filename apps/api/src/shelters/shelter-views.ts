import type { ShelterView } from '@bousai/persistence';
import type { PublicShelterDto, ShelterDto } from './shelters.dto';

function location(s: ShelterView): { lat: number; lng: number } | null {
  return s.latitude !== null && s.longitude !== null ? { lat: s.latitude, lng: s.longitude } : null;
}

export function shelterView(s: ShelterView): ShelterDto {
  const { latitude: _lat, longitude: _lng, ...rest } = s;
  return { ...rest, location: location(s) };
}

/** What anyone may see of a shelter: where it is, what it is for, how full. Never who is there. */
export function publicShelterView(s: ShelterView): PublicShelterDto {
  return {
    id: s.id,
    kind: s.kind,
    name: s.name,
    address: s.address,
    location: location(s),
    hazards: s.hazards,
    capacity: s.capacity,
    crowding: s.crowding,
    openedAt: s.openedAt,
  };
}
