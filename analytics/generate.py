"""Synthetic corpora in the documents' format, for demos, tests and benchmarks.

The shape follows real news folders: a few outlets publish most articles, topics are skewed,
weekends are quiet, about a third of documents have no scores, unpublished documents carry
`heat: -1`, some articles arrive twice, and stories run as bursts across outlets. Titles and
excerpts come from themes that rise and fall over time, so what coverage was about changes
from month to month, and unrelated articles do not share headlines.
"""

from __future__ import annotations

import base64
import json
import math
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

OUTLETS: list[tuple[str, str]] = [
    ("The Daily Ledger", "dailyledger.example"),
    ("Metro Tribune", "metrotribune.example"),
    ("Tech Current", "techcurrent.example"),
    ("Global Wire", "globalwire.example"),
    ("Northern Herald", "northernherald.example"),
    ("Market Watchers", "marketwatchers.example"),
    ("Science Now", "sciencenow.example"),
    ("City Chronicle", "citychronicle.example"),
    ("The Analyst", "theanalyst.example"),
    ("Policy Review", "policyreview.example"),
    ("Startup Beat", "startupbeat.example"),
    ("Health Desk", "healthdesk.example"),
    ("Coastal Post", "coastalpost.example"),
    ("Data Journal", "datajournal.example"),
    ("Evening Standard Tech", "eveningtech.example"),
    ("Open Source Weekly", "osweekly.example"),
]
# Outlets that only ever show up in `related[]`: "who else covered this".
RELATED_ONLY_OUTLETS: list[tuple[str, str]] = [
    ("Wire Services", "wireservices.example"),
    ("Regional Times", "regionaltimes.example"),
    ("Industry Insider", "industryinsider.example"),
]
TOPICS = [
    "AI", "Machine Learning", "Computer Vision", "Natural Language Processing", "Robotics",
    "Cloud", "Cybersecurity", "Healthcare", "Finance", "Policy", "Chips", "Startups",
    "Ethics", "Education", "Climate",
]
# --- themes: what titles and excerpts are about, and when -------------------------------------
# Each theme has its own actors and subjects and a time profile (a steady level plus one or two
# bursts), so the terms, stories and spikes views have something real to find: "export controls"
# rises in one season and fades, "heat pumps" in another. Headlines combine a theme's actor, a
# verb, one of its subjects and a detail (place, figure or circumstance) drawn from large lists,
# so two unrelated articles almost never share a headline.


@dataclass(frozen=True)
class Theme:
    """One subject of coverage: its topics, actors, subjects and when it is in the news."""

    name: str
    topics: tuple[str, ...]
    actors: tuple[str, ...]
    subjects: tuple[str, ...]
    bursts: tuple[tuple[float, float], ...]  # (centre as a fraction of the time span, width in days)
    level: float = 1.0  # steady share of coverage outside the bursts

    def weight(self, position: float, span_days: float) -> float:
        """How much coverage this theme gets at `position` (0..1 through the span)."""
        burst = sum(6.0 * math.exp(-(((position - centre) * span_days / width) ** 2) / 2) for centre, width in self.bursts)
        return self.level + burst


