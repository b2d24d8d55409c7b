// The shopper search page: reads its state from the URL, asks the public /v1 endpoints, renders,
// and pushes a new URL for each step (history.pushState), so that the back button and a shared link
// give the same page. Performance marks: panier:answer (the API answered) and panier:rendered (its
// results are on the page); the measure panier:first-render is the time between them.

import { ApiError, get, merchant } from "./api.js";
import { combobox } from "./combobox.js";
import { merchantPage, productPage } from "./details.js";
import { h, plural } from "./format.js";
import { CLUSTERS_BELOW_ZOOM, createMap } from "./map.js";
import { facets, merchantCard, paging, productCard, resultKey, total, understood } from "./results.js";
import { changed, hasSearch, location, read, searchParams, url } from "./state.js";

const PER_PAGE = 10;
const PLACE_ZOOM = 10; // a place's 25 km around it
const $ = (id) => document.getElementById(id);
const els = {
  form: $("recherche"), q: $("q"), near: $("near"), autour: $("autour"), statut: $("statut"),
  layout: $("contenu"), facettes: $("facettes"), filtres: $("filtres"), resultats: $("resultats"),
  compris: $("compris"), liste: $("liste"), pagination: $("pagination"), fiche: $("fiche"),
  zone: $("zone"), carte: $("carte"),
};

let state = read();
let map = null;
let sequence = 0; // answers to an older request than the latest are dropped
let lastAnswer = null;
let pendingView = null; // the map view a "search this area" asked for
const ready = { map: null };
window.panier = { renders: [], ready: false };

// -- navigation --------------------------------------------------------------------------------------
function navigate(next, { replace = false } = {}) {
  state = next;
  const address = url(next);
  if (address !== window.location.pathname + window.location.search) {
    history[replace ? "replaceState" : "pushState"](null, "", address);
  }
  return show();
}

window.addEventListener("popstate", () => {
  state = read();
  show();
});

