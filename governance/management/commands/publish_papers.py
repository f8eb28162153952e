"""Publish a meeting's papers from the server, as the page's button does."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from governance.choices import PapersRoute
from governance.models import Meeting
from governance.services import papers_publish


class Command(BaseCommand):
    help = "Publish the papers of a meeting (the pack as the plan stands now)."

    def add_arguments(self, parser):
        parser.add_argument("--meeting", type=int, required=True, help="The meeting's id.")
        parser.add_argument(
            "--user", help="Username of the plan admin publishing (default: the operator)."
        )

    def handle(self, *args, meeting, user=None, **options):
        try:
            found = Meeting.objects.select_related("board__area", "strategy").get(pk=meeting)
        except Meeting.DoesNotExist:
            raise CommandError(f"No meeting has the id {meeting}.") from None
        publisher = None
        if user:
            try:
                publisher = get_user_model().objects.get_by_natural_key(user)
            except get_user_model().DoesNotExist:
                raise CommandError(f'No user is called "{user}".') from None
        try:
            papers = papers_publish(meeting=found, user=publisher, route=PapersRoute.COMMAND)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Published the papers of {found}: version {papers.version}.")
