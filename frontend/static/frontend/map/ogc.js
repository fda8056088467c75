// Reading features from our OGC API endpoints.
//
// A layer's features come from a *source* (`sourceFor(layer)`):
// - `geojsonSource`: every item as GeoJSON (OGC API - Features, following
//   rel=next): facilities and project sites, whose properties the page
//   filters, counts and lists, and whose icons it draws itself;
// - `tileSource`: layers the server declares with a `tilesUrl` (the
//   boundaries) are drawn from OGC API - Tiles vector tiles (map/tiles.js);
//   `load()` reads their attributes only (skipGeometry=true) for the filters,
//   the list and search, and the collection's extent. The geometry of a
//   *selected* feature comes as GeoJSON (`fetchFeature`).
// Either way `load()` gives {features, extent}: GeoJSON features (without
// geometry for tiles) and, for tiles, the collection's extent.

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

/**
 * How many items match (OGC API - Features numberMatched, with
 * resulttype=hits so no feature is sent): the boundary counts in the legend.
 */
export async function countItems(itemsUrl, params) {
  const url = new URL(itemsUrl, window.location.href);
  url.searchParams.delete("limit");
  url.searchParams.set("resulttype", "hits");
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  const page = await getJson(url.href);
  if (!Number.isInteger(page.numberMatched)) throw new Error(`no numberMatched from ${url}`);
  return page.numberMatched;
}

/** One item with its geometry (/collections/<id>/items/<fid>). */
export function fetchFeature(collectionUrl, id) {
  return getJson(`${collectionUrl}/items/${encodeURIComponent(String(id))}?f=json`);
}

/** The collection's spatial extent as [west, south, east, north] (CRS84). */
async function fetchExtent(collectionUrl) {
  const collection = await getJson(`${collectionUrl}?f=json`);
  const bbox = collection.extent?.spatial?.bbox?.[0];
  if (!Array.isArray(bbox) || bbox.length < 4) throw new Error(`no extent for ${collectionUrl}`);
  return bbox.length === 6 ? [bbox[0], bbox[1], bbox[3], bbox[4]] : bbox.slice(0, 4);
}

/** The whole layer as GeoJSON features. */
export function geojsonSource(layer) {
  return {
    kind: "geojson",
    load: async () => ({ features: await fetchAllFeatures(layer.itemsUrl), extent: null }),
  };
}

/** Attributes and extent of a layer drawn from vector tiles. */
export function tileSource(layer) {
  return {
    kind: "tiles",
    load: async () => {
      const url = new URL(layer.itemsUrl, window.location.href);
      url.searchParams.set("skipGeometry", "true");
      const [features, extent] = await Promise.all([
        fetchAllFeatures(url.href), fetchExtent(layer.collectionUrl),
      ]);
      return { features, extent };
    },
  };
}

export function sourceFor(layer) {
  return layer.tilesUrl ? tileSource(layer) : geojsonSource(layer);
}
