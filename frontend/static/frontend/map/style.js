// How features look: colours by coded property, facility icons (inline SVG,
// no image files or CDN), path styles of boundaries and project sites.

import { config, escapeHtml, lookup } from "./util.js";

const HEALTH = '<path d="M10 5h4v5h5v4h-5v5h-4v-5H5v-4h5z"/>';
const SCHOOL = '<path d="M12 5l10 5-10 5L2 10zM6 13v4c3 2 9 2 12 0v-4l-6 3z"/>';
const TEMPLE = '<path d="M12 4l6 5H6zM7 11h10v2H7zM8 15h8v5H8z"/>';
/** White glyph per facility category, drawn on a 24 × 24 grid. */
const GLYPHS = {
  rumah_sakit: HEALTH,
  puskesmas: HEALTH,
  klinik: HEALTH,
  sd: SCHOOL,
  smp: SCHOOL,
  sma_smk: SCHOOL,
  perguruan_tinggi: SCHOOL,
  gereja: '<path d="M11 3h2v4h4v2h-4v12h-2V9H7V7h4z"/>',
  masjid: '<path d="M14 4a8 8 0 1 0 6 13 6.5 6.5 0 1 1-6-13z"/>',
  pura: TEMPLE,
  vihara: TEMPLE,
  kantor_pemerintah: '<path d="M12 3L3 9h18zM6 11h2v6H6zm5 0h2v6h-2zm5 0h2v6h-2zM4 18h16v2H4z"/>',
  pasar: '<path d="M3 5h3l2 10h10l2-7H7.5" fill="none" stroke="#fff" stroke-width="2"/>'
    + '<circle cx="9" cy="19" r="1.7"/><circle cx="17" cy="19" r="1.7"/>',
  lainnya: '<circle cx="12" cy="12" r="4"/>',
};

export function isSample(layer, feature) {
  return Boolean(layer.sampleField && feature.properties?.[layer.sampleField] === true);
}

export function colorOf(layer, feature) {
  if (!layer.colorBy) return layer.color;
  const value = feature.properties?.[layer.colorBy];
  return lookup(lookup(config.colors, layer.colorBy), value) || layer.color;
}

/** The icon of a facility category as SVG markup (category codes outside the list get "lainnya"). */
export function categoryIcon(category, size = 22) {
  const code = Object.hasOwn(GLYPHS, category) ? category : "lainnya";
  const color = lookup(lookup(config.colors, "kategori"), code) || "#666666";
  return `<svg class="category-icon" viewBox="0 0 28 28" width="${size}" height="${size}"`
    + ' aria-hidden="true" focusable="false">'
    + `<circle cx="14" cy="14" r="12.5" fill="${escapeHtml(color)}" stroke="#fff" stroke-width="2"/>`
    + `<g transform="translate(4 4) scale(0.8333)" fill="#fff">${GLYPHS[code]}</g></svg>`;
}

/** A Leaflet divIcon for a facility: its category icon. */
export function facilityIcon(feature) {
  const category = feature.properties?.kategori;
  const code = Object.hasOwn(GLYPHS, category) ? category : "lainnya";
  return L.divIcon({
    className: `taksi-marker taksi-facilities category-${code}`,
    html: categoryIcon(code),
    iconSize: [22, 22],
    iconAnchor: [11, 11],
    popupAnchor: [0, -10],
  });
}

export function markerStyle(layer, feature) {
  const className = `taksi-feature taksi-${layer.id} taksi-point`;
  const fillColor = colorOf(layer, feature);
  if (layer.sampleField) {
    return {
      className, radius: 8, color: layer.color, weight: 3, fillColor, fillOpacity: 0.9,
      dashArray: isSample(layer, feature) ? "4 3" : null,
    };
  }
  return { className, radius: 6, color: "#ffffff", weight: 1.5, fillColor, fillOpacity: 0.95 };
}

export function pathStyle(layer, index, feature) {
  // L.geoJSON applies its style to circle markers too.
  if (feature.geometry?.type === "Point") return markerStyle(layer, feature);
  const color = colorOf(layer, feature);
  const sample = isSample(layer, feature);
  const className = `taksi-feature taksi-${layer.id}`;
  const type = feature.geometry?.type || "";
  if (type.includes("LineString")) {
    return { className, color, weight: 5, opacity: 0.95, dashArray: sample ? "10 6" : null };
  }
  if (layer.colorBy) {
    // Coloured by a property: filled with the value's colour, outlined in the layer colour.
    return {
      className, color: layer.color, weight: 2.5, fillColor: color, fillOpacity: 0.6,
      dashArray: sample ? "6 4" : null,
    };
  }
  // Boundaries: the lowest layer gets a thick outline and a tint so it stays
  // visible under the layers drawn above it; their fill stays clickable but clear.
  const lowest = index === 0;
  return {
    className, color, weight: lowest ? 5 : 1.5, opacity: 0.9,
    fillColor: color, fillOpacity: lowest ? 0.1 : 0.02,
  };
}
