"""Every admin form offers only the user's areas' records (issue 20, finding 4).

Kent's plan admin opens the add form and a change form of every model on the admin site,
as the URL walk opens every URL: no <select> option, and no autocomplete answer, names a
Medway record, by its id or by its text. The same holds for someone who is Kent's plan
admin and a Medway officer: a role in Medway does not bring Medway into the admin.
"""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import Client, RequestFactory
from django.urls import reverse

from actions.models import Action, Owner
from governance.models import Board, Meeting
from measures.models import Measure
from planfile.importer import plan_import
from priorities.models import LocalArea, Priority, Strategy
from sendplan import roles
from tests.conftest import give_role
from tests.seed import SEED
from tests.test_write_paths import world  # noqa: F401

# Change forms the walk must reach: Kent has one of each once its plan is imported.
CHANGED_AT_LEAST = {Action, Priority, Strategy, Owner, Measure, Board, Meeting, User}
INLINE_NAME = re.compile(r"^(?P<prefix>.+)-(?:\d+|__prefix__)-(?P<field>\w+)$")


class SelectOptions(HTMLParser):
    """(select name, option value, option text) of every option of every <select>."""

    def __init__(self):
        super().__init__()
        self.options, self._select, self._option = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self._select = attrs.get("name", "")
        elif tag == "option" and self._select is not None:
            self._option = [self._select, attrs.get("value", ""), ""]

    def handle_data(self, data):
        if self._option is not None:
            self._option[2] += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None:
            self.options.append((self._option[0], self._option[1], self._option[2].strip()))
            self._option = None
        elif tag == "select":
            self._select = None


@pytest.fixture
def kent_admins(world):  # noqa: F811
    """Kent's plan admin with a plan of Kent's own, and a Kent plan admin who is also a
    Medway officer."""
    kentadmin = User.objects.get(username="kentadmin")
    plan_import(
        area_name="Kent",
        strategy_title="Kent's imported plan",
        file_name=SEED.name,
        data=SEED.read_bytes(),
        user=kentadmin,
    )
    plan = Strategy.objects.get(title="Kent's imported plan")
    Measure.objects.create(strategy=plan, name="Kent's measure")
    board = Board.objects.filter(area__name="Kent").first()
    Meeting.objects.create(board=board, strategy=plan, date=datetime.date(2027, 1, 5), title="B")
    two_roles = User.objects.create_user("kentmedway", password="pw", is_staff=True)
    give_role(two_roles, roles.PLAN_ADMIN, LocalArea.objects.get(name="Kent"))
    give_role(two_roles, roles.OFFICER, LocalArea.objects.get(name="Medway"))
    give_role(
        User.objects.create_user("kentofficer"), roles.OFFICER, LocalArea.objects.get(name="Kent")
    )
    return {"Kent's plan admin": kentadmin, "Kent's plan admin, Medway's officer": two_roles}


def medway_records(world) -> tuple[dict, set[str]]:  # noqa: F811
    """Medway's records that no Kent admin may be offered: model -> ids, and their texts
    (those no Kent record shares, as the boards' names)."""
    medway_admin, kentadmin = world["plan admin"], User.objects.get(username="kentadmin")
    ids, medway_texts, kent_texts = {}, set(), set()
    for model in {*admin.site._registry, *(m.related_model for m in _relations())}:
        if not hasattr(model, "area_path"):
            continue
        theirs = roles.within_areas(medway_admin, model._default_manager.all())
        ours = roles.within_areas(kentadmin, model._default_manager.all())
        ids[model] = set(theirs.values_list("pk", flat=True)) - set(
            ours.values_list("pk", flat=True)
        )
        medway_texts |= {str(record) for record in theirs}
        kent_texts |= {str(record) for record in ours}
    kent = LocalArea.objects.get(name="Kent")
    only_medway = User.objects.filter(area_memberships__area__name="Medway").exclude(
        area_memberships__area=kent
    )
    ids[User] = set(only_medway.values_list("pk", flat=True))
    medway_texts |= {str(user) for user in only_medway}
    return ids, medway_texts - kent_texts


def _relations():
    for model in admin.site._registry:
        for field in model._meta.get_fields():
            if field.is_relation and field.related_model is not None:
                yield field


def form_fields(response) -> dict[str, object]:
    """Each form field on the page by the name its inputs carry (inline prefixes aside)."""
    fields = dict(response.context["adminform"].form.fields)
    for inline in response.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        for name, field in inline.formset.empty_form.fields.items():
            fields[f"{prefix}:{name}"] = field
    return fields


def offered_medway(response, medway_ids, medway_texts) -> list[tuple]:
    fields = form_fields(response)
    parser = SelectOptions()
    parser.feed(response.content.decode())
    found = []
    for name, value, text in parser.options:
        inline = INLINE_NAME.match(name)
        key = f"{inline['prefix']}:{inline['field']}" if inline else name
        queryset = getattr(fields.get(key), "queryset", None)
        model = queryset.model if queryset is not None else None
        if value.isdigit() and int(value) in medway_ids.get(model, ()):
            found.append((name, value, text))
        elif text in medway_texts:
            found.append((name, value, text))
    return found


def autocompleted_medway(client, model_admin, medway_ids) -> list[tuple]:
    found = []
    admins = [model_admin, *model_admin.inlines]
    for each in admins:
        source = each.model
        for field_name in getattr(each, "autocomplete_fields", ()):
            related = source._meta.get_field(field_name).related_model
            answer = client.get(
                reverse("admin:autocomplete"),
                {
                    "app_label": source._meta.app_label,
                    "model_name": source._meta.model_name,
                    "field_name": field_name,
                    "term": "",
                },
            )
            assert answer.status_code == 200, (source, field_name)
            for result in answer.json()["results"]:
                if int(result["id"]) in medway_ids.get(related, ()):
                    found.append((source._meta.label, field_name, result))
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["Kent's plan admin", "Kent's plan admin, Medway's officer"])
def test_no_admin_form_offers_another_areas_records(world, kent_admins, persona):  # noqa: F811
    user = kent_admins[persona]
    medway_ids, medway_texts = medway_records(world)
    assert medway_ids[Priority] and medway_ids[Action] and medway_ids[Owner]
    client = Client()
    client.force_login(user)
    offered, changed = [], set()
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        pages = [reverse(f"{prefix}_add")]
        request = RequestFactory().get("/")
        request.user = user
        kent_record = model_admin.get_queryset(request).order_by("pk").first()
        if kent_record is not None:
            pages.append(reverse(f"{prefix}_change", args=[kent_record.pk]))
            changed.add(model)
        for url in pages:
            response = client.get(url)
            if response.status_code == 403:  # no add permission: no form
                continue
            assert response.status_code == 200, url
            found = offered_medway(response, medway_ids, medway_texts)
            offered += [(url, *option) for option in found]
        offered += autocompleted_medway(client, model_admin, medway_ids)
    assert offered == [], "\n".join(map(str, offered))
    assert CHANGED_AT_LEAST <= changed, CHANGED_AT_LEAST - changed
