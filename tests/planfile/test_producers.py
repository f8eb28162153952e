"""The LibreOffice tests skip where LibreOffice is absent, except in CI, which must run them."""

import pytest

from . import producers


def test_without_libreoffice_its_tests_skip_saying_what_to_install(monkeypatch):
    monkeypatch.setattr(producers.shutil, "which", lambda command: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install libreoffice-calc-nogui"):
        producers.soffice_or_skip()


def test_without_libreoffice_its_tests_fail_in_ci(monkeypatch):
    monkeypatch.setattr(producers.shutil, "which", lambda command: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run the LibreOffice tests"):
        producers.soffice_or_skip()
