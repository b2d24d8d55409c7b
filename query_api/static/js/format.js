// French formatting and safe HTML: every value from the API is escaped before it reaches the page.

const NUMBER = new Intl.NumberFormat("fr-CA", { maximumFractionDigits: 1 });
const MONEY = new Intl.NumberFormat("fr-CA", { style: "currency", currency: "CAD" });
const COUNT = new Intl.NumberFormat("fr-CA");

export function escapeHtml(value) {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

/** The API's highlight (matched words in <em>) as safe HTML with <mark>: nothing else survives. */
export function highlighted(highlight, fallback) {
  if (!highlight) return escapeHtml(fallback);
  return escapeHtml(highlight).replace(/&lt;em&gt;/g, "<mark>").replace(/&lt;\/em&gt;/g, "</mark>");
}

export function distance(km) {
  if (km == null) return "";
  return km < 1 ? `${Math.round(km * 1000)} m` : `${NUMBER.format(km)} km`;
}

export const price = (value) => (value == null ? "" : MONEY.format(value));
export const count = (n) => COUNT.format(n);

export function plural(n, one, many) {
  return `${count(n)} ${n > 1 ? many : one}`;
}

export const SERVICES = { livraison: "Livraison", cueillette: "Cueillette", achat_en_ligne: "Achat en ligne" };

export function stock(store) {
  if (store.availability === "limited") return { text: `Stock limité (${store.quantity})`, ok: true };
  if (store.availability === "on_order") return { text: "Sur commande", ok: false };
  if (store.in_stock) return { text: `${plural(store.quantity, "en stock", "en stock")}`, ok: true };
  return { text: "Rupture de stock", ok: false };
}

/** « stock vérifié il y a 2 h » from an ISO date, when the API gives one. */
export function checkedAgo(iso) {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return "";
  const minutes = Math.max(0, Math.round((Date.now() - then) / 60000));
  if (minutes < 60) return `stock vérifié il y a ${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `stock vérifié il y a ${hours} h`;
  return `stock vérifié il y a ${Math.round(hours / 24)} jours`;
}

/** A small DOM builder: h("li", {class: "x"}, child, "text"). Strings become text nodes. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value == null || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "html") element.innerHTML = value; // only ever given escaped HTML
    else element.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}
