"""Logging filters of the project (settings.LOGGING)."""

import logging

# How Django's development server logs a request: the request line, the status, the size.
SERVER_LINE = '"%s" %s %s'


class WithoutResponseSize(logging.Filter):
    """Drop the response size from the development server's request lines, as gunicorn.conf.py
    does for the production server: a size could tell a ballot's choices apart."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg == SERVER_LINE and isinstance(record.args, tuple) and len(record.args) == 3:
            record.msg = '"%s" %s'
            record.args = record.args[:2]
        return True
