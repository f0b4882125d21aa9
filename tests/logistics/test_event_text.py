"""Tracking events are stored as English msgids and shown in the reader's language (issue 19:
tracking event descriptions were English in every language)."""

from __future__ import annotations

import pytest
from django.utils import translation

from logistics.event_text import event_text
from logistics.services.simulation import DESCRIPTIONS


@pytest.mark.parametrize(
    ("language", "stored", "shown"),
    [
        ("fr", "Out for delivery.", "En cours de livraison."),
        ("zh-hans", "Route planned: HGH → DXB → NBO.", "已规划路线：HGH → DXB → NBO。"),
        (
            "sw",
            "No e-hub serves Kenya yet, so parcels cannot be sent from there.",
            None,  # whatever the catalogue says, with Kenya's Kiswahili name in it
        ),
    ],
)
def test_a_stored_description_is_shown_in_the_page_language(language, stored, shown):
    with translation.override(language):
        text = event_text(stored)
    if shown is not None:
        assert text == shown
    else:
        assert text != stored and "Kenya" in text


def test_nested_reasons_and_country_names_are_translated():
    stored = "Nairobi is out of service; finding another route."
    with translation.override("fr"):
        text = event_text(stored)
    assert text != stored and "Nairobi" in text
    with translation.override("fr"):
        text = event_text(
            "No route from China to Belgium right now: every path is blocked by a suspended hub, "
            "an inactive lane or lanes too small for this parcel."
        )
    assert "Chine" in text and "Belgique" in text and "China" not in text


def test_unknown_text_is_shown_as_written():
    with translation.override("sw"):
        assert event_text("Operator note: parcel re-labelled") == "Operator note: parcel re-labelled"
        assert event_text("") == ""


@pytest.mark.parametrize("language", ["fr", "sw", "zh-hans"])
def test_every_simulation_milestone_has_a_translation(language):
    with translation.override(language):
        for text in DESCRIPTIONS.values():
            assert event_text(text) != text, text
