FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
# gettext: compiled catalogues; Pango and fonts: the parcel's papers (WeasyPrint), Chinese included.
RUN apt-get update && apt-get install -y --no-install-recommends gettext libpango-1.0-0 libpangoft2-1.0-0 \
    fonts-dejavu-core fonts-wqy-microhei && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
# collectstatic needs settings that import cleanly; the real secret comes from the environment.
RUN DEBUG=0 SECRET_KEY=build-only ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput
RUN useradd --create-home ewtp && mkdir -p /app/var && chown -R ewtp /app/var
USER ewtp
EXPOSE 8000
# ewtp/gunicorn_conf.py: X-Forwarded-Proto believed only with EWTP_BEHIND_PROXY=1, timeouts, access log.
CMD ["gunicorn", "ewtp.wsgi:application", "-c", "python:ewtp.gunicorn_conf", "--bind", "0.0.0.0:8000", "--workers", "3"]
