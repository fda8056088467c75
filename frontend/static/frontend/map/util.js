// Shared helpers of the map modules: the page configuration, DOM building
// without HTML parsing, and the Indonesian number/date formats.

export const config = JSON.parse(document.getElementById("taksi-map-config").textContent);
export const messages = config.messages;

/** Intl locale of the page: Indonesian, or British English ("3 December 2026"). */
const pageLocale = config.language === "en" ? "en-GB" : "id-ID";
const rupiahDigits = new Intl.NumberFormat("id-ID", { maximumFractionDigits: 0 });
const integerFormat = new Intl.NumberFormat(pageLocale);
const decimalFormat = new Intl.NumberFormat(pageLocale, { maximumFractionDigits: 2 });
const dateFormat = new Intl.DateTimeFormat(pageLocale, {
  day: "numeric", month: "long", year: "numeric", timeZone: "UTC",
});

/** Element with optional class and text (text is never parsed as HTML). */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

/** HTML-escaped text, for the few Leaflet APIs that only take HTML strings. */
export function escapeHtml(text) {
  return String(text)
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** map[key] for own keys only (feature values never reach Object.prototype). */
export function lookup(map, key) {
  return map && Object.hasOwn(map, key) ? map[key] : undefined;
}

export function isBlank(value) {
  return value === null || value === undefined || value === "";
}

/** A translated message with %(name)s placeholders filled in (as text). */
export function message(key, values = {}) {
  return String(messages[key]).replace(/%\((\w+)\)s/g, (_, name) => String(values[name] ?? ""));
}

/**
 * `Rp 1.250.000.000` in both languages: Indonesian thousands separators, no
 * decimals, a plain space (Intl's currency style would put a no-break space).
 */
export function formatRupiah(value) {
  return `Rp ${rupiahDigits.format(Math.round(Number(value)))}`;
}

export function formatInteger(value) {
  return integerFormat.format(value);
}

export function formatDecimal(value) {
  return decimalFormat.format(Number(value));
}

/** An ISO date (YYYY-MM-DD) as "3 Desember 2026" / "3 December 2026". */
export function formatDate(value) {
  const date = new Date(`${String(value).slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? String(value) : dateFormat.format(date);
}

/** "850 m" or "1,2 km" / "1.2 km". */
export function formatDistance(metres) {
  if (metres < 1000) return `${integerFormat.format(Math.round(metres / 10) * 10)} m`;
  return `${decimalFormat.format(Math.round(metres / 100) / 10)} km`;
}
