"""``manage.py application_deadlines [--today YYYY-MM-DD]``: what the hourly Huey task does —
warn the applicants whose 补正期限 ends tomorrow, 视为放弃 the returned applications past it."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from zhicheng.applications.services import deadlines


class Command(BaseCommand):
    help = "补正期限：到期前一天提醒申报人，逾期未重新提交的申报视为放弃"

    def add_arguments(self, parser):
        parser.add_argument("--today", default=None, help="YYYY-MM-DD (default: today)")

    def handle(self, *args, **options):
        today = None
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today 应为 YYYY-MM-DD 格式的日期") from None
        outcome = deadlines.application_deadlines_run(today=today)
        self.stdout.write(outcome.message)
