// The "Lokasi saya" button: asks the browser for the position, then shows
// "Anda berada di Kelurahan X, Kecamatan Y" with the nearest health
// facilities (map/locate.js answers both questions).

import { config, el, formatDistance, lookup, message, messages } from "./util.js";

function positionOf() {
  return new Promise((resolve, reject) => {
    navigator.geolocation.getCurrentPosition(resolve, reject, {
      // maximumAge 0: a second tap after walking on must not get the old position.
      enableHighAccuracy: true, timeout: 15000, maximumAge: 0,
    });
  });
}

/**
 * Our own words for a failure, by GeolocationPositionError code
 * (PERMISSION_DENIED 1, POSITION_UNAVAILABLE 2, TIMEOUT 3): the browser's
 * message is English developer text ("User denied Geolocation").
 */
function failureMessage(error) {
  const byCode = { 1: "locateDenied", 2: "locateUnavailable", 3: "locateTimeout" };
  const isPositionError = typeof GeolocationPositionError !== "undefined"
    && error instanceof GeolocationPositionError;
  return messages[(isPositionError && byCode[error.code]) || "locateFailed"];
}

function closeButton(output) {
  const button = el("button", "locate-close", "×");
  button.type = "button";
  button.setAttribute("aria-label", messages.close);
  button.addEventListener("click", () => { output.hidden = true; });
  return button;
}

function facilityList(facilities, onPick) {
  const list = el("ol", "nearest");
  for (const facility of facilities) {
    const button = el("button", "list-item", facility.nama);
    button.type = "button";
    button.dataset.id = String(facility.id);
    button.addEventListener("click", () => onPick(facility.id));
    const kind = lookup(config.labels.kategori, facility.kategori) || facility.kategori;
    const item = el("li");
    item.append(button, el("span", "muted", ` ${kind}, ${formatDistance(facility.distance_m)}`));
    item.lastChild.dataset.distance = String(facility.distance_m);
    list.append(item);
  }
  return list;
}

function show(output, ...children) {
  output.replaceChildren(closeButton(output), ...children);
  output.hidden = false;
}

export function initLocateButton({ map, button, output, locator, onPick }) {
  let marker = null;
  // Above every layer pane (400 + layer index), below popups (700).
  map.createPane("taksi-you").style.zIndex = "650";
  button.addEventListener("click", async () => {
    if (!("geolocation" in navigator)) {
      show(output, el("p", null, messages.locateUnsupported));
      return;
    }
    show(output, el("p", null, messages.locating));
    button.disabled = true;
    try {
      const position = await positionOf();
      const { longitude: lon, latitude: lat } = position.coords;
      marker?.remove();
      marker = L.circleMarker([lat, lon], {
        pane: "taksi-you", radius: 10, color: "#ffffff", weight: 4, fillColor: "#0a58a3",
        fillOpacity: 1, className: "taksi-you",
      }).bindTooltip(messages.yourLocation).addTo(map);
      map.setView([lat, lon], Math.max(map.getZoom(), 14), { animate: false });
      const [where, nearest] = await Promise.all([
        locator.locate(lon, lat),
        locator.nearestFacilities(lon, lat, { category: "kesehatan", n: 3 }),
      ]);
      const inside = where.kelurahan && where.kecamatan;
      const answer = el("p", "locate-answer", inside
        ? message("youAreIn", { kelurahan: where.kelurahan.nama, kecamatan: where.kecamatan.nama })
        : messages.outside);
      answer.dataset.source = where.source;
      if (inside) answer.dataset.kelurahan = where.kelurahan.kode;
      const heading = el("h2", null, messages.nearestHealth);
      const list = nearest.facilities.length
        ? facilityList(nearest.facilities, onPick) : el("p", "muted", messages.noHealth);
      show(output, answer, heading, list);
    } catch (error) {
      console.warn("Taksi: locate failed", error);
      const text = el("p", "locate-error", failureMessage(error));
      if (Number.isInteger(error?.code)) text.dataset.code = String(error.code);
      show(output, text);
    } finally {
      button.disabled = false;
    }
  });
}
