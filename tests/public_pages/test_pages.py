"""The public pages: no sign-in, only published text, easy read first, open data, cached."""

import csv
import io
import json
import time

from django.core.cache import caches
from django.urls import reverse

from public_pages import services
from public_pages.choices import PublicStatus
from tests.pages.conftest import count_queries
from tests.public_pages.conftest import ACTION_TITLE, EASY_READ, SUMMARY, page_url


def test_index_lists_published_strategies_to_a_signed_out_visitor(client, published_plan):
    response = client.get(reverse("public:index"))
    assert response.status_code == 200
    assert "Medway: Joint SEND Strategy 2022-25" in response.text
    assert reverse("public:strategy", args=[published_plan.pk]) in response.text


def test_unpublished_strategy_has_no_public_page_download_or_feed(client, strategy):
    assert "Joint SEND Strategy" not in client.get(reverse("public:index")).text
    for name in ("strategy", "strategy_csv", "strategy_json", "strategy_feed"):
        assert client.get(reverse(f"public:{name}", args=[strategy.pk])).status_code == 404


def test_easy_read_comes_first_with_the_full_summary_in_details(client, published_plan):
    text = client.get(page_url(published_plan)).text
    assert text.index(EASY_READ) < text.index("<details") < text.index(SUMMARY)
    assert "Priority 1: Early identification" in text
    assert ACTION_TITLE in text and "Under way" in text
    assert "Last updated" in text


def test_it_shows_you_said_we_did(client, published_plan):
    text = client.get(page_url(published_plan)).text
    section = text[text.index('id="you-said-we-did"') :]
    assert "Forum workshop" in section and "1 September 2022" in section
    assert "Tell us what changed." in section and "We publish progress here." in section
    assert "Co-produce".lower() in section


def test_an_action_without_approved_public_text_is_not_listed(
    client, published_plan, action, officer
):
    services.action_publication_draft(
        action=action, user=officer, title="A new draft title", status=PublicStatus.DONE
    )
    text = client.get(page_url(published_plan)).text
    assert ACTION_TITLE in text and "A new draft title" not in text


def test_page_uses_its_own_layout_with_a_skip_link_and_no_inline_script(client, published_plan):
    text = client.get(page_url(published_plan)).text
    assert text.index('class="govuk-skip-link"') < text.index("<header")
    assert 'id="main-content" tabindex="-1"' in text
    assert "<script>" not in text and '<script type="module">' not in text
    assert " onclick=" not in text
    assert "/sign-in/" not in text and "/admin/" not in text
    assert text.count("<h1") == 1


def test_csv_download_has_a_row_per_published_action(client, published_plan):
    response = client.get(reverse("public:strategy_csv", args=[published_plan.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["Priority"], r["Action"], r["Action title"], r["Status"]) for r in rows] == [
        ("1", "1.1", ACTION_TITLE, "Under way")
    ]
    assert rows[0]["Priority easy-read summary"] == EASY_READ


def test_json_download_holds_the_page_as_data(client, published_plan):
    response = client.get(reverse("public:strategy_json", args=[published_plan.pk]))
    data = json.loads(response.content)
    assert data["strategy"] == "Joint SEND Strategy 2022-25"
    priority = data["priorities"][0]
    assert (priority["easy_read"], priority["progress_summary"]) == (EASY_READ, SUMMARY)
    assert priority["actions"][0]["title"] == ACTION_TITLE
    assert priority["actions"][0]["status"] == "under_way"
    engagement = data["you_said_we_did"][0]
    assert engagement["we_did"] == "We publish progress here."
    assert engagement["priorities"] == [1] and engagement["actions"] == ["1.1"]


def test_atom_feed_lists_published_updates(client, published_plan):
    response = client.get(reverse("public:strategy_feed", args=[published_plan.pk]))
    assert response["Content-Type"].startswith("application/atom+xml")
    text = response.text
    assert "<feed" in text and 'xmlns="http://www.w3.org/2005/Atom"' in text
    assert "Action 1.1: Under way" in text
    assert "Priority 1: Early identification" in text
    assert "You said, we did: Forum workshop" in text


def test_a_page_is_served_from_the_cache_and_says_for_how_long(
    client, published_plan, django_assert_num_queries
):
    first = client.get(page_url(published_plan))
    assert "max-age=60" in first["Cache-Control"]
    with django_assert_num_queries(0):
        assert client.get(page_url(published_plan)).content == first.content


def test_an_approved_change_shows_within_a_minute(
    client, published_plan, action, officer, plan_admin, monkeypatch
):
    assert "Next steps agreed" not in client.get(page_url(published_plan)).text
    draft = services.action_publication_draft(
        action=action, user=officer, title="Next steps agreed", status=PublicStatus.DONE
    )
    services.publication_approve(publication=draft, user=plan_admin)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 61)
    assert "Next steps agreed" in client.get(page_url(published_plan)).text


def test_page_queries_do_not_grow_with_the_plan(
    client, published_plan, published_measure, grow_plan, plan_admin
):
    def grow_and_publish(count: int) -> int:
        for action in grow_plan(count):
            draft = services.action_publication_draft(
                action=action,
                user=plan_admin,
                title=f"Public {action.reference}",
                status=PublicStatus.UNDER_WAY,
            )
            services.publication_approve(publication=draft, user=plan_admin)
        caches["public"].clear()
        return count_queries(client, page_url(published_plan))

    small = grow_and_publish(10)
    assert grow_and_publish(200) == small
    assert "Public 2.209" in client.get(page_url(published_plan)).text


def test_it_shows_published_measures_with_their_latest_value_and_direction(
    client, published_measure, published_plan, enter
):
    text = client.get(page_url(published_plan)).text
    section = text[text.index('id="measures"') : text.index('id="you-said-we-did"')]
    assert "EHC plans issued within 20 weeks" in section
    assert "58.3% in Q2 2025-26, against a target of 60% by Q2 2025-26." in section
    assert "Better than Q1 2025-26 (52%)." in section
    assert "Off track" in section and "Last updated" in section
    assert "Provisional return." not in section  # a value's note is internal


def test_a_measure_not_chosen_for_the_public_page_is_not_shown(
    client, published_plan, measure, enter
):
    enter(measure, "Q1 2025-26", 52)
    text = client.get(page_url(published_plan)).text
    assert "EHC plans issued within 20 weeks" not in text
    assert "will be published here" in text


def test_json_download_holds_the_measures(client, published_measure, published_plan):
    response = client.get(reverse("public:strategy_json", args=[published_plan.pk]))
    (measure,) = json.loads(response.content)["measures"]
    assert measure["name"].startswith("EHC plans issued within 20 weeks")
    assert (measure["direction"], measure["against_target"]) == ("better", "Off track")
