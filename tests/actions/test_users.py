"""WHMCS 8 users: GetUsers, AddUser, ValidateLogin and CreateSsoToken."""

from __future__ import annotations

import re

import pytest

from mockwhmcs.store.store import Store
from tests.actions.conftest import CallAction
from tests.actions.helpers import api_error

NEW_USER = {"firstname": "Grace", "lastname": "Hopper", "email": "grace@example.com", "password2": "cobol"}


def user_ids(response: dict[str, object]) -> list[int]:
    return [user["id"] for user in response["users"]]  # type: ignore[attr-defined]


# --- GetUsers -------------------------------------------------------------------------------------


def test_get_users_shape(call: CallAction) -> None:
    assert call("GetUsers", limitnum="1") == {
        "result": "success", "totalresults": 2, "startnumber": 0, "numreturned": 1,
        "users": [{"id": 1, "firstname": "Ada", "lastname": "Lovelace", "email": "ada@example.com",
                   "datecreated": "0000-00-00 00:00:00", "validationdata": "",
                   "clients": [{"id": 1, "isOwner": True}]}],
    }


@pytest.mark.parametrize(("params", "expected"), [
    ({}, [1, 2, 3]),
    ({"sorting": "DESC"}, [3, 2, 1]),
    ({"search": "grace h"}, [3]),
    ({"search": "HOP"}, [3]),
    ({"search": "closed@"}, [2]),
    ({"search": "example"}, []),
    ({"limitstart": "1", "limitnum": "1"}, [2]),
    ({"search": "a", "sorting": "DESC"}, [1]),
])
def test_get_users_searches_and_pages(call: CallAction, params: dict[str, str], expected: list[int]) -> None:
    call("AddUser", **NEW_USER)
    assert user_ids(call("GetUsers", **params)) == expected


def test_get_users_shows_every_client_a_user_can_access(call: CallAction) -> None:
    call("AddClient", owner_user_id="1", email="second@example.com", skipvalidation="1")
    assert call("GetUsers", search="ada")["users"][0]["clients"] == [
        {"id": 1, "isOwner": True}, {"id": 3, "isOwner": True}]


# --- AddUser --------------------------------------------------------------------------------------


def test_add_user(call: CallAction, store: Store) -> None:
    assert call("AddUser", **NEW_USER, language="english") == {"result": "success", "user_id": 3}
    user = store.users.rows[3]
    assert (user.email, user.language, user.datecreated, user.twofactor) == (
        "grace@example.com", "english", "2026-01-15 10:00:00", False)
    assert list(store.user_clients.where("auth_user_id", 3)) == []


@pytest.mark.parametrize(("change", "message"), [
    ({"firstname": ""}, "You did not enter a first name"),
    ({"lastname": " "}, "You did not enter a last name"),
    ({"email": ""}, "You did not enter an email address"),
    ({"password2": ""}, "You did not enter a password"),
    ({"email": "grace@", "password2": ""}, "You did not enter a password"),
    ({"email": "grace@"}, "The email address entered is not valid"),
    ({"email": "ADA@example.com"}, "A user already exists with that email address"),
])
def test_add_user_errors(call: CallAction, store: Store, change: dict[str, str], message: str) -> None:
    assert api_error(call, "AddUser", **(NEW_USER | change)).message == message
    assert len(store.users) == 2


# --- ValidateLogin --------------------------------------------------------------------------------


def test_validate_login_answers_the_user_and_a_session_token(call: CallAction, store: Store) -> None:
    response = call("ValidateLogin", email="Ada@Example.com", password2="ada-password")
    assert list(response) == ["result", "userid", "passwordhash", "twoFactorEnabled"]
    assert (response["userid"], response["twoFactorEnabled"]) == (1, False)
    assert re.fullmatch(r"[0-9a-f]{40}", response["passwordhash"])
    user = store.users.rows[1]
    assert (user.last_login, user.last_ip) == ("2026-01-15 10:00:00", "127.0.0.1")
    # Seeded: the same token after a reset.
    store.reset()
    assert call("ValidateLogin", email="ada@example.com", password2="ada-password") == response


