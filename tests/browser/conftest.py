"""Browser tests: Chromium drives the app through a live server.

Every page a browser test looks at goes through `visit`, `follow` or `check`, which assert the
HTTP status, fail on console errors and Content-Security-Policy violations, run axe-core
against WCAG 2.0/2.1 A and AA plus best practice (unless the test process found the very same
page accessible before: `axe_check`), and save a full-page screenshot to
test-artifacts/screenshots/ for a person to look at (not in CI).
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread
from django.urls import reverse
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Playwright,
    Response,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError
from pytest_django.live_server_helper import LiveServer

from conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
AXE_SOURCE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Debian's Chromium headless shell, the one `make chromium` installs; a browser is never
# downloaded.
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium-headless-shell")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# Pages whose words and layout both matter are tried in both languages and on both sizes,
# pairwise: each language once and each size once, Danish on one size and English on the
# other. Half the tests take one pair and half the other, so every combination is seen.
LANGUAGE_ON_DEVICE = [("da", "desktop"), ("en", "phone")]
LANGUAGE_ON_DEVICE_TURNED = [("da", "phone"), ("en", "desktop")]


def device_options(device: str) -> dict[str, Any]:
    """new_page's options for a "desktop" (1280x900) or a "phone" (390x844, touch)."""
    if device == "phone":
        return {"viewport": PHONE, "is_mobile": True, "has_touch": True}
    return {"viewport": DESKTOP}


# Chromium reports violations of the page's policy on the console too, but the event also
# names the directive, which makes the failure easier to read.
_REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(
    `Content-Security-Policy violation: ${event.violatedDirective} blocked ` +
    `${event.blockedURI || "inline code"} (${event.sourceFile}:${event.lineNumber})`
  );
});
"""

# Pictures and checks wait for slide-ins and fades to end.
_ANIMATIONS_DONE = """
() => document.getAnimations().every(
  (a) => a.playState !== "running" || a.effect.getComputedTiming().iterations === Infinity
)
"""

# What axe-core's verdict can depend on, as text: the window, the media it matches (print
# too), the focus, the element under the mouse, the scroll, the state of the form fields (not
# in the markup) and the document. The CSRF tokens (64 letters and digits, new with each
# answer) are left out.
_AXE_INPUT = """
() => {
  const all = document.getElementsByTagName("*");
  const index = (element) => Array.prototype.indexOf.call(all, element);
  const hovered = document.querySelectorAll(":hover");
  const fields = Array.from(
    document.querySelectorAll("input, select, textarea"),
    (field) => `${field.checked}:${field.value}`
  );
  return JSON.stringify([
    innerWidth, innerHeight, devicePixelRatio, scrollX, scrollY,
    [
      "print", "(pointer: coarse)", "(hover: hover)", "(prefers-color-scheme: dark)",
      "(forced-colors: active)", "(prefers-reduced-motion: reduce)",
    ].map((media) => matchMedia(media).matches),
    index(document.activeElement), hovered.length ? index(hovered[hovered.length - 1]) : -1,
    fields, document.documentElement.outerHTML,
  ]).replace(/[A-Za-z0-9]{64}/g, "");
}
"""


def _axe_input(page: Page) -> str:
    return hashlib.sha256(page.evaluate(_AXE_INPUT).encode()).hexdigest()


_RUN_AXE = """
(tags) => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
  .then((results) => results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((n) => n.target.join(" ")),
  })))