document.addEventListener("click", (event) => {
  const a = event.target.closest("a[data-spa]");
  if (!a || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(read(new URL(a.href)));
  if (state.view !== "recherche") els.fiche.focus({ preventScroll: false });
});

// -- the form ----------------------------------------------------------------------------------------
function fillForm() {
  els.q.value = state.q || "";
  els.near.value = state.lat !== undefined ? "Ma position" : state.near || "";
  document.querySelector(`input[name="quoi"][value="${state.quoi}"]`).checked = true;
}

function fromForm(extra = {}) {
  const near = els.near.value.trim();
  const place = near === "Ma position" && state.lat !== undefined
    ? { lat: state.lat, lon: state.lon, near: undefined }
    : { near: near || undefined, lat: undefined, lon: undefined };
  const quoi = document.querySelector('input[name="quoi"]:checked').value;
  const keep = quoi === state.quoi ? {} : { category: undefined, brand: undefined, service: undefined, region: undefined,
    in_stock: undefined, quebec: undefined, min_price: undefined, max_price: undefined };
  return changed(state, { q: els.q.value.trim() || undefined, literal: undefined, quoi, ...place, ...keep, ...extra });
}

const suggestions = combobox(els.q, $("suggestions"), {
  around: () => (lastAnswer?.location ? { lat: lastAnswer.location.lat.toFixed(3), lon: lastAnswer.location.lon.toFixed(3) } : {}),
  onPick(item) {
    if (item.type === "merchant" && item.id) return navigate({ ...fromForm(), view: "commerce", id: item.id });
    if (item.type === "product" && item.id) return navigate({ ...fromForm(), view: "produit", id: item.id, quoi: "produits" });
    if (item.type === "category") return navigate(fromForm({ q: undefined, category: item.text }));
    return navigate(fromForm({ q: item.text }));
  },
});

els.form.addEventListener("submit", (event) => {
  event.preventDefault();
  suggestions.close();
  navigate(fromForm({ bbox: undefined }));
});

for (const radio of document.querySelectorAll('input[name="quoi"]')) {
  radio.addEventListener("change", () => {
    if (hasSearch(state) || els.q.value.trim()) navigate(fromForm());
  });
}

els.autour.addEventListener("click", () => {
  if (!navigator.geolocation) return status("Votre navigateur ne donne pas votre position.", true);
  status("Recherche de votre position…");
  navigator.geolocation.getCurrentPosition(
    (position) => {
      const { latitude, longitude } = position.coords;
      state = { ...state, lat: latitude.toFixed(4), lon: longitude.toFixed(4), near: undefined };
      els.near.value = "Ma position";
      navigate(fromForm());
    },
    () => status("Position non disponible : indiquez une municipalité ou un code postal.", true),
    { timeout: 10000, maximumAge: 300000 },
  );
});

// -- the map -----------------------------------------------------------------------------------------
els.zone.addEventListener("click", () => {
  const view = map.view();
  els.zone.hidden = true;
  pendingView = view;
  navigate(changed(state, { bbox: view.bbox, carte: carte(view) }));
});

function carte(view) {
  return `${view.lat.toFixed(4)},${view.lon.toFixed(4)},${view.zoom}`;
}

function select(key, { fromMap = false } = {}) {
  for (const card of els.liste.querySelectorAll(".carte-resultat")) {
    const chosen = card.dataset.key === key;
    card.classList.toggle("choisi", chosen);
    if (chosen && fromMap) {
      card.scrollIntoView({ block: "nearest" });
      card.querySelector("a")?.focus({ preventScroll: true });
    }
  }
  map?.select(key);
}

els.liste.addEventListener("click", (event) => {
  const card = event.target.closest(".carte-resultat");
  if (card && !event.target.closest("a")) select(card.dataset.key);
});
els.liste.addEventListener("focusin", (event) => {
  const card = event.target.closest(".carte-resultat");
  if (card) select(card.dataset.key);
});

async function startMap() {
  const config = await get("/page/config.json").catch(() => ({}));
  config.tiles = config.tiles || document.body.dataset.tiles || null;
  map = await createMap(els.carte, config, {
    onSelect: (key, options) => select(key, options),
    onUserMove(view) {
      if (state.view !== "recherche" || !hasSearch(state)) return;
      history.replaceState(null, "", url({ ...state, carte: carte(view) })); // the view, no new step
      state = { ...state, carte: carte(view) };
      els.zone.hidden = false;
      if (lastAnswer?.clusters) drawResults(lastAnswer, { refit: false });
    },
  });
}

/** The results on the map: the API's clusters when zoomed out and the results go beyond this page,
 * else one point per merchant of the page. */
async function drawResults(answer, { refit }) {
  if (!map) return;
  const points = await pointsOf(answer);
  if (refit) {
    const saved = state.carte?.split(",").map(Number);
    if (pendingView) map.setView(pendingView.lat, pendingView.lon, pendingView.zoom);
    else if (saved?.length === 3 && saved.every(Number.isFinite)) map.setView(...saved);
    else if (answer.location && !answer.relaxed?.radius_km) map.setView(answer.location.lat, answer.location.lon, PLACE_ZOOM);
    else map.fit(points.length ? points : answer.clusters || []);
    pendingView = null;
  }
  const beyondPage = answer.total > answer.items.length;
  if (map.zoom() < CLUSTERS_BELOW_ZOOM && beyondPage && answer.clusters?.length) map.showClusters(answer.clusters);
  else map.showPoints(points);
  const chosen = els.liste.querySelector(".carte-resultat.choisi");
  if (chosen) map.select(chosen.dataset.key);
}

async function pointsOf(answer) {
  if (answer.kind === "commerces") {
    return answer.items.map((m) => ({ key: m.id, lat: m.location.lat, lon: m.location.lon, title: m.name, keys: [m.id] }));
  }
  // Each store carries its merchant's location; a merchant shows once, with every product it has here.
  const byMerchant = new Map();
  for (const item of answer.items) {
    for (const store of item.stores) {
      if (!store.location) continue;
      if (!byMerchant.has(store.merchant_id)) {
        const { lat, lon } = store.location;
        byMerchant.set(store.merchant_id, { key: store.merchant_id, lat, lon, title: store.name, keys: [] });
      }
      byMerchant.get(store.merchant_id).keys.push(answer.single ? store.merchant_id : item.product_key);
    }
  }
  return [...byMerchant.values()];
}

// -- the views ---------------------------------------------------------------------------------------
function status(text, error = false) {
  els.statut.textContent = text;
  els.statut.classList.toggle("erreur", error);
}

function showView(name) {
  const fiche = name !== "recherche";
  els.layout.classList.toggle("vue-fiche", fiche);
  els.fiche.hidden = !fiche;
  els.filtres.hidden = fiche;
  els.resultats.hidden = fiche;
}

async function show() {
  fillForm();
  els.zone.hidden = true;
  showView(state.view);
  if (!ready.map) ready.map = startMap();
  const mine = ++sequence;
  try {
    if (state.view === "produit") await showProduct(mine);
    else if (state.view === "commerce") await showMerchant(mine);
    else await showSearch(mine);
  } catch (error) {
    if (mine !== sequence) return;
    const message = error instanceof ApiError ? explain(error) : "La recherche n'a pas pu aboutir. Réessayez dans un instant.";
    status(message, true);
  }
  window.panier.ready = true;
}

function explain(error) {
  if (error.status === 404) return "Cette fiche n'existe plus.";
  if (error.status === 503 || error.status === 429) return "Le service est occupé : réessayez dans un instant.";
  if (error.fields?.near) {
    const close = error.fields.suggestions || [];
    return `Lieu inconnu : « ${state.near} ».${close.length ? ` Vouliez-vous dire ${close.slice(0, 3).join(", ")} ?` : ""}`;
  }
  return `Recherche refusée : ${error.message}.`;
}

async function showSearch(mine) {
  document.title = state.q ? `${state.q} — Panier` : "Panier — achetez local au Québec";
  if (!hasSearch(state)) {
    lastAnswer = null;
    status("");
    els.compris.replaceChildren(h("p", {}, "Cherchez un produit ou un commerce d'ici, près de chez vous : ",
      ...[["sirop d'érable", "Trois-Rivières"], ["fromagerie", "Montréal"]].flatMap(([q, near], i) => [
        i ? " ou " : "", h("a", { href: url(changed(state, { q, near })), "data-spa": "" }, `${q} à ${near}`)]), "."));
    els.liste.replaceChildren();
    els.facettes.replaceChildren();
    els.pagination.replaceChildren();
    await ready.map;
    map?.showPoints([]);
    return;
  }
  status("Recherche…");
  await ready.map;
  // Clusters at the zoom the map will show: the saved view's, around a place 10, else the map's own.
  const saved = state.carte ? Number(state.carte.split(",")[2]) : NaN;
  const zoom = Number.isFinite(saved) ? saved : location(state).near || state.lat ? PLACE_ZOOM : (map?.zoom() ?? 7);
  const endpoint = state.quoi === "commerces" ? "/v1/merchants" : "/v1/products";
  const answer = await get(endpoint, searchParams(state, { zoom, perPage: PER_PAGE }));
  if (mine !== sequence) return;
  performance.mark("panier:answer");
  answer.kind = state.quoi;
  lastAnswer = answer;
  const cards = answer.items.map((item) => (state.quoi === "commerces" ? merchantCard(state, item) : productCard(state, item)));
  els.compris.replaceChildren(...understood(state, answer), total(state, answer) || "");
  els.liste.replaceChildren(...cards);
  els.facettes.replaceChildren(...facets(state, answer, navigate));
  els.pagination.replaceChildren(...paging(state, answer));
  status(answer.total ? `${plural(answer.total, "résultat", "résultats")}.` : "Aucun résultat.");
  performance.mark("panier:rendered");
  const measure = performance.measure("panier:first-render", "panier:answer", "panier:rendered");
  window.panier.renders.push(measure.duration);
  await drawResults(answer, { refit: true });
}

async function showProduct(mine) {
  status("Chargement de la fiche…");
  const product = await get(`/v1/products/${encodeURIComponent(state.id)}`, location(state));
  if (mine !== sequence) return;
  els.fiche.replaceChildren(...productPage(state, product).filter(Boolean));
  document.title = `${product.name} — Panier`;
  status("");
  await ready.map;
  if (!map) return;
  const points = await pointsOf({ kind: "produits", single: true, items: [product] });
  map.fit(points, product.location && { ...product.location, zoom: 11 });
  map.showPoints(points);
}

async function showMerchant(mine) {
  status("Chargement de la fiche…");
  const m = await merchant(state.id);
  if (mine !== sequence) return;
  els.fiche.replaceChildren(...merchantPage(state, m).filter(Boolean));
  document.title = `${m.name} — Panier`;
  status("");
  await ready.map;
  if (!map) return;
  const point = { key: m.id, lat: m.location.lat, lon: m.location.lon, title: m.name, keys: [m.id] };
  map.setView(point.lat, point.lon, 14);
  map.showPoints([point]);
  map.select(m.id);
}

show();
