"""`POST /api/v1/auth/logout/`: revoke the caller's API token."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ewtp.authentication import TokenAuthentication
from marketplace.services.tokens import token_revoke


class LogoutView(APIView):
    """Deletes the token the request was made with; it stops working at once."""

    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    def get_authenticate_header(self, request) -> str:
        return "Token"

    @extend_schema(
        summary="Revoke the API token this request is made with",
        request=None,
        responses={204: OpenApiResponse(description="The token is deleted; log in again for a new one.")},
    )
    def post(self, request):
        token_revoke(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)
