"""Downloading a data set's CSV from explore education statistics' public API.

``GET {SENDPLAN_EES_API_URL}/v1/data-sets/{id}/csv`` answers the data set as the tidy CSV
the values file importer reads. Only the management command downloads: an upload in the
admin is a file the plan admin already has.
"""

import re
import urllib.error
import urllib.parse
import urllib.request
import zlib

from django.conf import settings

# The API names data sets by GUID.
DATA_SET_ID = re.compile(r"^[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}$")


class DownloadError(Exception):
    """The data set could not be downloaded; the message says why, for the operator."""


def data_set_download(data_set_id: str) -> bytes:
    """The data set's CSV, at most SENDPLAN_MAX_IMPORT_BYTES of it once unpacked."""
    if not DATA_SET_ID.match(data_set_id):
        raise DownloadError(
            f"“{data_set_id}” is not a data set id (like 7c0e9201-c7c0-ff73-bee4-304e731ec0e6)."
        )
    base = settings.SENDPLAN_EES_API_URL.rstrip("/")
    url = f"{base}/v1/data-sets/{urllib.parse.quote(data_set_id)}/csv"
    limit = settings.SENDPLAN_MAX_IMPORT_BYTES
    request = urllib.request.Request(url, headers={"Accept": "text/csv", "Accept-Encoding": "gzip"})
    try:
        with urllib.request.urlopen(request, timeout=settings.SENDPLAN_EES_TIMEOUT) as response:
            data = response.read(limit + 1)
            packed = response.headers.get("Content-Encoding", "").casefold() == "gzip"
    except urllib.error.HTTPError as error:
        raise DownloadError(
            f"{url} answered {error.code} {error.reason}"
            + (": no such data set." if error.code == 404 else ".")
        ) from error
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        reason = getattr(error, "reason", error)
        raise DownloadError(f"Could not reach {url}: {reason}.") from error
    if packed:
        unpacker = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)  # gzip
        try:
            data = unpacker.decompress(data, limit + 1)
        except zlib.error as error:
            raise DownloadError(f"{url} sent a damaged compressed file.") from error
    if len(data) > limit:
        raise DownloadError(f"The data set is larger than an import may be ({limit} bytes).")
    return data
