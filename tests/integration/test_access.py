"""FIDELITY §2 over a real socket: every access, authentication and authorization message and status."""

from __future__ import annotations

import hashlib

import pytest

from tests.support import AUTH, Http, Reply


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def assert_error(reply: Reply, status: int, message: str) -> None:
    assert (reply.status, reply.text) == (status, f"result=error;message={message}")


def test_banned_ip_is_refused_before_anything_else(banned_server: Http) -> None:
    assert_error(banned_server.post(f"action=GetProducts&{AUTH}&accesskey=letmein"), 403, "IP Banned")


def test_ip_outside_the_allow_list_is_refused_with_the_callers_address(restricted_server: Http) -> None:
    assert_error(restricted_server.post(f"action=GetProducts&{AUTH}"), 403, "Invalid IP 127.0.0.1")


def test_wrong_access_key_is_refused(restricted_server: Http) -> None:
    reply = restricted_server.post(f"action=GetProducts&{AUTH}&accesskey=nope")
    assert_error(reply, 403, "Invalid Access Key")


def test_matching_access_key_skips_the_ip_check(restricted_server: Http) -> None:
    reply = restricted_server.post(f"action=GetProducts&{AUTH}&accesskey=letmein&responsetype=json")
    assert reply.status == 200
    assert reply.body.startswith(b'{"result":"success"')


def test_an_empty_access_key_is_no_access_key(restricted_server: Http, access_server: Http) -> None:
    # Node clients send `accesskey=` next to their credentials: an allowed caller still gets in ...
    reply = access_server.post(f"action=GetProducts&{AUTH}&accesskey=&responsetype=json")
    assert reply.status == 200
    assert reply.body.startswith(b'{"result":"success"')
    # ... and a caller off the allow-list is refused for its address, not for the key.
    assert_error(restricted_server.post(f"action=GetProducts&{AUTH}&accesskey="), 403, "Invalid IP 127.0.0.1")


def test_a_wrong_access_key_is_refused_even_from_an_allowed_address(access_server: Http) -> None:
    assert_error(access_server.post(f"action=GetProducts&{AUTH}&accesskey=nope"), 403, "Invalid Access Key")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("identifier=unknown&secret=x", "Invalid or missing credentials"),
        ("identifier=&secret=x", "Invalid or missing credentials"),
        ("identifier=orphan-identifier&secret=orphan-secret", "Invalid administrative identifier"),
        ("identifier=disabled-identifier&secret=disabled-secret", "Administrator Account Disabled"),
        ("identifier=mockwhmcs-identifier&secret=wrong", "Authentication Failed"),
        ("", "Authentication Failed"),
    ],
)
def test_api_credential_failures(access_server: Http, body: str, message: str) -> None:
    assert_error(access_server.post(f"action=GetProducts&{body}"), 403, message)


def test_api_credentials_may_arrive_as_username_and_password(access_server: Http) -> None:
    reply = access_server.post("action=GetProducts&username=mockwhmcs-identifier&password=mockwhmcs-secret"
                               "&responsetype=json")
    assert reply.status == 200


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        ("nobody", md5("x"), "Authentication Failed"),
        ("disabled", md5("disabled-password"), "Administrator Account Disabled"),
        ("admin", "admin-password", "Invalid password provided"),
        ("admin", md5("wrong"), "Authentication Failed"),
        ("noapi", md5("noapi-password"), "Access Denied"),
    ],
)
def test_legacy_admin_login_failures(access_server: Http, username: str, password: str, message: str) -> None:
    reply = access_server.post(f"action=GetProducts&username={username}&password={password}")
    assert_error(reply, 403, message)


def test_legacy_admin_login_with_md5_password_succeeds(access_server: Http) -> None:
    reply = access_server.post(f"action=GetProducts&username=admin&password={md5('admin-password')}"
                               "&responsetype=json")
    assert reply.status == 200


def test_empty_action_is_a_400(access_server: Http) -> None:
    assert_error(access_server.post(f"action=&{AUTH}"), 400, "Empty action request")
    assert_error(access_server.post(AUTH), 400, "Empty action request")


def test_unknown_action_with_api_credentials(access_server: Http) -> None:
    assert_error(access_server.post(f"action=Foo&{AUTH}"), 403,
                 'Invalid API Action: "foo" is not a valid API action')


def test_unknown_action_with_legacy_login_is_http_200(access_server: Http) -> None:
    reply = access_server.post(f"action=Foo&username=admin&password={md5('admin-password')}")
    assert_error(reply, 200, "API Function Not Found")


def test_role_without_the_action_is_refused_with_the_lower_cased_name(access_server: Http) -> None:
    reply = access_server.post("action=GetProducts&identifier=orders-only&secret=orders-secret")
    assert_error(reply, 403, 'Invalid Permissions: API action "getproducts" is not allowed')


def test_authentication_is_checked_before_the_action(access_server: Http) -> None:
    assert_error(access_server.post("action=Foo&identifier=unknown&secret=x"), 403,
                 "Invalid or missing credentials")


@pytest.mark.parametrize("name", ["GetAnnouncements", "get_announcements", "getannouncements"])
def test_real_but_unimplemented_action_says_so_with_http_200(access_server: Http, name: str) -> None:
    reply = access_server.post(f"action={name}&{AUTH}")
    assert_error(reply, 200, "mockwhmcs does not implement the WHMCS API action GetAnnouncements yet")
    assert reply.headers["X-Mockwhmcs-Warning"] == (
        "GetAnnouncements is a real WHMCS API action that mockwhmcs does not implement yet: a real WHMCS "
        "would run it")


def test_real_but_unimplemented_action_with_legacy_login(access_server: Http) -> None:
    reply = access_server.post(f"action=GetAnnouncements&username=admin&password={md5('admin-password')}"
                               "&responsetype=json")
    assert (reply.status, reply.text) == (200, '{"result":"error","message":"mockwhmcs does not implement '
                                               'the WHMCS API action GetAnnouncements yet"}')


def test_role_without_a_real_unimplemented_action_is_refused_first(access_server: Http) -> None:
    reply = access_server.post("action=GetAnnouncements&identifier=orders-only&secret=orders-secret")
    assert_error(reply, 403, 'Invalid Permissions: API action "getannouncements" is not allowed')
