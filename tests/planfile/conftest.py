"""The seed appendix, read and imported, with counts that show exactly what was written."""

import pytest
from django.apps import apps
from simple_history.models import HistoricalChanges

from planfile.importer import plan_import
from planfile.layout import PlanRow, read_plan
from tests.seed import SEED

from .plans import KNOWN_OWNERS
from .producers import (
    CSV_AS_TYPED,
    PRODUCERS,
    featured_plan,
    libreoffice_convert,
    openpyxl_workbook,
    seed_csv,
    seed_sheet,
    xlsxwriter_workbook,
)

AREA = "Medway"
STRATEGY = "Joint SEND Strategy 2019-22"


def history_counts() -> dict[str, int]:
    """Rows in every history table, by model: any write through the services adds one."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if issubclass(model, HistoricalChanges)
    }


def plan_counts() -> dict[str, int]:
    """Rows in every table of the plan apps, history included."""
    return {
        model._meta.label: model.objects.count()
        for app_label in ("priorities", "actions", "governance")
        for model in apps.get_app_config(app_label).get_models()
    }


@pytest.fixture(scope="module")
def seed_rows() -> list[PlanRow]:
    return read_plan(SEED.name, SEED.read_bytes(), known_owner_names=KNOWN_OWNERS)


@pytest.fixture
def seed_data() -> bytes:
    return SEED.read_bytes()


@pytest.fixture
def import_plan(plan_admin):
    """plan_import into Medway's 2019-22 strategy as the plan admin, unless told otherwise."""

    def run(data: bytes, *, file_name: str = SEED.name, user=plan_admin, dry_run: bool = False):
        return plan_import(
            area_name=AREA,
            strategy_title=STRATEGY,
            file_name=file_name,
            data=data,
            user=user,
            dry_run=dry_run,
        )

    return run


@pytest.fixture(scope="session")
def libreoffice_seed(tmp_path_factory) -> bytes:
    """The seed's CSV opened in LibreOffice Calc and saved as an Excel workbook."""
    folder = tmp_path_factory.mktemp("libreoffice-seed")
    saved = libreoffice_convert({"plan.csv": seed_csv()}, folder, input_filter=CSV_AS_TYPED)
    return saved["plan.csv"]


@pytest.fixture(params=PRODUCERS)
def seed_workbook(request) -> bytes:
    """The seed appendix as a workbook written by each producer in turn."""
    if request.param == "libreoffice":
        return request.getfixturevalue("libreoffice_seed")
    write = {"openpyxl": openpyxl_workbook, "xlsxwriter": xlsxwriter_workbook}[request.param]
    return write([seed_sheet()])


@pytest.fixture(scope="session")
def libreoffice_featured(tmp_path_factory) -> bytes:
    """The featured plan written by XlsxWriter, then opened and saved by LibreOffice Calc."""
    rows = read_plan(SEED.name, SEED.read_bytes(), known_owner_names=KNOWN_OWNERS)
    written = xlsxwriter_workbook(featured_plan(rows))
    folder = tmp_path_factory.mktemp("libreoffice-featured")
    return libreoffice_convert({"featured.xlsx": written}, folder)["featured.xlsx"]


@pytest.fixture(params=PRODUCERS)
def featured_workbook(request, seed_rows) -> bytes:
    """The featured plan (see producers.featured_plan) as each producer writes it."""
    if request.param == "libreoffice":
        return request.getfixturevalue("libreoffice_featured")
    write = {"openpyxl": openpyxl_workbook, "xlsxwriter": xlsxwriter_workbook}[request.param]
    return write(featured_plan(seed_rows))