"""


# --- The live server, serving static files the way production does ---------------------------


def _through_the_app(application: Any) -> Any:
    return application


class _OneAtATimeWSGIServer(WSGIServer):
    """Answers one request at a time. With SQLite's in-memory test database every request
    shares the test's one connection, and with it one transaction state: two requests at once
    read each other's half-made changes (a board polled while a note was being added was
    written with the new revision and the notes before it, and stayed so)."""

    def __init__(self, *args: Any, connections_override: Any = None, **kwargs: Any) -> None:
        # The live server's own thread answers, and it has the shared connection already.
        super().__init__(*args, **kwargs)


class _OneAtATimeLiveServerThread(LiveServerThread):
    # The stubs name the threaded server; Django takes any server with its arguments.
    server_class = _OneAtATimeWSGIServer  # type: ignore[assignment]


class _ProductionStaticLiveServer(LiveServer):
    """pytest-django's live server answers /static/ from the finders, which know nothing of
    the hashed names the manifest storage puts in pages. Here the app's own middleware serves
    the collected files, as in production (so `collectstatic` must have run)."""

    def __init__(self, addr: str) -> None:
        if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
            pytest.fail("The browser tests need collected static files: run collectstatic.")
        super().__init__(addr, start=False)
        thread = self.thread
        # A database of its own per thread (PostgreSQL) lets requests run side by side.
        shared = bool(thread.connections_override)
        self.thread = (_OneAtATimeLiveServerThread if shared else LiveServerThread)(
            thread.host,
            # Django wraps the app in whatever callable it gets; the stubs ask for a class.
            static_handler=_through_the_app,  # type: ignore[arg-type]
            connections_override=thread.connections_override,
            port=thread.port,
        )
        self.thread.daemon = True
        self.start()


@pytest.fixture(scope="session")
def live_server(request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    addr = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = _ProductionStaticLiveServer(addr)
    yield server
    server.stop()


# --- The browser ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


@pytest.fixture(scope="session", autouse=True)
def _screenshot_folder() -> None:
    """The pictures of this run only: the last run's are removed once, by the first test
    process of the run to start (with several processes, a later one must not remove the
    pictures an earlier one has taken)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")
    marker = SCREENSHOTS / ".run"
    if run and marker.exists() and marker.read_text() == run:
        return
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink(missing_ok=True)
    marker.write_text(run)


@dataclass
class _Watch:
    """What a page has said since the last check, and how many pictures it has taken."""

    name: str
    problems: list[str] = field(default_factory=list)
    shots: int = 0


_watches: dict[int, _Watch] = {}


def _watch(page: Page) -> _Watch:
    return _watches[id(page)]


@pytest.fixture
def new_page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Callable[..., Page]]:
    """new_page(**context_options) -> a page in a fresh context, Danish and in Copenhagen."""
    contexts = []
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")

    def make(**options: Any) -> Page:
        context = browser.new_context(locale="da-DK", timezone_id="Europe/Copenhagen", **options)
        context.set_default_timeout(10_000)
        context.add_init_script(_REPORT_CSP_VIOLATIONS)
        contexts.append(context)
        page = context.new_page()
        watch = _Watch(name if len(contexts) == 1 else f"{name}-{len(contexts)}")
        _watches[id(page)] = watch

        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error":
                where = message.location.get("url")
                watch.problems.append(
                    f"console error: {message.text}" + (f" ({where})" if where else "")
                )

        page.on("console", on_console)
        page.on("pageerror", lambda error: watch.problems.append(f"uncaught error: {error}"))
        return page

    yield make
    for context in contexts:
        for page in context.pages:
            _watches.pop(id(page), None)
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    return new_page()


@pytest.fixture
def phone_page(new_page: Callable[..., Page]) -> Page:
    return new_page(viewport=PHONE, is_mobile=True, has_touch=True)


# --- Checks on every page -------------------------------------------------------------------


@functools.cache
def _axe_source() -> str:
    """axe-core's half a megabyte of script, read once per test process."""
    return AXE_SOURCE.read_text(encoding="utf-8")


# The pages axe-core found nothing on in this test process, by what it looked at.
_accessible: set[str] = set()


def axe_check(page: Page) -> None:
    """Fail the test with every axe-core violation on the page as it is now.

    axe is evaluated through the browser's automation channel, which the page's policy does
    not govern; a script tag would be refused, as it should be. A page found accessible before
    in this process, the same to the last attribute and field, in a window of the same size,
    media and scroll, with the focus and the mouse in the same place, is not checked again:
    every test logs in through the same login page, and axe-core takes a tenth of a second."""
    seen = _axe_input(page)
    if seen in _accessible:
        return
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    violations = page.evaluate(_RUN_AXE, AXE_TAGS)
    if violations:
        lines = [
            f"{v['id']} ({v['impact']}): {v['help']}\n      " + "\n      ".join(v["targets"])
            for v in violations
        ]
        pytest.fail(
            f"{len(violations)} accessibility violation(s) on {page.url}:\n  - "
            + "\n  - ".join(lines),
            pytrace=False,
        )
    # A page that changed while axe ran (one that polls) was checked as it became, not as seen.
    if _axe_input(page) == seen:
        _accessible.add(seen)


