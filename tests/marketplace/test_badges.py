"""Women-owned and youth-led shops (issue 20): a seller claims a badge with evidence, an operator
verifies it in the admin, and buyers see and filter by it — the evidence private and deleted a set
time after the decision."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from ewtp.exceptions import DomainError
from marketplace.models import BadgeClaim, ClaimStatus, Shop
from marketplace.services.badges import badge_claim, badge_decide, badge_evidence_purge, badge_revoke
from tests.marketplace.conftest import png_upload
from tests.marketplace.factories import ListingFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rates")]


BADGE = 'class="badge shop-badge women-owned">Women-owned<'


def pdf(name: str = "registration.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")


@pytest.fixture
def operator(db):
    return UserFactory(username="operator-badges", is_staff=True, is_superuser=True, role="operator")


def claim_women_owned(shop: Shop) -> BadgeClaim:
    return badge_claim(shop=shop, actor=shop.owner, badge="women_owned", evidence=pdf())


def test_a_claim_waits_for_an_operator_and_then_buyers_see_and_filter_by_the_badge(
    client, shop_a, shop_b, category, operator, django_capture_on_commit_callbacks
):
    mine = ListingFactory(shop=shop_a, category=category, title="Batik sarong")
    other = ListingFactory(shop=shop_b, category=category, title="Peace basket")
    client.force_login(shop_a.owner)
    response = client.post(
        reverse("seller-badges"), {"badge": "women_owned", "evidence": pdf(), "statement": "Three sisters"}
    )
    assert response.status_code == 302
    claim = BadgeClaim.objects.get()
    assert claim.status == ClaimStatus.PENDING and claim.evidence_type == "application/pdf"
    shop_a.refresh_from_db()
    assert not shop_a.women_owned  # nothing shows before an operator decides
    assert BADGE not in client.get("/").content.decode()

    admin = APIClient()
    admin.force_login(operator)
    changelist = reverse("admin:marketplace_badgeclaim_changelist")
    with django_capture_on_commit_callbacks(execute=True):  # the catalog version moves on commit
        response = admin.post(changelist, {"action": "verify", "_selected_action": [claim.pk]}, follow=True)
    assert response.status_code == 200
    shop_a.refresh_from_db()
    assert shop_a.women_owned and not shop_a.youth_led
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERIFIED and claim.decided_by == operator and claim.decided_at

    home = client.get("/").content.decode()
    assert BADGE in home  # on the card (and the story)
    filtered = client.get("/?badge=women_owned").content.decode()
    assert "Batik sarong" in filtered and "Peace basket" not in filtered
    assert BADGE in client.get(reverse("listing-detail", args=[mine.pk])).content.decode()
    assert BADGE in client.get(reverse("shop-detail", args=[shop_a.slug])).content.decode()

    api = APIClient()
    body = api.get("/api/v1/products/?badge=women_owned").json()
    assert [item["id"] for item in body["results"]] == [mine.pk]
    assert body["results"][0]["badges"] == ["women_owned"]
    assert body["results"][0]["shop"]["badges"] == ["women_owned"]
    assert api.get(f"/api/v1/products/{other.pk}/").json()["badges"] == []
    assert api.get(f"/api/v1/shops/{shop_a.slug}/").json()["badges"] == ["women_owned"]
    assert api.get("/api/v1/products/?badge=youth_led").json()["results"] == []
    assert api.get("/api/v1/products/?badge=nonsense").status_code == 400
    assert client.get("/?badge=nonsense").status_code == 400


def test_only_verified_badges_are_shown_and_one_can_be_taken_back(shop_a, operator):
    claim = claim_women_owned(shop_a)
    badge_decide(claim=claim, operator=operator, verified=False, note="The registration names another owner")
    shop_a.refresh_from_db()
    assert not shop_a.women_owned and shop_a.badges == []
    again = claim_women_owned(shop_a)  # a rejected claim may be made again
    with pytest.raises(DomainError):
        claim_women_owned(shop_a)  # but not twice at once
    badge_decide(claim=again, operator=operator, verified=True)
    shop_a.refresh_from_db()
    assert shop_a.badges == ["women_owned"]
    badge_revoke(claim=again, operator=operator, note="Evidence withdrawn")
    shop_a.refresh_from_db()
    assert shop_a.badges == []
    with pytest.raises(DomainError):
        badge_decide(claim=again, operator=operator, verified=True)  # decided already
    with pytest.raises(DomainError):
        badge_decide(claim=claim_women_owned(shop_a), operator=shop_a.owner, verified=True)  # not an operator


def test_evidence_must_be_a_real_pdf_jpeg_or_png(client, shop_a):
    client.force_login(shop_a.owner)
    refusals = [
        (
            {"badge": "women_owned", "evidence": SimpleUploadedFile("x.pdf", b"<script>alert(1)</script>")},
            "PDF",
        ),
        ({"badge": "women_owned"}, "Attach"),
        ({"badge": "women_owned", "evidence": pdf(), "founder_birth_year": ""}, None),  # fine: women-owned
        ({"badge": "youth_led", "evidence": png_upload()}, "year of birth"),
        ({"badge": "youth_led", "evidence": png_upload(), "founder_birth_year": "1970"}, "under 35"),
    ]
    for data, words in refusals:
        response = client.post(reverse("seller-badges"), data)
        if words is None:
            assert response.status_code == 302
            continue
        assert response.status_code == 400, data
        assert words in response.content.decode(), (data, words)
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024 + 1), "application/pdf")
    with pytest.raises(DomainError, match="5 MB"):
        badge_claim(shop=shop_a, actor=shop_a.owner, badge="youth_led", evidence=big, founder_birth_year=2004)
    young = badge_claim(
        shop=shop_a, actor=shop_a.owner, badge="youth_led", evidence=png_upload(), founder_birth_year=2004
    )
    assert young.founder_birth_year == 2004 and young.evidence_type == "image/png"


def test_evidence_is_private_to_the_seller_and_operators(client, shop_a, shop_b, operator):
    claim = claim_women_owned(shop_a)
    stored = Path(claim.evidence.path)
    assert Path(settings.PRIVATE_ROOT) in stored.parents
    assert Path(settings.MEDIA_ROOT) not in stored.parents  # no URL serves it
    url = reverse("badge-evidence", args=[claim.pk])
    assert client.get(url).status_code == 302  # log in first
    client.force_login(shop_b.owner)
    assert client.get(url).status_code == 404  # another seller: not even whether it exists
    for person in (shop_a.owner, operator):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response["Content-Type"] == "application/pdf"
        assert "sandbox" in response["Content-Security-Policy"]
        assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_evidence_is_deleted_a_set_time_after_the_decision(
    shop_a, shop_b, operator, django_capture_on_commit_callbacks
):
    decided = claim_women_owned(shop_a)
    badge_decide(claim=decided, operator=operator, verified=True)
    waiting = claim_women_owned(shop_b)
    path = Path(decided.evidence.path)
    assert badge_evidence_purge() == 0  # decided just now: kept
    later = timezone.now() + timedelta(days=settings.EWTP_BADGE_EVIDENCE_DAYS + 1)
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the row says so
        assert badge_evidence_purge(now=later) == 1
    decided.refresh_from_db()
    assert not decided.evidence and decided.evidence_deleted_at and decided.status == ClaimStatus.VERIFIED
    assert not path.exists()
    waiting.refresh_from_db()
    assert waiting.evidence  # waiting for a decision: kept
    assert settings.CELERY_BEAT_SCHEDULE["purge-badge-evidence"]["task"] == "marketplace.purge_badge_evidence"


def test_the_inclusion_dashboard_shows_the_share_of_shops_orders_and_sales(client, shop_a, shop_b, operator):
    badge_decide(claim=claim_women_owned(shop_a), operator=operator, verified=True)
    client.force_login(operator)
    page = client.get(reverse("admin:marketplace_badgeclaim_inclusion"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Women-owned" in text and "(50.0 %)" in text  # one of the two shops
    assert (
        reverse("admin:marketplace_badgeclaim_inclusion")
        in client.get(reverse("admin:index")).content.decode()
    )
    client.force_login(shop_a.owner)
    assert client.get(reverse("admin:marketplace_badgeclaim_inclusion")).status_code == 302  # operators only
