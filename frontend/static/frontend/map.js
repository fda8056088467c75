// Taksi public map: the entry module.
//
// The page embeds the layer declarations (layers/registry.py) as JSON
// (#taksi-map-config); every feature is read from the OGC API (map/ogc.js):
// boundaries as vector tiles (map/tiles.js), facilities and projects as
// GeoJSON (map/geojson.js), both behind the same small entry interface.
// django-leaflet creates the map and announces it with the `map:init` event;
// nothing here is global. Filters, search, "Lokasi saya" and the side panel
// live in map/*.js; this module keeps their shared state: the filters, the
// features of each layer and the address bar (?filters&peta=z/lat/lon).
//
// For tests: a legend row gets data-count (features passing the filters in
// the current view); <body data-map-ready="true"> once every layer is in,
// counted and (tiles) drawn.
// The map container exposes the Leaflet map and layers as #map.taksiMap and
// #map.taksiLayers.

import {
  FilterForm, filterOptions, matches, readUrl, unknownFilters, urlFor,
} from "./map/filters.js";
import { GeoJsonEntry } from "./map/geojson.js";
import { createLocator } from "./map/locate.js";
import { sourceFor } from "./map/ogc.js";
import {
  initDrawer, markCounting, renderList, showCount, showError, showUnknownFilters,
} from "./map/panel.js";
import { buildIndex, initSearchBox } from "./map/search.js";
import { TileEntry } from "./map/tiles.js";
import { initLocateButton } from "./map/locate-ui.js";
import { config, escapeHtml, messages } from "./map/util.js";

const smallScreen = window.matchMedia("(max-width: 760px)");

/** Map state shared by the handlers below. */
const state = {
  map: null,
  entries: {},   // layer id -> GeoJsonEntry | TileEntry
  filters: {},
  index: [],
  drawer: null,
  quiet: false,  // true while the page itself moves the map (no history entry)
};

// ---- layers ----------------------------------------------------------------

function buildEntry(layer, index, { features, extent }) {
  const entry = extent
    ? new TileEntry(state.map, layer, index, features, extent)
    : new GeoJsonEntry(state.map, layer, index, features);
  state.entries[layer.id] = entry;
  return entry;
}

function applyFilters() {
  for (const entry of Object.values(state.entries)) {
    entry.setFiltered(entry.features.filter((f) => matches(entry.layer, f, state.filters)));
  }
  renderList(state.entries, (layerId, feature) => focusFeature(layerId, feature));
}

let countRound = 0;

/**
 * Legend counts: features passing the filters inside the current map view,
 * counted in the page (GeoJSON layers) or by the API (tile layers). Only the
 * latest round is shown, whatever order the answers come in.
 */
