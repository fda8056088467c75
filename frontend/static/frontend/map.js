// Taksi public map.
//
// The page embeds the layer declarations (layers/registry.py) as JSON
// (#taksi-map-config); every feature is read from the OGC API, following
// rel=next links until the collection is complete. django-leaflet creates the
// map and announces it with the `map:init` event; nothing here is global.
//
// For tests: when a layer has loaded, its legend row gets data-count; when all
// layers have loaded, <body data-map-ready="true">. The map container exposes
// the Leaflet map and layers as #map.taksiMap and #map.taksiLayers.

const config = JSON.parse(document.getElementById("taksi-map-config").textContent);
const messages = config.messages;
const numberFormat = new Intl.NumberFormat("id-ID");
const decimalFormat = new Intl.NumberFormat("id-ID", { maximumFractionDigits: 2 });
const smallScreen = window.matchMedia("(max-width: 640px)");

// ---- helpers -------------------------------------------------------------

/** Element with optional class and text (text is never parsed as HTML). */
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

/** HTML-escaped text, for the few Leaflet APIs that only take HTML strings. */
function escapeHtml(text) {
  return String(text)
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** map[key] for own keys only (feature values never reach Object.prototype). */
function lookup(map, key) {
  return map && Object.hasOwn(map, key) ? map[key] : undefined;
}

function isBlank(value) {
  return value === null || value === undefined || value === "";
}

/** `Rp 1.250.000.000`: Indonesian thousands separators, no decimals. */
function formatRupiah(value) {
  return `Rp ${numberFormat.format(Math.round(Number(value)))}`;
}

function formatValue(layer, name, value) {
  const property = layer.properties[name] || { format: "text", type: "string" };
  if (isBlank(value)) return el("span", "muted", messages.noValue);
  const labels = lookup(config.labels, name);
  if (labels) {
    const wrap = el("span", "coded-value");
    const color = lookup(lookup(config.colors, name), value);
    if (color) {
      const dot = el("span", "dot");
      dot.style.setProperty("--swatch", color);
      dot.setAttribute("aria-hidden", "true");
      wrap.append(dot);
    }
    wrap.append(document.createTextNode(lookup(labels, value) || String(value)));
    return wrap;
  }
  switch (property.format) {
    case "rupiah":
      return el("span", "nowrap", formatRupiah(value));
    case "percent": {
      const wrap = el("span", "percent");
      const bar = el("progress");
      bar.max = 100;
      bar.value = Math.max(0, Math.min(100, Number(value)));
      bar.setAttribute("aria-hidden", "true");
      wrap.append(el("span", "nowrap", `${decimalFormat.format(Number(value))}%`), bar);
      return wrap;
    }
    case "number":
      return el("span", "nowrap", decimalFormat.format(Number(value)));
    default:
      if (property.type === "boolean") return el("span", null, value ? messages.yes : messages.no);
      return el("span", null, value);
  }
}

function isSample(layer, feature) {
  return Boolean(layer.sampleField && feature.properties?.[layer.sampleField] === true);
}

function colorOf(layer, feature) {
  if (!layer.colorBy) return layer.color;
  const value = feature.properties?.[layer.colorBy];
  return lookup(lookup(config.colors, layer.colorBy), value) || layer.color;
}

// ---- OGC API -------------------------------------------------------------

/**
 * pygeoapi writes TAKSI_BASE_URL into its links; the page only ever talks to
 * the origin it was served from, so a next link is followed on this origin.
 */
function onThisOrigin(href) {
  const url = new URL(href, window.location.href);
  if (url.origin === window.location.origin) return url.href;
  return new URL(url.pathname + url.search, window.location.origin).href;
}

/** Every feature of a collection, page after page (rel=next). */
async function fetchAllFeatures(itemsUrl) {
  const features = [];
  let numberMatched = null;
  let next = new URL(itemsUrl, window.location.href).href;
  const seen = new Set();
  while (next && !seen.has(next)) {
    seen.add(next);
    const response = await fetch(next, { headers: { Accept: "application/geo+json" } });
    if (!response.ok) throw new Error(`HTTP ${response.status} for ${next}`);
    const page = await response.json();
    const pageFeatures = Array.isArray(page.features) ? page.features : [];
    features.push(...pageFeatures);
    if (numberMatched === null && Number.isInteger(page.numberMatched)) {
      numberMatched = page.numberMatched;
    }
    // Stop at an empty page or once numberMatched features are in: pygeoapi
    // links a next page whenever a page is full, even the last one.
    const complete = pageFeatures.length === 0
      || (numberMatched !== null && features.length >= numberMatched);
    const link = (page.links || []).find((l) => l.rel === "next");
    next = link && !complete ? onThisOrigin(link.href) : null;
  }
  if (numberMatched !== null && numberMatched !== features.length) {
    console.warn(`Taksi: ${itemsUrl} matched ${numberMatched} but returned ${features.length}`);
  }
  return features;
}

// ---- drawing -------------------------------------------------------------

function pathStyle(layer, index, feature) {
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

function markerStyle(layer, feature) {
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

function popupContent(layer, feature) {
  const props = feature.properties || {};
  const root = el("div", "taksi-popup");
  root.dataset.layer = layer.id;
  root.append(el("p", "popup-layer", layer.title));
  root.append(el("h2", "popup-title", isBlank(props[layer.titleField])
    ? messages.noValue : props[layer.titleField]));
  if (isSample(layer, feature)) {
    const badge = el("span", "badge-sample", messages.sampleBadge);
    badge.title = messages.sampleNote;
    root.append(badge);
  }
  const list = el("dl");
  for (const name of layer.popup) {
    const title = layer.properties[name]?.title || name;
    const value = el("dd");
    value.append(formatValue(layer, name, props[name]));
    list.append(el("dt", null, title), value);
  }
  root.append(list);
  if (feature.id !== undefined && feature.id !== null) {
    const link = el("a", "popup-link", messages.viewInApi);
    link.href = `${layer.collectionUrl}/items/${encodeURIComponent(feature.id)}`;
    root.append(link);
  }
  return root;
}

// ---- legend and layer control --------------------------------------------

function legendRow(layerId) {
  return document.querySelector(`#legend li[data-layer="${CSS.escape(layerId)}"]`);
}

function showCount(layer, features) {
  const row = legendRow(layer.id);
  if (!row) return;
  row.querySelector(".legend-count").textContent =
    `${numberFormat.format(features.length)} ${messages.features}`;
  const values = row.querySelector(".legend-values");
  if (values && layer.colorBy) {
    const counts = new Map();
    for (const feature of features) {
      const value = feature.properties?.[layer.colorBy];
      counts.set(value, (counts.get(value) || 0) + 1);
    }
    // In the order of the model's choices, then any unknown codes.
    const labels = lookup(config.labels, layer.colorBy) || {};
    const colors = lookup(config.colors, layer.colorBy) || {};
    const order = Object.keys(labels);
    const known = order.filter((value) => counts.has(value));
    const unknown = [...counts.keys()].filter((value) => !order.includes(value));
    values.replaceChildren(...[...known, ...unknown].map((value) => {
      const item = el("li");
      item.dataset.value = String(value);
      item.dataset.count = String(counts.get(value));
      const swatch = el("span", "dot");
      swatch.style.setProperty("--swatch", lookup(colors, value) || layer.color);
      swatch.setAttribute("aria-hidden", "true");
      item.append(
        swatch,
        el("span", "legend-title",
          lookup(labels, value) || (isBlank(value) ? messages.noValue : value)),
        el("span", "legend-count", numberFormat.format(counts.get(value))),
      );
      return item;
    }));
    values.hidden = false;
  }
  row.dataset.count = String(features.length);
}

function showError(layer, error) {
  console.error(`Taksi: layer ${layer.id} failed to load`, error);
  const row = legendRow(layer.id);
  if (!row) return;
  row.dataset.error = "true";
  row.querySelector(".legend-count").textContent = messages.loadError;
}

function overlayName(layer) {
  const swatch = `<span class="swatch swatch-${escapeHtml(layer.geometryType.toLowerCase())}"`
    + ` style="--swatch: ${escapeHtml(layer.color)}" aria-hidden="true"></span>`;
  const badge = layer.sampleField
    ? ` <span class="badge-sample">${escapeHtml(messages.sampleBadge)}</span>` : "";
  return `${swatch}<span>${escapeHtml(layer.title)}</span>${badge}`;
}

/** The server-rendered legend, moved into a Leaflet control (stacked above the scale). */
function addLegendControl(map) {
  const legend = document.getElementById("legend");
  // Open on wide screens; on phones it starts collapsed so the map stays usable.
  legend.open = !smallScreen.matches;
  const LegendControl = L.Control.extend({
    options: { position: "bottomleft" },
    onAdd() {
      legend.classList.add("leaflet-control");
      L.DomEvent.disableClickPropagation(legend);
      L.DomEvent.disableScrollPropagation(legend);
      return legend;
    },
  });
  new LegendControl().addTo(map);
}

// ---- map -----------------------------------------------------------------

function initMap(map) {
  const container = map.getContainer();
  const control = map.layerscontrol
    || L.control.layers(null, null, { collapsed: smallScreen.matches }).addTo(map);
  // Overlays are listed in declaration order, whatever order they load in.
  control.options.sortLayers = true;
  control.options.sortFunction = (a, b) => (a.taksiIndex ?? -1) - (b.taksiIndex ?? -1);
  map.attributionControl?.addAttribution(
    `<a href="${escapeHtml(config.sourcesUrl)}">${escapeHtml(messages.dataAttribution)}</a>`,
  );

  addLegendControl(map);

  const overlays = {};
  container.taksiMap = map;
  container.taksiLayers = overlays;

  const loads = config.layers.map(async (layer, index) => {
    // One pane per layer, stacked in declaration order whatever order the
    // layers finish loading in.
    const paneName = `taksi-${layer.id}`;
    map.createPane(paneName).style.zIndex = String(400 + index);
    try {
      const features = await fetchAllFeatures(layer.itemsUrl);
      const geojson = L.geoJSON({ type: "FeatureCollection", features }, {
        pane: paneName,
        style: (feature) => pathStyle(layer, index, feature),
        pointToLayer: (feature, latlng) =>
          L.circleMarker(latlng, { ...markerStyle(layer, feature), pane: paneName }),
        onEachFeature: (feature, featureLayer) => {
          featureLayer.bindPopup(() => popupContent(layer, feature), {
            maxWidth: Math.min(300, map.getSize().x - 120),
            minWidth: Math.min(200, map.getSize().x - 120),
            // Clear of the zoom and layer controls.
            autoPanPaddingTopLeft: [50, 64],
            autoPanPaddingBottomRight: [16, 16],
          });
        },
      });
      geojson.taksiIndex = index;
      overlays[layer.id] = geojson;
      control.addOverlay(geojson, overlayName(layer));
      if (layer.visible) geojson.addTo(map);
      showCount(layer, features);
      return geojson;
    } catch (error) {
      showError(layer, error);
      throw error;
    }
  });

  Promise.allSettled(loads).then((results) => {
    const bounds = L.latLngBounds([]);
    for (const result of results) {
      if (result.status === "fulfilled" && result.value.getLayers().length) {
        bounds.extend(result.value.getBounds());
      }
    }
    // Keep the configured view (centred on Kota Kupang) unless the city does
    // not fit, as on a phone.
    if (bounds.isValid() && !map.getBounds().contains(bounds)) {
      map.fitBounds(bounds, { padding: [8, 8], animate: false });
    }
    const failed = config.layers.filter((layer, i) => results[i].status === "rejected");
    if (failed.length) {
      document.body.dataset.mapError = failed.map((layer) => layer.id).join(" ");
    } else {
      document.body.dataset.mapReady = "true";
    }
  });
}

window.addEventListener("map:init", (event) => {
  if (event.detail?.id === "map") initMap(event.detail.map);
});
