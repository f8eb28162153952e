"""Demo public page: Medway's Joint SEND Strategy 2022-25 published, with easy-read summaries,
public action titles, an officer's draft waiting for a plan admin, its measures (the
measures demo's, illustrative), and "You said, we did".

The engagements restate facts of the strategy's own papers: it was co-produced with
parents, carers and young people (Medway Parents and Carers Forum), and its public
consultation closed on 23 September 2022.

Idempotent: a text or engagement the demo has written once is never written again, so a
plan admin's approvals and edits survive ``make run``.
"""

import datetime

from django.utils import timezone

from actions.models import Action
from governance import services as governance_services
from governance.choices import EngagementGroup, EngagementMethod, InvolvementLevel
from governance.models import Engagement
from measures.models import Measure
from priorities.models import Priority, Strategy
from sendplan.audit import history_stamped

from . import services
from .choices import PublicStatus
from .models import ActionPublication, MeasurePublication, PriorityPublication

STRATEGY = ("Medway", "Joint SEND Strategy 2022-25")
INTRODUCTION = (
    "Our strategy for children and young people aged 0 to 25 with special educational "
    "needs and disabilities (SEND) and their families, written with them. It has five "
    "ambitions. This page shows how each one is going and what changed because families "
    "spoke up."
)

# Priority number: (easy read, progress summary). Priority 3 is drafted by the officer below.
PRIORITY_TEXTS = {
    1: (
        "We want every child to do well at school.\nSchools are agreeing what help they "
        "will give to every child who needs it.",
        "Primary and secondary headteachers (MELA and MSHA) have agreed an inclusion "
        "charter that sets out what every school offers at SEN Support. Training for "
        "SENCOs and early years staff on spotting needs early starts this year.",
    ),
    2: (
        "Some children missed help during COVID-19.\nWe are helping them catch up.\n"
        "Waits for speech and language therapy are still too long.",
        "Speech and language therapy waiting times rose during the pandemic. Two new "
        "therapists have been appointed and waits are starting to fall. Catch-up support "
        "for children who missed education is being planned with schools.",
    ),
    4: (
        "We want young people to be ready for adult life.\nWe are making a clear plan "
        "for work, college and living well.",
        "Education, health and care services are writing one preparing for adulthood "
        "pathway together. We are asking local employers for more supported internships.",
    ),
    5: (
        "Families helped write this strategy.\nWe keep asking families what they think.\n"
        "We tell you what we changed.",
        "Medway Parents and Carers Forum co-chairs the review of the Local Offer. Each "
        "term we survey parents and carers and report back what changed as a result.",
    ),
}
OFFICER_DRAFT = (
    3,
    "Some families wait too long for an assessment.\nWe have a plan to make waits shorter.",
    "Referrals for neurodevelopmental assessments rose faster than we could assess. With "
    "NHS Kent and Medway we agreed a recovery plan and funded extra clinics.",
)
ACTION_TEXTS = {
    "1.1": ("Agree with schools the help every school gives", PublicStatus.UNDER_WAY),
    "1.2": ("Train school and nursery staff to spot needs early", PublicStatus.PLANNED),
    "2.1": ("Bring waits for speech and language therapy down", PublicStatus.DELAYED),
    "2.2": ("Help children who missed school catch up", PublicStatus.PLANNED),
    "3.1": ("Shorten waits for autism and ADHD assessments", PublicStatus.DELAYED),
    "3.2": ("Publish every month how quickly EHC plans are finished", PublicStatus.UNDER_WAY),
    "4.1": ("Agree one route to adult life across services", PublicStatus.UNDER_WAY),
    "4.2": ("Create more supported internships with employers", PublicStatus.PLANNED),
    "5.1": ("Review the Local Offer website with families", PublicStatus.UNDER_WAY),
    "5.2": ("Ask parents and carers each term and report back", PublicStatus.UNDER_WAY),
}

