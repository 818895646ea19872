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
    assert not backend.verify_claims({"email": "alice@example.org", "email_verified": False})
    assert not backend.verify_claims({"sub": "x"})


@override_settings(
    OIDC_RP_CLIENT_ID="sparring",
    OIDC_RP_CLIENT_SECRET="secret",
    OIDC_OP_TOKEN_ENDPOINT="http://127.0.0.1:1/token",
    OIDC_OP_USER_ENDPOINT="http://127.0.0.1:1/userinfo",
    OIDC_OP_JWKS_ENDPOINT="http://127.0.0.1:1/jwks",
)
def test_an_email_without_the_verified_claim_is_refused_unless_the_installation_trusts_it(db):
    backend = SparringOIDCBackend()
    assert not backend.verify_claims({"email": "alice@example.org"})
    with override_settings(OIDC_TRUST_EMAIL_WITHOUT_VERIFIED_CLAIM=True):
        assert backend.verify_claims({"email": "alice@example.org"}), "Entra ID, as configured"
        assert not backend.verify_claims({"email": "alice@example.org", "email_verified": False})
    with override_settings(OIDC_MATCH_CLAIM="sub"):
        assert backend.verify_claims({"sub": "x", "email": "alice@example.org"})
