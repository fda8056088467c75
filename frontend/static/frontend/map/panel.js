// The side panel: layer legend with live counts, the list of features that
// pass the filters, and the drawer behaviour on phones.

import { categoryIcon } from "./style.js";
import { titleOf } from "./popup.js";
import {
  config, el, formatInteger, isBlank, lookup, message, messages,
} from "./util.js";

/** Layers whose features are listed beside the map, in this order. */
const LISTED = ["facilities", "projects", "kelurahan"];

export function legendRow(layerId) {
  return document.querySelector(`#legend li[data-layer="${CSS.escape(layerId)}"]`);
}

function valueSwatch(layer, value) {
  if (layer.colorBy === "kategori") {
    const wrap = el("span", "legend-icon");
    // categoryIcon() builds the SVG from constants and server colours, never from feature text.
    wrap.innerHTML = categoryIcon(value, 18);
    return wrap;
  }
  const swatch = el("span", "dot");
  swatch.style.setProperty("--swatch", lookup(lookup(config.colors, layer.colorBy), value) || layer.color);
  swatch.setAttribute("aria-hidden", "true");
  return swatch;
}

/**
 * The layer's count and, for a coloured layer whose features are in the page,
 * the count per value (in the model's order).
 */
export function showCount(layer, count, features) {
  const row = legendRow(layer.id);
  if (!row) return;
  row.querySelector(".legend-row .legend-count").textContent =
    `${formatInteger(count)} ${messages.features}`;
  row.dataset.count = String(count);
  delete row.dataset.counting;
  const values = row.querySelector(".legend-values");
  if (!values || !layer.colorBy || !features) return;
  const counts = new Map();
  for (const feature of features) {
    const value = feature.properties?.[layer.colorBy];
    counts.set(value, (counts.get(value) || 0) + 1);
  }
  const labels = lookup(config.labels, layer.colorBy) || {};
  const order = Object.keys(labels);
  const known = order.filter((value) => counts.has(value));
  const unknown = [...counts.keys()].filter((value) => !order.includes(value));
  values.replaceChildren(...[...known, ...unknown].map((value) => {
    const item = el("li");
    item.dataset.value = String(value);
    item.dataset.count = String(counts.get(value));
    item.append(
      valueSwatch(layer, value),
      el("span", "legend-title", lookup(labels, value) || (isBlank(value) ? messages.noValue : value)),
      el("span", "legend-count", formatInteger(counts.get(value))),
    );
    return item;
  }));
  values.hidden = counts.size === 0;
}

/** The layer's count is being asked of the server: the old number is shown dimmed. */
export function markCounting(layer, counting) {
  const row = legendRow(layer.id);
  if (!row) return;
  if (counting) row.dataset.counting = "true";
  else delete row.dataset.counting;
}

export function showError(layer, error) {
  console.error(`Taksi: layer ${layer.id} failed to load`, error);
  const row = legendRow(layer.id);
  if (!row) return;
  row.dataset.error = "true";
  row.querySelector(".legend-count").textContent = messages.loadError;
}

/** Names of the filtered features, by layer; a click calls onPick(layerId, feature). */
export function renderList(entries, onPick) {
  const body = document.querySelector("#feature-list .feature-list-body");
  const sections = [];
  for (const id of LISTED) {
    const entry = entries[id];
    if (!entry || !entry.onMap) continue;
    const features = entry.filtered
      .slice()
      .sort((a, b) => titleOf(entry.layer, a).localeCompare(titleOf(entry.layer, b), "id"));
    const section = el("section", "list-layer");
    section.dataset.layer = id;
    section.dataset.count = String(features.length);
    section.append(el("h3", null, `${entry.layer.title} (${formatInteger(features.length)})`));
    const list = el("ul");
    for (const feature of features) {
      const button = el("button", "list-item", titleOf(entry.layer, feature));
      button.type = "button";
      button.dataset.id = String(feature.id);
      button.addEventListener("click", () => onPick(id, feature));
      const item = el("li");
      item.append(button);
      list.append(item);
    }
    section.append(list);
    sections.push(section);
  }
  if (!sections.some((s) => s.dataset.count !== "0")) {
    sections.unshift(el("p", "muted", messages.listEmpty));
  }
  body.replaceChildren(...sections);
}

/** The notice over the map naming filters of the address that were ignored. */
export function showUnknownFilters(unknown, badView = null) {
  const notice = document.getElementById("filter-notice");
  const texts = unknown.map(([name, value]) => message("unknownFilter", { name, value }));
  if (badView !== null) texts.push(message("badView", { value: badView }));
  notice.querySelector(".notice-text").textContent = texts.join(" ");
  notice.dataset.params = [...unknown.map(([name]) => name),
    ...(badView !== null ? ["peta"] : [])].join(" ");
  notice.querySelector(".notice-close").onclick = () => { notice.hidden = true; };
  notice.hidden = false;
}

/** On a phone the panel is a drawer opened by the toolbar button; Escape closes it. */
export function initDrawer() {
  const panel = document.getElementById("panel");
  const toggle = document.getElementById("panel-toggle");
  const closeButton = document.getElementById("panel-close");
  const setOpen = (open) => {
    panel.classList.toggle("open", open);
    toggle.setAttribute("aria-expanded", String(open));
    if (open) closeButton.focus();
  };
  toggle.addEventListener("click", () => setOpen(!panel.classList.contains("open")));
  closeButton.addEventListener("click", () => { setOpen(false); toggle.focus(); });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && panel.classList.contains("open")) {
      setOpen(false);
      toggle.focus();
    }
  });
  return { close: () => setOpen(false) };
}
