"""Very long paper lists split over several pages.

A list longer than :data:`PAGE_SIZE` papers (a profile, the publications page,
a category or publication type) continues on ``page/2/``, ``page/3/`` ... under
the list's own path; page 1 stays at that path. Lists of usual length (every
list of almost every researcher) stay on one page, with their year links and
filters whole. One page of a huge list is also what keeps a preview rebuild
fast: an edit re-renders the page holding the paper, not a 15 MB page.

Views and routes both use these helpers, so a link and the page it points at
never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

PAGE_SIZE = 100


def page_count(items: int) -> int:
    """How many pages a list of ``items`` papers takes (at least one)."""
    return max(1, -(-items // PAGE_SIZE))


def page_items(items: Sequence[T], page: int) -> Sequence[T]:
    """The items shown on page ``page`` (1-based)."""
    return items[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]


def page_path(first: str, page: int) -> str:
    """Site-relative path of page ``page`` of the list whose first page is at ``first``."""
    return first if page == 1 else f"{first}page/{page}/"
