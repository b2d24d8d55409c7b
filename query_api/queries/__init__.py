"""Validated parameters -> engine request bodies. Pure functions: no engine, no Flask.

User text only ever reaches ``match``/``multi_match``/``match_phrase`` queries (never
``query_string``), so no Lucene syntax is interpreted; its length and word count are capped by
the schemas.
"""

from query_api.queries.common import Location, clusters, geo_sort, text_query
from query_api.queries.merchants import MERCHANT_TEXT_FIELDS, merchants_search
from query_api.queries.products import (
    FACET_SAMPLE,
    PRICE_RANGES,
    PRODUCT_TEXT_FIELDS,
    facet_probability,
    facets_with_page,
    follow_up_searches,
    product_facets,
    products_search,
    stores_for_product,
    stores_of_products,
)
from query_api.queries.suggest import suggest

__all__ = [
    "FACET_SAMPLE",
    "MERCHANT_TEXT_FIELDS",
    "PRICE_RANGES",
    "PRODUCT_TEXT_FIELDS",
    "Location",
    "clusters",
    "facet_probability",
    "facets_with_page",
    "follow_up_searches",
    "geo_sort",
    "merchants_search",
    "product_facets",
    "products_search",
    "stores_for_product",
    "stores_of_products",
    "suggest",
    "text_query",
]
