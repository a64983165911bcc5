"""The published Twilio signature vectors pass through our check; the URL is the public one, not Host."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import make_mocked_request
from multidict import MultiDict

from connectors.twilio.signature import form_params, is_valid, public_url

VECTORS = json.loads(
    (Path(__file__).resolve().parents[2] / "fixtures/twilio/signature_vectors/vectors.json").read_text()
)
TOKEN: str = VECTORS["auth_token"]


def _params(case: dict[str, Any]) -> MultiDict[str] | dict[str, str]:
    if "params_multi" in case:
        return MultiDict((k, v) for k, v in case["params_multi"])
    return dict(case.get("params", {}))


@pytest.mark.parametrize("case", VECTORS["cases"], ids=[c["name"] for c in VECTORS["cases"]])
def test_published_vectors(case: dict[str, Any]) -> None:
    if "raw_body" in case:
        assert hashlib.sha256(case["raw_body"].encode()).hexdigest() == case["body_sha256_hex"]
        # JSON bodies are signed through the URL's bodySHA256; the validator checks the body's hash.
        from twilio.request_validator import RequestValidator

        assert RequestValidator(TOKEN).validate(case["url"], case["raw_body"], case["signature"])
        return
    assert is_valid(TOKEN, case["url"], _params(case), case["signature"]) is case["valid"]


@pytest.mark.parametrize(
    "case", [c for c in VECTORS["cases"] if "raw_body" not in c], ids=lambda c: c["name"]
)
def test_any_change_breaks_the_signature(case: dict[str, Any]) -> None:
    params = _params(case)
    assert not is_valid(TOKEN, case["url"] + "&x=1", params, case["signature"])
    assert not is_valid(TOKEN.upper() + "0", case["url"], params, case["signature"])
    assert not is_valid(TOKEN, case["url"], params, "")
    tampered = MultiDict(params)
    tampered.add("Body", "injected")
    assert not is_valid(TOKEN, case["url"], tampered, case["signature"])


def test_duplicate_keys_survive_form_decoding() -> None:
    case = next(c for c in VECTORS["cases"] if c["name"] == "duplicate_keys_sorted_and_deduplicated")
    body = "&".join(f"{k}={v}" for k, v in case["params_multi"]).encode()
    assert is_valid(TOKEN, case["url"], form_params(body), case["signature"])


def test_the_public_url_is_used_never_the_host_header() -> None:
    request = make_mocked_request(
        "POST", "/webhooks/twilio?city=bogot%C3%A1&x=1", headers={"Host": "10.0.0.7:8080"}
    )
    assert public_url("https://ventanilla.example.org/", request) == (
        "https://ventanilla.example.org/webhooks/twilio?city=bogot%C3%A1&x=1"
    )
    # A path prefix the proxy strips stays part of what Twilio signed.
    assert public_url("https://city.gov/ventanilla", request).startswith(
        "https://city.gov/ventanilla/webhooks/"
    )