async function updateCounts() {
  countRound += 1;
  const round = countRound;
  const view = state.map.getBounds();
  await Promise.all(Object.values(state.entries).map(async (entry) => {
    if (entry.kind === "tiles") markCounting(entry.layer, true);
    try {
      const { count, features } = await entry.countIn(view, state.filters);
      if (round === countRound) showCount(entry.layer, count, features);
    } catch (error) {
      console.warn(`Taksi: no count for ${entry.layer.id}`, error);
      if (round === countRound) markCounting(entry.layer, false);
    }
  }));
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
async function areaBounds() {
  const pick = async (layerId, code) => {
    const entry = state.entries[layerId];
    const feature = entry?.features.find((f) => f.properties?.kode === code);
    return feature ? entry.boundsOf(feature) : null;
  };
  const area = (state.filters.kelurahan && await pick("kelurahan", state.filters.kelurahan))
    || (state.filters.kecamatan && await pick("kecamatan", state.filters.kecamatan));
  if (area) return area;
  const all = L.latLngBounds([]);
  for (const entry of Object.values(state.entries)) {
    const extent = entry.extent();
    if (extent.isValid()) all.extend(extent);
  }
  return all;
}

async function showView(view, fitArea) {
  // The chosen area, else the whole city, as large as the screen allows.
  const bounds = !view && fitArea ? await areaBounds() : null;
  quietly(() => {
    if (view) {
      state.map.setView([view.lat, view.lon], view.zoom, { animate: false });
    } else if (bounds?.isValid()) {
      state.map.fitBounds(bounds, { padding: [8, 8], animate: false });
    }
  });
}

async function onFiltersChanged(filters) {
  const areaChanged = filters.kecamatan !== state.filters.kecamatan
    || filters.kelurahan !== state.filters.kelurahan;
  state.filters = filters;
  applyFilters();
  // The address follows at once; the view is added once the map has moved.
  writeUrl(true);
  if (areaChanged) {
    await showView(null, true);
    writeUrl(false);
  }
  await updateCounts();
}

async function onPopState() {
  const { filters, view } = readUrl();
  state.filters = filters;
  state.form.set(filters);
  applyFilters();
  await showView(view, !view);
  updateDashboardLink();
  await updateCounts();
}

// ---- focusing a feature (search, list, locate) ------------------------------

async function focusFeature(layerId, feature) {
  const entry = state.entries[layerId];
  if (!entry) return;
  if (!matches(entry.layer, feature, state.filters)) {
    state.filters = {};
    state.form.set({});
    applyFilters();
    document.getElementById("search-status").textContent = messages.filtersReset;
  }
  if (!entry.onMap) setLayerOn(layerId, true);
  if (smallScreen.matches) state.drawer.close();
  const bounds = await entry.boundsOf(feature);
  if (!bounds) return;
  quietly(() => {
    if (bounds.getNorthEast().equals(bounds.getSouthWest())) {
      state.map.setView(bounds.getCenter(), Math.max(state.map.getZoom(), 16), { animate: false });
    } else {
      state.map.fitBounds(bounds, { maxZoom: 16, padding: [16, 16], animate: false });
    }
  });
  writeUrl(true);
  await entry.open(feature);
  await updateCounts();
}

function setLayerOn(layerId, on) {
  const entry = state.entries[layerId];
  const box = document.querySelector(`[data-layer-toggle="${CSS.escape(layerId)}"]`);
  if (box) box.checked = on;
  entry.show(on);
  renderList(state.entries, (id, feature) => focusFeature(id, feature));
}

// ---- start ------------------------------------------------------------------

async function loadLayers() {
  const results = await Promise.allSettled(config.layers.map(async (layer, index) => {
    // One pane per layer, stacked in declaration order whatever order they load in.
    state.map.createPane(`taksi-${layer.id}`).style.zIndex = String(400 + index);
    try {
      return buildEntry(layer, index, await sourceFor(layer).load());
    } catch (error) {
      showError(layer, error);
      throw error;
    }
  }));
  return config.layers.filter((layer, i) => results[i].status === "rejected");
}

/**
 * A link with a filter value the data does not have, or a `peta` that is no
 * view: say so, and ignore that part.
 */
function withoutUnknownFilters(filters, options, badView) {
  const unknown = unknownFilters(filters, options);
  if (unknown.length || badView !== null) showUnknownFilters(unknown, badView);
  const known = { ...filters };
  for (const [name] of unknown) delete known[name];
  return known;
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
  container.taksiLayers = new Proxy({}, {
    get: (_, id) => state.entries[id]?.group || state.entries[id]?.grid,
  });
  map.attributionControl?.addAttribution(
    `<a href="${escapeHtml(config.sourcesUrl)}">${escapeHtml(messages.dataAttribution)}</a>`,
  );
  initControls();
  const { view, badView } = readUrl();
  const failed = await loadLayers();
  const featuresByLayer = Object.fromEntries(
    Object.values(state.entries).map((entry) => [entry.layer.id, entry.features]),
  );
  const options = filterOptions(featuresByLayer);
  const asked = readUrl().filters;
  state.filters = withoutUnknownFilters(asked, options, badView);
  state.form.fill(options, state.filters);
  state.index = buildIndex(config.layers.filter((l) => state.entries[l.id]), featuresByLayer);
  applyFilters();
  await showView(view, !view);
  // The address keeps only the filters in force and one valid view (the
  // notice names what was dropped), in the order the page writes them.
  const clean = urlFor(state.filters, view);
  if (clean !== window.location.pathname + window.location.search) {
    window.history.replaceState({ taksi: true }, "", clean + window.location.hash);
  }
  updateDashboardLink();
  await Promise.all([
    updateCounts(),
    ...Object.values(state.entries).filter((e) => e.drawn).map((e) => e.drawn()),
  ]);
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
