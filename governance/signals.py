"""What apps above governance hear of, to do their part of an update round.

Governance runs the round; the e-mails to owners are the reminders app's, which it sends
through its record of what was sent (docs/decisions/0007). Each receiver returns one
sentence saying what it did, which the round's page shows the plan admin.
"""

from django.dispatch import Signal

# Sent by the start page once the round is saved, with update_round: the owners are asked.
round_started = Signal()
# Sent by "Chase the rest now" on the round's page, with update_round and user.
round_chase_asked = Signal()
