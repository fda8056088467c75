// Taksi public map: the entry module.
//
// The page embeds the layer declarations (layers/registry.py) as JSON
// (#taksi-map-config); every feature is read from the OGC API (map/ogc.js).
// django-leaflet creates the map and announces it with the `map:init` event;
// nothing here is global. Filters, search, "Lokasi saya" and the side panel
// live in map/*.js; this module keeps their shared state: the filters, the
// features of each layer and the address bar (?filters&peta=z/lat/lon).
//
// For tests: a legend row gets data-count (features passing the filters in
// the current view); <body data-map-ready="true"> once every layer is in.
// The map container exposes the Leaflet map and layers as #map.taksiMap and
// #map.taksiLayers.

import { FilterForm, filterOptions, matches, readUrl, urlFor } from "./map/filters.js";
import { createLocator } from "./map/locate.js";
import { sourceFor } from "./map/ogc.js";
import { initDrawer, renderList, showCount, showError } from "./map/panel.js";
import { popupContent } from "./map/popup.js";
import { buildIndex, initSearchBox } from "./map/search.js";
import { facilityIcon, markerStyle, pathStyle } from "./map/style.js";
import { initLocateButton } from "./map/locate-ui.js";
import { config, escapeHtml, messages } from "./map/util.js";

const smallScreen = window.matchMedia("(max-width: 760px)");

/** Map state shared by the handlers below. */
const state = {
  map: null,
  entries: {},   // layer id -> {layer, features, group, leafletById, filtered, onMap}
  filters: {},
  index: [],
  drawer: null,
  quiet: false,  // true while the page itself moves the map (no history entry)
};

// ---- layers ----------------------------------------------------------------

function buildLayer(layer, index, features) {
  const map = state.map;
  const pane = `taksi-${layer.id}`;
  const popupOptions = {
    maxWidth: Math.min(300, map.getSize().x - 60),
    minWidth: Math.min(200, map.getSize().x - 80),
    autoPanPaddingTopLeft: [50, 64],
    autoPanPaddingBottomRight: [16, 16],
  };
  const group = L.geoJSON({ type: "FeatureCollection", features }, {
    pane,
    style: (feature) => pathStyle(layer, index, feature),
    pointToLayer: (feature, latlng) => (layer.id === "facilities"
      ? L.marker(latlng, {
        pane, icon: facilityIcon(feature), title: String(feature.properties?.nama ?? ""),
        alt: String(feature.properties?.nama ?? ""), riseOnHover: true,
      })
      : L.circleMarker(latlng, { ...markerStyle(layer, feature), pane })),
    onEachFeature: (feature, featureLayer) => {
      featureLayer.bindPopup(() => popupContent(layer, feature), popupOptions);
    },
  });
  const leafletById = new Map();
  for (const featureLayer of group.getLayers()) {
    featureLayer.taksiBounds = featureLayer.getBounds
      ? featureLayer.getBounds() : L.latLngBounds([featureLayer.getLatLng()]);
    leafletById.set(String(featureLayer.feature.id), featureLayer);
  }
  group.taksiIndex = index;
  const entry = { layer, features, group, leafletById, filtered: features, onMap: layer.visible };
  state.entries[layer.id] = entry;
  if (entry.onMap) group.addTo(map);
  return entry;
}

function applyFilters() {
  for (const entry of Object.values(state.entries)) {
    entry.filtered = entry.features.filter((f) => matches(entry.layer, f, state.filters));
    const keep = new Set(entry.filtered.map((f) => String(f.id)));
    for (const [id, featureLayer] of entry.leafletById) {
      if (keep.has(id)) entry.group.addLayer(featureLayer);
      else entry.group.removeLayer(featureLayer);
    }
  }
  updateCounts();
  renderList(state.entries, (layerId, feature) => focusFeature(layerId, feature));
}

/** Legend counts: features passing the filters inside the current map view. */
function updateCounts() {
  const view = state.map.getBounds();
  for (const entry of Object.values(state.entries)) {
    const visible = entry.filtered.filter((feature) => {
      const bounds = entry.leafletById.get(String(feature.id))?.taksiBounds;
      return bounds && view.intersects(bounds);
    });
    showCount(entry.layer, visible);
  }
}

// ---- view and address bar ---------------------------------------------------

function currentView() {
  const center = state.map.getCenter();
  return { zoom: state.map.getZoom(), lat: center.lat, lon: center.lng };
}

/** The dashboard reads the same filter parameters: its link carries the selection. */
function updateDashboardLink() {
  const link = document.getElementById("dashboard-link");
  if (!link) return;
  const query = new URL(urlFor(state.filters, null), window.location.href).search;
  link.href = `${new URL(link.href).pathname}${query}`;
}

function writeUrl(push) {
  updateDashboardLink();
  const url = urlFor(state.filters, currentView());
  const current = window.location.pathname + window.location.search;
  if (url === current) return;
  const data = { taksi: true };
  if (push) window.history.pushState(data, "", url + window.location.hash);
  else window.history.replaceState(data, "", url + window.location.hash);
}

/** Moves the map without writing the move into the history. */
function quietly(move) {
  state.quiet = true;
  try {
    move();
  } finally {
    state.quiet = false;
  }
}

/** The chosen kelurahan or kecamatan, else the whole city. */
function areaBounds() {
  const pick = (layerId, code) => state.entries[layerId]?.features
    .filter((f) => f.properties?.kode === code)
    .map((f) => state.entries[layerId].leafletById.get(String(f.id)).taksiBounds)[0];
  const area = (state.filters.kelurahan && pick("kelurahan", state.filters.kelurahan))
    || (state.filters.kecamatan && pick("kecamatan", state.filters.kecamatan));
  if (area) return area;
  const all = L.latLngBounds([]);
  for (const entry of Object.values(state.entries)) {
    for (const fl of entry.leafletById.values()) all.extend(fl.taksiBounds);
  }
  return all;
}

