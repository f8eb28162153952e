"""Files kept between an import's preview and its confirm, and abandoned ones removed."""

import os
import time

from sendplan.uploads import upload_keep, upload_path, upload_read


def test_a_kept_file_is_read_back_and_a_day_old_one_is_removed_by_the_next(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    old = upload_keep("imports", "old.csv", b"old")
    old_file = tmp_path / upload_path("imports", old, "old.csv")
    two_days_ago = time.time() - 2 * 86400
    os.utime(old_file, (two_days_ago, two_days_ago))
    new = upload_keep("imports", "new.csv", b"new")
    assert upload_read("imports", new, "new.csv") == b"new"
    assert upload_read("imports", old, "old.csv") is None
