// "Lokasi saya": which kelurahan a position is in, and the nearest health
// facilities. Both questions go to the OGC API processes `locate` and
// `nearest-facilities` (POST /ogc/processes/<id>/execution, {"inputs": {...}}),
// which answer with PostGIS: the spatial join's rule (containing kelurahan,
// else the nearest within 50 m) and geodesic distances on the spheroid.
// Should a server lack the processes or fail, the page answers by itself from
// what it has: an items query with a tiny bbox around the position plus an
// exact point-in-polygon test, and great-circle distances over the
// facilities already on the map. Either way the answers have the processes'
// shapes.

import { queryItems } from "./ogc.js";

const CATEGORIES = { kesehatan: ["rumah_sakit", "puskesmas", "klinik"] };
const EARTH_RADIUS_M = 6371008.8; // mean radius (IUGG)
/** ±0.1 m: the provider needs a bbox with an area to intersect. */
const EPSILON_DEG = 1e-6;

/** Great-circle distance in metres (haversine; < 0.5 % off the ellipsoid). */
export function haversine(lon1, lat1, lon2, lat2) {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2
    + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

function inRing(lon, lat, ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if ((yi > lat) !== (yj > lat) && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) {
      inside = !inside;
    }
  }
  return inside;
}

/** Point in a GeoJSON Polygon/MultiPolygon (even-odd rule, holes included). */
export function contains(geometry, lon, lat) {
  if (!geometry) return false;
  const polygons = geometry.type === "Polygon" ? [geometry.coordinates]
    : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
  return polygons.some((rings) => rings.reduce((inside, ring) => inside !== inRing(lon, lat, ring), false));
}

/** Runs an OGC API process synchronously; its JSON outputs. */
async function execute(processesUrl, id, inputs) {
  const response = await fetch(`${processesUrl}/${encodeURIComponent(id)}/execution`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ inputs }),
  });
  if (!response.ok) throw new Error(`HTTP ${response.status} from process ${id}`);
  return response.json();
}

/** Tries the process, else answers in the page (logged, not shown: the answer is the same). */
async function withFallback(process, local) {
  try {
    return { ...(await process()), source: "process" };
  } catch (error) {
    console.warn("Taksi: answering in the page,", error);
    return { ...(await local()), source: "page" };
  }
}

export function createLocator({ processesUrl, kelurahanItemsUrl, getFacilities }) {
  async function locateHere(lon, lat) {
    const bbox = [lon - EPSILON_DEG, lat - EPSILON_DEG, lon + EPSILON_DEG, lat + EPSILON_DEG];
    const candidates = await queryItems(kelurahanItemsUrl, {
      f: "json", bbox: bbox.join(","), properties: "kode,nama,kode_kecamatan,kecamatan",
    });
    const hit = candidates.find((feature) => contains(feature.geometry, lon, lat));
    if (!hit) return { kelurahan: null, kecamatan: null };
    const p = hit.properties;
    return {
      kelurahan: { kode: p.kode, nama: p.nama },
      kecamatan: { kode: p.kode_kecamatan, nama: p.kecamatan },
    };
  }

  function nearestHere(lon, lat, category, n) {
    const wanted = CATEGORIES[category] || [category];
    const facilities = getFacilities()
      .filter((f) => f.geometry?.type === "Point" && wanted.includes(f.properties?.kategori))
      .map((f) => {
        const [flon, flat] = f.geometry.coordinates;
        return {
          id: f.id, nama: f.properties.nama, kategori: f.properties.kategori,
          distance_m: Math.round(haversine(lon, lat, flon, flat)), lon: flon, lat: flat,
        };
      })
      .sort((a, b) => a.distance_m - b.distance_m);
    return { facilities: facilities.slice(0, n) };
  }

  return {
    /** {kelurahan: {kode, nama} | null, kecamatan: {kode, nama} | null, source}. */
    locate: (lon, lat) => withFallback(
      () => execute(processesUrl, "locate", { lon, lat }),
      () => locateHere(lon, lat),
    ),
    /** {facilities: [{id, nama, kategori, distance_m, lon, lat}], source}, nearest first. */
    nearestFacilities: (lon, lat, { category = "kesehatan", n = 3 } = {}) => withFallback(
      () => execute(processesUrl, "nearest-facilities", { lon, lat, category, n }),
      () => nearestHere(lon, lat, category, n),
    ),
  };
}
