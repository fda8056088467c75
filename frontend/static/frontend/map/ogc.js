// Reading features from our OGC API - Features endpoints.
//
// A layer's features come from a *source*: today every layer uses
// `geojsonSource` (all items as GeoJSON, following rel=next). A vector tile
// source (/ogc/collections/<id>/tiles/WebMercatorQuad/{z}/{y}/{x}) can be
// plugged in by returning another object with the same `load()` contract from
// `sourceFor(layer)`; the rest of the page only sees GeoJSON features.

/**
 * pygeoapi writes TAKSI_BASE_URL into its links; the page only ever talks to
 * the origin it was served from, so a next link is followed on this origin.
 */
function onThisOrigin(href) {
  const url = new URL(href, window.location.href);
  if (url.origin === window.location.origin) return url.href;
  return new URL(url.pathname + url.search, window.location.origin).href;
}

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: "application/geo+json" } });
  if (!response.ok) throw new Error(`HTTP ${response.status} for ${url}`);
  return response.json();
}

/** Every feature of an items query, page after page (rel=next). */
export async function fetchAllFeatures(itemsUrl) {
  const features = [];
  let numberMatched = null;
  let next = new URL(itemsUrl, window.location.href).href;
  const seen = new Set();
  while (next && !seen.has(next)) {
    seen.add(next);
    const page = await getJson(next);
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

/** Items of a collection matching query parameters (one page). */
export async function queryItems(itemsUrl, params) {
  const url = new URL(itemsUrl, window.location.href);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  const page = await getJson(url.href);
  return Array.isArray(page.features) ? page.features : [];
}

/** The whole layer as GeoJSON features. */
export function geojsonSource(layer) {
  return { kind: "geojson", load: () => fetchAllFeatures(layer.itemsUrl) };
}

export function sourceFor(layer) {
  return geojsonSource(layer);
}
