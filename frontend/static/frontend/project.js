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

async function drawSite(map) {
  const container = map.getContainer();
  const status = document.getElementById("project-map-status");
  try {
    const response = await fetch(config.itemUrl, { headers: { Accept: "application/geo+json" } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const feature = await response.json();
    const layer = L.geoJSON(feature, {
      style: () => ({ color: config.color, weight: 5, fillOpacity: 0.35 }),
      pointToLayer: (_feature, latlng) => L.circleMarker(latlng, {
        radius: 9, color: "#ffffff", weight: 2, fillColor: config.color, fillOpacity: 1,
      }),
    }).addTo(map);
    map.fitBounds(layer.getBounds(), { maxZoom: 17, padding: [24, 24], animate: false });
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