def check(page: Page) -> None:
    """Check the page as it is now: no console errors or policy violations since the last
    check, a screenshot, and no accessibility violations."""
    watch = _watch(page)
    watch.shots += 1
    page.wait_for_function(_ANIMATIONS_DONE)
    # A full-page picture resizes the window for a moment, and the design system closes its
    # menu drawer on resize; with the drawer open, the window is all there is to see anyway.
    # In CI nobody looks at the pictures, and a full-page picture costs as much as a page.
    if not os.environ.get("CI"):
        drawer_open = page.evaluate("document.body.classList.contains('mobile-nav-active')")
        _picture(page, SCREENSHOTS / f"{watch.name}-{watch.shots}.png", full_page=not drawer_open)
    problems, watch.problems[:] = list(watch.problems), []
    assert not problems, f"on {page.url}:\n" + "\n".join(problems)
    axe_check(page)


def _picture(page: Page, path: Path, *, full_page: bool) -> None:
    """A screenshot, to look at afterwards. Chromium now and then answers a full-page capture
    with "Unable to capture screenshot" while it resizes the window: the picture is taken
    again, and then of the window alone, since a picture is a record and not what is tested."""
    try:
        page.screenshot(path=path, full_page=full_page)
    except PlaywrightError as error:
        if "Unable to capture screenshot" not in str(error):
            raise
        page.wait_for_timeout(200)
        try:
            page.screenshot(path=path, full_page=full_page)
        except PlaywrightError:
            page.screenshot(path=path)


def _checked(page: Page, response: Response | None, status: int) -> Response:
    assert response is not None, f"no response for {page.url}"
    assert response.status == status, f"{response.url} answered {response.status}, not {status}"
    if status >= 400:
        # Chromium reports an error page's own status on the console; here it is expected.
        own = f"the server responded with a status of {status}"
        problems = _watch(page).problems
        problems[:] = [p for p in problems if not (own in p and response.url in p)]
    check(page)
    return response


def visit(page: Page, url: str, *, status: int = 200) -> Response:
    """Go to url, expect `status`, and check the page."""
    response = page.goto(url)
    if response is None:
        # The page was at the same address with a #fragment (where a form's redirect left it),
        # and Chromium only moved within it, loading nothing: load it afresh.
        response = page.reload()
    return _checked(page, response, status)


def follow(page: Page, action: Callable[[], Any], *, status: int = 200) -> Response:
    """Do something that loads a new page (a click, a submit), expect `status` from where it
    ends after redirects, and check the page."""
    with page.expect_navigation() as navigation:
        action()
    return _checked(page, navigation.value, status)


def submit(page: Page, form: str = "main form") -> None:
    """Send the first form `form` finds with its first submit button, and check where it ends."""
    follow(page, lambda: page.locator(f"{form} button[type=submit]").first.click())


def shot(page: Page, folder: Path, name: str) -> None:
    """Pictures of the whole page for a person to look at, besides those every check takes:
    in pieces of a screen and a half, small enough to read."""
    folder.mkdir(parents=True, exist_ok=True)
    width, height = page.evaluate("[document.body.scrollWidth, document.body.scrollHeight]")
    piece = int(page.viewport_size["height"] * 1.5) if page.viewport_size else 1350
    for number, top in enumerate(range(0, height, piece), 1):
        page.screenshot(
            path=folder / f"{name}-{number}.png",
            full_page=True,
            clip={"x": 0, "y": top, "width": width, "height": min(piece, height - top)},
        )


def path_of(page: Page) -> str:
    """The address of the page without scheme, host or fragment."""
    url = urlsplit(page.url)
    return f"{url.path}?{url.query}" if url.query else url.path


def login(
    page: Page,
    live_server: LiveServer,
    user: Any,
    *,
    password: str = PASSWORD,
    checked: bool = True,
) -> None:
    """Log in through the real login form and land on Min side. Without JavaScript
    (`checked=False`) the page checks, which run in the page, cannot run."""
    url = live_server.url + reverse("accounts:login")
    visit(page, url) if checked else page.goto(url)
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(password)
    submit = page.locator("main form button[type=submit]")
    if checked:
        follow(page, submit.click)
    else:
        with page.expect_navigation():
            submit.click()
    assert path_of(page) == reverse("home:index")
