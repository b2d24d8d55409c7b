// The whole state of the page lives in its URL: the view (/, /produits/ID, /commerces/ID), the
// search (q, place, switch, filters, page, literal, bbox) and the map's view (carte=lat,lon,zoom).

export const FILTERS = {
  produits: ["category", "brand", "in_stock", "quebec", "min_price", "max_price"],
  commerces: ["category", "service", "region"],
};
const KEYS = ["q", "near", "lat", "lon", "quoi", "page", "literal", "bbox", "carte", "category", "brand",
  "in_stock", "quebec", "min_price", "max_price", "service", "region"];

export function read(location = window.location) {
  const params = new URLSearchParams(location.search);
  const state = { view: "recherche", id: null };
  for (const key of KEYS) {
    const value = params.get(key);
    if (value !== null && value !== "") state[key] = value;
  }
  state.quoi = state.quoi === "commerces" ? "commerces" : "produits";
  const path = decodeURIComponent(location.pathname);
  const match = path.match(/^\/(produits|commerces)\/(.+)$/);
  if (match) {
    state.view = match[1] === "produits" ? "produit" : "commerce";
    state.id = match[2];
  }
  return state;
}

export function url(state) {
  const params = new URLSearchParams();
  for (const key of KEYS) {
    const value = state[key];
    if (value === undefined || value === null || value === "") continue;
    if (key === "quoi" && value === "produits") continue; // the default
    if (key === "page" && String(value) === "1") continue;
    params.set(key, String(value));
  }
  const search = params.toString();
  let path = "/";
  if (state.view === "produit") path = `/produits/${encodeURIComponent(state.id)}`;
  if (state.view === "commerce") path = `/commerces/${encodeURIComponent(state.id)}`;
  return search ? `${path}?${search}` : path;
}

/** The search's state with `changes`; any change but paging goes back to page 1. */
export function changed(state, changes) {
  const next = { ...state, view: "recherche", id: null, page: undefined, ...changes };
  return next;
}

export function hasSearch(state) {
  return Boolean(state.q || state.near || state.lat || state.bbox || FILTERS[state.quoi].some((k) => state[k]));
}

/** The API parameters of the state's search (only what the chosen endpoint accepts). */
export function searchParams(state, { zoom, perPage }) {
  const params = { per_page: perPage, zoom };
  for (const key of ["q", "near", "lat", "lon", "bbox", "literal", ...FILTERS[state.quoi]]) {
    if (state[key] !== undefined) params[key] = state[key];
  }
  if (state.lat !== undefined) delete params.near;
  if (state.page) params.page = state.page;
  return params;
}

export function location(state) {
  if (state.lat !== undefined && state.lon !== undefined) return { lat: state.lat, lon: state.lon };
  if (state.near) return { near: state.near };
  return {};
}
