// Feature popups: key facts built as DOM nodes, so feature text is never
// parsed as HTML; a project links to its page (/proyek/<id>/).

import {
  config, el, formatDate, formatDecimal, formatRupiah, isBlank, lookup, messages,
} from "./util.js";
import { colorOf, isSample } from "./style.js";

function codedValue(name, value) {
  const wrap = el("span", "coded-value");
  const color = lookup(lookup(config.colors, name), value);
  if (color) {
    const dot = el("span", "dot");
    dot.style.setProperty("--swatch", color);
    dot.setAttribute("aria-hidden", "true");
    wrap.append(dot);
  }
  wrap.append(document.createTextNode(lookup(lookup(config.labels, name), value) || String(value)));
  return wrap;
}

function percentValue(value) {
  const wrap = el("span", "percent");
  const bar = el("progress");
  bar.max = 100;
  bar.value = Math.max(0, Math.min(100, Number(value)));
  bar.setAttribute("aria-hidden", "true");
  wrap.append(el("span", "nowrap", `${formatDecimal(value)}%`), bar);
  return wrap;
}

/** A property value formatted by its declared type and format. */
export function formatValue(layer, name, value) {
  const property = layer.properties[name] || { format: "text", type: "string" };
  if (isBlank(value)) return el("span", "muted", messages.noValue);
  if (lookup(config.labels, name)) return codedValue(name, value);
  if (property.format === "rupiah") return el("span", "nowrap", formatRupiah(value));
  if (property.format === "percent") return percentValue(value);
  if (property.format === "number") return el("span", "nowrap", formatDecimal(value));
  if (property.type === "date") return el("span", "nowrap", formatDate(value));
  if (property.type === "boolean") return el("span", null, value ? messages.yes : messages.no);
  return el("span", null, value);
}

export function titleOf(layer, feature) {
  const title = feature.properties?.[layer.titleField];
  return isBlank(title) ? messages.noValue : String(title);
}

function links(layer, feature) {
  const wrap = el("p", "popup-links");
  const id = encodeURIComponent(String(feature.id));
  if (layer.sampleField) {
    // Only project sites have a page of their own.
    const detail = el("a", "popup-detail", messages.detail);
    detail.href = config.projectUrl.replace("{id}", id);
    wrap.append(detail);
  }
  const api = el("a", "popup-link", messages.viewInApi);
  api.href = `${layer.collectionUrl}/items/${id}`;
  wrap.append(api);
  return wrap;
}

export function popupContent(layer, feature) {
  const props = feature.properties || {};
  const root = el("div", "taksi-popup");
  root.dataset.layer = layer.id;
  root.dataset.id = String(feature.id);
  root.style.setProperty("--accent-line", colorOf(layer, feature));
  root.append(el("p", "popup-layer", layer.title));
  root.append(el("h2", "popup-title", titleOf(layer, feature)));
  if (isSample(layer, feature)) {
    const badge = el("span", "badge-sample", messages.sampleBadge);
    badge.title = messages.sampleNote;
    root.append(badge);
  }
  const list = el("dl");
  for (const name of layer.popup) {
    const value = el("dd");
    value.append(formatValue(layer, name, props[name]));
    list.append(el("dt", null, layer.properties[name]?.title || name), value);
  }
  root.append(list);
  if (feature.id !== undefined && feature.id !== null) root.append(links(layer, feature));
  return root;
}

// ---- popup size and placement ----------------------------------------------

/** Horizontal space Leaflet's popup adds around its content (margins, border). */
const POPUP_CHROME_PX = 46;
/** Below Leaflet's zoom control (top left: 10 px margin + two 30 px buttons). */
const BELOW_ZOOM_PX = 84;

/**
 * Popup options for the map's current size. On a phone the popup takes the
 * map's width less 8 px each side and sits below the zoom control; on a wide
 * map it stays 300 px and right of the zoom control. Long popups scroll
 * inside the map instead of running off it.
 */
export function popupSizing(map) {
  const { x: width, y: height } = map.getSize();
  const narrow = width < 480;
  const side = narrow ? 8 : 16;
  const maxWidth = Math.max(160, Math.min(300, width - POPUP_CHROME_PX - 2 * side));
  return {
    maxWidth,
    minWidth: Math.min(200, maxWidth),
    maxHeight: narrow ? Math.max(160, height - BELOW_ZOOM_PX - 56) : null,
    autoPanPaddingTopLeft: narrow ? [side, BELOW_ZOOM_PX] : [50, 64],
    autoPanPaddingBottomRight: [side, 16],
  };
}

/**
 * A Leaflet popup that fits the map as it is when it opens (a phone may turn
 * between two popups): the sizing is applied just before Leaflet lays the
 * popup out and pans the map to show it.
 */
export const FitPopup = L.Popup.extend({
  _updateLayout() {
    if (this._map) L.setOptions(this, popupSizing(this._map));
    L.Popup.prototype._updateLayout.call(this);
  },
});
