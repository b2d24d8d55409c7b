"""French contractions of "of" and "in" before a name, for descriptions and merchant names."""

from __future__ import annotations

_VOWELS = "AEIOUYÉÈÊÎÔaeiouyéèêîô"


def of_name(name: str) -> str:
    """French "of": du Plateau, des Sucres, de la Vallée, d'Érablière, de Sherbrooke."""
    for article, contracted in (("Le ", "du "), ("Les ", "des "), ("La ", "de la "), ("L'", "de l'")):
        if name.startswith(article):
            return contracted + name[len(article) :]
    return ("d'" if name[:1] in _VOWELS else "de ") + name


def in_name(name: str) -> str:
    """French "in": au Plateau, à la Prairie, à Montréal."""
    for article, contracted in (("Le ", "au "), ("Les ", "aux "), ("La ", "à la "), ("L'", "à l'")):
        if name.startswith(article):
            return contracted + name[len(article) :]
    return "à " + name
