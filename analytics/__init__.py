"""News Coverage Analytics: read folders of news documents into tidy pandas DataFrames."""

from analytics.frames.corpus import Corpus, load_corpus
from analytics.read.urls import canonical_url, normalize_domain
from analytics.schema import LoadOptions

__all__ = ["Corpus", "LoadOptions", "canonical_url", "load_corpus", "normalize_domain"]