# (days before the first load, or a date), title, groups, who, how, level, said, did,
# priorities, actions, approved for the public page.
ENGAGEMENTS = [
    (
        datetime.date(2022, 9, 23),
        "Public consultation on the draft strategy",
        [EngagementGroup.PUBLIC, EngagementGroup.PARENTS_AND_CARERS, EngagementGroup.SCHOOLS],
        "Residents, families, schools and health partners across Medway",
        EngagementMethod.CONSULTATION,
        InvolvementLevel.CONSULT,
        "Families asked us to show how the strategy is being delivered, not only what it "
        "promises, and worried whether it could be delivered.",
        "We promised to show the progress of our priorities in the action plan. This page "
        "publishes it, and the SEND Partnership Board checks it at every meeting.",
        [5],
        [],
        True,
    ),
    (
        datetime.date(2022, 9, 1),
        "Writing the strategy with Medway Parents and Carers Forum",
        [
            EngagementGroup.PARENT_CARER_FORUM,
            EngagementGroup.YOUNG_PEOPLE,
            EngagementGroup.HEALTH,
        ],
        "Medway Parents and Carers Forum, young people, and NHS Kent and Medway",
        EngagementMethod.WORKSHOP,
        InvolvementLevel.CO_PRODUCE,
        "The strategy should be driven by parents, carers and young people, and the Local "
        "Offer should be easier to use.",
        "The forum helped write the five ambitions, and now co-chairs the review of the "
        "Local Offer (action 5.1).",
        [1, 5],
        ["5.1"],
        True,
    ),
    (
        -50,
        "Forum meeting on assessment waiting times",
        [EngagementGroup.PARENT_CARER_FORUM, EngagementGroup.HEALTH],
        "Medway Parents and Carers Forum members and the Designated Clinical Officer",
        EngagementMethod.FORUM_MEETING,
        InvolvementLevel.INVOLVE,
        "Families waiting for an assessment hear nothing for months and do not know where "
        "they are on the list.",
        "Families on the waiting list now get a letter every three months saying where "
        "they are and what support they can have meanwhile.",
        [3],
        ["3.1"],
        True,
    ),
    (
        -20,
        "Young people's group on preparing for adulthood",
        [EngagementGroup.YOUNG_PEOPLE],
        "Young people's participation group",
        EngagementMethod.WORKSHOP,
        InvolvementLevel.INVOLVE,
        "Young people want to try real jobs before they leave school.",
        "",
        [4],
        ["4.2"],
        False,
    ),
]


def load_public_demo(*, plan_admin, officer) -> None:
    area_name, title = STRATEGY
    strategy = Strategy.objects.get(area__name=area_name, title=title)
    services.strategy_publication_save(
        strategy=strategy, user=plan_admin, is_published=True, introduction=INTRODUCTION
    )
    priorities = {p.number: p for p in Priority.objects.filter(strategy=strategy)}
    for number, (easy_read, summary) in PRIORITY_TEXTS.items():
        if not PriorityPublication.objects.filter(priority=priorities[number]).exists():
            draft = services.priority_publication_draft(
                priority=priorities[number], user=plan_admin, easy_read=easy_read, summary=summary
            )
            services.publication_approve(publication=draft, user=plan_admin)
    number, easy_read, summary = OFFICER_DRAFT
    if not PriorityPublication.objects.filter(priority=priorities[number]).exists():
        services.priority_publication_draft(
            priority=priorities[number], user=officer, easy_read=easy_read, summary=summary
        )
    actions = {a.reference: a for a in Action.objects.filter(priority__strategy=strategy)}
    for reference, (public_title, status) in ACTION_TEXTS.items():
        if not ActionPublication.objects.filter(action=actions[reference]).exists():
            draft = services.action_publication_draft(
                action=actions[reference], user=plan_admin, title=public_title, status=status
            )
            services.publication_approve(publication=draft, user=plan_admin)
    for values in ENGAGEMENTS:
        _engagement(strategy, priorities, actions, plan_admin, *values)
    for measure in Measure.objects.filter(strategy=strategy):
        if not MeasurePublication.objects.filter(measure=measure).exists():
            services.measure_publication_save(measure=measure, user=plan_admin, is_published=True)


def _engagement(
    strategy,
    priorities,
    actions,
    plan_admin,
    when,
    title,
    groups,
    who,
    how,
    level,
    said,
    did,
    priority_numbers,
    references,
    approved,
) -> None:
    if Engagement.objects.filter(strategy=strategy, title=title).exists():
        return
    if isinstance(when, int):
        when = timezone.localdate() + datetime.timedelta(days=when)
    recorded = timezone.make_aware(datetime.datetime.combine(when, datetime.time(17)))
    # Recorded on the day, so a board pack of a later meeting lists it and earlier ones do not.
    with history_stamped(date=recorded):
        engagement = governance_services.engagement_save(
            engagement=Engagement(
                strategy=strategy,
                title=title,
                date=when,
                groups=list(groups),
                participants=who,
                method=how,
                level=level,
                you_said=said,
                we_did=did,
                recorded_at=recorded,
            ),
            user=plan_admin,
            priorities=[priorities[n] for n in priority_numbers],
            actions=[actions[r] for r in references],
            reason="Demo data",
        )
        if approved:
            governance_services.engagement_publish(engagement=engagement, user=plan_admin)
