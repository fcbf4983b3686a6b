"""gunicorn's settings, read from the project's root: `gunicorn emulation.wsgi`.

The access log leaves out the response's size (and its duration): on the voting pages a size
could tell a ballot's choices apart, and the log outlives the poll. The pages are built to have
one size whatever was chosen (awards.forms.voting); the log does not rely on it.
"""

accesslog = "-"
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s "%(f)s" "%(a)s"'
