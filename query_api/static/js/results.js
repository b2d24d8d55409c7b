// A search's answer as the page shows it: what was understood or relaxed, the results, the facets
// as filters, paging. Links carry the state they lead to (href = its URL, data-spa: no reload).

import { changed, url } from "./state.js";
import { SERVICES, checkedAgo, count, distance, h, highlighted, plural, price, stock } from "./format.js";

const link = (state, text, attributes = {}) => h("a", { href: url(state), "data-spa": "", ...attributes }, text);

export function resultKey(state, item) {
  return state.quoi === "commerces" ? item.id : item.product_key;
}

// -- what was understood and relaxed, dead ends ------------------------------------------------------
export function understood(state, answer) {
  const notes = [];
  const u = answer.understood;
  const literal = link(changed(state, { literal: "true", page: undefined }), `chercher exactement « ${state.q} »`);
  if (u) {
    const parts = [];
    if (u.place) parts.push(`autour de ${u.place.name} (${count(u.place.radius_km)} km), lu dans « ${u.place.from} »`);
    if (u.quebec) parts.push("les produits du Québec en premier");
    if (u.certifications?.length) parts.push(`certifiés ${u.certifications.join(", ")} en premier`);
    const dropped = u.dropped.filter((words) => !u.place || words !== u.place.from);
    if (dropped.length && parts.length) parts.push(`sans les mots ${dropped.map((w) => `« ${w} »`).join(", ")}`);
    if (parts.length) notes.push(h("p", { class: "compris" }, `Compris : ${parts.join(" ; ")}. `, "Vous pouvez aussi ", literal, "."));
  }
  const r = answer.relaxed;
  if (r) {
    const parts = [];
    if (r.dropped.length) parts.push(`sans ${r.dropped.map((w) => `« ${w} »`).join(", ")}, qu'aucun produit ne contient`);
    if (r.matching === "any") parts.push("avec n'importe lequel des mots");
    if (r.radius_km) parts.push(`dans un rayon élargi à ${count(r.radius_km)} km`);
    notes.push(h("p", { class: "compris assoupli" }, `Rien ne correspondait à tous vos mots : voici les résultats ${parts.join(", ")}.`));
  }
  if (state.literal === "true" && state.q) {
    notes.push(h("p", { class: "compris" }, `Recherche exacte de « ${state.q} ». `,
      link(changed(state, { literal: undefined }), "Laisser Panier interpréter la recherche"), "."));
  }
  if (state.bbox) {
    notes.push(h("p", { class: "compris" }, "Dans la zone de la carte seulement. ",
      link(changed(state, { bbox: undefined }), "Chercher partout"), "."));
  }
  if (answer.total === 0) {
    const tries = answer.did_you_mean || [];
    const p = h("p", { class: "impasse" }, state.q ? `Aucun résultat pour « ${state.q} ». ` : "Aucun résultat. ");
    if (tries.length) {
      p.append("Vouliez-vous dire ");
      tries.forEach((text, i) => {
        if (i) p.append(i === tries.length - 1 ? " ou " : ", ");
        p.append(link(changed(state, { q: text, literal: undefined }), text));
      });
      p.append(" ?");
    }
    notes.push(p);
    if (answer.nearest_merchants?.length) {
      notes.push(h("h3", {}, "Les commerces les plus proches"));
      notes.push(h("ol", { class: "liste" }, answer.nearest_merchants.map((m) => merchantCard(state, m))));
    }
  }
  return notes;
}

// -- results -----------------------------------------------------------------------------------------
export function productCard(state, item) {
  const first = item.stores[0];
  const page = first ? { ...state, view: "produit", id: first.listing_id } : null;
  const title = h("h3", {}, page ? h("a", { href: url(page), "data-spa": "", html: highlighted(item.highlight, item.name) })
    : h("span", { html: highlighted(item.highlight, item.name) }));
  const badges = h("ul", { class: "badges" },
    item.quebec_product ? h("li", { class: "badge quebec" }, "Produit du Québec") : null,
    item.certifications.map((c) => h("li", { class: "badge" }, c)));
  const meta = h("p", { class: "meta" }, [item.brand, item.categories.at(-1)].filter(Boolean).join(" · "),
    " — à partir de ", h("span", { class: "prix" }, price(item.price_from)));
  const stores = h("ul", { class: "magasins", "aria-label": `Magasins qui l'ont, ${plural(item.stores_matching, "en tout", "en tout")}` },
    item.stores.map((s) => storeLine(state, s)));
  const more = item.stores_matching > item.stores.length && page
    ? h("p", { class: "meta" }, link(page, `Voir les ${count(item.stores_matching)} magasins`)) : null;
  return h("li", { class: "carte-resultat", "data-key": item.product_key }, title, badges, meta, stores, more);
}

export function storeLine(state, store) {
  const s = stock(store);
  const merchantPage = { ...state, view: "commerce", id: store.merchant_id };
  return h("li", {},
    link(merchantPage, store.name, { class: "nom" }),
    store.city ? h("span", {}, store.city) : null,
    store.distance_km != null ? h("span", {}, `à ${distance(store.distance_km)}`) : null,
    h("span", { class: `dispo ${s.ok ? "oui" : "non"}` }, s.text),
    h("span", { class: "prix" }, price(store.sale_price?.price ?? store.price)),
    store.open_now != null ? h("span", {}, store.open_now ? "Ouvert" : "Fermé") : null,
    store.stock_checked_at ? h("span", { class: "meta" }, checkedAgo(store.stock_checked_at)) : null);
}