THEMES: tuple[Theme, ...] = (
    Theme("chip export controls", ("Chips", "Policy"), ("commerce officials", "chipmakers", "trade negotiators", "foundry executives"),
          ("export controls", "chip export licences", "advanced lithography tools", "semiconductor tariffs", "foundry subsidies"), ((0.78, 25), (0.3, 20)), 0.4),
    Theme("language models", ("AI", "Natural Language Processing"), ("model labs", "researchers", "developers", "open-source groups"),
          ("language models", "chatbot assistants", "model weights", "context windows", "reasoning benchmarks"), ((0.55, 40),), 1.4),
    Theme("ai safety rules", ("AI", "Policy", "Ethics"), ("lawmakers", "regulators", "safety institutes", "civil-society groups"),
          ("ai safety rules", "model audits", "frontier model licensing", "risk assessments", "transparency reports"), ((0.62, 30), (0.9, 18)), 0.6),
    Theme("data centre power", ("Cloud", "Climate"), ("cloud providers", "grid operators", "utilities", "data-centre builders"),
          ("data centre power demand", "grid connections", "cooling water", "nuclear power deals", "substation queues"), ((0.7, 45),), 0.7),
    Theme("ransomware", ("Cybersecurity",), ("security researchers", "hospital networks", "police agencies", "insurers"),
          ("ransomware gangs", "data breaches", "extortion payments", "phishing campaigns", "zero-day flaws"), ((0.2, 15), (0.66, 12)), 1.0),
    Theme("self-driving", ("Robotics", "AI", "Computer Vision"), ("robotaxi operators", "carmakers", "city transport officials", "safety regulators"),
          ("robotaxi fleets", "driverless permits", "lidar sensors", "autonomous trucks", "crash investigations"), ((0.42, 30),), 0.7),
    Theme("medical imaging", ("Healthcare", "Computer Vision"), ("radiologists", "hospitals", "health regulators", "diagnostics startups"),
          ("medical imaging tools", "cancer screening", "radiology workloads", "diagnostic algorithms", "clinical trials"), ((0.12, 35),), 0.8),
    Theme("drug discovery", ("Healthcare", "Machine Learning"), ("biotech firms", "pharmaceutical groups", "protein researchers"),
          ("protein folding", "drug candidates", "antibiotic discovery", "molecule screening"), ((0.35, 25),), 0.5),
    Theme("banking fraud", ("Finance", "Cybersecurity"), ("banks", "payment firms", "fraud investigators", "consumer watchdogs"),
          ("card fraud", "scam calls", "instant payment fraud", "money mule networks", "deepfake voice scams"), ((0.5, 20),), 0.7),
    Theme("interest rates", ("Finance",), ("central bankers", "bond traders", "mortgage lenders", "economists"),
          ("interest rate cuts", "bond yields", "mortgage rates", "inflation forecasts", "market volatility"), ((0.25, 30), (0.85, 25)), 0.8),
    Theme("startup funding", ("Startups", "Finance"), ("venture investors", "founders", "accelerators", "angel networks"),
          ("seed rounds", "startup valuations", "down rounds", "venture funding", "acquisition talks"), ((0.08, 30), (0.6, 20)), 1.0),
    Theme("humanoid robots", ("Robotics",), ("robot makers", "warehouse operators", "factory managers"),
          ("humanoid robots", "warehouse automation", "robot arms", "factory pilots"), ((0.88, 30),), 0.4),
    Theme("quantum computing", ("Chips",), ("quantum researchers", "hardware labs", "national labs"),
          ("quantum processors", "error correction", "qubit counts", "quantum networks"), ((0.47, 15),), 0.3),
    Theme("classroom ai", ("Education", "AI"), ("teachers", "school boards", "universities", "exam boards"),
          ("homework chatbots", "exam cheating", "tutoring apps", "classroom tablets", "coursework rules"), ((0.1, 20), (0.43, 20), (0.76, 20)), 0.6),
    Theme("heat pumps", ("Climate",), ("homeowners", "installers", "energy ministers", "housing associations"),
          ("heat pumps", "home insulation", "energy bills", "boiler bans", "retrofit grants"), ((0.3, 40),), 0.5),
    Theme("wildfire forecasting", ("Climate", "Machine Learning"), ("fire services", "forecasters", "satellite operators"),
          ("wildfire forecasts", "smoke maps", "drought models", "satellite alerts"), ((0.6, 18), (0.95, 15)), 0.3),
    Theme("facial recognition", ("Computer Vision", "Ethics", "Policy"), ("police forces", "privacy campaigners", "retailers", "judges"),
          ("facial recognition cameras", "biometric databases", "surveillance vans", "privacy complaints"), ((0.18, 20), (0.52, 15)), 0.6),
    Theme("content moderation", ("Ethics", "Policy"), ("social networks", "moderators", "election officials", "fact-checkers"),
          ("content moderation", "election misinformation", "deepfake videos", "platform fines", "age checks"), ((0.33, 12), (0.68, 25)), 0.8),
    Theme("cloud outages", ("Cloud",), ("cloud providers", "site reliability engineers", "airlines", "retail chains"),
          ("cloud outages", "service disruptions", "backup systems", "status pages"), ((0.58, 6), (0.15, 5)), 0.5),
    Theme("satellite internet", ("Cloud", "Policy"), ("satellite operators", "telecom regulators", "rural councils"),
          ("satellite broadband", "launch schedules", "spectrum auctions", "rural coverage"), ((0.82, 22),), 0.4),
    Theme("hiring algorithms", ("Ethics", "AI"), ("employers", "recruiters", "labour unions", "equality regulators"),
          ("hiring algorithms", "job screening tools", "workplace monitoring", "gig worker pay"), ((0.38, 25),), 0.5),
    Theme("battery supply", ("Climate", "Chips"), ("battery makers", "mining companies", "carmakers", "trade ministers"),
          ("lithium supply", "battery recycling", "gigafactory plans", "cobalt prices"), ((0.05, 25), (0.72, 30)), 0.5),
)

