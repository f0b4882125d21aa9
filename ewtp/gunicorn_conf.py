"""gunicorn's settings for every way eWTP is served (`bin/serve`, the Dockerfile, compose), loaded
with `gunicorn -c python:ewtp.gunicorn_conf`.

gunicorn believes `X-Forwarded-Proto` (and its other secure-scheme headers) from the addresses in
`forwarded_allow_ips`, by default 127.0.0.1: any local client could pass a plain-http request off
as HTTPS, whatever `EWTP_BEHIND_PROXY` says. So the headers are believed only behind a proxy, as
Django believes them (`SECURE_PROXY_SSL_HEADER`, set by the same variable in `ewtp.settings`).
"""

from __future__ import annotations

import os


def behind_proxy() -> bool:
    return os.environ.get("EWTP_BEHIND_PROXY", "").strip().lower() in {"1", "true", "yes", "on"}


if behind_proxy():
    # The proxy is the only way in: believe what it forwards, as the app does.
    forwarded_allow_ips = "*"
else:
    forwarded_allow_ips = ""
    secure_scheme_headers: dict[str, str] = {}

# A request that runs longer is killed (its worker replaced); whatever it left is rolled back or
# finished by a sweeper (README, "Faults").
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# gunicorn 27's control socket lives in the home directory, one path for every instance on the
# machine; nothing here uses it (the process is managed by signals: bin/serve, compose).
control_socket_disable = True
graceful_timeout = 10
accesslog = "-"
