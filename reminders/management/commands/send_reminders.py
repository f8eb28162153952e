"""One run of the e-mail job: reminders, escalations and due round e-mails. Run it hourly."""

from django.core.management.base import BaseCommand, CommandError

from reminders.services import reminders_send


class Command(BaseCommand):
    help = (
        "Send the reminders, escalations and update round e-mails due now, each at most once "
        "(safe to run on several servers at once). Prints who gets what."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what is due; send and record nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        outcomes = reminders_send(dry_run=dry_run)
        for outcome in outcomes:
            self.stdout.write(str(outcome))
        sent = sum(outcome.result == "sent" for outcome in outcomes)
        failed = sum(outcome.result.startswith("failed") for outcome in outcomes)
        summary = f"{len(outcomes)} e-mails due, {sent} sent, {failed} failed"
        self.stdout.write(summary + (" (dry run: nothing sent or recorded)" if dry_run else ""))
        if failed:
            # A non-zero exit, so cron and systemd report the failure.
            raise CommandError(
                f"{failed} e-mails failed; they stay due and the next run sends them."
            )
