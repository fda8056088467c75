// A layer drawn from its GeoJSON features (facilities, project sites).
//
// Every feature is in the page, so filters, counts and the list are answered
// here without asking the server again. The map entry interface is shared
// with map/tiles.js: show(), setFiltered(), countIn(), boundsOf(), open(),
// extent().

import { FitPopup, popupContent } from "./popup.js";
import { facilityIcon, markerStyle, pathStyle } from "./style.js";

function boundsOfLayer(featureLayer) {
  return featureLayer.getBounds
    ? featureLayer.getBounds() : L.latLngBounds([featureLayer.getLatLng()]);
}

export class GeoJsonEntry {
  constructor(map, layer, index, features) {
    this.kind = "geojson";
    this.map = map;
    this.layer = layer;
    this.features = features;
    this.filtered = features;
    this.onMap = layer.visible;
    const pane = `taksi-${layer.id}`;
    this.group = L.geoJSON({ type: "FeatureCollection", features }, {
      pane,
      style: (feature) => pathStyle(layer, index, feature),
      pointToLayer: (feature, latlng) => (layer.id === "facilities"
        ? L.marker(latlng, {
          pane, icon: facilityIcon(feature), title: String(feature.properties?.nama ?? ""),
          alt: String(feature.properties?.nama ?? ""), riseOnHover: true,
        })
        : L.circleMarker(latlng, { ...markerStyle(layer, feature), pane })),
      onEachFeature: (feature, featureLayer) => {
        featureLayer.bindPopup(
          new FitPopup({}, featureLayer).setContent(() => popupContent(layer, feature)),
        );
      },
    });
    this.byId = new Map();
    for (const featureLayer of this.group.getLayers()) {
      featureLayer.taksiBounds = boundsOfLayer(featureLayer);
      this.byId.set(String(featureLayer.feature.id), featureLayer);
    }
    if (this.onMap) this.group.addTo(map);
  }

  show(on) {
    this.onMap = on;
    if (on) this.group.addTo(this.map);
    else this.group.remove();
  }

  setFiltered(filtered) {
    this.filtered = filtered;
    const keep = new Set(filtered.map((f) => String(f.id)));
    for (const [id, featureLayer] of this.byId) {
      if (keep.has(id)) this.group.addLayer(featureLayer);
      else this.group.removeLayer(featureLayer);
    }
  }

  /** Filtered features whose extent meets the view (answered at once). */
  async countIn(view) {
    const features = this.filtered.filter((feature) => {
      const bounds = this.byId.get(String(feature.id))?.taksiBounds;
      return bounds && view.intersects(bounds);
    });
    return { count: features.length, features };
  }

  async boundsOf(feature) {
    return this.byId.get(String(feature.id))?.taksiBounds ?? null;
  }

  /** Opens the feature's popup (the caller has moved the map to it). */
  async open(feature) {
    this.byId.get(String(feature.id))?.openPopup();
  }

  extent() {
    const all = L.latLngBounds([]);
    for (const featureLayer of this.byId.values()) all.extend(featureLayer.taksiBounds);
    return all;
  }
}
