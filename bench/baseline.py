"""The bare baseline: one hand-written SQL query returning JSON, no forms, no ORM, no templates.

It answers the same question as the catalog list (a page of 24 published listings with shop,
category and first thumbnail; optional full-text search ranked title-first, category and origin
filters), so the ratio catalog/baseline shows what the framework layers cost.
"""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse

SELECT = """
SELECT l.id, l.title, l.price_amount::text, l.currency, l.origin_country, l.stock,
       s.name, s.slug, c.slug,
       (SELECT i.thumbnail FROM marketplace_listingimage i
         WHERE i.listing_id = l.id ORDER BY i.position, i.id LIMIT 1)
  FROM marketplace_listing l
  JOIN marketplace_shop s ON s.id = l.shop_id
  JOIN marketplace_category c ON c.id = l.category_id
 WHERE l.is_active
"""


def baseline(request: HttpRequest) -> JsonResponse:
    sql, params = SELECT, []
    search = request.GET.get("search", "")[:200]
    if search:
        sql += " AND l.search_vector @@ websearch_to_tsquery('ewtp_search', %s)"
        params.append(search)
    if request.GET.get("category"):
        sql += " AND c.slug = %s"
        params.append(request.GET["category"][:80])
    if request.GET.get("origin_country"):
        sql += " AND l.origin_country = %s"
        params.append(request.GET["origin_country"][:2])
    if search:
        sql += " ORDER BY ts_rank(l.search_vector, websearch_to_tsquery('ewtp_search', %s)) DESC,"
        params.append(search)
    else:
        sql += " ORDER BY"
    sql += " l.created_at DESC, l.id DESC LIMIT 24"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    keys = (
        "id",
        "title",
        "price",
        "currency",
        "origin_country",
        "stock",
        "shop",
        "shop_slug",
        "category",
        "thumb",
    )
    return JsonResponse({"results": [dict(zip(keys, row, strict=True)) for row in rows]})
