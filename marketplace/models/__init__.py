from marketplace.models.catalog import Category, Listing, ListingImage
from marketplace.models.currency import ExchangeRate
from marketplace.models.shops import Shop
from marketplace.models.users import Role, User

__all__ = ["Category", "ExchangeRate", "Listing", "ListingImage", "Role", "Shop", "User"]
