"""Themes for synthetic news: what the generated titles and excerpts are about, and when.

Each theme has its own actors and subjects and a time profile (a steady level plus one or two
bursts), so the terms, stories and spikes views have something real to find: "export controls"
rises in one season and fades, "heat pumps" in another. Headlines combine a theme's actor, a
verb, one of its subjects and a detail (place, figure or circumstance) drawn from large lists,
so two unrelated articles almost never share a headline.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass


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
