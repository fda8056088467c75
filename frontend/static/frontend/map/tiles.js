// A layer drawn from OGC API - Tiles vector tiles (the boundaries).
//
// Leaflet.VectorGrid (static/frontend/vendor/vectorgrid) draws the Mapbox
// vector tiles of /ogc/collections/<id>/tiles/WebMercatorQuad as SVG paths,
// so the page loads only the tiles in view, simplified by PostGIS for the
// zoom level. The page also holds the layer's attributes (no geometry, see
// map/ogc.js) for filters, list and search. What needs exact geometry asks
// the server:
// - counts in view: the OGC API's numberMatched for bbox + filters
//   (resulttype=hits; PostGIS ST_Intersects, exact rather than by extent);
// - a selected feature (a click, search, the list, an area filter): its
//   GeoJSON item, for the highlight, the popup and fitting the map to it.
// Filtered-out features stay in the tiles but are drawn invisible (and so
// cannot be clicked).

import { countItems, fetchFeature } from "./ogc.js";
import { queryFor } from "./filters.js";
import { FitPopup, popupContent } from "./popup.js";
import { pathStyle } from "./style.js";

const HIDDEN = { stroke: false, fill: false };

/**
 * VectorGrid's protobuf layer, telling each drawn feature its MVT feature id
 * (the OGC feature id: ST_AsMVT's 'id' column), and turning a tile that fails
 * to load into an empty tile instead of one that never finishes.
 */
const TaksiGrid = L.VectorGrid.Protobuf.extend({
  _createLayer(feat, pxPerExtent) {
    const symbolizer = L.VectorGrid.Protobuf.prototype._createLayer.call(this, feat, pxPerExtent);
    symbolizer.featureId = feat.id;
    return symbolizer;
  },
  _getVectorTilePromise(coords) {
    return L.VectorGrid.Protobuf.prototype._getVectorTilePromise.call(this, coords)
      .catch((error) => {
        console.warn("Taksi: vector tile not loaded", coords, error);
        return { layers: {} };
      });
  },
});

/** [west, south, east, north] of a view, clamped to what a bbox may hold. */
function bboxOf(bounds) {
  const clamp = (value, limit) => Math.max(-limit, Math.min(limit, value));
  return [
    clamp(bounds.getWest(), 180), clamp(bounds.getSouth(), 90),
    clamp(bounds.getEast(), 180), clamp(bounds.getNorth(), 90),
  ].map((value) => value.toFixed(6)).join(",");
}

export class TileEntry {
  constructor(map, layer, index, features, extent) {
    this.kind = "tiles";
    this.map = map;
    this.layer = layer;
    this.features = features;
    this.filtered = features;
    this.onMap = layer.visible;
    this.byId = new Map(features.map((feature) => [String(feature.id), feature]));
    this.hidden = new Set();
    this.geometries = new Map();
    this.selection = null;
    const [west, south, east, north] = extent;
    this.extentBounds = L.latLngBounds([south, west], [north, east]);
    this.pane = `taksi-${layer.id}`;
    const style = {
      ...pathStyle(layer, index, { geometry: { type: "MultiPolygon" }, properties: {} }),
      fill: true,
    };
    this.selectedStyle = { ...style, weight: style.weight + 2, opacity: 1, fillOpacity: 0.15 };
    this.grid = new TaksiGrid(layer.tilesUrl, {
      pane: this.pane,
      interactive: true,
      getFeatureId: (feat) => feat.id,
      vectorTileLayerStyles: { [layer.id]: style },
      maxZoom: map.getMaxZoom(),
      // No request for tiles outside the layer's extent (the sea around Kupang).
      bounds: this.extentBounds.pad(0.01),
    });
    this.grid.on("click", (event) => {
      const feature = this.byId.get(String(event.layer?.featureId));
      if (feature && !this.hidden.has(String(feature.id))) this.open(feature, event.latlng);
    });
    if (this.onMap) this.grid.addTo(map);
  }

  /** Resolves once the tiles of the current view are drawn. */
  drawn() {
    if (!this.onMap || !this.grid.isLoading()) return Promise.resolve();
    return new Promise((resolve) => this.grid.once("load", resolve));
  }

  show(on) {
    this.onMap = on;
    if (on) this.grid.addTo(this.map);
    else {
      this.grid.remove();
      this.clearSelection();
    }
  }

  setFiltered(filtered) {
    this.filtered = filtered;
    const keep = new Set(filtered.map((f) => String(f.id)));
    for (const [id, feature] of this.byId) {
      if (!keep.has(id) && !this.hidden.has(id)) {
        this.grid.setFeatureStyle(feature.id, HIDDEN);
        this.hidden.add(id);
      } else if (keep.has(id) && this.hidden.has(id)) {
        this.grid.resetFeatureStyle(feature.id);
        this.hidden.delete(id);
      }
    }
    if (this.selection && this.hidden.has(this.selection.featureId)) this.map.closePopup();
  }

  /** Features passing the filters whose geometry meets the view: asked of the API. */
  async countIn(view, filters) {
    const params = queryFor(this.layer, filters);
    if (params === null) return { count: 0 };
    return { count: await countItems(this.layer.itemsUrl, { ...params, bbox: bboxOf(view) }) };
  }

  /** The feature with its geometry, fetched once. */
  geometryOf(feature) {
    const id = String(feature.id);
    if (!this.geometries.has(id)) {
      const request = fetchFeature(this.layer.collectionUrl, feature.id);
      request.catch(() => this.geometries.delete(id));
      this.geometries.set(id, request);
    }
    return this.geometries.get(id);
  }

  async boundsOf(feature) {
    const bounds = L.geoJSON(await this.geometryOf(feature)).getBounds();
    return bounds.isValid() ? bounds : null;
  }

  clearSelection() {
    this.selection?.remove();
    this.selection = null;
  }

  /**
   * Highlights the feature (its GeoJSON outline) and opens its popup, at the
   * clicked point or in the middle of its largest part.
   */
  async open(feature, latlng) {
    const geometry = await this.geometryOf(feature);
    this.clearSelection();
    const selection = L.geoJSON(geometry, {
      pane: this.pane, interactive: false, style: () => this.selectedStyle,
    });
    selection.featureId = String(feature.id);
    const popup = new FitPopup({}, selection).setContent(popupContent(this.layer, feature));
    selection.bindPopup(popup).addTo(this.map);
    popup.on("remove", () => {
      if (this.selection === selection) this.clearSelection();
    });
    this.selection = selection;
    const parts = selection.getLayers();
    const where = latlng || (parts.length ? parts[0].getCenter() : this.extentBounds.getCenter());
    selection.openPopup(where);
  }

  extent() {
    return this.extentBounds;
  }
}
