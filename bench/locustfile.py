"""The load of `python -m bench.load`: people of the municipal demo, each with the session
bench.load_data made for them, answering the wellbeing round, saving check-ins, thanking a
colleague, or going through the main pages and writes without pausing.

Locust runs it (`locust -f bench/locustfile.py UserClass`); bench.load passes the sessions
file and the open round in LOAD_SESSIONS and LOAD_ROUND. A write counts as done when the app
answers it with the redirect a saved form gives; a page, when it answers 200."""

from __future__ import annotations

import itertools
import json
import os
import secrets
from typing import Any

from locust import FastHttpUser, task

_data = json.loads(open(os.environ["LOAD_SESSIONS"]).read())  # noqa: PTH123, SIM115
PEOPLE: list[dict[str, Any]] = _data["people"]
VALUE: int = _data["value"]
ROUND = int(os.environ.get("LOAD_ROUND", "0"))
QUESTIONS = [int(pk) for pk in os.environ.get("LOAD_QUESTIONS", "").split(",") if pk]
# Each person answers a round once: every answer takes the next person, in one order per run.
_next_person = itertools.cycle(PEOPLE)
_answerers = iter(PEOPLE)
# The CSRF secret of every simulated browser: Django takes the unmasked secret as the token.
CSRF = secrets.token_hex(16)


def _cookies(person: dict[str, Any]) -> dict[str, str]:
    return {"Cookie": f"sessionid={person['key']}; csrftoken={CSRF}"}


class Person(FastHttpUser):
    abstract = True

    def post_form(self, path: str, data: dict[str, Any], *, name: str, person: Any) -> None:
        fields = [("csrfmiddlewaretoken", CSRF)]
        for key, value in data.items():
            fields.extend((key, str(v)) for v in (value if isinstance(value, list) else [value]))
        with self.client.post(
            path,
            data="&".join(f"{k}={_quote(v)}" for k, v in fields),
            headers={**_cookies(person), "Content-Type": "application/x-www-form-urlencoded"},
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"{name}: {response.status_code}, not the redirect of a save")

    def get_page(self, path: str, *, name: str, person: Any) -> None:
        with self.client.get(
            path, headers=_cookies(person), name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{name}: {response.status_code}")


def _quote(value: str) -> str:
    from urllib.parse import quote_plus

    return quote_plus(value)


def checkin(person: dict[str, Any]) -> dict[str, Any]:
    return {
        "energy": 4,
        "went_well": "Godt samarbejde om budgettet.",
        "is_hard": "",
        "priorities": "Høringssvaret.",
        "help_needed": "",
        "visibility": "private",
    }


def recognition(person: dict[str, Any]) -> dict[str, Any]:
    return {
        "recipients": person["thank"],
        "text": "Tak for hjælpen med høringssvaret.",
        "values": VALUE,
        "where": person["unit"],
    }


class PulseAnswers(Person):
    """Every task one person's answer to the open round, the next person each time."""

    @task
    def answer(self) -> None:
        person = next(_answerers, None)
        if person is None:
            self.environment.runner.quit()  # everyone has answered
            return
        answers = {f"q{pk}": 1 + (person["user"] + pk) % 5 for pk in QUESTIONS}
        self.post_form(f"/pulse/rounds/{ROUND}/", answers, name="pulse answer", person=person)


class CheckinSaves(Person):
    @task
    def save(self) -> None:
        person = next(_next_person)
        self.post_form("/checkins/new/", checkin(person), name="check-in save", person=person)


class Recognitions(Person):
    @task
    def thank(self) -> None:
        person = next(_next_person)
        while person["thank"] is None:
            person = next(_next_person)
        self.post_form("/recognition/new/", recognition(person), name="recognition", person=person)


class Mixed(Person):
    """One person, going through the main pages and writing now and then, without pausing."""

    def on_start(self) -> None:
        self.person = next(_next_person)
        while self.person["thank"] is None:
            self.person = next(_next_person)

    @task(4)
    def home(self) -> None:
        self.get_page("/", name="Min side", person=self.person)

    @task(3)
    def team(self) -> None:
        self.get_page(f"/teams/{self.person['unit']}/", name="team page", person=self.person)

    @task(2)
    def checkins(self) -> None:
        self.get_page("/checkins/", name="check-ins", person=self.person)

    @task(2)
    def feed(self) -> None:
        self.get_page("/recognition/", name="recognition feed", person=self.person)

    @task(2)
    def pulse(self) -> None:
        self.get_page("/pulse/", name="wellbeing", person=self.person)

    @task(1)
    def results(self) -> None:
        self.get_page(
            f"/pulse/units/{self.person['unit']}/", name="wellbeing results", person=self.person
        )

    @task(1)
    def feedback(self) -> None:
        self.get_page("/feedback/", name="feedback", person=self.person)

    @task(1)
    def save_checkin(self) -> None:
        self.post_form(
            "/checkins/new/", checkin(self.person), name="check-in save", person=self.person
        )

    @task(1)
    def thank(self) -> None:
        self.post_form(
            "/recognition/new/",
            recognition(self.person),
            name="recognition",
            person=self.person,
        )
