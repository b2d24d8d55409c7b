// The public /v1 endpoints, and nothing else. A busy server (503, 429) is asked once more after
// the Retry-After it gives (at most 2 s); other errors come back as ApiError with the API's message.

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message || `erreur ${status}`);
    this.status = status;
    this.fields = body?.error?.fields || {};
  }
}

export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(name, String(value));
  }
  return search.toString();
}

export async function get(path, params = {}, { signal } = {}) {
  const url = `${path}${Object.keys(params).length ? `?${query(params)}` : ""}`;
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(url, { signal, headers: { Accept: "application/json" } });
    if ((response.status === 503 || response.status === 429) && attempt === 0) {
      const wait = Math.min(2, Number(response.headers.get("Retry-After")) || 1);
      await new Promise((resolve) => setTimeout(resolve, wait * 1000));
      continue;
    }
    const body = await response.json().catch(() => null);
    if (!response.ok) throw new ApiError(response.status, body);
    return body;
  }
}

/** Merchants' locations, for the map of a product search (its stores name only their merchant). */
const merchants = new Map();

export function merchant(id) {
  if (!merchants.has(id)) {
    const promise = get(`/v1/merchants/${encodeURIComponent(id)}`).catch((error) => {
      merchants.delete(id);
      throw error;
    });
    merchants.set(id, promise);
  }
  return merchants.get(id);
}
