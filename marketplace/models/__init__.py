from marketplace.models.accounts import Role, User
from marketplace.models.catalog import Category, Listing, ListingImage
from marketplace.models.customs import DutyRate, RestrictedGoods, TaxRegime
from marketplace.models.fx import ExchangeRate
from marketplace.models.shops import Shop

__all__ = [
    "Category",
    "DutyRate",
    "ExchangeRate",
    "Listing",
    "ListingImage",
    "RestrictedGoods",
    "Role",
    "Shop",
    "TaxRegime",
    "User",
]
