"""The public network page: map, hubs and a small quote form (GET, so a quote can be shared)."""

from __future__ import annotations

from django.shortcuts import render

from logistics.forms.network import QuoteForm
from logistics.routing.planner import Preference
from logistics.selectors import network as selectors


def network(request):
    form = QuoteForm(request.GET if "weight_kg" in request.GET else None)
    quote = error = None
    if form.is_bound and form.is_valid():
        try:
            quote = selectors.shipping_quote(
                origin_country=form.cleaned_data["origin_country"],
                destination_country=form.cleaned_data["destination_country"],
                weight_kg=form.cleaned_data["weight_kg"],
                preference=Preference(form.cleaned_data["preference"] or Preference.BALANCED),
            )
        except selectors.NoRoute as exc:
            error = exc.message
    context = {
        "form": form,
        "quote": quote,
        "error": error,
        "network_map": selectors.network_map(),
        "hubs": selectors.hubs_public(),
    }
    return render(request, "logistics/network.html", context)