def test_validate_login_answers_the_user_not_the_client(call: CallAction) -> None:
    added = call("AddClient", owner_user_id="1", email="second@example.com", skipvalidation="1")
    clientid = added["clientid"]
    call("AddUser", **NEW_USER)
    assert clientid == 3
    assert call("ValidateLogin", email="grace@example.com", password2="cobol")["userid"] == 3
    assert call("ValidateLogin", email="ada@example.com", password2="ada-password")["userid"] == 1


@pytest.mark.parametrize(("email", "password"), [
    ("ada@example.com", "wrong"), ("ada@example.com", ""), ("", "ada-password"),
    ("nobody@example.com", "ada-password"), ("ada@example.com", "ADA-PASSWORD"),
    # A user made for a scenario client has no password: it cannot log in.
    ("closed@example.com", ""),
])
def test_validate_login_refuses_a_wrong_email_or_password(
    call: CallAction, store: Store, email: str, password: str,
) -> None:
    assert api_error(call, "ValidateLogin", email=email, password2=password).message == (
        "Email or Password Invalid")
    assert store.users.rows[1].last_login == ""


def test_validate_login_for_a_two_factor_user_gives_no_session(call: CallAction, store: Store) -> None:
    store.users.rows[1].twofactor = True
    assert call("ValidateLogin", email="ada@example.com", password2="ada-password") == {
        "result": "success", "userid": 1, "twoFactorEnabled": True}


# --- CreateSsoToken -------------------------------------------------------------------------------


def test_create_sso_token_for_a_client_signs_in_its_owner(call: CallAction, store: Store) -> None:
    response = call("CreateSsoToken", client_id="1", destination="clientarea:product_details",
                    service_id="10")
    assert list(response) == ["result", "access_token", "redirect_url"]
    token = response["access_token"]
    assert re.fullmatch(r"[0-9a-f]{40}", token)
    assert response["redirect_url"] == f"http://localhost/oauth/singlesignon.php?access_token={token}"
    (issued,) = store.sso_tokens
    assert (issued.token, issued.userid, issued.user_id, issued.destination, issued.service_id) == (
        token, 1, 1, "clientarea:product_details", 10)


def test_create_sso_token_for_a_user_alone(call: CallAction, store: Store) -> None:
    call("CreateSsoToken", user_id="2", destination="sso:custom_redirect",
         sso_redirect_path="cart.php?a=view")
    (issued,) = store.sso_tokens
    assert (issued.userid, issued.user_id, issued.destination, issued.redirect_path) == (
        0, 2, "sso:custom_redirect", "cart.php?a=view")


def test_create_sso_tokens_differ_and_repeat_with_the_seed(call: CallAction, store: Store) -> None:
    first = call("CreateSsoToken", client_id="1")["access_token"]
    second = call("CreateSsoToken", client_id="1")["access_token"]
    store.reset()
    assert first != second
    assert call("CreateSsoToken", client_id="1")["access_token"] == first


@pytest.mark.parametrize(("params", "message"), [
    ({"client_id": "99"}, "Invalid client_id"),
    ({"user_id": "99"}, "Invalid user_id"),
    ({"client_id": "1", "user_id": "2"}, "Invalid user_id for client"),
    ({}, "A valid client_id or user_id is required"),
    ({"client_id": "0"}, "A valid client_id or user_id is required"),
    ({"client_id": "1", "destination": "clientarea:nowhere"}, "Invalid destination"),
])
def test_create_sso_token_errors(
    call: CallAction, store: Store, params: dict[str, str], message: str,
) -> None:
    assert api_error(call, "CreateSsoToken", **params).message == message
    assert len(store.sso_tokens) == 0


def test_create_sso_token_refuses_a_client_that_blocks_it(call: CallAction, store: Store) -> None:
    store.clients.rows[2].allow_sso = False
    assert api_error(call, "CreateSsoToken", client_id="2").message == (
        "SSO authentication blocked for client 2")
