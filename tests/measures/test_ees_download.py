"""import_measure_values --ees: a data set downloaded from explore education statistics' API,
here a recorded file served on loopback (the real API is never reached in tests)."""

import gzip
import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from measures.choices import Series
from measures.models import AreaComparators, MeasureValue

RECORDED = (Path(__file__).parent / "files" / "ees-data-set.csv").read_bytes()
DATA_SET = "7c0e9201-c7c0-ff73-bee4-304e731ec0e6"


class RecordedApi(BaseHTTPRequestHandler):
    compress = False

    def do_GET(self):
        if self.path != f"/statistics/v1/data-sets/{DATA_SET}/csv":
            self.send_error(404)
            return
        body = RECORDED
        self.send_response(200)
        self.send_header("Content-Type", "text/csv")
        if self.compress and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(params=[False, True], ids=["plain", "gzip"])
def api(request, settings):
    handler = type("Handler", (RecordedApi,), {"compress": request.param})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SENDPLAN_EES_API_URL = f"http://127.0.0.1:{server.server_port}/statistics/"
    yield server
    server.shutdown()
    server.server_close()


def import_values(strategy, measure, **options):
    out = io.StringIO()
    call_command(
        "import_measure_values",
        area="Medway",
        strategy=strategy.title,
        measure=measure.name,
        column="percent_ehc_plans_issued_within_20_weeks",
        stdout=out,
        **options,
    )
    return out.getvalue()


def test_a_data_set_is_downloaded_and_imported(api, strategy, measure, area):
    AreaComparators.objects.create(area=area, la_code="E06000035", region="South East")
    out = import_values(strategy, measure, ees=DATA_SET)
    assert "6 values added, 0 changed, 0 unchanged (tidy layout)." in out
    labels = MeasureValue.objects.filter(series=Series.ACTUAL).values_list("period_label")
    assert list(labels) == [("2022",), ("2023",)]
    history = MeasureValue.history.get(series=Series.ACTUAL, period_label="2022")
    assert history.history_change_reason == f"Imported from {DATA_SET}.csv"


def test_an_unknown_data_set_says_so_and_writes_nothing(api, strategy, measure):
    missing = "00000000-0000-0000-0000-000000000000"
    with pytest.raises(CommandError, match="answered 404 Not Found: no such data set"):
        import_values(strategy, measure, ees=missing)
    assert not MeasureValue.objects.exists()


def test_an_unreachable_api_says_so(strategy, measure):
    # The test settings' address, where nothing listens.
    with pytest.raises(CommandError, match="Could not reach http://127.0.0.1:9/never-reached"):
        import_values(strategy, measure, ees=DATA_SET)


def test_either_a_file_or_a_data_set(tmp_path, strategy, measure):
    with pytest.raises(CommandError, match="Give either the values file or --ees"):
        import_values(strategy, measure)
    with pytest.raises(CommandError, match="is not a data set id"):
        import_values(strategy, measure, ees="../../admin")
