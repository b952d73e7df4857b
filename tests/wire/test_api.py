"""Response-format resolution and secret redaction, below the HTTP layer."""

from __future__ import annotations

import pytest

from mockwhmcs.actions.registry import Action
from mockwhmcs.errors import ApiError
from mockwhmcs.wire.api import response_format
from mockwhmcs.wire.redact import REDACTED, redact_params


def make_action(list_style: bool) -> Action:
    empty: frozenset[str] = frozenset()
    return Action("Example", lambda call: {}, list_style, empty, empty, empty)


def test_non_list_actions_default_to_nvp() -> None:
    assert response_format(None, make_action(list_style=False)) == "nvp"


def test_list_style_actions_default_to_xml() -> None:
    assert response_format(None, make_action(list_style=True)) == "xml"


@pytest.mark.parametrize(("raw", "fmt"), [("json", "json"), ("JSON", "json"), ("Xml", "xml"), ("NVP", "nvp")])
def test_response_type_is_lower_cased(raw: str, fmt: str) -> None:
    assert response_format(raw, make_action(list_style=False)) == fmt


def test_nvp_is_refused_for_list_style_actions_whatever_its_case() -> None:
    with pytest.raises(ApiError, match="only supports the XML or JSON"):
        response_format("NVP", make_action(list_style=True))


def test_unsupported_format_names_the_value_sent() -> None:
    with pytest.raises(ApiError) as error:
        response_format("yaml", make_action(list_style=False))
    assert error.value.message == (
        'Unsupported API response type format "yaml". Supported formats include: json, xml, nvp'
    )


def test_secrets_in_decoded_params_are_redacted_arrays_included() -> None:
    params = {"identifier": "id", "secret": "s", "rootpw": {0: "a", 1: "b"}, "clientid": "1"}
    assert redact_params(params) == {
        "identifier": "id", "secret": REDACTED, "rootpw": {0: REDACTED, 1: REDACTED}, "clientid": "1",
    }
