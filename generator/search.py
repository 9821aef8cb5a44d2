"""The site's search index: static JSON files a small script queries in the browser.

No server and no search service: the build writes an inverted index of the
words of every paper (title, authors, venue, categories, abstract) and every
person (name, role, affiliation) under ``search/index/``, split in two:

- ``terms-<n>.json``: ``{term: [posting, ...]}`` for the terms whose first two
  characters hash to bucket ``n``. A posting is ``doc * 2 + 1`` when the term is
  in the document's title or names (a strong match), ``doc * 2`` otherwise.
  All terms sharing a two-character prefix share a file, so the browser finds
  every completion of a word being typed in one small request.
- ``docs-<n>.json``: ``[[path, title, subtitle, kind], ...]`` for documents
  ``n * DOC_CHUNK`` onwards: what a result shows.

``meta.json`` says how many files there are and which words are left out, so
the script and the build share one definition (docs/search.md). Only the
files of a bucket whose words changed get new bytes: an edit rewrites a few
small files, not the whole index.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from generator import latex, paths
from generator.model import Author, Paper, Site

INDEX_DIR = "search/index/"
VERSION = 1
DOC_CHUNK = 500  # documents per docs file: a result page needs one or two of them
PREFIX = 2  # characters of a term that choose its bucket
MIN_TERM = 2  # shorter words are not indexed (nor searched for)
MAX_TERM = 40  # longer "words" are URLs or formulas: cut to this length
TERMS_PER_BUCKET = 400  # distinct terms aimed for per terms file
MAX_BUCKETS = 1024
AUTHORS_SHOWN = 3  # names in a result's subtitle before "et al."
# Words too common to tell papers apart; the script drops them from queries too.
STOPWORDS = frozenset(
    (
        *("an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "in"),
        *("into", "is", "it", "its", "of", "on", "or", "our", "that", "the", "their", "this"),
        *("to", "via", "was", "we", "were", "which", "with"),
    )
)
_WORD = re.compile(r"[^\W_]+")
# Lower-case letters NFKD leaves whole, as readers type them without the keys:
# "weiss" finds Weiß, "sorensen" Sørensen, "lodz" Łódź.
FOLD = {"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
_FOLD_TABLE = str.maketrans(FOLD)


@dataclass(frozen=True, slots=True)
class SearchDoc:
    """What the index knows of one page: how a result shows it and its words."""

    path: str  # site-relative page path
    title: str
    subtitle: str
    kind: str  # "paper" or "person"
    strong: tuple[str, ...]  # terms of the title and names, sorted
    weak: tuple[str, ...]  # the other terms, sorted, none of them strong

    def row(self) -> list[str]:
        return [self.path, self.title, self.subtitle, self.kind]


def terms(text: str) -> set[str]:
    """The indexable words of ``text``: accents removed, lower case, stop words out.

    The script in the browser normalises a query the same way (NFKD, marks
    removed, lower case, the letters of :data:`FOLD` spelled out, runs of
    letters and digits).
    """
    if not text.isascii():
        text = _marks().sub("", unicodedata.normalize("NFKD", text)).lower().translate(_FOLD_TABLE)
    words = set(_WORD.findall(text.lower()))
    words -= STOPWORDS
    return {w if len(w) <= MAX_TERM else w[:MAX_TERM] for w in words if len(w) >= MIN_TERM}


@functools.cache
def _marks() -> re.Pattern[str]:
    """Every combining mark (Unicode category M, as the script's ``\\p{M}``), as one
    character class: built once, and only for a site with non-ASCII text."""
    ranges, start = [], None
    for cp in range(0x20000):  # every script; variation selectors beyond are added below
        mark = unicodedata.category(chr(cp))[0] == "M"
        if mark and start is None:
            start = cp
        elif not mark and start is not None:
            ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(cp - 1))}")
            start = None
    return re.compile("[" + "".join(ranges) + "\U000e0100-\U000e01ef]")


def _doc(
    path: str, title: str, subtitle: str, kind: str, strong: Iterable[str], weak: Iterable[str]
) -> SearchDoc:
    strong_terms = terms(" ".join(strong))
    weak_terms = terms(" ".join(weak)) - strong_terms
    return SearchDoc(path, title, subtitle, kind, tuple(sorted(strong_terms)), tuple(sorted(weak_terms)))


def paper_doc(paper: Paper) -> SearchDoc:
    """A paper: found by its title and authors first, then venue, categories, abstract."""
    title = latex.to_plain(paper.title)
    names = [ref.display for ref in paper.authors]
    shown = ", ".join(names[:AUTHORS_SHOWN])
    if len(names) > AUTHORS_SHOWN or paper.more_authors:
        shown += " et al."
    venue = latex.to_plain(paper.venue)
    year = str(paper.date.year) if paper.date.year else ""
    subtitle = " · ".join(x for x in (shown, venue, year) if x)
    weak = [venue, year, " ".join(paper.categories), latex.to_plain(paper.abstract), paper.arxiv_id]
    return _doc(paths.paper_path(paper), title, subtitle, "paper", [title, *names], weak)


def person_doc(site: Site, author: Author) -> SearchDoc:
    """A person: found by name, then role and affiliation."""
    about = ", ".join(x for x in (author.role, author.affiliation) if x)
    path = paths.author_path(site, author.slug)
    return _doc(path, author.name, about, "person", [author.name, *author.aliases], [about])


def site_docs(site: Site, paper_docs: Sequence[SearchDoc] | None = None) -> list[SearchDoc]:
    """Every document in index order: people first, then papers as the site lists them.
    ``paper_docs`` are the papers' documents when the caller keeps them between builds."""
    docs = [person_doc(site, a) for a in site.authors]
    docs += paper_docs if paper_docs is not None else [paper_doc(p) for p in site.papers]
    return docs


def bucket_count(docs: int) -> int:
    """How many terms files: grows with the site (a power of two, so it changes rarely)."""
    wanted = max(1, docs * 40 // TERMS_PER_BUCKET)  # a paper brings ~40 new distinct terms
    count = 1
    while count < wanted and count < MAX_BUCKETS:
        count *= 2
    return count


def doc_chunks(docs: int) -> int:
    return max(1, -(-docs // DOC_CHUNK))


def bucket_of(term: str, buckets: int) -> int:
    """FNV-1a over the code points of the term's first two characters (the script's too)."""
    h = 0x811C9DC5
    for ch in term[:PREFIX]:
        h = ((h ^ ord(ch)) * 0x01000193) & 0xFFFFFFFF
    return h % buckets


def terms_path(bucket: int) -> str:
    return f"{INDEX_DIR}terms-{bucket}.json"


def docs_path(chunk: int) -> str:
    return f"{INDEX_DIR}docs-{chunk}.json"


def meta_path() -> str:
    return f"{INDEX_DIR}meta.json"


def terms_paths(docs: int) -> list[str]:
    return [terms_path(i) for i in range(bucket_count(docs))]


def file_paths(docs: int) -> list[str]:
    """Every file of an index of ``docs`` documents: known before the index is built."""
    return [meta_path(), *(docs_path(i) for i in range(doc_chunks(docs))), *terms_paths(docs)]


def _dump(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def meta_bytes(docs: int) -> bytes:
    return _dump(
        {
            "version": VERSION,
            "docs": docs,
            "doc_chunk": DOC_CHUNK,
            "buckets": bucket_count(docs),
            "prefix": PREFIX,
            "min_term": MIN_TERM,
            "max_term": MAX_TERM,
            "stopwords": sorted(STOPWORDS),
            "fold": FOLD,
        }
    )


def docs_bytes(docs: Sequence[SearchDoc], chunk: int) -> bytes:
    return _dump([d.row() for d in docs[chunk * DOC_CHUNK : (chunk + 1) * DOC_CHUNK]])


def postings(docs: Sequence[SearchDoc], buckets: int) -> list[dict[str, list[int]]]:
    """The inverted index, bucket by bucket; postings ascend within each term."""
    index: list[dict[str, list[int]]] = [{} for _ in range(buckets)]
    bucket_memo: dict[str, dict[str, list[int]]] = {}
    for number, doc in enumerate(docs):
        for value, words in ((number * 2 + 1, doc.strong), (number * 2, doc.weak)):
            for term in words:
                table = bucket_memo.get(term[:PREFIX])
                if table is None:
                    table = bucket_memo[term[:PREFIX]] = index[bucket_of(term, buckets)]
                found = table.get(term)
                if found is None:
                    table[term] = [value]
                else:
                    found.append(value)
    return index


def terms_bytes(table: dict[str, list[int]]) -> bytes:
    return _dump({term: table[term] for term in sorted(table)})


@dataclass(slots=True)
class Index:
    """A built index: its documents, its terms tables and the bytes of its files,
    kept so the next build can patch it (:func:`update_index`)."""

    docs: list[SearchDoc]
    tables: list[dict[str, list[int]]]
    files: dict[str, bytes]


def build_index(docs: Sequence[SearchDoc]) -> Index:
    buckets = bucket_count(len(docs))
    files = {meta_path(): meta_bytes(len(docs))}
    for chunk in range(doc_chunks(len(docs))):
        files[docs_path(chunk)] = docs_bytes(docs, chunk)
    tables = postings(docs, buckets)
    for number, table in enumerate(tables):
        files[terms_path(number)] = terms_bytes(table)
    return Index(list(docs), tables, files)


MAX_PATCH = 200  # changed documents beyond which building afresh is as quick


def update_index(index: Index, docs: Sequence[SearchDoc]) -> Index | None:
    """``index`` changed into that of ``docs`` when they differ from its documents in a
    few places (same number, an edit), with the same bytes as :func:`build_index`
    gives; only the files of changed documents and words are made again. None when
    building afresh is the way (documents added, removed or reordered)."""
    if len(docs) != len(index.docs):
        return None
    changed = [
        i for i, (old, new) in enumerate(zip(index.docs, docs, strict=True)) if old is not new and old != new
    ]
    if len(changed) > MAX_PATCH:
        return None
    buckets = len(index.tables)
    tables, dirty = index.tables, set()
    for number in changed:
        old, new = index.docs[number], docs[number]
        for value, words in ((number * 2 + 1, old.strong), (number * 2, old.weak)):
            for term in words:
                table = tables[bucket_of(term, buckets)]
                found = table[term]
                found.remove(value)
                if not found:
                    del table[term]
                dirty.add(bucket_of(term, buckets))
        for value, words in ((number * 2 + 1, new.strong), (number * 2, new.weak)):
            for term in words:
                bisect.insort(tables[bucket_of(term, buckets)].setdefault(term, []), value)
                dirty.add(bucket_of(term, buckets))
    files = dict(index.files)
    for chunk in {number // DOC_CHUNK for number in changed}:
        files[docs_path(chunk)] = docs_bytes(docs, chunk)
    for bucket in dirty:
        files[terms_path(bucket)] = terms_bytes(tables[bucket])
    index.docs, index.files = list(docs), files
    return index


def index_files(docs: Sequence[SearchDoc]) -> dict[str, bytes]:
    """Every file of the index, by site-relative path."""
    return build_index(docs).files


def search(files: dict[str, bytes], query: str, limit: int = 20) -> list[list[str]]:
    """Run ``query`` on written index files as the browser's script does: every word
    must match (as a word or the start of one); title and name matches rank first.
    For tests and for checking an index from Python."""
    meta = json.loads(files[meta_path()])
    words = sorted(w for w in terms(query) if w not in meta["stopwords"])
    if not words:
        return []
    scores: dict[int, int] | None = None
    for word in words:
        table = json.loads(files[terms_path(bucket_of(word, meta["buckets"]))])
        found: dict[int, int] = {}
        for term, posts in table.items():
            if term.startswith(word):
                bonus = 1 if term == word else 0
                for post in posts:
                    doc, score = post >> 1, (3 if post & 1 else 1) + bonus
                    found[doc] = max(found.get(doc, 0), score)
        scores = found if scores is None else {d: s + found[d] for d, s in scores.items() if d in found}
    ranked = sorted((scores or {}).items(), key=lambda item: (-item[1], item[0]))[:limit]
    rows = []
    for doc, _ in ranked:
        chunk = json.loads(files[docs_path(doc // meta["doc_chunk"])])
        rows.append(chunk[doc % meta["doc_chunk"]])
    return rows
