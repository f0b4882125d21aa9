import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_buyer_changes_country_and_display_currency(client, buyer):
    client.force_login(buyer)
    page = client.get(reverse("account")).content.decode()
    assert "My account" in page and 'value="KE" selected' in page
    response = client.post(
        reverse("account"), {"email": "amina@example.net", "country": "RW", "display_currency": "EUR"}
    )
    assert response.status_code == 302
    buyer.refresh_from_db()
    assert (buyer.email, buyer.country, buyer.display_currency) == ("amina@example.net", "RW", "EUR")
    assert "Your account is saved." in client.get(reverse("account")).content.decode()


def test_empty_display_currency_means_the_country_currency(client, buyer):
    buyer.display_currency = "EUR"
    buyer.save()
    client.force_login(buyer)
    client.post(reverse("account"), {"email": buyer.email, "country": "KE", "display_currency": ""})
    buyer.refresh_from_db()
    assert buyer.display_currency == ""


@pytest.mark.parametrize(
    "data",
    [
        {"email": "not-an-email", "country": "KE", "display_currency": ""},
        {"email": "a@example.org", "country": "XX", "display_currency": ""},
        {"email": "a@example.org", "country": "KE", "display_currency": "XYZ"},
    ],
)
def test_bad_account_input_is_a_form_error_and_changes_nothing(client, buyer, data):
    client.force_login(buyer)
    response = client.post(reverse("account"), data)
    assert response.status_code == 200 and 'class="errorlist"' in response.content.decode()
    buyer.refresh_from_db()
    assert (buyer.country, buyer.display_currency) == ("KE", "")


def test_account_page_needs_a_login(client):
    response = client.get(reverse("account"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
