// Map filters: which feature property each URL parameter reads, the filter
// form, and the filter state <-> URL query (permalinks, back/forward).
//
// Filtering happens in the browser over the features already loaded: the
// whole city is ~45 KB of gzipped GeoJSON, so one load answers every filter
// change, count and list instantly and offline. Each rule names the OGC
// property it reads (the same names as the OGC API's filter parameters,
// e.g. /ogc/collections/projects/items?status=completed), so a layer too big
// to load whole can send the same state as query parameters instead.

import { config, el, lookup } from "./util.js";

export const FILTER_PARAMS = config.filters;

/**
 * property: the feature property compared with the value; own: the property
 * on the layer the filter is *about* (a kecamatan's own code); containing: a
 * layer whose features contain the chosen one (kelurahan code 53.71.01.1001
 * lies in kecamatan 53.71.01).
 */
const RULES = {
  kecamatan: { property: "kode_kecamatan", own: { kecamatan: "kode" } },
  kelurahan: {
    property: "kode_kelurahan", own: { kelurahan: "kode" }, containing: { kecamatan: "kode" },
  },
  kategori: { property: "kategori" },
  status: { property: "status" },
  tahun: { property: "tahun_anggaran" },
  opd: { property: "kode_opd" },
  sumber_dana: { property: "sumber_dana" },
};

function matchesOne(layer, param, wanted, props) {
  const rule = RULES[param];
  if (!rule) return true;
  const own = lookup(rule.own, layer.id);
  if (own) return String(props[own] ?? "") === wanted;
  const containing = lookup(rule.containing, layer.id);
  if (containing) return wanted.startsWith(`${props[containing]}.`);
  if (!Object.hasOwn(layer.properties, rule.property)) return true; // not about this layer
  return String(props[rule.property] ?? "") === wanted;
}

/**
 * The same filters as OGC API - Features query parameters for a layer
 * (?kode_kecamatan=53.71.05), for layers the page counts on the server
 * (map/tiles.js); null when the filters contradict each other there.
 */
export function queryFor(layer, filters) {
  const params = {};
  for (const [param, wanted] of Object.entries(filters)) {
    const rule = RULES[param];
    if (!rule) continue;
    const own = lookup(rule.own, layer.id);
    const containing = lookup(rule.containing, layer.id);
    let name = rule.property;
    let value = wanted;
    if (own) name = own;
    else if (containing) {
      // The containing feature's code is the chosen code less its last part.
      name = containing;
      value = wanted.includes(".") ? wanted.slice(0, wanted.lastIndexOf(".")) : wanted;
    } else if (!Object.hasOwn(layer.properties, rule.property)) continue;
    if (Object.hasOwn(params, name) && params[name] !== value) return null;
    params[name] = value;
  }
  return params;
}

/** Whether a feature passes every active filter that concerns its layer. */
export function matches(layer, feature, filters) {
  const props = feature.properties || {};
  return Object.entries(filters).every(([param, wanted]) => matchesOne(layer, param, wanted, props));
}

// ---- URL ------------------------------------------------------------------

/** Zoom levels a `peta` may ask for (OGC WebMercatorQuad goes to 24). */
const MAX_VIEW_ZOOM = 24;

/**
 * {filters, view, badView} from a query string:
 * ?kecamatan=53.71.05&peta=14/-10.17/123.60. A `peta` that is not
 * zoom/latitude/longitude within range comes back as badView (the page says
 * so and shows the whole city).
 */
export function readUrl(search = window.location.search) {
  const query = new URLSearchParams(search);
  const filters = {};
  for (const param of FILTER_PARAMS) {
    const value = query.get(param);
    if (value) filters[param] = value;
  }
  let view = null;
  let badView = null;
  const asked = query.get("peta");
  if (asked !== null) {
    const parts = asked.split("/").map((part) => (part.trim() === "" ? NaN : Number(part)));
    if (parts.length === 3 && parts.every(Number.isFinite) && parts[0] >= 0
        && parts[0] <= MAX_VIEW_ZOOM && Math.abs(parts[1]) <= 90 && Math.abs(parts[2]) <= 180) {
      view = { zoom: Math.round(parts[0]), lat: parts[1], lon: parts[2] };
    } else {
      badView = asked;
    }
  }
  return { filters, view, badView };
}

/** The page address for a state; parameters in a fixed order so links compare equal. */
export function urlFor(filters, view) {
  const query = new URLSearchParams();
  for (const param of FILTER_PARAMS) {
    if (filters[param]) query.set(param, filters[param]);
  }
  if (view) query.set("peta", `${view.zoom}/${view.lat.toFixed(5)}/${view.lon.toFixed(5)}`);
  const search = query.toString().replaceAll("%2F", "/");
  return `${window.location.pathname}${search ? `?${search}` : ""}`;
}

