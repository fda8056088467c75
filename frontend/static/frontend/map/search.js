// Search over kelurahan, kecamatan, facility and project names, tolerant of
// the spelling variants of Kupang place names: case, diacritics, spaces
// (Air Nona / Airnona), numbers as digits, words or roman numerals
// (Naikoten 1 / Naikoten Satu / Naikoten I), doubled letters (Bello / Belo)
// and a typo or two. The box follows the WAI-ARIA combobox pattern
// (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/).

import { el, message, messages } from "./util.js";

const NUMBER_WORDS = {
  nol: "0", satu: "1", dua: "2", tiga: "3", empat: "4", lima: "5", enam: "6", tujuh: "7",
  delapan: "8", sembilan: "9", sepuluh: "10",
  one: "1", two: "2", three: "3", four: "4", five: "5",
};
const ROMAN = {
  i: "1", ii: "2", iii: "3", iv: "4", v: "5", vi: "6", vii: "7", viii: "8", ix: "9", x: "10",
};
const MAX_RESULTS = 8;

function tokens(text) {
  return String(text ?? "")
    .normalize("NFD").replace(/\p{M}/gu, "")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** Joined without spaces, doubled letters single (digits stay: 11 is not 1). */
const squeeze = (parts) => parts.join("").replace(/(\p{L})\1+/gu, "$1");

/**
 * Two comparison keys of a text: "plain" (letters and digits, no spaces,
 * doubled letters single) and "numbers" (the same with number words and roman
 * numerals as digits). Both are kept so a half-typed "kelapa li" still finds
 * "Kelapa Lima" while "naikoten 1" finds "Naikoten Satu".
 */
export function searchKeys(text) {
  // Roman numerals are digits in both keys: squeezed, "II" would read as "I".
  const parts = tokens(text).map((part) => ROMAN[part] ?? part);
  return {
    plain: squeeze(parts),
    numbers: squeeze(parts.map((part) => NUMBER_WORDS[part] ?? part)),
  };
}

/** Fewest edits turning `needle` into some substring of `hay` (Sellers' algorithm). */
function substringDistance(needle, hay) {
  let previous = new Array(hay.length + 1).fill(0);
  for (let i = 1; i <= needle.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= hay.length; j += 1) {
      const cost = needle[i - 1] === hay[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
    }
    previous = current;
  }
  return Math.min(...previous);
}

function score(query, keys) {
  let best = Infinity;
  for (const kind of ["plain", "numbers"]) {
    const q = query[kind];
    const key = keys[kind];
    if (!q) continue;
    if (key === q) best = Math.min(best, 0);
    else if (key.startsWith(q)) best = Math.min(best, 1);
    else if (key.includes(q)) best = Math.min(best, 2);
  }
  if (best === Infinity && query.plain.length >= 5) {
    const allowed = query.plain.length >= 8 ? 2 : 1;
    if (substringDistance(query.plain, keys.plain) <= allowed) best = 3;
  }
  return best;
}

/** A searchable entry per feature: its names (nama and any nama_alt) as keys. */
export function buildIndex(layers, featuresByLayer) {
  const entries = [];
  layers.forEach((layer, priority) => {
    for (const feature of featuresByLayer[layer.id] || []) {
      const props = feature.properties || {};
      const names = [props[layer.titleField], props.nama_alt].filter(Boolean).map(String);
      if (!names.length) continue;
      entries.push({ layer, feature, priority, name: names[0], keys: names.map(searchKeys) });
    }
  });
  return entries;
}

export function search(index, text) {
  const query = searchKeys(text);
  if (!query.plain) return [];
  const hits = [];
  for (const entry of index) {
    const best = Math.min(...entry.keys.map((keys) => score(query, keys)));
    if (best !== Infinity) hits.push({ entry, best });
  }
  // Kelurahan before the rest: the layer order of the map puts boundaries first.
  hits.sort((a, b) => a.best - b.best || a.entry.priority - b.entry.priority
    || a.entry.name.length - b.entry.name.length || a.entry.name.localeCompare(b.entry.name, "id"));
  return hits.slice(0, MAX_RESULTS).map((hit) => hit.entry);
}

/** Wires the combobox: typing lists results, arrows move, Enter or a click picks. */
export function initSearchBox({ input, listbox, status, getIndex, onPick }) {
  let results = [];
  let active = -1;

  const close = () => {
    listbox.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };
  const highlight = (index) => {
    active = index;
    listbox.querySelectorAll("[role=option]").forEach((option, i) => {
      option.setAttribute("aria-selected", String(i === index));
      if (i === index) {
        input.setAttribute("aria-activedescendant", option.id);
        option.scrollIntoView({ block: "nearest" });
      }
    });
  };
  const pick = (index) => {
    const entry = results[index];
    if (!entry) return;
    input.value = entry.name;
    close();
    onPick(entry);
  };
  const render = () => {
    results = search(getIndex(), input.value);
    listbox.replaceChildren(...results.map((entry, i) => {
      const option = el("li", "search-option");
      option.id = `search-option-${i}`;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.layer = entry.layer.id;
      option.dataset.id = String(entry.feature.id);
      option.append(el("span", "search-name", entry.name),
        el("span", "search-layer", entry.layer.title));
      option.addEventListener("mousedown", (event) => event.preventDefault());
      option.addEventListener("click", () => pick(i));
      return option;
    }));
    const typed = input.value.trim() !== "";
    if (typed && !results.length) listbox.append(el("li", "search-empty", messages.noResults));
    listbox.hidden = !typed;
    input.setAttribute("aria-expanded", String(typed));
    status.textContent = typed ? message("results", { n: results.length }) : "";
    active = -1;
    input.removeAttribute("aria-activedescendant");
  };

  input.addEventListener("input", render);
  input.addEventListener("focus", () => { if (input.value.trim()) render(); });
  input.addEventListener("blur", close);
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (listbox.hidden) render();
      if (!results.length) return;
      const step = event.key === "ArrowDown" ? 1 : -1;
      highlight((active + step + results.length) % results.length);
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (listbox.hidden) render();
      pick(active >= 0 ? active : 0);
    } else if (event.key === "Escape") {
      if (listbox.hidden) input.value = "";
      close();
    }
  });
}
