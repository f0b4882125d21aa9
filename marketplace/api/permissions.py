from rest_framework import permissions

from marketplace.models import Role


class IsSellerOrReadOnly(permissions.BasePermission):
    """Anyone reads; only sellers create; only the owning seller changes a listing."""

    message = "Only sellers can list goods."

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_authenticated and request.user.role == Role.SELLER)

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        self.message = "You can only change listings of your own shop."
        return obj.shop.owner_id == request.user.pk
