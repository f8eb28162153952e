"""Logging filters named in settings.LOGGING."""

import logging


def _one_line(text: str) -> str:
    # As Django escapes what it logs from a request: no forged lines in the server log.
    return str(text).encode("unicode_escape").decode("ascii")


class ForbiddenOnOneLine(logging.Filter):
    """A refused request (403) is expected, not an error: one line, no traceback.

    Django logs a PermissionDenied with its whole traceback; the line kept says who was
    refused what, and why.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) != 403:
            return True
        request = getattr(record, "request", None)
        exception = record.exc_info[1] if record.exc_info else None
        reason = str(exception) if exception is not None else ""
        reason = reason or record.getMessage()
        user = getattr(request, "user", None)
        record.msg = "Forbidden: %s %s user=%s reason=%s"
        record.args = (
            getattr(request, "method", "-"),
            _one_line(getattr(request, "path", "-")),
            user.pk if user is not None and user.is_authenticated else "-",
            _one_line(reason),
        )
        record.exc_info = None
        record.exc_text = None
        return True
