// The product page (/v1/products/<id>: every store carrying it, nearest first) and the merchant
// page (/v1/merchants/<id>), shown in place of the results with the same search kept in the URL.

import { SERVICES, count, h, plural } from "./format.js";
import { url } from "./state.js";
import { storeLine } from "./results.js";

function back(state) {
  const search = { ...state, view: "recherche", id: null };
  return h("a", { class: "retour", href: url(search), "data-spa": "" }, "← Retour aux résultats");
}

export function productPage(state, product) {
  const badges = h("ul", { class: "badges" },
    product.quebec_product ? h("li", { class: "badge quebec" }, "Produit du Québec") : null,
    product.certifications.map((c) => h("li", { class: "badge" }, c)));
  const facts = h("dl", {},
    product.brand ? [h("dt", {}, "Marque"), h("dd", {}, product.brand)] : null,
    [h("dt", {}, "Catégories"), h("dd", {}, product.categories.join(" · "))],
    product.gtin ? [h("dt", {}, "Code (GTIN)"), h("dd", {}, product.gtin)] : null);
  const where = product.location?.near ? `, les plus proches de ${product.location.near} d'abord` : product.location ? ", les plus proches d'abord" : "";
  return [
    back(state),
    h("h2", { id: "fiche-titre" }, product.name),
    badges,
    product.description ? h("p", {}, product.description) : null,
    facts,
    h("h3", {}, `${plural(product.stores_total, "magasin l'offre", "magasins l'offrent")}${where}`),
    h("ul", { class: "magasins" }, product.stores.map((s) => storeLine(state, s))),
    product.stores_total > product.stores.length
      ? h("p", { class: "meta" }, `Les ${count(product.stores.length)} premiers sont affichés.`) : null,
  ];
}

export function merchantPage(state, merchant) {
  const a = merchant.address || {};
  const facts = h("dl", {},
    [h("dt", {}, "Adresse"), h("dd", {}, [a.street, a.city, a.postal_code].filter(Boolean).join(", "))],
    a.region ? [h("dt", {}, "Région"), h("dd", {}, a.region)] : null,
    merchant.phone ? [h("dt", {}, "Téléphone"), h("dd", {}, h("a", { href: `tel:${merchant.phone.replace(/\s/g, "")}` }, merchant.phone))] : null,
    /^https?:\/\//.test(merchant.website || "") ? [h("dt", {}, "Site web"), h("dd", {}, h("a", { href: merchant.website, rel: "noopener" }, merchant.website))] : null,
    merchant.services.length ? [h("dt", {}, "Services"), h("dd", {}, merchant.services.map((s) => SERVICES[s] || s).join(", "))] : null);
  return [
    back(state),
    h("h2", { id: "fiche-titre" }, merchant.name),
    h("p", { class: "meta" }, merchant.categories.join(" · ")),
    merchant.description ? h("p", {}, merchant.description) : null,
    facts,
  ];
}

