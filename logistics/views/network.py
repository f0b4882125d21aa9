"""The public network page: map, hubs and a small quote form (GET, so a quote can be shared)."""

from __future__ import annotations

from django.shortcuts import render

from logistics.forms.network import QuoteForm
from logistics.routing.model import Preference
from logistics.selectors import network as selectors
from logistics.selectors.quotes import quote_cards, route_map
from marketplace.selectors.buyers import display_currency_for
from marketplace.selectors.fx import rates_in_force


def network(request):
    form = QuoteForm(request.GET if "weight_kg" in request.GET else None)
    quote = error = None
    cards = []
    hubs = list(selectors.hubs_public())
    network_map = selectors.network_map()
    if form.is_bound and form.is_valid():
        preference = Preference(form.cleaned_data["preference"] or Preference.BALANCED)
        try:
            quote = selectors.shipping_quote(
                origin_country=form.cleaned_data["origin_country"],
                destination_country=form.cleaned_data["destination_country"],
                weight_kg=form.cleaned_data["weight_kg"],
                preference=preference,
            )
        except selectors.NoRoute as exc:
            error = exc.message
        else:
            cards = quote_cards(
                quote,
                preference=preference,
                currency=display_currency_for(request),
                rates=rates_in_force(),
                hubs={hub.code: hub for hub in hubs},
            )
            network_map = route_map(network_map, quote.route)
    context = {
        "form": form,
        "quote": quote,
        "cards": cards,
        "error": error,
        "network_map": network_map,
        "hubs": hubs,
    }
    return render(request, "logistics/network.html", context)
