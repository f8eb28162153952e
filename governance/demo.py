"""Demo governance: a Partnership Board that met twice about a plan that moved, and two decisions.

The board papers show the plan as it stood when they were published, so the demo needs
history from before its meetings; each past meeting's papers were published on the day
they were due, and the next meeting's are due. Everything is written through the services, inside
``_as_if_at(day)``, which dates the history rows (and the dated records' own timestamps)
written in its block. Dates count from the day the demo is first loaded: the last meeting
was four weeks before it, and the next one is eight weeks after.

Idempotent: the dated story is written once, when the plan it reviews has no actions yet;
memberships and decisions are added when missing.
"""

import datetime
from collections.abc import Callable
from contextlib import contextmanager

from django.db.models.signals import pre_save
from django.utils import timezone

from actions.choices import Rag, Status
from actions.models import Action, ProgressUpdate
from actions.services.actions import action_update_progress
from priorities.models import LocalArea, Strategy
from sendplan.audit import history_stamped
from sendplan.roles import plan_admins_for_area

from . import services
from .choices import BoardKind, DecisionStatus, PapersRoute
from .models import Board, Decision, Meeting, Review
from .papers import papers_due

STRATEGY = "Joint SEND Strategy 2022-25"
REASON = "Demo data"

# The five ambitions of the strategy (seed 002) as priorities, with a few actions each:
# (ref, action, by whom, due in days from the demo's first load, or a deadline as written).
PLAN = {
    (1, "Achieving the best outcomes, through inclusion and participation"): [
        (
            "1.1",
            "Agree an inclusion charter with schools setting out what every school offers "
            "at SEN Support.",
            "Head of 0-25 Integrated Service",
            20,
        ),
        (
            "1.2",
            "Train SENCOs and early years practitioners to identify needs early.",
            "PEP/SENCOs",
            120,
        ),
    ],
    (2, "Children and young people with SEND recover from the COVID-19 pandemic"): [
        (
            "2.1",
            "Bring speech and language therapy assessments back to pre-pandemic waiting times.",
            "DCO",
            -60,
        ),
        (
            "2.2",
            "Offer catch-up support to children and young people with SEND who missed education.",
            "Head of 0-25 Integrated Service",
            200,
        ),
    ],
    (3, "Access to the right support, at the right time, in the right place"): [
        (
            "3.1",
            "Agree a recovery plan for neurodevelopmental assessment waiting times with "
            "NHS Kent and Medway ICB.",
            "DCO",
            30,
        ),
        (
            "3.2",
            "Publish EHC plan 20-week timeliness every month and act on delays.",
            "Head of 0-25 Integrated Service",
            "Monthly / ongoing",
        ),
    ],
    (4, "Preparing for a successful future at the earliest opportunity"): [
        (
            "4.1",
            "Publish a preparing for adulthood pathway agreed by education, health and care.",
            "Head of 0-25 Integrated Service",
            90,
        ),
        (
            "4.2",
            "Create more supported internships with local employers.",
            "Head of 0-25 Integrated Service",
            300,
        ),
    ],
    (5, "Working together with children and young people with SEND and their families"): [
        (
            "5.1",
            "Co-produce the review of the Local Offer with the parent carer forum.",
            "MPCF/Head of 0-25 Integrated Service",
            -10,
        ),
        (
            "5.2",
            "Survey parents and carers each term and report what changed as a result.",
            "MPCF",
            "Termly / ongoing",
        ),
    ],
}
PLAN_WRITTEN, FIRST_MEETING, LAST_MEETING, NEXT_MEETING = -150, -84, -28, 56

# What the officer reported, days from the first load: (day, ref, status, RAG, %, note).
PROGRESS = [
    (-120, "1.1", Status.IN_PROGRESS, Rag.GREEN, 20, "Draft charter shared with MELA and MSHA."),
    (-120, "3.1", Status.IN_PROGRESS, Rag.AMBER, 10, "Waiting list data gathered with the ICB."),
    (-110, "3.2", Status.IN_PROGRESS, Rag.GREEN, 50, "First monthly timeliness report out."),
    # Between the two meetings.
    (-70, "2.1", Status.BLOCKED, Rag.RED, 10, "Therapist vacancies unfilled; recruitment paused."),
    (-56, "3.1", Status.AT_RISK, Rag.RED, 25, "Referrals rose faster than assessment capacity."),
    (-42, "1.1", Status.IN_PROGRESS, Rag.GREEN, 60, "Charter agreed by MELA and MSHA."),
    (-35, "5.1", Status.IN_PROGRESS, Rag.GREEN, 30, "The forum co-chairs the review group."),
    # After the last meeting: the pack for it must not show these.
    (-14, "3.1", Status.IN_PROGRESS, Rag.AMBER, 40, "Recovery plan agreed; extra clinics funded."),
    (-7, "2.1", Status.IN_PROGRESS, Rag.AMBER, 20, "Two therapists appointed."),
]

