"""News Coverage Analytics: read folders of news documents into tidy pandas DataFrames."""

from analytics.corpus import Corpus, load_corpus
from analytics.schema import LoadOptions
from analytics.urls import canonical_url, normalize_domain

__all__ = ["Corpus", "LoadOptions", "canonical_url", "load_corpus", "normalize_domain"]
