import 'leaflet/dist/leaflet.css';
import { EVACUATION_LEVELS, EvacuationLevel } from '@bousai/domain/browser';
import L from 'leaflet';
import { useEffect, useRef } from 'react';
import type { Schemas } from '../../../../../libs/web-client/src';
import { useI18n } from '../../i18n';

export interface MappedDistrict {
  id: string;
  name: string;
  /** GeoJSON Polygon or MultiPolygon (WGS84), as the api stores it. */
  polygon: Record<string, unknown>;
}

export interface DistrictMapProps {
  districts: MappedDistrict[];
  selected: readonly string[];
  /** The highest evacuation level in force per district id. */
  levels: ReadonlyMap<string, number>;
  onToggle: (id: string) => void;
  tiles: Schemas['MapTilesDto'] | null;
  label: string;
  /** The zoom buttons' names (in, out), fixed for the map's life. */
  zoomLabels: readonly [string, string];
}

/**
 * Fill of a district by the evacuation level in force (the console's `.level-N` colours); grey without one. The
 * polygons and the legend beneath them both draw from here.
 */
const LEVEL_COLOURS: Readonly<Record<EvacuationLevel, string>> = {
  [EvacuationLevel.ElderlyEvacuation]: '#d4a017',
  [EvacuationLevel.EvacuationInstruction]: '#8f1b9a',
  [EvacuationLevel.EmergencySafety]: '#1a1a1a',
};
const NO_LEVEL = '#5b6b7f';
const SELECTED = '#0b57d0';

const colourOf = (level: number | undefined) =>
  (level !== undefined && LEVEL_COLOURS[level as EvacuationLevel]) || NO_LEVEL;

function styleOf(level: number | undefined, selected: boolean): L.PathOptions {
  const fill = colourOf(level);
  return selected
    ? { color: SELECTED, weight: 4, fillColor: fill, fillOpacity: 0.55 }
    : { color: fill, weight: 1.5, fillColor: fill, fillOpacity: 0.15 };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The districts' polygons on a Leaflet map; a click toggles the district like its checkbox in the list beside it
 * (the list is the keyboard's way: the polygons are not focusable). Tiles only from the api's configuration; without
 * them the polygons lie on a plain background and the map makes no request at all.
 */
export default function DistrictMap({
  districts,
  selected,
  levels,
  onToggle,
  tiles,
  label,
  zoomLabels,
}: DistrictMapProps) {
  const container = useRef<HTMLDivElement>(null);
  const layers = useRef(new Map<string, L.GeoJSON>());
  const toggle = useRef(onToggle);
  toggle.current = onToggle;

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const map = L.map(element, { attributionControl: tiles !== null, zoomControl: false, zoomSnap: 0.25 });
    L.control.zoom({ zoomInTitle: zoomLabels[0], zoomOutTitle: zoomLabels[1] }).addTo(map);
    if (tiles) {
      L.tileLayer(tiles.urlTemplate, { attribution: escapeHtml(tiles.attribution), maxZoom: 18 }).addTo(map);
    }
    const drawn = layers.current;
    for (const district of districts) {
      try {
        drawn.set(district.id, L.geoJSON(district.polygon as unknown as GeoJSON.GeoJsonObject));
      } catch {
        // not a geometry Leaflet can draw: the district stays in the list only
      }
    }
    // the view first: Leaflet draws a layer's paths once the map has one
    const bounds = L.latLngBounds([]);
    for (const layer of drawn.values()) bounds.extend(layer.getBounds());
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [12, 12] });
    else map.setView([35.68, 139.76], 10);
    for (const district of districts) {
      const layer = drawn.get(district.id);
      if (!layer) continue;
      layer.on('click', () => toggle.current(district.id));
      layer.bindTooltip(district.name, { permanent: true, direction: 'center', className: 'district-label' });
      layer.addTo(map);
      layer.eachLayer((part) => (part as L.Path).getElement()?.setAttribute('data-area-id', district.id));
    }
    return () => {
      drawn.clear();
      map.remove();
    };
  }, [districts, tiles]);

  // after the layers are drawn (effects run in order), and whenever the selection or the levels change
  useEffect(() => {
    for (const [id, layer] of layers.current) layer.setStyle(styleOf(levels.get(id), selected.includes(id)));
  }, [districts, tiles, selected, levels]);

  return (
    <section className="district-map" aria-label={label}>
      <div ref={container} className="district-map-canvas" />
      <MapLegend />
    </section>
  );
}

/** A legend swatch: a district's unselected style (or the selection's outline), drawn as the map draws it. */
function Swatch({ level, selected = false }: { level?: number; selected?: boolean }) {
  const style = styleOf(level, selected);
  return (
    <svg className="swatch" width="18" height="14" viewBox="0 0 18 14" aria-hidden="true">
      <rect
        x="1"
        y="1"
        width="16"
        height="12"
        fill={style.fillColor}
        fillOpacity={style.fillOpacity}
        stroke={style.color}
        strokeWidth={Math.min(style.weight ?? 1, 2.5)}
      />
    </svg>
  );
}

/** What the colours mean, in words (the colour is never the only cue): each 警戒レベル, none, the selection. */
function MapLegend() {
  const { t, label } = useI18n();
  return (
    <ul className="legend map-legend" aria-label={t('composeMapLegend')}>
      {EVACUATION_LEVELS.map((level) => (
        <li key={level} data-level={level}>
          <Swatch level={level} /> {label('level', String(level))}
        </li>
      ))}
      <li>
        <Swatch /> {t('composeMapNoLevel')}
      </li>
      <li>
        <Swatch selected /> {t('composeMapSelected')}
      </li>
    </ul>
  );
}
