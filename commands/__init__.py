"""The ``panier`` commands, one module per topic; ``cli.py`` registers them on its group.

Each command turns its options into arguments, calls indexer/, query_api/, panier_core/, local_es/
or sample_data/, and prints what came back; the shared ``cli.Context`` (settings, the engine client,
the local engine) arrives with ``@click.pass_obj``. Domain errors reach ``cli.PanierGroup``, which
turns them into one sentence.
"""

# `panier reindex` and `panier apply`: done, but some records or lines were rejected.
EXIT_REJECTS = 3
