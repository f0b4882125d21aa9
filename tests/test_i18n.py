import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


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
