"""URLs of the test OpenID Connect provider (#15 item 1).

The issuer is ``http://127.0.0.1:<port>/o``: discovery at ``/o/.well-known/openid-configuration``,
then ``/o/authorize/``, ``/o/token/``, ``/o/userinfo/`` and ``/o/.well-known/jwks.json``. Signing
in happens on ``/accounts/login/``, a plain form as a browser meets at any identity provider.
"""

from __future__ import annotations

from django.contrib.auth.views import LoginView, LogoutView
from django.urls import include, path
from oauth2_provider.urls import base_urlpatterns, oidc_urlpatterns

urlpatterns = [
    path(
        "accounts/login/",
        LoginView.as_view(template_name="oidc_provider/login.html"),
        name="login",
    ),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    path("o/", include((base_urlpatterns + oidc_urlpatterns, "oauth2_provider"))),
]
