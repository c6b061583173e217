"""robots.txt through protego: allowed URLs, crawl delay and declared sitemaps."""

from __future__ import annotations

from dataclasses import dataclass

from protego import Protego

ROBOTS_MAX_BYTES = 512 * 1024


@dataclass(frozen=True)
class RobotsPolicy:
    parser: Protego | None  # None: no robots.txt (or not readable) means everything is allowed
    user_agent: str

    @classmethod
    def parse(cls, text: str | None, user_agent: str) -> RobotsPolicy:
        return cls(Protego.parse(text) if text else None, user_agent)

    def allows(self, url: str) -> bool:
        return self.parser is None or bool(self.parser.can_fetch(url, self.user_agent))

    @property
    def crawl_delay(self) -> float:
        if self.parser is None:
            return 0.0
        delay = self.parser.crawl_delay(self.user_agent)
        return float(delay) if delay else 0.0

    @property
    def sitemaps(self) -> list[str]:
        return list(self.parser.sitemaps) if self.parser is not None else []
