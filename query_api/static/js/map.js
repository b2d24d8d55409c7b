// The map (Leaflet, served from node_modules by query_api/page.py): the results as points, the
// API's clusters (geotile grid, asked with zoom=) when zoomed out, the selected result highlighted.
// Without PANIER_MAP_TILES there is no tile layer: the points lie on a plain background with the
// names of the municipalities around them, so the map works offline and in tests.

export const CLUSTERS_BELOW_ZOOM = 11; // under this zoom the answer's clusters stand for the points
const QUEBEC = [[44.9, -79.8], [52.5, -57.1]];
const POINT = { radius: 7, color: "#ffffff", weight: 2, fillColor: "#0b4f8a", fillOpacity: 0.95 };
const CHOSEN = { radius: 11, color: "#1d2327", weight: 3, fillColor: "#f0a500", fillOpacity: 1 };

/** The labels' population threshold at each zoom: fewer names when zoomed out. */
function minPopulation(zoom) {
  if (zoom <= 5) return 150000;
  if (zoom <= 6) return 60000;
  if (zoom <= 7) return 25000;
  if (zoom <= 9) return 10000;
  if (zoom <= 10) return 5000;
  return 1500;
}
const MAX_LABELS = 25; // the gazetteer is sorted by population: the largest places are named first

export async function createMap(element, config, { onSelect, onUserMove }) {
  let L;
  try {
    L = await import("/vendor/leaflet/leaflet-src.esm.js");
  } catch {
    element.classList.add("carte-absente");
    element.textContent = "Carte indisponible : Leaflet n'est pas installé (npm ci).";
    return null;
  }
  const map = L.map(element, {
    zoomControl: false,
    attributionControl: Boolean(config.tiles),
    minZoom: 4,
    maxZoom: 18,
  });
  L.control.zoom({ zoomInTitle: "Zoomer", zoomOutTitle: "Dézoomer" }).addTo(map);
  if (config.tiles) {
    map.attributionControl.setPrefix("Leaflet");
    L.tileLayer(config.tiles, { attribution: config.attribution || "", maxZoom: 18 }).addTo(map);
  }
  map.fitBounds(QUEBEC);

  const labels = L.layerGroup().addTo(map);
  const results = L.layerGroup().addTo(map);
  let markers = new Map(); // key -> [circle marker]
  let programmatic = false;

  function drawLabels() {
    labels.clearLayers();
    if (config.tiles) return; // the tiles name the places
    const bounds = map.getBounds().pad(0.1);
    const floor = minPopulation(map.getZoom());
    let shown = 0;
    for (const [name, lat, lon, population] of config.places || []) {
      if (population < floor || !bounds.contains([lat, lon])) continue;
      const icon = L.divIcon({ className: "nom-lieu", html: `<span>${name.replace(/[<&]/g, "")}</span>`, iconSize: null });
      L.marker([lat, lon], { icon, interactive: false, keyboard: false }).addTo(labels);
      if (++shown >= MAX_LABELS) break;
    }
  }

  map.on("moveend", () => {
    drawLabels();
    if (!programmatic) onUserMove(view());
  });
  drawLabels();

  // Without animation Leaflet ends a move synchronously: a moveend inside move() is ours.
  function moveProgrammatically(move) {
    programmatic = true;
    try {
      move();
    } finally {
      programmatic = false;
    }
  }

  function view() {
    const c = map.getCenter();
    const b = map.getBounds();
    return {
      lat: c.lat, lon: c.lng, zoom: map.getZoom(),
      bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(4)).join(","),
    };
  }

  return {
    view,
    zoom: () => map.getZoom(),
    setView(lat, lon, zoom) {
      moveProgrammatically(() => map.setView([lat, lon], zoom, { animate: false }));
    },
    fit(points, fallback) {
      if (points.length) {
        moveProgrammatically(() => map.fitBounds(L.latLngBounds(points.map((p) => [p.lat, p.lon])).pad(0.15),
          { animate: false, maxZoom: 14 }));
      } else if (fallback) {
        this.setView(fallback.lat, fallback.lon, fallback.zoom);
      }
    },
    /** points: [{key, lat, lon, title, keys}] — `keys` the results the point belongs to. */
    showPoints(points) {
      results.clearLayers();
      markers = new Map();
      for (const point of points) {
        const marker = L.circleMarker([point.lat, point.lon], { ...POINT, className: "marqueur" });
        marker.bindTooltip(point.title, { direction: "top" });
        marker.on("click", () => onSelect(point.keys[0], { fromMap: true }));
        marker.addTo(results);
        marker.getElement()?.setAttribute("role", "img"); // an SVG path may carry a label only as an image
        marker.getElement()?.setAttribute("aria-label", point.title);
        for (const key of point.keys) {
          if (!markers.has(key)) markers.set(key, []);
          markers.get(key).push(marker);
        }
      }
    },
    showClusters(clusters) {
      results.clearLayers();
      markers = new Map();
      const largest = Math.max(1, ...clusters.map((c) => c.count));
      for (const cluster of clusters) {
        if (cluster.count === 1) {
          L.circleMarker([cluster.lat, cluster.lon], { ...POINT, radius: 5, className: "marqueur-seul" }).addTo(results);
          continue;
        }
        const size = Math.round(26 + 22 * Math.sqrt(cluster.count / largest));
        const icon = L.divIcon({ className: "grappe", html: String(cluster.count), iconSize: [size, size] });
        const marker = L.marker([cluster.lat, cluster.lon], { icon, keyboard: false, title: `${cluster.count} résultats` });
        marker.on("click", () => map.setView([cluster.lat, cluster.lon], Math.max(map.getZoom() + 2, CLUSTERS_BELOW_ZOOM)));
        marker.addTo(results);
      }
    },
    select(key) {
      const chosen = new Set(markers.get(key) || []);
      for (const list of markers.values()) {
        for (const marker of list) {
          marker.setStyle(chosen.has(marker) ? CHOSEN : POINT);
          marker.getElement()?.classList.toggle("choisi", chosen.has(marker));
        }
      }
      for (const marker of chosen) marker.bringToFront();
    },
    invalidate: () => map.invalidateSize(),
  };
}
