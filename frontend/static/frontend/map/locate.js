// "Lokasi saya": which kelurahan a position is in, and the nearest health
// facilities. The two functions answer in the shapes of the OGC API
// processes `locate` and `nearest-facilities` (POST
// /ogc/processes/<id>/execution, {"inputs": {...}}), so they can switch to
// those processes once the server has them. Until then: the kelurahan comes
// from an OGC API items query with a tiny bbox around the position and an
// exact point-in-polygon test here; distances are great-circle distances
// over the facilities already on the map.

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

export function createLocator({ kelurahanItemsUrl, getFacilities }) {
  /** {kelurahan: {kode, nama}, kecamatan: {kode, nama}} or null outside every kelurahan. */
  async function locate(lon, lat) {
    const bbox = [lon - EPSILON_DEG, lat - EPSILON_DEG, lon + EPSILON_DEG, lat + EPSILON_DEG];
    const candidates = await queryItems(kelurahanItemsUrl, {
      f: "json", bbox: bbox.join(","), properties: "kode,nama,kode_kecamatan,kecamatan",
    });
    const hit = candidates.find((feature) => contains(feature.geometry, lon, lat));
    if (!hit) return null;
    const p = hit.properties;
    return {
      kelurahan: { kode: p.kode, nama: p.nama },
      kecamatan: { kode: p.kode_kecamatan, nama: p.kecamatan },
    };
  }

  /** {facilities: [{id, nama, kategori, distance_m, lon, lat}]}, nearest first. */
  async function nearestFacilities(lon, lat, { category = "kesehatan", n = 3 } = {}) {
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

  return { locate, nearestFacilities };
}