function showView(view, fitArea) {
  quietly(() => {
    if (view) {
      state.map.setView([view.lat, view.lon], view.zoom, { animate: false });
    } else if (fitArea) {
      // The chosen area, else the whole city, as large as the screen allows.
      const bounds = areaBounds();
      if (bounds.isValid()) state.map.fitBounds(bounds, { padding: [8, 8], animate: false });
    }
  });
}

function onFiltersChanged(filters) {
  const areaChanged = filters.kecamatan !== state.filters.kecamatan
    || filters.kelurahan !== state.filters.kelurahan;
  state.filters = filters;
  applyFilters();
  if (areaChanged) showView(null, true);
  updateCounts();
  writeUrl(true);
}

function onPopState() {
  const { filters, view } = readUrl();
  state.filters = filters;
  state.form.set(filters);
  applyFilters();
  showView(view, !view);
  updateCounts();
  updateDashboardLink();
}

// ---- focusing a feature (search, list, locate) ------------------------------

function focusFeature(layerId, feature) {
  const entry = state.entries[layerId];
  const featureLayer = entry?.leafletById.get(String(feature.id));
  if (!featureLayer) return;
  if (!matches(entry.layer, feature, state.filters)) {
    state.filters = {};
    state.form.set({});
    applyFilters();
    document.getElementById("search-status").textContent = messages.filtersReset;
  }
  if (!entry.onMap) setLayerOn(layerId, true);
  quietly(() => {
    if (featureLayer.getLatLng) {
      state.map.setView(featureLayer.getLatLng(), Math.max(state.map.getZoom(), 16), { animate: false });
    } else {
      state.map.fitBounds(featureLayer.taksiBounds, { maxZoom: 16, padding: [16, 16], animate: false });
    }
  });
  updateCounts();
  writeUrl(true);
  if (smallScreen.matches) state.drawer.close();
  featureLayer.openPopup();
}

function setLayerOn(layerId, on) {
  const entry = state.entries[layerId];
  entry.onMap = on;
  const box = document.querySelector(`[data-layer-toggle="${CSS.escape(layerId)}"]`);
  if (box) box.checked = on;
  if (on) entry.group.addTo(state.map);
  else entry.group.remove();
  renderList(state.entries, (id, feature) => focusFeature(id, feature));
}

// ---- start ------------------------------------------------------------------

async function loadLayers() {
  const results = await Promise.allSettled(config.layers.map(async (layer, index) => {
    // One pane per layer, stacked in declaration order whatever order they load in.
    state.map.createPane(`taksi-${layer.id}`).style.zIndex = String(400 + index);
    try {
      return buildLayer(layer, index, await sourceFor(layer).load());
    } catch (error) {
      showError(layer, error);
      throw error;
    }
  }));
  return config.layers.filter((layer, i) => results[i].status === "rejected");
}

function initControls() {
  state.drawer = initDrawer();
  state.form = new FilterForm(document.getElementById("filters"), onFiltersChanged);
  for (const box of document.querySelectorAll("[data-layer-toggle]")) {
    box.addEventListener("change", () => {
      if (state.entries[box.dataset.layerToggle]) setLayerOn(box.dataset.layerToggle, box.checked);
    });
  }
  initSearchBox({
    input: document.getElementById("search-input"),
    listbox: document.getElementById("search-results"),
    status: document.getElementById("search-status"),
    getIndex: () => state.index,
    onPick: (entry) => focusFeature(entry.layer.id, entry.feature),
  });
  const kelurahan = config.layers.find((layer) => layer.id === "kelurahan");
  initLocateButton({
    map: state.map,
    button: document.getElementById("locate-button"),
    output: document.getElementById("locate-result"),
    locator: createLocator({
      processesUrl: config.processesUrl,
      kelurahanItemsUrl: kelurahan.itemsUrl.split("?")[0],
      getFacilities: () => state.entries.facilities?.features || [],
    }),
    onPick: (id) => {
      const feature = state.entries.facilities?.features.find((f) => String(f.id) === String(id));
      if (feature) focusFeature("facilities", feature);
    },
  });
}

async function initMap(map) {
  state.map = map;
  const container = map.getContainer();
  container.taksiMap = map;
  container.taksiLayers = new Proxy({}, { get: (_, id) => state.entries[id]?.group });
  map.attributionControl?.addAttribution(
    `<a href="${escapeHtml(config.sourcesUrl)}">${escapeHtml(messages.dataAttribution)}</a>`,
  );
  initControls();
  const { filters, view } = readUrl();
  state.filters = filters;
  const failed = await loadLayers();
  const featuresByLayer = Object.fromEntries(
    Object.values(state.entries).map((entry) => [entry.layer.id, entry.features]),
  );
  state.form.fill(filterOptions(featuresByLayer), filters);
  state.index = buildIndex(config.layers.filter((l) => state.entries[l.id]), featuresByLayer);
  applyFilters();
  showView(view, !view);
  updateCounts();
  updateDashboardLink();
  map.on("moveend", () => {
    updateCounts();
    if (!state.quiet) writeUrl(false);
  });
  window.addEventListener("popstate", onPopState);
  if (failed.length) document.body.dataset.mapError = failed.map((layer) => layer.id).join(" ");
  else document.body.dataset.mapReady = "true";
}

window.addEventListener("map:init", (event) => {
  if (event.detail?.id === "map") initMap(event.detail.map);
});
