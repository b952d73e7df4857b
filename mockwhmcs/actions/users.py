"""WHMCS 8's users, who log in and own or access client accounts: GetUsers, AddUser, ValidateLogin and
CreateSsoToken."""

from __future__ import annotations

from ..errors import ApiError
from ..store.models import Client, SsoToken, User
from ..store.store import password_hash
from .clients import new_user, owner_of, user_by_email
from .common import page_bounds, table_page, valid_email
from .registry import Call, Response, action

# Where a CreateSsoToken may send the user (WHMCS's single sign-on customisation guide).
DESTINATIONS = frozenset({
    "clientarea:homepage", "clientarea:profile", "clientarea:billing_info", "clientarea:emails",
    "clientarea:product_details", "clientarea:domain_details", "clientarea:domain_dns",
    "clientarea:domain_epp_code", "clientarea:domain_contacts", "clientarea:domain_email_forwarding",
    "clientarea:domain_registrar_lock", "clientarea:domain_addons", "clientarea:domain_nameservers",
    "clientarea:services", "clientarea:domains", "clientarea:invoices", "clientarea:quotes",
    "clientarea:tickets", "clientarea:submit_ticket", "clientarea:downloads", "clientarea:announcements",
    "clientarea:knowledgebase", "clientarea:network_status", "clientarea:affiliates",
    "clientarea:contact_us", "clientarea:user_management", "clientarea:user_security",
    "clientarea:product_upgrade", "clientarea:add_funds", "sso:custom_redirect",
})


def _token(call: Call) -> str:
    """40 hex digits from the store's seeded random sequence, so a run with the same seed repeats them."""
    return f"{call.store.random.getrandbits(160):040x}"


@action("GetUsers", list_style=True, params=("limitstart", "limitnum", "sorting", "search"))
def get_users(call: Call) -> Response:
    store = call.store
    start, limit = page_bounds(call)
    search = call.text("search").lower()
    descending = call.text("sorting").upper() == "DESC"
    if search:
        matches = [user for user in (reversed(store.users) if descending else store.users)
                   if any(name.lower().startswith(search)
                          for name in (user.email, user.firstname, user.lastname,
                                       f"{user.firstname} {user.lastname}"))]
        total, page = len(matches), matches[start:start + limit]
    else:
        total, page = table_page(store.users, start, limit, descending=descending)
    return {
        "result": "success", "totalresults": total, "startnumber": start, "numreturned": len(page),
        "users": [
            {"id": user.id, "firstname": user.firstname, "lastname": user.lastname, "email": user.email,
             "datecreated": user.datecreated, "validationdata": "",
             "clients": [{"id": link.client_id, "isOwner": link.owner}
                         for link in store.user_clients.where("auth_user_id", user.id)]}
            for user in page
        ],
    }


# AddUser's required fields, in the order it checks them (adduser.md).
_REQUIRED = (
    ("firstname", "You did not enter a first name"),
    ("lastname", "You did not enter a last name"),
    ("email", "You did not enter an email address"),
    ("password2", "You did not enter a password"),
)


@action("AddUser", params=("firstname", "lastname", "email", "password2", "language"), mutates=True)
def add_user(call: Call) -> Response:
    store = call.store
    for name, message in _REQUIRED:
        if not call.text(name).strip():
            raise ApiError(message)
    email = call.text("email").strip()
    if not valid_email(email):
        raise ApiError("The email address entered is not valid")
    if user_by_email(store, email):
        raise ApiError("A user already exists with that email address")
    user = new_user(call, email)
    return {"result": "success", "user_id": user.id}


# ValidateLogin starts a session (its token comes from the random sequence) and records the login.
@action("ValidateLogin", params=("email", "password2"), mutates=True)
def validate_login(call: Call) -> Response:
    store = call.store
    user = user_by_email(store, call.text("email").strip()) if call.text("email").strip() else None
    password = call.text("password2")
    if user is None or not user.password or password_hash(password) != user.password:
        raise ApiError("Email or Password Invalid")
    user.last_login, user.last_ip = store.now(), call.ip
    response: Response = {"result": "success", "userid": user.id}
    # A user with two-factor authentication must still pass it: no session token yet.
    if not user.twofactor:
        response["passwordhash"] = _token(call)
    response["twoFactorEnabled"] = user.twofactor
    return response


@action("CreateSsoToken",
        params=("client_id", "user_id", "destination", "service_id", "domain_id", "sso_redirect_path"),
        mutates=True)
def create_sso_token(call: Call) -> Response:
    store = call.store
    client: Client | None = None
    user: User | None = None
    if call.int("client_id"):
        client = store.clients.get(call.int("client_id"))
        if client is None:
            raise ApiError("Invalid client_id")
    if call.int("user_id"):
        user = store.users.get(call.int("user_id"))
        if user is None:
            raise ApiError("Invalid user_id")
        if client is not None and not any(
            link.client_id == client.id for link in store.user_clients.where("auth_user_id", user.id)
        ):
            raise ApiError("Invalid user_id for client")
    elif client is not None:
        # No user_id: the token signs in the client's owner (createssotoken.md).
        user = owner_of(store, client)
    if user is None:
        raise ApiError("A valid client_id or user_id is required")
    if call.text("destination") and call.text("destination") not in DESTINATIONS:
        raise ApiError("Invalid destination")
    if client is not None and not client.allow_sso:
        raise ApiError(f"SSO authentication blocked for client {client.id}")
    token = _token(call)
    store.sso_tokens.add(SsoToken(
        id=store.sso_tokens.new_id(), token=token, userid=client.id if client else 0, user_id=user.id,
        destination=call.text("destination") or "clientarea:homepage", service_id=call.int("service_id"),
        domain_id=call.int("domain_id"), redirect_path=call.text("sso_redirect_path"), created=store.now(),
    ))
    return {
        "result": "success",
        "access_token": token,
        "redirect_url": f"{store.catalog.settings.system_url}oauth/singlesignon.php?access_token={token}",
    }
