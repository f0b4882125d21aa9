"""The bare checkout baseline: one hand-written transaction, no serializers, no ORM, no pricing.

`POST /bench/baseline/order/` with the same JSON body and `Authorization: Token <key>` header as
`POST /api/v1/orders/`: it looks the token up, then in one transaction takes each line's quantity
off stock with a conditional `UPDATE` (in listing order, like the real service) and inserts one
order row with fixed figures. No quote, no consignments, no lines, no events, no idempotency key:
the floor of "reserve stock and write an order" through the same gunicorn, Django and Postgres.
"""

from __future__ import annotations

import json
import secrets

from django.db import connection, transaction
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

INSERT_ORDER = """
INSERT INTO marketplace_order (
    number, buyer_id, status, currency, goods_amount, shipping_amount, duty_amount, tax_amount,
    total_amount, preference, incoterm, ship_to_name, ship_to_line1, ship_to_city,
    ship_to_postal_code, ship_to_country, ship_to_phone, rates, placed_at, expires_at
) VALUES (%s, %s, 'pending_payment', %s, 0, 0, 0, 0, 0, %s, 'DDP', %s, %s, %s, %s, %s, %s, '{}',
          now(), now() + interval '30 minutes')
RETURNING id
"""


@csrf_exempt
def baseline_order(request: HttpRequest) -> JsonResponse:
    if request.method != "POST":
        return JsonResponse({"detail": "POST only"}, status=405)
    auth = request.headers.get("Authorization", "")
    body = json.loads(request.body)
    ship_to = body["ship_to"]
    lines = sorted((int(item["product"]), int(item["quantity"])) for item in body["items"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT user_id FROM authtoken_token WHERE key = %s", [auth.removeprefix("Token ")])
        row = cursor.fetchone()
        if row is None:
            return JsonResponse({"detail": "Invalid token."}, status=401)
        with transaction.atomic():
            for product, quantity in lines:
                cursor.execute(
                    "UPDATE marketplace_listing SET stock = stock - %s WHERE id = %s AND stock >= %s",
                    [quantity, product, quantity],
                )
                if cursor.rowcount != 1:
                    transaction.set_rollback(True)
                    return JsonResponse({"detail": f"Not enough stock of {product}."}, status=409)
            number = "B-" + secrets.token_hex(5).upper()
            cursor.execute(
                INSERT_ORDER,
                [
                    number,
                    row[0],
                    body["currency"],
                    body.get("preference", "balanced"),
                    ship_to["name"],
                    ship_to["line1"],
                    ship_to["city"],
                    ship_to.get("postal_code", ""),
                    ship_to["country"],
                    ship_to["phone"],
                ],
            )
            order_id = cursor.fetchone()[0]
    return JsonResponse({"id": order_id, "number": number, "status": "pending_payment"}, status=201)
