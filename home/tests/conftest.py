"""The pages that gather read every app, so their tests use the apps' fixtures."""

from pulse.tests.conftest import pulse  # noqa: F401 (a fixture: a survey with a round open)
