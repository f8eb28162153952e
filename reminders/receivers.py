"""The e-mails of an update round, sent when governance's round pages ask for them
(governance/signals.py); each receiver says in a sentence what it sent."""

from django.dispatch import receiver

from governance.signals import round_chase_asked, round_started

from . import services


def _emailed(outcomes) -> str:
    sent = [o.digest.recipient for o in outcomes if o.result == "sent"]
    names = ", ".join(person.get_full_name() or person.get_username() for person in sent)
    problems = [o for o in outcomes if o.result != "sent"]
    text = f"E-mailed {len(sent)} owner{'s' if len(sent) != 1 else ''}" + (
        f": {names}." if names else "."
    )
    if problems:
        text += " Not e-mailed: " + "; ".join(
            f"{o.digest.recipient.get_username()} ({o.result})" for o in problems
        )
        text += "."
    return text


@receiver(round_started)
def ask_the_owners(sender, *, update_round, **kwargs) -> str:
    return _emailed(services.round_requests_send(update_round=update_round))


@receiver(round_chase_asked)
def chase_the_rest(sender, *, update_round, user, **kwargs) -> str:
    outcomes = services.round_chase(update_round=update_round, user=user)
    if not outcomes:
        return (
            "Nobody to chase now: every owner has updated, or was e-mailed about this round "
            "less than the chase interval ago."
        )
    return "Chased the owners not yet updated. " + _emailed(outcomes)
