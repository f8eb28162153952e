"""What apps above actions hear of, to keep their own records right."""

from django.dispatch import Signal

# Sent by owner_merge, inside its transaction, before the source owner is deleted, with
# source, target, user and reason: whatever else names the source (measures) moves to the
# target through its own service, so that the deletion is not refused.
owner_merging = Signal()