// ---- options from the loaded data ----------------------------------------

function distinct(features, valueOf, labelOf) {
  const options = new Map();
  for (const feature of features) {
    const value = valueOf(feature.properties || {});
    if (value !== null && value !== undefined && value !== "" && !options.has(String(value))) {
      options.set(String(value), String(labelOf(feature.properties || {}) ?? value));
    }
  }
  return [...options.entries()];
}

const byLabel = (a, b) => a[1].localeCompare(b[1], "id");

function labelled(features, name) {
  const labels = lookup(config.labels, name) || {};
  const present = new Set(distinct(features, (p) => p[name], (p) => p[name]).map(([v]) => v));
  return Object.entries(labels).filter(([value]) => present.has(value));
}

/** Options of every filter: [[value, label], ...] from the loaded features by layer id. */
export function filterOptions(featuresByLayer) {
  const all = Object.values(featuresByLayer).flat();
  const kelurahan = featuresByLayer.kelurahan || [];
  return {
    kecamatan: distinct(featuresByLayer.kecamatan || [], (p) => p.kode, (p) => p.nama).sort(byLabel),
    kelurahan: distinct(kelurahan, (p) => p.kode, (p) => p.nama).sort(byLabel),
    kategori: labelled(all, "kategori"),
    status: labelled(all, "status"),
    tahun: distinct(all, (p) => p.tahun_anggaran, (p) => p.tahun_anggaran)
      .sort((a, b) => Number(b[0]) - Number(a[0])),
    opd: distinct(all, (p) => p.kode_opd, (p) => p.opd).sort(byLabel),
    sumber_dana: labelled(all, "sumber_dana"),
  };
}

/**
 * Filters of the address whose value the page does not know, as [[param,
 * value], ...]: a typo or a stale link (?tahun=abc, ?kecamatan=zzz). Coded
 * values are checked against their labels, codes of places and agencies
 * against the loaded data, a fiscal year by its form.
 */
export function unknownFilters(filters, options) {
  return Object.entries(filters).filter(([param, value]) => {
    if (param === "tahun") return !/^\d{4}$/.test(value);
    const labels = lookup(config.labels, RULES[param]?.property);
    if (labels) return !Object.hasOwn(labels, value);
    return !(options[param] || []).some(([known]) => known === value);
  });
}

// ---- the form ---------------------------------------------------------------

export class FilterForm {
  /** @param {HTMLFormElement} form  @param {(filters: object) => void} onChange */
  constructor(form, onChange) {
    this.form = form;
    this.options = {};
    form.addEventListener("change", (event) => {
      if (event.target.name === "kecamatan") this.narrowKelurahan();
      onChange(this.value());
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      onChange(this.value());
    });
    form.addEventListener("reset", (event) => {
      event.preventDefault();
      this.set({});
      onChange({});
    });
  }

  select(param) {
    return this.form.elements.namedItem(param);
  }

  /** Fills the selects, keeping a value that the data does not have (a stale link). */
  fill(options, filters) {
    this.options = options;
    for (const param of FILTER_PARAMS) this.fillOne(param, options[param] || [], filters[param]);
    this.narrowKelurahan();
  }

  fillOne(param, options, selected) {
    const select = this.select(param);
    if (!select) return;
    const first = select.options[0];
    const items = [...options];
    if (selected && !items.some(([value]) => value === selected)) items.push([selected, selected]);
    select.replaceChildren(first, ...items.map(([value, label]) => {
      const option = el("option", null, label);
      option.value = value;
      return option;
    }));
    select.value = selected || "";
  }

  /** Only the kelurahan of the chosen kecamatan are offered. */
  narrowKelurahan() {
    const kecamatan = this.select("kecamatan")?.value;
    const select = this.select("kelurahan");
    if (!select) return;
    for (const option of select.options) {
      // Disabled as well: Safari on iOS shows hidden options in its picker.
      const other = Boolean(kecamatan && option.value && !option.value.startsWith(`${kecamatan}.`));
      option.hidden = other;
      option.disabled = other;
    }
    if (select.selectedOptions[0]?.hidden) select.value = "";
  }

  set(filters) {
    for (const param of FILTER_PARAMS) {
      const select = this.select(param);
      if (!select) continue;
      if (filters[param] && ![...select.options].some((o) => o.value === filters[param])) {
        this.fillOne(param, this.options[param] || [], filters[param]);
      }
      select.value = filters[param] || "";
    }
    this.narrowKelurahan();
  }

  value() {
    const filters = {};
    for (const param of FILTER_PARAMS) {
      const value = this.select(param)?.value;
      if (value) filters[param] = value;
    }
    return filters;
  }
}
