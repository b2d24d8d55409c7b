"""The sample data generator (``panier sample``, ``panier up``, the benchmarks).

One job per module: ``cities`` (Quebec towns, their regions and postal areas), ``catalogue`` (the
shared product catalogue), ``merchants`` (merchant records), ``listings`` (listings per merchant
and which items they are), ``generator`` (``generate``: both files, written as they are made;
``cached``: ``panier up``'s files, made once per size); ``words`` holds the hand-written word
lists, ``french`` and ``draws`` what several of them share.
"""

from sample_data.generator import FORMAT, SampleSummary, cached, generate

__all__ = ["FORMAT", "SampleSummary", "cached", "generate"]