export function merchantCard(state, item) {
  const page = { ...state, view: "commerce", id: item.id };
  const kind = item.categories.filter((c) => c !== "Alimentation").join(" · ") || item.categories.join(" · ");
  return h("li", { class: "carte-resultat", "data-key": item.id },
    h("h3", {}, h("a", { href: url(page), "data-spa": "", html: highlighted(item.highlight, item.name) })),
    h("p", { class: "meta" }, [kind, item.address?.city, item.distance_km != null ? `à ${distance(item.distance_km)}` : null]
      .filter(Boolean).join(" · ")),
    h("ul", { class: "badges", "aria-label": "Services" },
      item.services.map((s) => h("li", { class: "badge service" }, SERVICES[s] || s))));
}

export function total(state, answer) {
  if (!answer.total) return null;
  const what = state.quoi === "commerces" ? plural(answer.total, "commerce", "commerces") : plural(answer.total, "produit", "produits");
  const where = answer.location?.near ? ` près de ${answer.location.near}` : answer.location ? " autour de vous" : "";
  return h("p", { class: "total" }, `${what}${where}`);
}

// -- facets ------------------------------------------------------------------------------------------
const LABELS = { category: "Catégorie", brand: "Marque", region: "Région", service: "Services", price: "Prix" };
const PRICE_FILTERS = {
  "< 5 $": [undefined, "4.99"], "5–10 $": ["5", "9.99"], "10–20 $": ["10", "19.99"],
  "20–50 $": ["20", "49.99"], "≥ 50 $": ["50", undefined],
};

export function facets(state, answer, navigate) {
  const blocks = [];
  const active = activeFilters(state);
  if (active.length) {
    blocks.push(h("ul", { class: "actifs", "aria-label": "Filtres actifs" }, active.map(([label, without]) =>
      h("li", {}, h("button", { type: "button", "aria-label": `Retirer le filtre ${label}`, onclick: () => navigate(without) }, `${label} ✕`)))));
  }
  if (state.quoi === "produits") {
    blocks.push(toggle(state, "in_stock", "En stock seulement", null, navigate));
    const quebec = answer.facets.quebec?.find((v) => v.value === true);
    blocks.push(toggle(state, "quebec", "Produits du Québec certifiés", quebec?.count ?? 0, navigate));
  }
  for (const [name, values] of Object.entries(answer.facets)) {
    if (!LABELS[name] || !values.length) continue;
    const items = values.slice(0, 10).map((v) => {
      let next, pressed;
      if (name === "price") {
        const [min, max] = PRICE_FILTERS[v.value] || [];
        pressed = state.min_price === min && state.max_price === max;
        next = changed(state, pressed ? { min_price: undefined, max_price: undefined } : { min_price: min, max_price: max });
      } else {
        pressed = state[name] === v.value;
        next = changed(state, { [name]: pressed ? undefined : v.value });
      }
      const label = name === "service" ? SERVICES[v.value] || v.value : v.value;
      return h("li", {}, h("button", {
        type: "button", "aria-pressed": String(pressed), disabled: v.count === 0 && !pressed,
        onclick: () => navigate(next),
      }, h("span", {}, label), h("span", { class: "n" }, count(v.count))));
    });
    blocks.push(h("fieldset", { class: "facette", "data-facette": name }, h("legend", {}, LABELS[name]), h("ul", {}, items)));
  }
  if (answer.facets_approximate) blocks.push(h("p", { class: "meta" }, "Nombres estimés sur un échantillon."));
  return blocks;
}

function toggle(state, name, label, n, navigate) {
  const on = state[name] === "true";
  const input = h("input", { type: "checkbox", checked: on,
    onchange: () => navigate(changed(state, { [name]: on ? undefined : "true" })) });
  return h("div", { class: "facette" }, h("label", {}, input, label, n != null ? h("span", { class: "n" }, `(${count(n)})`) : null));
}

function activeFilters(state) {
  const active = [];
  for (const name of ["category", "brand", "region", "service"]) {
    if (state[name]) active.push([`${LABELS[name]} : ${name === "service" ? SERVICES[state[name]] || state[name] : state[name]}`, changed(state, { [name]: undefined })]);
  }
  if (state.min_price || state.max_price) {
    active.push([`Prix : ${state.min_price ? price(Number(state.min_price)) : "0"} à ${state.max_price ? price(Number(state.max_price)) : "plus"}`,
      changed(state, { min_price: undefined, max_price: undefined })]);
  }
  return active;
}

// -- paging ------------------------------------------------------------------------------------------
export function paging(state, answer) {
  const { page, pages } = answer.page;
  if (pages <= 1) return [];
  const at = (n) => ({ ...state, page: String(n) });
  return [
    page > 1 ? link(at(page - 1), "« Précédente", { rel: "prev" }) : null,
    h("span", { "aria-current": "page" }, `Page ${count(page)} sur ${count(pages)}`),
    page < pages ? link(at(page + 1), "Suivante »", { rel: "next" }) : null,
  ].filter(Boolean);
}