MEETINGS = [
    (
        FIRST_MEETING,
        "Quarterly review of the action plan",
        "1. The new action plan for the Joint SEND Strategy 2022-25.\n2. Reporting cycle.",
        "The Board welcomed the action plan and agreed to review it at every meeting, "
        "with exceptions first.",
    ),
    (
        LAST_MEETING,
        "Quarterly review of the action plan",
        "1. Exceptions: red, overdue, blocked and stale actions.\n2. Changes since April.",
        "The Board reviewed the exceptions. Assessment waiting times (3.1) remain the main "
        "risk; the DCO will bring a recovery plan to the next meeting.",
    ),
    (NEXT_MEETING, "Quarterly review of the action plan", "1. Assessment recovery plan.", ""),
]

# The two decisions of the seed documents, as the councils recorded them.
DECISIONS = [
    {
        "area": "Medway",
        "number": "",
        "title": "Joint SEND Strategy 2022-25: publication of the final strategy",
        "date": datetime.date(2023, 1, 13),
        "decision_maker": "Director of People - Children and Adult Services (officer decision)",
        "delegated_by": BoardKind.CABINET,
        "delegation": (
            "On 18 October 2022, the Cabinet considered a report which sought approval of the "
            "Joint SEND Strategy 2022-2025. The Cabinet agreed to delegate authority to the "
            "Director of People - Children and Adult Services, in consultation with the "
            "Portfolio Holder for Children's Services (Lead Member), to make minor updates to "
            "the Strategy that would be necessary following completion of the Safety Valve "
            "Intervention Programme (SVIP) (Decision No. 115/2022 refers)."
        ),
        "decision": (
            "Officers within the Education and SEND Division published the final version of "
            "the Joint SEND Strategy 2022-25 on the Local Offer website and continue to work "
            "with partners, including parents and carers, to develop the SEND Strategy Action "
            "Plan."
        ),
        "reasons": (
            "The Joint SEND Strategy 2022-25 is a joint strategy between Medway Council and NHS "
            "Kent and Medway Integrated Care Board (ICB). The SEND Strategy Action Plan will be "
            "the mechanism through which the ambitions set out in the strategy are achieved and "
            "will also feed into the evidence and evaluation of Medway's SEND services under "
            "the new Inspection Framework."
        ),
        "options_rejected": (
            "None. The Joint SEND Strategy 2022-25 replaces the previous strategy for SEND, "
            "developed by Medway Council and Medway Clinical Commissioning Group in 2019."
        ),
        "conflicts_of_interest": "None",
        "status": DecisionStatus.IMPLEMENTED,
        "is_key_decision": False,
        "key_decision_reason": "",
        "lead_officer": "Assistant Director - Education and SEND",
        "strategy": STRATEGY,
    },
    {
        "area": "Kent",
        "number": "21/00019",
        "title": "SEND Strategy 2021-2024",
        "date": None,  # the record gives "not before 5 March 2021", not the day it was made
        "decision_maker": "Cabinet Member for Integrated Children's Services",
        "delegated_by": None,
        "delegation": "",
        "decision": (
            "To approve the SEND strategy 2021-2024 and assign delegated decisions relating to "
            "the commissioning of county wide solutions to deliver against the strategy to the "
            "Corporate Director for Children, Young People and Education."
        ),
        "reasons": (
            "The SEND strategy is a county wide strategy affecting all electoral divisions. It "
            "will shape the delivery of SEND services across the county, and is a key "
            "deliverable for the Written Statement of Action."
        ),
        "options_rejected": "None. The previous Kent strategy has expired.",
        "conflicts_of_interest": "",
        "status": DecisionStatus.MADE,
        "is_key_decision": True,
        "key_decision_reason": "Expenditure or savings of more than £1m",
        "lead_officer": "Lead director, Education and Young People's Services",
        "strategy": "SEND Strategy 2021-2024",
    },
]

# Records that carry their own creation time besides their history row.
_OWN_TIMESTAMPS = {ProgressUpdate: "created_at", Review: "recorded_at"}


@contextmanager
def _as_if_at(when: datetime.datetime):
    """Date the history rows, progress updates and reviews created in the block."""

    def backdate(sender, instance, **kwargs):
        if instance._state.adding:
            setattr(instance, _OWN_TIMESTAMPS[sender], when)

    for model in _OWN_TIMESTAMPS:
        pre_save.connect(backdate, sender=model)
    try:
        with history_stamped(date=when):
            yield
    finally:
        for model in _OWN_TIMESTAMPS:
            pre_save.disconnect(backdate, sender=model)


