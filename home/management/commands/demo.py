from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from home.demo import DEMO_PASSWORD, DemoError, DemoLogin, demo_create


class Command(BaseCommand):
    help = "Create a demo organisation and print its logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=["small", "municipality"], default="small")
        parser.add_argument(
            "--people", type=int, default=25_000, help="People in the municipality demo."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only create the demo when the database has nobody in it yet.",
        )

    def handle(self, *args: Any, size: str, people: int, if_empty: bool, **options: Any) -> None:
        if if_empty and User.objects.exists():
            logins = [
                DemoLogin(u, "")
                for u in User.objects.filter(
                    username__in=["mette", "jonas", "nina", "admin"]
                ).values_list("username", flat=True)
            ]
            self.stdout.write("The database already has people; no demo was created.")
        else:
            started = time.monotonic()
            try:
                logins = demo_create(size=size, people=people)
            except DemoError as error:
                raise CommandError(str(error)) from None
            self.stdout.write(f"Demo ({size}) created in {time.monotonic() - started:.1f} s.")
        if logins:
            self.stdout.write("")
            self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}):")
            for login in logins:
                self.stdout.write(f"  {login.username:<10} {login.role}")
            self.stdout.write("")
