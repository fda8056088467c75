// Project page: the location map and the share button.
//
// The site's geometry is read from our OGC API item (the URL is in
// #taksi-project-config), like any other client; django-leaflet creates the
// map and announces it with `map:init`. Nothing here is global.
//
// For tests: once the geometry is drawn, #project-map gets data-ready="true"
// (or data-error="true").

const config = JSON.parse(document.getElementById("taksi-project-config").textContent);
const messages = config.messages;

async function getFeature(url) {
  const response = await fetch(url, { headers: { Accept: "application/geo+json" } });
  if (!response.ok) throw new Error(`HTTP ${response.status} for ${url}`);
  return response.json();
}

/** The project's kelurahan, outlined and named under the site (context without a base map). */
async function drawKelurahan(map) {
  if (!config.kelurahanUrl) return null;
  try {
    const kelurahan = await getFeature(config.kelurahanUrl);
    const outline = L.geoJSON(kelurahan, {
      interactive: false,
      style: () => ({
        className: "project-kelurahan", color: "#4a5560", weight: 2, dashArray: "6 4",
        fillColor: "#ffffff", fillOpacity: 0.55,
      }),
    }).addTo(map);
    // Its name in a corner (a label in the middle would cover the site).
    const legend = L.control({ position: "topright" });
    legend.onAdd = () => {
      const box = L.DomUtil.create("div", "kelurahan-label");
      const swatch = L.DomUtil.create("span", "kelurahan-swatch", box);
      swatch.setAttribute("aria-hidden", "true");
      box.append(`${config.messages.kelurahan} ${kelurahan.properties?.nama ?? ""}`);
      return box;
    };
    legend.addTo(map);
    return outline;
  } catch (error) {
    console.warn("project map: kelurahan outline not loaded", error);
    return null;
  }
}

async function drawSite(map) {
  const container = map.getContainer();
  const status = document.getElementById("project-map-status");
  try {
    const [feature, kelurahan] = await Promise.all([getFeature(config.itemUrl), drawKelurahan(map)]);
    const layer = L.geoJSON(feature, {
      style: () => ({ color: config.color, weight: 5, fillOpacity: 0.35 }),
      pointToLayer: (_feature, latlng) => L.circleMarker(latlng, {
        radius: 9, color: "#ffffff", weight: 2, fillColor: config.color, fillOpacity: 1,
      }),
    }).addTo(map);
    // The site in its whole kelurahan when that keeps the site readable
    // (at most two zoom levels out), else the site with the kelurahan around it.
    const site = layer.getBounds();
    const padding = L.point(32, 32);
    const zoomSite = Math.min(map.getBoundsZoom(site, false, padding), 17);
    const around = L.latLngBounds(site.getSouthWest(), site.getNorthEast());
    if (kelurahan) around.extend(kelurahan.getBounds());
    const zoomAround = map.getBoundsZoom(around, false, padding);
    if (zoomAround >= zoomSite - 2) map.fitBounds(around, { padding: [16, 16], maxZoom: 17, animate: false });
    else map.setView(site.getCenter(), zoomSite - 2, { animate: false });
    status.textContent = messages.loaded;
    container.dataset.ready = "true";
  } catch (error) {
    status.textContent = messages.loadError;
    container.dataset.error = "true";
    console.warn("project map:", error);
  }
}

async function copyLink() {
  const input = document.getElementById("share-url");
  const status = document.getElementById("copy-status");
  try {
    await navigator.clipboard.writeText(input.value);
    status.textContent = messages.copied;
  } catch {
    // No clipboard permission (plain http, old browser): select it for the user.
    input.focus();
    input.select();
    status.textContent = messages.copyFailed;
  }
}

document.getElementById("copy-link").addEventListener("click", copyLink);

window.addEventListener("map:init", (event) => {
  if (event.detail?.id === "project-map") drawSite(event.detail.map);
});
