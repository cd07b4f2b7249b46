"""Search words: a small English–Welsh list of consultation vocabulary, Welsh mutations, and a
query compiled for SQLite FTS5 or PostgreSQL ``tsquery``.

A search is words, all of which must match (AND); each word matches itself, its listed
translations and, for a Welsh word, its mutated forms (``trosedd``: ``drosedd``, ``nhrosedd``,
``throsedd``; a mutated word typed is traced back to its radical first). ``polic*`` matches a
prefix. Accents are ignored on both sides (``tan`` finds ``tân``). The list is deliberately
short: extend ``PAIRS`` with a consultation's own words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: English and Welsh words that mean the same in consultations about policing and public services.
PAIRS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("police", "policing", "officer", "officers", "bobby"), ("heddlu", "plismon", "plismyn", "swyddog", "swyddogion")),
    (("crime", "crimes"), ("trosedd", "troseddau")),
    (("safety", "safe"), ("diogelwch", "diogel")),
    (("drugs", "drug"), ("cyffuriau", "cyffur")),
    (("speeding",), ("goryrru",)),
    (("parking",), ("parcio",)),
    (("litter", "rubbish"), ("sbwriel",)),
    (("school", "schools"), ("ysgol", "ysgolion")),
    (("road", "roads", "street", "streets"), ("ffordd", "ffyrdd", "heol", "stryd")),
    (("traffic",), ("traffig",)),
    (("children", "kids"), ("plant",)),
    (("young people", "youths", "teenagers"), ("pobl ifanc",)),
    (("neighbourhood", "community"), ("cymdogaeth", "cymuned")),
    (("anti social", "antisocial", "asb"), ("gwrthgymdeithasol",)),
    (("patrols", "patrol"), ("patrolau", "patrol")),
    (("lights", "lighting", "streetlights"), ("goleuadau", "golau")),
    (("violence", "violent"), ("trais", "treisgar")),
    (("burglary", "theft", "stealing"), ("byrgleriaeth", "lladrad", "dwyn")),
    (("bus", "buses"), ("bws", "bysiau")),
    (("council",), ("cyngor",)),
    (("tax", "precept"), ("treth", "praesept")),
    (("money", "funding", "budget"), ("arian", "cyllid", "cyllideb")),
    (("town", "town centre"), ("tref", "canol y dref")),
    (("night",), ("nos", "noson")),
    (("fear", "scared", "afraid"), ("ofn",)),
    (("cars", "car"), ("ceir", "car")),
)
#: Welsh initial mutations: radical → (soft, nasal, aspirate) forms.
MUTATIONS = {"p": ("b", "mh", "ph"), "t": ("d", "nh", "th"), "c": ("g", "ngh", "ch"),
             "b": ("f", "m"), "d": ("dd", "n"), "g": ("", "ng"), "ll": ("l",), "m": ("f",),
             "rh": ("r",)}
WORD = re.compile(r"[^\W_]+\*?")


def fold(text: str) -> str:
    """Lower case without accents (``Tân`` → ``tan``), as both databases index."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def mutated(word: str) -> set[str]:
    """A Welsh word and its mutated forms."""
    out = {word}
    for radical, forms in MUTATIONS.items():
        if word.startswith(radical) and not (radical == "d" and word.startswith("dd")):
            out |= {form + word[len(radical):] for form in forms if form + word[len(radical):]}
    return out


def _lookup() -> tuple[dict[str, frozenset[str]], set[str]]:
    groups: dict[str, frozenset[str]] = {}
    welsh: set[str] = set()
    for english, cymraeg in PAIRS:
        every = {fold(w) for w in english}
        for w in cymraeg:
            every |= mutated(fold(w)) if " " not in w else {fold(w)}
            welsh.add(fold(w))
        for w in every:
            groups[w] = frozenset(every) | groups.get(w, frozenset())
    return groups, welsh


GROUPS, WELSH = _lookup()


@dataclass(frozen=True)
class Term:
    """One searched word: the phrases that match it, and whether the last word is a prefix."""
    phrases: frozenset[str]
    prefix: bool = False


def parse(query: str) -> list[Term]:
    """The terms of a search; a listed phrase ("young people") is taken as one term."""
    words = [w for w in (fold(m) for m in WORD.findall(query)) if w.strip("*_")]
    terms: list[Term] = []
    i = 0
    while i < len(words):
        for size in (3, 2, 1):
            phrase = " ".join(w.rstrip("*") for w in words[i:i + size])
            if size == 1 or (len(words) >= i + size and phrase in GROUPS):
                break
        word = words[i]
        if size == 1 and word.endswith("*"):
            terms.append(Term(frozenset({word.rstrip("*")}), prefix=True))
        else:
            terms.append(Term(GROUPS.get(phrase) or frozenset({phrase}) | _radical_group(phrase)))
        i += size
    return terms


def _radical_group(word: str) -> frozenset[str]:
    """The listed group of a mutated Welsh word (``nheddlu`` has none; ``drosedd`` → trosedd's)."""
    for radical, forms in MUTATIONS.items():
        for form in forms:
            if form and word.startswith(form) and radical + word[len(form):] in WELSH:
                return GROUPS.get(radical + word[len(form):], frozenset())
        if radical == "g" and "g" + word in WELSH:  # soft mutation drops a g
            return GROUPS.get("g" + word, frozenset())
    return frozenset()


def fts5(terms: list[Term]) -> str:
    """The terms as an SQLite FTS5 MATCH expression."""
    def one(t: Term) -> str:
        quoted = sorted(f'"{p}"' + ("*" if t.prefix else "") for p in t.phrases)
        return "(" + " OR ".join(quoted) + ")"
    return " AND ".join(one(t) for t in terms)


def tsquery(terms: list[Term]) -> str:
    """The terms as a PostgreSQL ``to_tsquery('simple', …)`` expression."""
    def one(t: Term) -> str:
        phrases = sorted(" <-> ".join(p.split()) + (":*" if t.prefix else "") for p in t.phrases)
        return "(" + " | ".join(phrases) + ")"
    return " & ".join(one(t) for t in terms)
