"""The links of a learning entry: checked as http(s) addresses, and named by where they lead,
so that a reader sees at once that a link is to GitHub, the handbook or Nextcloud.

The handbook's and Nextcloud's addresses differ per organisation: SPARRING_HANDBOOK_HOSTS and
SPARRING_NEXTCLOUD_HOSTS list their host names. A Nextcloud share link (…/index.php/s/…,
…/s/…) is known by its path wherever it is hosted."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

# How many links an entry may have.
MAX_LINKS = 10

_NEXTCLOUD_PATH = re.compile(r"^/(index\.php/)?(s|f|apps/files)/")
_validate = URLValidator(schemes=["http", "https"])


class LinkError(ValueError):
    """A link that is not an http(s) address; the message says which, in the reader's
    language."""


@dataclass(frozen=True)
class Link:
    url: str
    # "github", "handbook", "nextcloud" or "" for any other address.
    place: str
    label: str


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _matches(host: str, hosts: list[str]) -> bool:
    return any(host == known or host.endswith(f".{known}") for known in hosts)


def place_of(url: str) -> str:
    host = _host(url)
    if host == "github.com" or host.endswith(".github.com") or host.endswith(".github.io"):
        return "github"
    if _matches(host, [h.lower() for h in settings.SPARRING_HANDBOOK_HOSTS]):
        return "handbook"
    nextcloud = [h.lower() for h in settings.SPARRING_NEXTCLOUD_HOSTS]
    if _matches(host, nextcloud) or _NEXTCLOUD_PATH.match(urlsplit(url).path or ""):
        return "nextcloud"
    return ""


def link_of(url: str) -> Link:
    place = place_of(url)
    labels = {"github": "GitHub", "handbook": _("Handbook"), "nextcloud": "Nextcloud"}
    return Link(url, place, labels.get(place, _host(url)))


def links_checked(text: str) -> list[str]:
    """The addresses in `text`, one per line (blank lines skipped, each address once), or
    LinkError naming the first that is not an http(s) address."""
    found: list[str] = []
    for line in text.splitlines():
        url = line.strip()
        if not url or url in found:
            continue
        try:
            _validate(url)
        except ValidationError:
            raise LinkError(
                _("“%(link)s” is not a web address. Write each link as https://…, one per line.")
                % {"link": url[:100]}
            ) from None
        found.append(url)
    if len(found) > MAX_LINKS:
        raise LinkError(_("At most %(count)d links.") % {"count": MAX_LINKS})
    return found
