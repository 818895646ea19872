from __future__ import annotations

from django.test import override_settings

from accounts.oidc import SparringOIDCBackend


@override_settings(
    OIDC_RP_CLIENT_ID="sparring",
    OIDC_RP_CLIENT_SECRET="secret",
    OIDC_OP_TOKEN_ENDPOINT="http://127.0.0.1:1/token",
    OIDC_OP_USER_ENDPOINT="http://127.0.0.1:1/userinfo",
    OIDC_OP_JWKS_ENDPOINT="http://127.0.0.1:1/jwks",
)
def test_an_unverified_email_is_refused(db):
    backend = SparringOIDCBackend()
    assert backend.verify_claims({"email": "alice@example.org", "email_verified": True})
    assert backend.verify_claims({"email": "alice@example.org"}), "Entra sends no such claim"
    assert not backend.verify_claims({"email": "alice@example.org", "email_verified": False})
    assert not backend.verify_claims({"sub": "x"})
