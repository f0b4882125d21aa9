"""One set of account rules however the account is made (API or web sign-up): Django's password
validators, usernames and e-mail addresses unique ignoring case (also a database constraint), and
the login page never loops for a logged-in visitor."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from marketplace.models import User
from marketplace.services.accounts import profile_update
from tests.marketplace.factories import UserFactory

pytestmark = pytest.mark.django_db


def register(api_client, **overrides):
    data = {
        "username": "amina",
        "email": "amina@example.org",
        "password": "a-long-pass-2026",
        "role": "buyer",
        "country": "KE",
    }
    data.update(overrides)
    return api_client.post("/api/v1/auth/register/", data, format="json")


@pytest.mark.parametrize("password", ["password", "12345678", "password1", "amina-ke1"])
def test_user_register_over_the_api_refuses_weak_passwords(api_client, password):
    """`password`, `12345678` and `password1` were accepted over the API (the web form refused them);
    `amina-ke1` is too close to the username."""
    response = register(api_client, password=password, username="amina-ke")
    assert response.status_code == 400, response.json()
    assert response.json()["password"]
    assert not User.objects.filter(username="amina-ke").exists()


def test_user_register_over_the_api_reports_every_weak_password_reason(api_client):
    messages = register(api_client, password="12345678").json()["password"]
    assert any("too common" in message for message in messages)
    assert any("entirely numeric" in message for message in messages)


def test_user_register_over_the_api_refuses_a_username_differing_only_in_case(api_client):
    UserFactory(username="seller-cn")
    response = register(api_client, username="SELLER-CN", email="other@example.org")
    assert response.status_code == 400
    assert response.json() == {"username": ["A user with that username already exists."]}
    assert User.objects.filter(username__iexact="seller-cn").count() == 1


def test_user_register_over_the_api_refuses_an_email_differing_only_in_case(api_client):
    UserFactory(username="first", email="amina@example.org")
    response = register(api_client, username="second", email="Amina@EXAMPLE.org")
    assert response.status_code == 400
    assert response.json() == {"email": ["An account with this e-mail address already exists."]}
    assert not User.objects.filter(username="second").exists()


def test_user_register_on_the_web_refuses_an_email_differing_only_in_case(client):
    UserFactory(username="first", email="amina@example.org")
    response = client.post(
        reverse("signup"),
        {
            "username": "second",
            "email": "AMINA@example.org",
            "password1": "a-long-pass-2026",
            "password2": "a-long-pass-2026",
            "role": "buyer",
            "country": "KE",
        },
    )
    assert response.status_code == 200
    assert "An account with this e-mail address already exists." in response.content.decode()
    assert not User.objects.filter(username="second").exists()


def test_user_register_on_the_web_refuses_a_username_differing_only_in_case(client):
    UserFactory(username="seller-cn")
    response = client.post(
        reverse("signup"),
        {
            "username": "Seller-CN",
            "email": "new@example.org",
            "password1": "a-long-pass-2026",
            "password2": "a-long-pass-2026",
            "role": "buyer",
            "country": "KE",
        },
    )
    assert response.status_code == 200
    assert User.objects.filter(username__iexact="seller-cn").count() == 1


def test_the_database_refuses_usernames_and_emails_differing_only_in_case():
    """Whatever writes users (admin, shell, a race between two sign-ups) meets the constraint."""
    UserFactory(username="seller-cn", email="cn@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="SELLER-cn", email="x@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="someone", email="CN@example.org")


def test_accounts_without_an_email_may_be_several():
    User.objects.create(username="no-mail-1", email="")
    User.objects.create(username="no-mail-2", email="")
    assert User.objects.filter(email="").count() == 2


def test_profile_update_refuses_an_email_another_account_has():
    UserFactory(username="first", email="amina@example.org")
    second = UserFactory(username="second", email="second@example.org")
    with pytest.raises(ValidationError) as caught:
        profile_update(user=second, email="AMINA@example.org", country="KE", display_currency="")
    assert "email" in caught.value.message_dict
    second.refresh_from_db()
    assert second.email == "second@example.org"


def test_profile_update_keeps_ones_own_email_in_another_case():
    user = UserFactory(username="amina", email="amina@example.org")
    profile_update(user=user, email="Amina@example.org", country="KE", display_currency="")
    user.refresh_from_db()
    assert user.email == "Amina@example.org"


@pytest.mark.parametrize(
    "next_url",
    ["/accounts/login/", "/accounts/login/?next=/accounts/login/", "http://testserver/accounts/login/"],
)
def test_login_page_for_a_logged_in_visitor_with_next_pointing_at_itself_goes_home(client, next_url):
    """Django's LoginView(redirect_authenticated_user=True) raised "Redirection loop" (a 500)."""
    client.force_login(UserFactory())
    response = client.get(reverse("login"), {"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_login_page_for_a_logged_in_visitor_still_follows_a_safe_next(client):
    client.force_login(UserFactory())
    response = client.get(reverse("login"), {"next": "/seller/listings/"})
    assert response.status_code == 302 and response["Location"] == "/seller/listings/"


def test_login_with_next_pointing_at_the_login_page_lands_home(client):
    UserFactory(username="amina", password="a-long-pass-2026")
    response = client.post(
        f"{reverse('login')}?next=/accounts/login/", {"username": "amina", "password": "a-long-pass-2026"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")
