"""URL normalisation: the canonical form that decides whether two files are the same article."""

from __future__ import annotations

import functools
from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that track a click rather than name a page.
_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "hsa_", "_hs")
_TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "ocid", "cmpid", "cmp",
        "ref", "ref_src", "referrer", "source", "src", "smid", "soc_src", "soc_trk", "ito",
        "mbid", "share", "sharetype", "rss", "feed", "fromrss", "guccounter", "guce_referrer",
        "guce_referrer_sig", "spm", "__twitter_impression", "at_medium", "at_campaign",
        "xtor", "ns_mchannel", "ns_source", "ns_campaign", "ns_linkname", "ns_fee",
    }
)
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Outlets and related items recur across files, so answers are remembered; text longer than
# this (hostile files carry 20,000-character addresses) is not, which keeps the caches small.
_CACHED_CHARS = 500
_CACHED_ENTRIES = 4096


def _remembered(function: Callable[[str], str | None]) -> Callable[[str], str | None]:
    """`function` of one text, with its answers for texts up to `_CACHED_CHARS` long kept in an LRU cache."""
    cached = functools.lru_cache(maxsize=_CACHED_ENTRIES)(function)

    @functools.wraps(function)
    def remembered(text: str) -> str | None:
        return cached(text) if len(text) <= _CACHED_CHARS else function(text)

    remembered.cache_info = cached.cache_info  # type: ignore[attr-defined]
    remembered.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    return remembered


@_remembered
def normalize_domain(domain: str) -> str:
    """The outlet key for a host or domain: lower-cased, without `www.` and trailing dots."""
    host = domain.strip().lower().rstrip(".")
    if "://" in host:
        host = urlsplit(host).hostname or ""
    host = host.split("/", 1)[0]
    return host[4:] if host.startswith("www.") else host


@_remembered
def canonical_url(url: str) -> str | None:
    """The canonical form of a web address, or None when it is not an http(s) address.

    Scheme becomes https, the host is lower-cased without `www.` or a default port, the
    fragment, tracking parameters and a trailing slash are dropped, other parameters sorted.
    """
    text = url.strip()
    if not text:
        return None
    if text.startswith("//"):
        text = "https:" + text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    host = normalize_domain(parts.hostname)
    if port and port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = urlencode(sorted(_kept_params(parts.query))) if parts.query else ""  # most addresses have none
    return urlunsplit(("https", host, path, query, ""))


def host_of(url: str) -> str | None:
    """The outlet key of a web address's host, or None when it has none."""
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    return normalize_domain(host) if host else None


def _kept_params(query: str) -> list[tuple[str, str]]:
    kept = []
    for key, value in parse_qsl(query, keep_blank_values=True):
        lowered = key.lower()
        if lowered in _TRACKING_PARAMS or lowered.startswith(_TRACKING_PREFIXES):
            continue
        kept.append((key, value))
    return kept