_VERBS = (
    "unveil", "question", "bet on", "push back on", "scale up", "rethink", "test", "fund", "delay", "expand",
    "probe", "warn about", "embrace", "pause", "criticise", "sign deals on", "cut spending on", "double down on",
    "publish rules for", "study", "race to build", "lobby against", "pilot", "weigh limits on", "back", "rule on",
    "overhaul", "shelve", "defend", "invest in", "clamp down on", "open talks on", "revive", "audit", "scrap",
    "speed up", "roll out", "hit pause on", "map out", "go slow on",
)
_PLACES = (
    "in Texas", "in Bavaria", "in Ontario", "in Kenya", "in Seoul", "in Lyon", "in Queensland", "in Ohio",
    "in Rotterdam", "in Gujarat", "in Chile", "in Warsaw", "in Osaka", "in Lagos", "in Scotland", "in Arizona",
    "in Taiwan", "in Brazil", "in Catalonia", "in Manila", "across Europe", "across Asia", "in three states",
    "in rural districts", "in the capital", "on the west coast",
)
_DETAILS = (
    "after a rocky quarter", "ahead of elections", "despite a backlash", "as costs climb", "amid a staff shortage",
    "under new leadership", "after a court ruling", "with a bigger budget", "before the summer", "in a surprise move",
    "after months of talks", "as demand surges", "amid a public inquiry", "for the first time", "on a tight deadline",
    "as rivals hesitate", "after an audit", "in a landmark case", "with union support", "as prices fall",
)
_FIGURES = ("in a $40m deal", "with $1.2bn at stake", "of 300 sites", "for 2 million users", "in 14 cities", "of 9000 staff", "after 18 months", "backed by €600m")
# How an excerpt ties its sentence to the wider theme; each phrase is rare, the theme's name is not.
_LINKS = (
    "as the debate over {} grows", "the latest turn in {}", "amid wider questions about {}",
    "a sign of how fast {} is changing", "adding pressure on {}", "as scrutiny of {} sharpens",
    "in a fresh chapter for {}", "as interest in {} climbs", "raising the stakes for {}",
    "while doubts about {} linger", "as money pours into {}", "as the fight over {} spreads",
    "deepening the divide over {}", "after weeks of headlines about {}", "as rivals watch {} closely",
)


def theme_at(rng: random.Random, position: float, span_days: float) -> Theme:
    """A theme drawn by how much coverage each gets at `position` (0..1 through the span)."""
    return rng.choices(THEMES, weights=[theme.weight(position, span_days) for theme in THEMES])[0]


def headline(rng: random.Random, theme: Theme) -> str:
    """A headline about the theme with a detail, e.g. "Regulators probe export controls in Ohio"."""
    actor, subject = rng.choice(theme.actors), rng.choice(theme.subjects)
    detail = rng.choice((_PLACES, _DETAILS, _FIGURES))
    text = f"{actor} {rng.choice(_VERBS)} {subject} {rng.choice(detail)}"
    return text[0].upper() + text[1:]


