import csv
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from ewtp.countries import country_name

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Log in"), ("fr", "Se connecter"), ("sw", "Ingia"), ("zh-hans", "登录")],
)
def test_pages_follow_the_browser_language(client, language, expected):
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert expected in page


def test_language_picker_switches_language(client):
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert "Se connecter" in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("language", ["fr", "sw", "zh_Hans"])
def test_compiled_catalogue_matches_its_po_file(language, tmp_path):
    """A .po edited without `make messages` would ship stale translations: compare the catalogues."""
    import gettext
    import shutil
    import subprocess
    from pathlib import Path

    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "GNU gettext's msgfmt is needed (Debian package gettext)"
    folder = Path(__file__).resolve().parent.parent / "locale" / language / "LC_MESSAGES"
    fresh = tmp_path / "django.mo"
    subprocess.run([msgfmt, "--check", "-o", str(fresh), str(folder / "django.po")], check=True)  # noqa: S603
    with (folder / "django.mo").open("rb") as shipped, fresh.open("rb") as rebuilt:
        assert gettext.GNUTranslations(shipped)._catalog == gettext.GNUTranslations(rebuilt)._catalog


@pytest.mark.parametrize("language", ["en", "zh-hans", "fr", "sw"])
def test_each_language_is_named_in_itself_whatever_the_page_language(client, language):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    start = page.index('<select id="language"')
    menu = page[start : page.index("</select>", start)]
    for name in ("English", "简体中文", "Français", "Kiswahili"):
        assert f">{name}</option>" in menu, (language, menu)


def test_country_names_are_in_kiswahili_on_a_kiswahili_page(client, trade_data):
    """django-countries has no Kiswahili: ewtp/data/country_names_sw.csv names the countries."""
    page = client.get("/deliver-to/", HTTP_ACCEPT_LANGUAGE="sw").content.decode()
    assert "Ubelgiji" in page and "Belgium" not in page
    with translation.override("sw"):
        assert country_name("DE") == "Ujerumani" and country_name("KE") == "Kenya"
    with translation.override("fr"):
        assert country_name("DE") == "Allemagne"  # django-countries' own, untouched


def test_every_country_the_network_serves_or_ships_from_has_a_kiswahili_name():
    with (ROOT / "logistics" / "demo" / "data" / "hubs.csv").open() as rows:
        hubs = list(csv.DictReader(rows))
    codes = {code for row in hubs for code in [row["country"], *row["serves_countries"].split()]}
    with (ROOT / "ewtp" / "data" / "country_names_sw.csv").open() as rows:
        named = {row["code"]: row for row in csv.DictReader(rows)}
    assert codes <= set(named), sorted(codes - set(named))
    assert all(row["name"] and row["source"] for row in named.values())
