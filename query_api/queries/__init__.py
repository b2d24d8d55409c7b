"""One object per kind of search or page: from validated parameters, it builds its engine requests
and reads the engine's answers into the API's (facets, distances, stores, clusters, pages), so
that routes know neither aggregation names nor sort positions. Building and reading are pure;
``run(es)`` sends the requests in order.

User text only ever reaches ``match``/``multi_match``/``match_phrase`` queries (never
``query_string``), so no Lucene syntax is interpreted; its length and word count are capped by
the schemas.
"""

from query_api.queries.common import Found, Location, Where, text_query
from query_api.queries.lookups import MerchantLookup, ProductPage
from query_api.queries.merchants import MERCHANT_TEXT_FIELDS, MerchantSearch
from query_api.queries.product_facets import FACET_SAMPLE, facet_probability
from query_api.queries.products import PRODUCT_TEXT_FIELDS, ProductSearch
from query_api.queries.suggest import Suggestions

__all__ = [
    "FACET_SAMPLE",
    "MERCHANT_TEXT_FIELDS",
    "PRODUCT_TEXT_FIELDS",
    "Found",
    "Location",
    "MerchantLookup",
    "MerchantSearch",
    "ProductPage",
    "ProductSearch",
    "Suggestions",
    "Where",
    "facet_probability",
    "text_query",
]