def load_governance_demo(
    *, plan_admin, board_member, officer, import_plan: Callable, before_papers: Callable
) -> None:
    """The board's story; ``import_plan`` is the plan file's ``plan_import``, which this
    app sits below, called once to write the plan the board reviews. ``before_papers``
    writes what the papers show besides actions (the measures), once the plan exists and
    before the past meetings' papers are published."""
    medway = LocalArea.objects.get(name="Medway")
    board = Board.objects.get(area=medway, kind=BoardKind.PARTNERSHIP)
    services.board_member_add(board=board, member=board_member, user=plan_admin, role="Member")
    strategy = Strategy.objects.get(area=medway, title=STRATEGY)
    if not Action.objects.filter(priority__strategy=strategy).exists():
        _dated_story(board, strategy, plan_admin, board_member, officer, import_plan, before_papers)
    for values in DECISIONS:
        _decision(values)


def _dated_story(
    board, strategy, plan_admin, board_member, officer, import_plan, before_papers
) -> None:
    today = timezone.localdate()

    def at(days: int, hour: int = 10) -> datetime.datetime:
        day = today + datetime.timedelta(days=days)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))

    with _as_if_at(at(PLAN_WRITTEN)):
        import_plan(
            area_name=board.area.name,
            strategy_title=strategy.title,
            file_name="joint-send-strategy-2022-25-action-plan.tsv",
            data=_plan_file(today).encode(),
            user=plan_admin,
        )
        meetings = [
            services.meeting_save(
                meeting=Meeting(
                    board=board,
                    strategy=strategy,
                    date=at(days).date(),
                    title=title,
                    agenda=agenda,
                    minutes=minutes,
                ),
                user=plan_admin,
                reason=REASON,
            )
            for days, title, agenda, minutes in MEETINGS
        ]
    actions = {action.reference: action for action in strategy_actions(strategy)}
    for days, reference, status, rag, percent, note in PROGRESS:
        with _as_if_at(at(days)):
            action_update_progress(
                action=actions[reference],
                user=officer,
                status=status,
                rag=rag,
                percent_complete=percent,
                note=note,
            )
    before_papers()
    # Each past meeting's papers went out on the day they were due, as the plan stood then.
    for meeting in meetings:
        if meeting.date < today:
            due = timezone.make_aware(
                datetime.datetime.combine(papers_due(meeting.date), datetime.time(10))
            )
            services.papers_publish(
                meeting=meeting,
                user=plan_admin,
                route=PapersRoute.DEMO,
                as_at=due,
                published_at=due,
            )
    with _as_if_at(at(LAST_MEETING, hour=16)):
        _reviews(meetings[1], actions, board_member, due=at(NEXT_MEETING - 7).date())


def strategy_actions(strategy):
    return Action.objects.filter(priority__strategy=strategy).select_related("priority")


def _plan_file(today: datetime.date) -> str:
    """The plan as a spreadsheet exported to tab-separated text, due months made relative."""
    lines = ["No.\tPriority\tRef\tAction\tBy whom\tBy when"]
    for (number, title), actions in PLAN.items():
        for position, (reference, text, owners, due) in enumerate(actions):
            if isinstance(due, int):
                due = f"{today + datetime.timedelta(days=due):%B %Y}"
            head = f"{number}\t{title}" if position == 0 else "\t"
            lines.append(f"{head}\t{reference}\t{text}\t{owners}\t{due}")
    return "\n".join(lines) + "\n"


def _reviews(meeting, actions, board_member, *, due: datetime.date) -> None:
    services.review_record(
        meeting=meeting,
        priority=actions["3.1"].priority,
        action=actions["3.1"],
        user=board_member,
        rag=Rag.RED,
        comment="Assessment waiting times are still rising; families are waiting too long.",
        recommendation="The Board asked the ICB to agree a recovery plan with a trajectory.",
        follow_ups=[
            services.FollowUp(
                text="Bring the assessment recovery plan and its trajectory to the next Board.",
                owner_name="DCO",
                due_date=due,
            )
        ],
    )
    services.review_record(
        meeting=meeting,
        priority=actions["2.1"].priority,
        user=board_member,
        rag=Rag.AMBER,
        comment="Recovery depends on recruiting therapists.",
        recommendation="Noted. Report recruitment at the next meeting.",
    )


def _decision(values: dict) -> None:
    """A seed decision, recorded by its own area's plan admin."""
    area = LocalArea.objects.get(name=values["area"])
    plan_admin = plan_admins_for_area(area).first()
    if Decision.objects.filter(area=area, title=values["title"]).exists():
        return
    fields = dict(values, area=area)
    fields["strategy"] = Strategy.objects.filter(area=area, title=values["strategy"]).first()
    if values["delegated_by"]:
        fields["delegated_by"] = Board.objects.get(area=area, kind=values["delegated_by"])
    services.decision_save(decision=Decision(**fields), user=plan_admin, reason=REASON)