def excerpt(rng: random.Random, theme: Theme) -> str:
    """A sentence about the theme that does not repeat the headline word for word, naming the theme."""
    actor, subject = rng.choice(theme.actors), rng.choice(theme.subjects)
    link = rng.choice(_LINKS).format(theme.name)
    return f"{actor[0].upper()}{actor[1:]} {rng.choice(_VERBS)} {subject} {rng.choice(_PLACES)}, {link}."


_FILLER = (
    "Editors reviewing coverage will find the usual mix of announcements, analysis and "
    "follow-ups here. The paragraph exists so that synthetic documents weigh about as much "
    "as real ones, which matters when measuring how fast a folder loads. "
)


@dataclass(frozen=True)
class _Story:
    title: str
    theme: Theme
    start: datetime
    size: int


@dataclass(frozen=True)
class _Span:
    """The generated period, for placing a moment within it (0 at the start, 1 at the end)."""

    start: datetime
    end: datetime

    @property
    def days(self) -> float:
        return (self.end - self.start).total_seconds() / 86_400

    def position(self, when: datetime) -> float:
        return (when - self.start).total_seconds() / (self.end - self.start).total_seconds()


def generate_corpus(
    out_dir: str | Path, docs: int, seed: int = 0, *, years: int = 3, body_paragraphs: tuple[int, int] = (12, 20)
) -> list[Path]:
    """Write `docs` synthetic documents under `out_dir` and return their paths.

    The default body length gives files of about 5.5 KB, the weight of real documents.
    """
    rng = random.Random(seed)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    end = datetime(2026, 10, 31, tzinfo=timezone.utc)
    start = end - timedelta(days=365 * years)
    stories = _stories(rng, docs, start, end)
    written: list[Path] = []
    urls: list[tuple[str, str, str]] = []
    published: dict[str, str] = {}  # each address's publication time, which a copy delivered again keeps
    index = 0
    while len(written) < docs:
        story = rng.choice(stories) if stories and rng.random() < 0.35 else None
        doc = _document(rng, index, start, end, story, urls, body_paragraphs)
        if urls and rng.random() < 0.02:  # the same article delivered again, URL slightly changed
            url, title, domain = rng.choice(urls)
            doc["publishedDateTime"] = published[url]
            doc.update(webUrl=_variant(rng, url), title=title)
            doc["provider"] = {"name": _outlet_name(domain), "domain": domain}
        path = out / doc.pop("_folder") / f"{doc['publishedDateTime'][:10]}-{index:06d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_document(doc), encoding="utf-8")
        urls.append((doc["webUrl"], doc["title"], doc["provider"]["domain"]))
        published.setdefault(doc["webUrl"], doc["publishedDateTime"])
        written.append(path)
        index += 1
    return written


def render_document(doc: dict) -> str:
    """The text of a document file: YAML front matter between `---` lines, then a body."""
    body = doc.pop("_body", "")
    lines = ["---"]
    for key, value in doc.items():
        lines.extend(_yaml_lines(key, value, 0))
    lines += ["---", "", body, ""]
    return "\n".join(lines)


