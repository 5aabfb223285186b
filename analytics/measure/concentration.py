"""Outlet concentration: is a topic covered broadly, or carried by one or two outlets?"""

from __future__ import annotations

import pandas as pd

from analytics import schema as s

ARTICLES = "articles"
OUTLETS = "outlets"
HHI = "hhi"
EFFECTIVE_OUTLETS = "effective_outlets"
TOP_OUTLET = "top_outlet"
TOP_SHARE = "top_share"
DTYPES = {
    s.TOPIC: "str", ARTICLES: "int64", OUTLETS: "int64", HHI: "float64",
    EFFECTIVE_OUTLETS: "float64", TOP_OUTLET: "str", TOP_SHARE: "float64",
}
COLUMNS = list(DTYPES)

UNKNOWN_OUTLET = "(unknown outlet)"


def outlet_concentration(
    articles: pd.DataFrame, topics: pd.DataFrame, *, min_articles: int = 1, top_n: int | None = None
) -> pd.DataFrame:
    """Per topic, how concentrated its articles are among outlets, biggest topics first.

    Columns: `topic, articles, outlets, hhi, effective_outlets, top_outlet, top_share`. `hhi`
    (Herfindahl-Hirschman index) is the sum of the outlets' squared shares of the topic's
    articles: 1 when one outlet carries everything, 1/N when N outlets carry equal parts.
    `effective_outlets` = 1/hhi reads as "as if this many outlets shared it equally".
    Topics with fewer than `min_articles` articles are left out; `top_n` keeps the largest.
    """
    rows = topics[[s.DOC_ID, s.TOPIC]].merge(articles[[s.DOC_ID, s.PROVIDER_DOMAIN, s.PROVIDER_NAME]], on=s.DOC_ID)
    if rows.empty:
        return s.empty_frame(DTYPES)
    rows[s.TOPIC] = rows[s.TOPIC].astype(str)
    rows[s.PROVIDER_DOMAIN] = rows[s.PROVIDER_DOMAIN].astype(object).fillna(UNKNOWN_OUTLET)
    rows[s.PROVIDER_NAME] = rows[s.PROVIDER_NAME].astype(object).fillna(rows[s.PROVIDER_DOMAIN])
    counts = rows.groupby([s.TOPIC, s.PROVIDER_DOMAIN]).agg(n=(s.DOC_ID, "size"), name=(s.PROVIDER_NAME, "first")).reset_index()
    counts["share"] = counts["n"] / counts.groupby(s.TOPIC)["n"].transform("sum")
    counts["squared"] = counts["share"] ** 2
    # The top outlet: most articles, ties broken by name so the answer never depends on order.
    top = counts.sort_values([s.TOPIC, "n", "name"], ascending=[True, False, True]).drop_duplicates(s.TOPIC)
    frame = counts.groupby(s.TOPIC).agg(**{ARTICLES: ("n", "sum"), OUTLETS: ("n", "size"), HHI: ("squared", "sum")})
    frame[EFFECTIVE_OUTLETS] = 1 / frame[HHI]
    frame[TOP_OUTLET] = top.set_index(s.TOPIC)["name"].astype(str)
    frame[TOP_SHARE] = top.set_index(s.TOPIC)["share"]
    frame = frame[frame[ARTICLES] >= min_articles].reset_index()
    frame = frame.sort_values([ARTICLES, s.TOPIC], ascending=[False, True]).reset_index(drop=True)
    if top_n is not None:
        frame = frame.head(top_n)
    return frame[COLUMNS].astype(DTYPES)
