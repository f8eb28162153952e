"""An Atom feed of what a strategy's public page published: priorities' progress summaries,
actions' public statuses, and "You said, we did", newest first."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from . import selectors

FEED_ITEMS = 50


@dataclass(frozen=True)
class FeedItem:
    title: str
    text: str
    updated: datetime
    link: str


class StrategyUpdatesFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, pk: int):
        plan = selectors.public_plan(pk)
        if plan is None:
            raise Http404("No published strategy here.")
        return plan

    def title(self, plan):
        return f"{plan.strategy.area}: {plan.strategy.title}: progress updates"

    def subtitle(self, plan):
        return "Progress and “You said, we did”, as published on the public page."

    def link(self, plan):
        return reverse("public:strategy", args=[plan.strategy.pk])

    def feed_url(self, plan):
        return reverse("public:strategy_feed", args=[plan.strategy.pk])

    def items(self, plan):
        page = self.link(plan)
        items = []
        for priority in plan.priorities:
            if priority.summary_updated:
                items.append(
                    FeedItem(
                        title=f"Priority {priority.number}: {priority.title}",
                        text=priority.easy_read or priority.summary,
                        updated=priority.summary_updated,
                        link=f"{page}#{priority.anchor}",
                    )
                )
            items += [
                FeedItem(
                    title=f"Action {action.reference}: {action.status_label}",
                    text=action.title,
                    updated=action.updated,
                    link=f"{page}#{action.anchor}",
                )
                for action in priority.actions
            ]
        items += [
            FeedItem(
                title=f"You said, we did: {engagement.title}",
                text=f"You said: {engagement.you_said}\nWe did: {engagement.we_did}",
                updated=engagement.updated,
                link=f"{page}#{engagement.anchor}",
            )
            for engagement in plan.engagements
        ]
        return sorted(items, key=lambda item: item.updated, reverse=True)[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.text

    def item_link(self, item):
        return item.link

    def item_updateddate(self, item):
        return item.updated

    def item_pubdate(self, item):
        return item.updated