def _yaml_lines(key: str, value: object, indent: int) -> list[str]:
    pad = " " * indent
    if isinstance(value, dict):
        out = [f"{pad}{key}:"]
        for sub_key, sub_value in value.items():
            out.extend(_yaml_lines(sub_key, sub_value, indent + 2))
        return out
    if isinstance(value, list):
        out = [f"{pad}{key}:"]
        for item in value:
            if isinstance(item, dict):
                item_lines = [line for k, v in item.items() for line in _yaml_lines(k, v, indent + 4)]
                item_lines[0] = f"{pad}  - " + item_lines[0].lstrip()
                out.extend(item_lines)
            else:
                out.append(f"{pad}  - {_scalar(item)}")
        return out
    return [f"{pad}{key}: {_scalar(value)}"]


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def _stories(rng: random.Random, docs: int, start: datetime, end: datetime) -> list[_Story]:
    span = _Span(start, end)
    stories = []
    for _ in range(max(1, docs // 40)):
        when = start + timedelta(seconds=rng.random() * (end - start).total_seconds())
        theme = theme_at(rng, span.position(when), span.days)
        stories.append(_Story(title=headline(rng, theme), theme=theme, start=when, size=rng.randint(3, 12)))
    return stories


def _document(
    rng: random.Random,
    index: int,
    start: datetime,
    end: datetime,
    story: _Story | None,
    urls: list[tuple[str, str, str]],
    body_paragraphs: tuple[int, int],
) -> dict:
    name, domain = _outlet(rng)
    if story is not None:
        when = story.start + timedelta(hours=rng.expovariate(1 / 20))
        if when.weekday() >= 5 and rng.random() > 0.35:  # weekend follow-ups wait for Monday
            when += timedelta(days=7 - when.weekday())
        title = story.title if rng.random() < 0.6 else f"{story.title}: what we know"
        theme = story.theme
    else:
        when = _weekday_time(rng, start, end)
        theme = theme_at(rng, _Span(start, end).position(when), _Span(start, end).days)
        title = headline(rng, theme)
    topics = _topics(rng, theme)
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower())[:60].strip("-")
    doc: dict = {
        "_folder": "news" if rng.random() < 0.9 else "archive",
        "category": "news",
        "title": title,
        "excerpt": excerpt(rng, theme),
        "publishedDateTime": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "webUrl": f"https://www.{domain}/{when:%Y/%m}/{slug}-{index}",
        "type": "article",
    }
    if rng.random() < 0.5:
        doc["originalUrl"] = doc["webUrl"] + "?utm_source=feed"
    doc.update(_scores(rng))
    doc["provider"] = {"name": name, "domain": domain}
    doc["topics"] = list(dict.fromkeys(topics))
    if rng.random() < 0.85:
        doc["images"] = [{"url": f"https://img.{domain}/{index}.jpg", "width": rng.choice([640, 800, 1200]), "height": rng.choice([360, 450, 630])}]
    if urls and rng.random() < 0.3:
        doc["related"] = _related(rng, urls, when)
    doc["secured"] = base64.b64encode(rng.randbytes(rng.randint(200, 400))).decode()
    doc["_body"] = _FILLER * rng.randint(*body_paragraphs)
    return doc


def _outlet(rng: random.Random) -> tuple[str, str]:
    # Zipf-like: the first outlets publish most; a few appear under a second spelling.
    weights = [1 / (rank + 1) ** 1.1 for rank in range(len(OUTLETS))]
    name, domain = rng.choices(OUTLETS, weights=weights)[0]
    if rng.random() < 0.04:
        name = name.upper() if rng.random() < 0.5 else f"{name} Online"
    return name, domain


def _outlet_name(domain: str) -> str:
    return next((name for name, known in OUTLETS if known == domain), domain)


def _weekday_time(rng: random.Random, start: datetime, end: datetime) -> datetime:
    span = (end - start).total_seconds()
    while True:
        when = start + timedelta(seconds=rng.random() * span)
        if when.weekday() < 5 or rng.random() < 0.35:
            return when.replace(microsecond=0)


def _topics(rng: random.Random, theme: Theme) -> list[str]:
    """The theme's topics, often with AI (what these outlets cover most) and now and then one more."""
    chosen = list(theme.topics[: rng.randint(1, len(theme.topics))])
    if rng.random() < 0.45:
        chosen.insert(0, "AI")
    if rng.random() < 0.15:
        chosen.append(rng.choice(TOPICS))
    return chosen


def _scores(rng: random.Random) -> dict:
    if rng.random() < 0.33:  # no scores at all, as in a third of real documents
        return {}
    quality = max(0, int(rng.gauss(80, 35)))
    if rng.random() < 0.08:
        return {"quality": quality, "heat": -1, "published": False}
    heat = max(0, int(quality * rng.uniform(0.3, 1.4) + rng.gauss(0, 20)))
    return {"quality": quality, "heat": heat, "published": rng.random() < 0.9}


def _related(rng: random.Random, urls: list[tuple[str, str, str]], when: datetime) -> list[dict]:
    items = []
    for _ in range(rng.randint(1, 3)):
        if rng.random() < 0.5:
            url, title, domain = rng.choice(urls[-200:])
            name = _outlet_name(domain)
        else:
            name, domain = rng.choice(RELATED_ONLY_OUTLETS)
            title = headline(rng, rng.choice(THEMES))
            url = f"https://{domain}/story/{rng.randint(1, 10**6)}"
        items.append(
            {
                "title": title,
                "publishedDateTime": (when - timedelta(hours=rng.randint(1, 72))).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "webUrl": url,
                "type": "article",
                "provider": {"name": name, "domain": domain},
                "quality": rng.randint(5, 150),
            }
        )
    return items


def _variant(rng: random.Random, url: str) -> str:
    choice = rng.randrange(3)
    if choice == 0:
        return url + "?utm_medium=social"
    if choice == 1:
        return url.replace("https://www.", "http://")
    return url + "/"


_ODD_DOCUMENTS: dict[str, bytes] = {
    "no-front-matter.md": b"Just some notes someone saved next to the articles.\n",
    "unclosed-front-matter.md": b'---\ntitle: "The fence never closes"\ntopics:\n  - AI\n',
    "broken-yaml.md": b'---\ntitle: "Unterminated quote\nexcerpt: oops\n---\n',
    "list-front-matter.md": b"---\n- just\n- a list\n---\n",
    "no-title.md": b'---\nexcerpt: "An excerpt without a title"\nprovider:\n  name: Metro Tribune\n  domain: metrotribune.example\n---\n',
    "wrong-types.md": (
        b'---\ntitle: "Scores written as words"\npublishedDateTime: "sometime last week"\n'
        b'webUrl: "https://www.metrotribune.example/odd/wrong-types"\nquality: "high"\nheat: "12"\n'
        b'published: "yes"\nprovider: Metro Tribune\ntopics: Policy\n---\n'
    ),
    "mojibake.md": (
        '---\ntitle: "Why AI systemsâ€™ mistakes matter"\npublishedDateTime: 2026-03-02T10:00:00Z\n'
        'webUrl: "https://www.techcurrent.example/odd/mojibake"\nprovider:\n  name: Tech Current\n'
        "  domain: techcurrent.example\ntopics:\n  - Ethics\n---\n"
    ).encode("utf-8"),
    "windows-1252.md": (
        '---\ntitle: "Caf\u00e9 owners try \u201csmart\u201d tills"\r\npublishedDateTime: 2026-04-14T08:30:00Z\r\n'
        'webUrl: "https://www.citychronicle.example/odd/cafe-tills"\r\nprovider:\r\n  name: City Chronicle\r\n'
        "  domain: citychronicle.example\r\ntopics:\r\n  - Startups\r\n---\r\n"
    ).encode("cp1252"),
    "event.md": (
        b'---\nname: "Applied AI Summit 2026"\nexcerpt: "Two days of talks for newsroom technologists."\n'
        b"type: conference\nstartDateTime: 2026-05-12T09:00:00-04:00\nendDateTime: 2026-05-13T17:00:00-04:00\n"
        b"website: https://appliedai-summit.example/\nprovider:\n  name: Applied AI Summit\n"
        b"  domain: appliedai-summit.example\ntopics:\n  - AI\n---\n"
    ),
    "notes.csv": b"date,label\n2026-03-01,Budget week\n",
}


SAMPLE_ANNOTATIONS = """date,label,topic
2024-03-18,Spring product launches,
2024-11-05,Election day,Policy
2025-06-02,Budget week,
2026-02-10,New chip export rules,Chips
next Tuesday,A note whose date cannot be read,
"""


def write_annotations(out_dir: str | Path) -> Path:
    """Write a small `annotations.csv` of editors' dated notes (one row deliberately unreadable)."""
    path = Path(out_dir) / "annotations.csv"
    path.write_text(SAMPLE_ANNOTATIONS, encoding="utf-8")
    return path


def write_odd_documents(out_dir: str | Path) -> list[Path]:
    """Write a handful of deliberately odd files that show what the problems view reports."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, content in _ODD_DOCUMENTS.items():
        path = out / name
        path.write_bytes(content)
        paths.append(path)
    return paths
