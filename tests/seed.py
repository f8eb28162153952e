"""The seed appendix (Medway's SEND strategy action plan) and what a reader sees in it."""

from pathlib import Path

SEED = (
    Path(__file__).resolve().parent.parent / "fixtures" / "medway-send-action-plan-appendix-2.txt"
)

SEED_TITLES = {
    1: "Provide early identification and intervention at all ages to support children and "
    "young people and their families to prevent escalation to more specialist services.",
    2: "Make sure that SEN provision in early years' settings, schools, colleges and training "
    "providers is of high quality so that children and young people with SEND can be "
    "included, make good educational progress and achieve outcomes that are consistently good.",
    3: "Ensure sufficiency of specialist provision in schools, settings and services within "
    "Medway so that children and young people can have their health, social care and "
    "educational needs met locally.",
    4: "Improve outcomes, life chances and opportunities for children and young people with "
    "SEND so that they can be as independent as possible with effective transition into "
    "adulthood.",
    5: "Ensure participation and co-production with children and young people and their "
    "parents and carers so that they are at the centre of all that we do.",
    6: "Provide high quality integrated and accessible services through effective joint "
    "commissioning so that vulnerable children and young people can have their needs met "
    "locally wherever possible.",
    7: "Enable children and young people with SEND to have the best possible physical and "
    "mental health and wellbeing.",
}
