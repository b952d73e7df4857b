"""WHMCS entities, named and shaped after WHMCS's own tables and API fields.

Catalog entities (products, addons, TLDs, …) come from the scenario and never change while it is
loaded; they are frozen. Records (clients, orders, services, …) are what actions create and change.
Records hold only flat values or values that are replaced whole, never mutated in place, so a
shallow copy of each row is a full snapshot: that is what keeps reset cheap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal("0.00")
NO_DATE = "0000-00-00"
NO_TIME = "0000-00-00 00:00:00"


# --- catalog -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Currency:
    id: int
    code: str
    prefix: str
    suffix: str
    rate: Decimal = Decimal("1.00000")
    default: bool = False
    # How amounts are written: 1 = 1234.56, 2 = 1,234.56, 3 = 1.234,56, 4 = 1,234 (WHMCS's formats).
    format: int = 1


@dataclass(frozen=True, slots=True)
class PaymentMethod:
    module: str
    displayname: str


@dataclass(frozen=True, slots=True)
class Admin:
    username: str
    password: str
    api_access: bool = True
    disabled: bool = False
    # tbladmins.id: what a ticket's flag holds (UpdateTicket's ``flag``), and what names the admin who
    # placed an order through the API (admin_requestor_id).
    id: int = 0


def action_key(name: str) -> str:
    """How WHMCS matches action names: case-insensitive, non-alphanumerics stripped (add_order)."""
    if name.isascii() and name.isalnum():
        return name.lower()
    return re.sub(r"[^a-z0-9]", "", name.lower())


@dataclass(frozen=True, slots=True)
class ApiCredential:
    identifier: str
    secret: str
    admin: str | None
    # Lower-cased, normalised action names; None means every action.
    allowed_actions: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class ProductGroup:
    id: int
    name: str


# Pricing per currency code: {"USD": {"monthly": Decimal, "msetupfee": Decimal, …}} with all twelve
# keys present; a disabled cycle is -1.00, as WHMCS stores it.
Pricing = dict[str, dict[str, Decimal]]


@dataclass(frozen=True, slots=True)
class CustomField:
    id: int
    name: str
    description: str = ""
    required: bool = False


@dataclass(frozen=True, slots=True)
class ConfigOptionChoice:
    """One choice of a configurable option (a dropdown entry), with its own price per cycle."""

    id: int
    name: str
    pricing: Pricing = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ConfigOption:
    """A configurable option: dropdown or radio (pick a choice), yesno, or quantity (units of the
    first choice's price)."""

    id: int
    name: str
    type: str = "dropdown"
    options: tuple[ConfigOptionChoice, ...] = ()
    minqty: int = 0
    maxqty: int = 0


@dataclass(frozen=True, slots=True)
class Product:
    id: int
    gid: int
    name: str
    type: str = "hostingaccount"
    paytype: str = "recurring"
    module: str = ""
    autosetup: str = ""
    allowqty: str = "0"
    description: str = ""
    slug: str = ""
    pricing: Pricing = field(default_factory=dict)
    customfields: tuple[CustomField, ...] = ()
    configoptions: tuple[ConfigOption, ...] = ()


@dataclass(frozen=True, slots=True)
class Addon:
    id: int
    name: str
    packages: tuple[int, ...] = ()
    billingcycle: str = ""
    module: str = ""
    autosetup: str = ""
    description: str = ""
    pricing: Pricing = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Tld:
    tld: str
    # {"USD": {1: Decimal("9.95"), 2: …}} keyed by registration years.
    register: dict[str, dict[int, Decimal]] = field(default_factory=dict)
    transfer: dict[str, dict[int, Decimal]] = field(default_factory=dict)
    renew: dict[str, dict[int, Decimal]] = field(default_factory=dict)
    registrar: str = ""
    # What GetTLDPricing shows besides the prices: the domain shop's categories and group label
    # ("" | hot | new | sale), the domain addons offered, and the grace and redemption periods in
    # days (None: the registry's default).
    categories: tuple[str, ...] = ("Other",)
    group: str = ""
    dnsmanagement: bool = False
    emailforwarding: bool = False
    idprotection: bool = False
    grace_period: int | None = None
    redemption_period: int | None = None
    # The pricing row's id (tbldomainpricing), numbered in file order like every scenario id.
    id: int = 0


@dataclass(frozen=True, slots=True)
class Promotion:
    id: int
    code: str
    type: str
    value: Decimal
    appliesto: tuple[int, ...] = ()
    expires: str = NO_DATE
    recurring: bool = False
    maxuses: int = 0
    # Addon ids and TLDs the promotion also discounts, the product cycles it is limited to (empty =
    # all), the day it starts, and how often it was used before the scenario began.
    addons: tuple[int, ...] = ()
    tlds: tuple[str, ...] = ()
    cycles: tuple[str, ...] = ()
    startdate: str = NO_DATE
    uses: int = 0
    # Conditions GetPromotions shows as the WHMCS admin set them; orders do not check them.
    recurfor: int = 0
    lifetimepromo: bool = False
    applyonce: bool = False
    newsignups: bool = False
    existingclient: bool = False
    onceperclient: bool = False
    notes: str = ""


@dataclass(frozen=True, slots=True)
class FraudModule:
    """A fraud protection module (OrderFraudCheck): whether it is active, and what its check answers:
    Pass, Fail, or an error message."""

    name: str
    active: bool = True
    check: str = "Pass"


@dataclass(frozen=True, slots=True)
class Server:
    id: int
    name: str
    module: str = ""
    hostname: str = ""
    ipaddress: str = ""


@dataclass(frozen=True, slots=True)
class SupportDepartment:
    id: int
    name: str
    email: str = ""


# --- records -------------------------------------------------------------------------------------


# The notification kinds a client or contact can opt out of, in the order GetClientsDetails shows them.
EMAIL_KINDS = ("general", "invoice", "support", "product", "domain", "affiliate")


@dataclass(slots=True)
class Client:
    id: int
    firstname: str
    lastname: str
    email: str
    status: str = "Active"
    companyname: str = ""
    address1: str = ""
    address2: str = ""
    city: str = ""
    state: str = ""
    postcode: str = ""
    country: str = ""
    phonenumber: str = ""
    tax_id: str = ""
    currency: int = 1
    groupid: int = 0
    datecreated: str = NO_DATE
    notes: str = ""
    language: str = ""
    # The client's default payment gateway module ("" = the system default).
    defaultgateway: str = ""
    credit: Decimal = ZERO
    uuid: str = ""
    # The kinds of email (EMAIL_KINDS, in that order) the client receives; replaced whole when changed.
    email_preferences: tuple[str, ...] = EMAIL_KINDS
    marketing_emails_opt_in: bool = False
    taxexempt: bool = False
    latefeeoveride: bool = False
    overideduenotices: bool = False
    separateinvoices: bool = False
    disableautocc: bool = False
    overrideautoclose: bool = False
    allow_sso: bool = True


@dataclass(slots=True)
class Contact:
    id: int
    userid: int
    firstname: str
    lastname: str
    email: str
    companyname: str = ""
    address1: str = ""
    address2: str = ""
    city: str = ""
    state: str = ""
    postcode: str = ""
    country: str = ""
    phonenumber: str = ""
    tax_id: str = ""
    # The kinds of email (EMAIL_KINDS, in that order) the contact receives.
    email_preferences: tuple[str, ...] = ()
    created_at: str = "0000-00-00 00:00:00"
    updated_at: str = "0000-00-00 00:00:00"


@dataclass(slots=True)
class User:
    """A WHMCS 8 user (tblusers): someone who logs in, and may own or access several client accounts."""

    id: int
    firstname: str
    lastname: str
    email: str
    # A hash of the password (users.password_hash), never the password itself.
    password: str
    twofactor: bool = False
    language: str = ""
    email_verified: bool = False
    datecreated: str = "0000-00-00 00:00:00"
    last_login: str = ""
    last_ip: str = ""


@dataclass(slots=True)
class UserClient:
    """Which client accounts a user can access (tblusers_clients); ``owner`` marks the client's owner."""

    id: int
    auth_user_id: int
    client_id: int
    owner: bool = False


@dataclass(slots=True)
class SsoToken:
    """A single sign-on token CreateSsoToken issued: whom it signs in, and where it sends them."""

    id: int
    token: str
    # The client account signed in to (0: the user's own choice) and the user signed in.
    userid: int
    user_id: int
    destination: str
    service_id: int = 0
    domain_id: int = 0
    redirect_path: str = ""
    created: str = "0000-00-00 00:00:00"


@dataclass(slots=True)
class Order:
    id: int
    ordernum: str
    userid: int
    date: str
    status: str = "Pending"
    contactid: int = 0
    requestor_id: int = 0
    admin_requestor_id: int = 0
    nameservers: str = ""
    transfersecret: str = ""
    renewals: str = ""
    promocode: str = ""
    promotype: str = ""
    promovalue: str = ""
    orderdata: str = "[]"
    amount: Decimal = ZERO
    paymentmethod: str = ""
    invoiceid: int = 0
    ipaddress: str = ""
    fraudmodule: str = ""
    fraudoutput: str = ""
    notes: str = ""
    # 8.x columns of tblorders, at their column defaults: the mock takes orders only through the API and
    # sells no referral (MarketConnect) products.
    purchase_source: int = 4
    has_referral_products: int = 0
    # The affiliate credited with the order, and the on-demand renewals it bills (comma-separated
    # service and service addon ids; domain renewals are in `renewals` as "domainid=years").
    affid: int = 0
    servicerenewals: str = ""
    addonrenewals: str = ""


@dataclass(slots=True)
class Service:
    """A product instance (WHMCS calls these services; the table is tblhosting)."""

    id: int
    userid: int
    orderid: int
    packageid: int
    regdate: str
    billingcycle: str
    status: str = "Pending"
    server: int = 0
    domain: str = ""
    paymentmethod: str = ""
    qty: int = 1
    firstpaymentamount: Decimal = ZERO
    amount: Decimal = ZERO
    nextduedate: str = NO_DATE
    nextinvoicedate: str = NO_DATE
    termination_date: str = NO_DATE
    completed_date: str = NO_DATE
    username: str = ""
    password: str = ""
    notes: str = ""
    subscriptionid: str = ""
    promoid: int = 0
    dedicatedip: str = ""
    assignedips: str = ""
    ns1: str = ""
    ns2: str = ""
    suspendreason: str = ""
    overideautosuspend: bool = False
    overidesuspenduntil: str = NO_DATE
    # Disk and bandwidth usage and limits in megabytes, as UpdateClientProduct sets them.
    diskusage: int = 0
    disklimit: int = 0
    bwusage: int = 0
    bwlimit: int = 0
    # {field id: value} and {option id: value}, decoded from the order's serialized arrays.
    customfields: dict[int, str] = field(default_factory=dict)
    configoptions: dict[int, str] = field(default_factory=dict)


@dataclass(slots=True)
class ServiceAddon:
    """An addon attached to a service (tblhostingaddons)."""

    id: int
    orderid: int
    hostingid: int
    addonid: int
    userid: int
    name: str
    billingcycle: str
    regdate: str
    status: str = "Pending"
    qty: int = 1
    setupfee: Decimal = ZERO
    recurring: Decimal = ZERO
    nextduedate: str = NO_DATE
    nextinvoicedate: str = NO_DATE
    termination_date: str = NO_DATE
    paymentmethod: str = ""
    server: int = 0
    notes: str = ""


@dataclass(slots=True)
class Domain:
    id: int
    userid: int
    orderid: int
    domain: str
    type: str = "Register"
    registrationdate: str = NO_DATE
    registrationperiod: int = 1
    expirydate: str = NO_DATE
    nextduedate: str = NO_DATE
    nextinvoicedate: str = NO_DATE
    status: str = "Pending"
    registrar: str = ""
    firstpaymentamount: Decimal = ZERO
    recurringamount: Decimal = ZERO
    paymentmethod: str = ""
    dnsmanagement: bool = False
    emailforwarding: bool = False
    idprotection: bool = False
    donotrenew: bool = False
    idnlanguage: str = ""
    promoid: int = 0
    additionalnotes: str = ""
    subscriptionid: str = ""
    # TLD-specific fields from the order's serialized `domainfields`.
    domainfields: dict[int | str, str] = field(default_factory=dict)
    # What the registrar holds: nameservers (empty: the order's, else none known), the transfer lock,
    # the EPP code a transfer was started with, and the WHOIS contacts by type (Registrant, Admin,
    # Tech -> field -> value; empty: the client's own details).
    nameservers: tuple[str, ...] = ()
    locked: bool = False
    eppcode: str = ""
    whois: dict[str, dict[str, str | None]] = field(default_factory=dict)


@dataclass(slots=True)
class Invoice:
    id: int
    userid: int
    date: str
    duedate: str
    status: str = "Unpaid"
    invoicenum: str = ""
    datepaid: str = NO_TIME
    last_capture_attempt: str = NO_TIME
    date_refunded: str = NO_TIME
    date_cancelled: str = NO_TIME
    created_at: str = NO_TIME
    updated_at: str = NO_TIME
    # WHMCS's total is net of the credit applied: subtotal + tax + tax2 - credit.
    subtotal: Decimal = ZERO
    credit: Decimal = ZERO
    tax: Decimal = ZERO
    tax2: Decimal = ZERO
    total: Decimal = ZERO
    taxrate: Decimal = ZERO
    taxrate2: Decimal = ZERO
    paymentmethod: str = ""
    notes: str = ""


@dataclass(slots=True)
class InvoiceItem:
    id: int
    invoiceid: int
    userid: int
    type: str
    relid: int
    description: str
    amount: Decimal
    taxed: bool = False
    duedate: str = NO_DATE
    paymentmethod: str = ""


@dataclass(slots=True)
class Transaction:
    """Money received or paid out (WHMCS's tblaccounts): an invoice payment, a refund, a manual entry.

    ``currency`` is 0 for a client's transaction (the client's currency applies), else the currency id
    of a transaction that belongs to no client.
    """

    id: int
    userid: int
    date: str
    gateway: str = ""
    description: str = ""
    currency: int = 0
    amountin: Decimal = ZERO
    fees: Decimal = ZERO
    amountout: Decimal = ZERO
    rate: Decimal = Decimal("1.00000")
    transid: str = ""
    invoiceid: int = 0
    refundid: int = 0


@dataclass(slots=True)
class Credit:
    """One entry of a client's credit log (tblcredit): credit added (positive) or used/removed (negative)."""

    id: int
    clientid: int
    date: str
    description: str
    amount: Decimal
    relid: int = 0
    adminid: int = 0


@dataclass(slots=True)
class Email:
    """An email WHMCS would have sent, or that a request suppressed (e.g. ``noemail``)."""

    id: int
    userid: int
    template: str
    relid: int
    date: str
    sent: bool = True
    reason: str = ""


@dataclass(slots=True)
class ModuleLog:
    """One provisioning module command the mock ran (WHMCS's module log): what ran, for which service,
    and what the scenario made the module answer ("success", or the error)."""

    id: int
    date: str
    module: str
    action: str
    serviceid: int
    response: str


@dataclass(slots=True)
class Ticket:
    """A support ticket (tbltickets): its opening message lives here, the replies in TicketReply.

    ``userid`` is the client it belongs to (0 for a guest, who is known by ``name`` and ``email``),
    ``contactid`` the client's contact who opened it, if one did.
    """

    id: int
    tid: str
    c: str
    did: int
    userid: int
    date: str
    title: str
    message: str
    status: str = "Open"
    urgency: str = "Medium"
    contactid: int = 0
    name: str = ""
    email: str = ""
    cc: str = ""
    # The admin who opened the ticket (empty when a client or guest did).
    admin: str = ""
    lastreply: str = ""
    # The id of the admin the ticket is flagged to; 0 for none.
    flag: int = 0
    # "S<service id>" or "D<domain id>" when the ticket is about one of the client's services or domains.
    service: str = ""
    # "markdown" or "plain": how the message is shown.
    editor: str = "plain"
    # The files attached to the message, each as stored ("<six random digits>_<name>"), joined by "|".
    attachment: str = ""


@dataclass(slots=True)
class TicketReply:
    """A reply to a ticket (tblticketreplies); ``tid`` is the ticket's id, not its mask."""

    id: int
    tid: int
    userid: int
    date: str
    message: str
    contactid: int = 0
    # Set for a guest's reply only; a client's reply is known by its userid.
    name: str = ""
    email: str = ""
    # The admin who replied (empty for a client's or a guest's reply).
    admin: str = ""
    editor: str = "plain"
    attachment: str = ""


@dataclass(slots=True)
class TicketNote:
    """A private staff note on a ticket (tblticketnotes)."""

    id: int
    ticketid: int
    admin: str
    date: str
    message: str
    editor: str = "plain"
    attachment: str = ""
