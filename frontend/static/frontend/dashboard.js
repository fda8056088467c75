// Dashboard: Chart.js charts and the density choropleth.
//
// Every number comes from the page's own JSON (#taksi-dashboard-config, the
// same rows as the HTML tables and the CSV files); the kelurahan outlines
// come from our OGC API. Chart.js is the UMD build shipped in our static
// files (vendor/chartjs); django-leaflet announces the map with `map:init`.
//
// For tests: each drawn canvas gets data-ready="true"; <body
// data-charts-ready="true"> once all charts are drawn; #density-map gets
// data-ready="true" (or data-error="true").

const config = JSON.parse(document.getElementById("taksi-dashboard-config").textContent);
const locale = document.documentElement.lang.startsWith("en") ? "en" : "id-ID";
const numberFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
const compactFormat = new Intl.NumberFormat(locale, { notation: "compact", maximumFractionDigits: 1 });
const wholeFormat = new Intl.NumberFormat("id-ID", { maximumFractionDigits: 0 });

/** Tooltip values: Rupiah the Indonesian way in both languages, like the tables. */
function formatValue(format, value) {
  if (value === null || value === undefined) return "—";
  if (format === "rupiah") return `Rp ${wholeFormat.format(value)}`;
  if (format === "percent") return `${numberFormat.format(value)}%`;
  return numberFormat.format(value);
}

/** Axis ticks: short (`Rp 1,2 M`). */
function formatTick(format, value) {
  if (format === "rupiah") return `Rp ${compactFormat.format(value)}`;
  if (format === "percent") return `${numberFormat.format(value)}%`;
  return numberFormat.format(value);
}

function shorten(label, length = 28) {
  return label.length > length ? `${label.slice(0, length - 1)}…` : label;
}

/**
 * An agency name as lines of at most `width` characters (Chart.js draws an
 * array label as lines), at most three, so "Badan Penanggulangan Bencana
 * Daerah" fits beside a bar on a phone instead of being cut at the edge.
 */
function wrapLabel(label, width) {
  const lines = [];
  for (const word of String(label).split(/\s+/)) {
    const last = lines.length - 1;
    if (last >= 0 && `${lines[last]} ${word}`.length <= width) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  if (lines.length <= 3) return lines.map((line) => shorten(line, width));
  return [...lines.slice(0, 2), shorten(lines.slice(2).join(" "), width)];
}

function drawChart(chart) {
  const canvas = document.querySelector(`[data-chart="${chart.id}"] canvas`);
  if (!canvas) return; // no rows under the filters: the table says so
  const horizontal = chart.id.endsWith("-opd");
  // On a narrow screen the agency names wrap (a third of the width for the labels).
  const narrow = canvas.parentElement.clientWidth < 480;
  const labelWidth = Math.max(12, Math.floor(canvas.parentElement.clientWidth / 3 / 6.5));
  const stacked = chart.type === "stacked";
  const valueAxis = horizontal ? "x" : "y";
  const categoryAxis = horizontal ? "y" : "x";
  const scales = {
    [valueAxis]: {
      stacked, beginAtZero: true,
      ticks: {
        callback: (value) => formatTick(chart.format, value),
        // Rupiah ticks are wide: fewer of them across a phone's width.
        ...(horizontal && narrow ? { maxTicksLimit: 3 } : {}),
      },
      ...(chart.format === "percent" ? { max: 100 } : {}),
    },
    [categoryAxis]: {
      stacked,
      ticks: {
        autoSkip: false,
        callback(value) {
          const label = this.getLabelForValue(value);
          return horizontal && narrow ? wrapLabel(label, labelWidth) : shorten(label);
        },
      },
    },
  };
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: chart.rows.map((row) => row[chart.label_key]),
      datasets: chart.series.map((series) => ({
        label: series.label,
        data: chart.rows.map((row) => row[series.key]),
        backgroundColor: series.color,
        borderColor: "#ffffff",
        borderWidth: stacked ? 1 : 0,
      })),
    },
    options: {
      indexAxis: horizontal ? "y" : "x",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales,
      plugins: {
        legend: { display: chart.series.length > 1, position: "bottom" },
        tooltip: {
          callbacks: {
            label: (item) => `${item.dataset.label}: ${formatValue(chart.format, item.raw)}`,
          },
        },
      },
    },
  });
  canvas.dataset.ready = "true";
}

async function drawDensityMap(map) {
  const container = map.getContainer();
  // Fractional zoom: the city fills the frame instead of the nearest whole zoom below.
  map.options.zoomSnap = 0.1;
  map.options.zoomDelta = 0.5;
  const chart = config.charts.find((c) => c.type === "choropleth");
  const rows = new Map(chart.rows.map((row) => [row.kode, row]));
  const colors = Object.fromEntries(chart.series.map((s) => [s.key, s.color]));
  try {
    const response = await fetch(config.kelurahanUrl, { headers: { Accept: "application/geo+json" } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const collection = await response.json();
    const layer = L.geoJSON(collection, {
      style: (feature) => {
        const row = rows.get(feature.properties.kode);
        return row
          ? { color: "#555555", weight: 1, fillColor: colors[String(row.kelas)], fillOpacity: 0.8 }
          : { color: "#999999", weight: 1, dashArray: "3", fillOpacity: 0 };
      },
      onEachFeature: (feature, featureLayer) => {
        const row = rows.get(feature.properties.kode);
        const tip = document.createElement("span");
        tip.textContent = row
          ? `${row.nama}: ${formatValue("decimal", row.per_km2)} / km² (${row.jumlah_fasilitas})`
          : feature.properties.nama;
        featureLayer.bindTooltip(tip, { sticky: true });
        featureLayer.options.className = `taksi-density kelas-${row ? row.kelas : "none"}`;
      },
    }).addTo(map);
    const shown = L.featureGroup(layer.getLayers().filter((l) => rows.has(l.feature.properties.kode)));
    const bounds = shown.getLayers().length ? shown.getBounds() : layer.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8], animate: false });
    container.dataset.ready = "true";
  } catch (error) {
    container.dataset.error = "true";
    container.insertAdjacentText("afterend", config.messages.mapError);
    console.warn("density map:", error);
  }
}

window.addEventListener("map:init", (event) => {
  if (event.detail?.id === "density-map") drawDensityMap(event.detail.map);
});

Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
for (const chart of config.charts) {
  if (chart.type !== "choropleth") drawChart(chart);
}
document.body.dataset.chartsReady = "true";
