"""The scenario file contract (SCENARIOS.md): loading, defaults, ids, extends and error reports."""

from __future__ import annotations

import json
import textwrap
from importlib.resources import files
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from mockwhmcs.store.scenario import (
    DEFAULT_ADMIN,
    DEFAULT_CREDENTIAL,
    Scenario,
    ScenarioError,
    bundled_scenarios,
    load_scenario,
    parse_scenario,
    scenario_warnings,
)

# The example of SCENARIOS.md, verbatim: the contract users write against.
CONTRACT_EXAMPLE = """\
name: default
description: One active and one closed client, hosting products, addons, .com/.net domains.

settings:
  whmcs_version: "8.12.1"
  now: "2026-01-15 10:00:00"       # frozen clock; omit for the real clock
  seed: 1                           # ordernum and other random values repeat run to run
  allowed_ips: ["127.0.0.1", "::1"] # "*" allows any caller
  access_key: null                  # set to require/allow `accesskey`
  currency: {code: USD, prefix: "$", suffix: " USD"}

admins:
  - username: admin
    password: admin-password        # plain text here; the legacy login sends md5(password)
    api_access: true
    disabled: false

api_credentials:
  - identifier: mockwhmcs-identifier
    secret: mockwhmcs-secret
    admin: admin
    allowed_actions: all            # or a list, e.g. [AddOrder, AcceptOrder, GetOrders]

payment_methods:
  - {module: banktransfer, displayname: Bank Transfer}
  - {module: mailin, displayname: Mail In Payment}
  - {module: paypal, displayname: PayPal}

clients:
  - id: 1
    firstname: Ada
    lastname: Lovelace
    email: ada@example.com
    status: Active                  # Active | Inactive | Closed
    contacts:
      - {id: 1, firstname: Charles, lastname: Babbage, email: charles@example.com}
  - {id: 2, firstname: Carl, lastname: Closed, email: closed@example.com, status: Closed}

product_groups:
  - {id: 1, name: Shared Hosting}

products:
  - id: 1
    gid: 1
    name: Starter
    type: hostingaccount            # hostingaccount | reselleraccount | server | other
    paytype: recurring              # free | onetime | recurring
    module: cpanel                  # provisioning module run by AcceptOrder autosetup; "" = none
    autosetup: ""                   # "" | order | payment | on
    allowqty: 0                     # 0 | multiple | scaling
    pricing:                        # default currency; or {USD: {...}, EUR: {...}}
      monthly: 5.00
      msetupfee: 1.00
      annually: 50.00               # cycles left out are disabled (-1.00)
    customfields: [{id: 1, name: Company}]

addons:
  - {id: 1, name: SSL Certificate, packages: [1], pricing: {monthly: 2.00}}

tlds:
  - {tld: .com, register: {1: 9.95, 2: 19.90}, transfer: {1: 8.95}, renew: {1: 9.95}}

promotions:
  - {code: SAVE10, type: Percentage, value: 10, appliesto: [1], expires: "2027-01-01"}

servers:
  - {id: 1, name: web1, module: cpanel, hostname: web1.example.com}

modules:                            # what a provisioning module answers when AcceptOrder runs it
  cpanel: {create: success}
  flaky: {create: "Connection to provisioning server timed out"}   # a string = that error

registrars:
  enom: {register: success, transfer: success}

# records that exist before the first request (renewals, addon-only orders, read-backs)
services:
  - {id: 10, client: 1, pid: 1, domain: existing.example.com, status: Active, billingcycle: monthly}
domains:
  - {id: 20, client: 1, domain: existing.example.com, status: Active, registrar: enom}

faults:                             # injected failures; same rule shape as the control API
  - action: AddOrder                # case-insensitive; "*" = any action
    when: {clientid: "3"}           # subset match on the decoded parameters (optional)
    after: 0                        # let the first N matching calls through
    times: 1                        # fire at most N times (omit = always)
    probability: 1.0                # drawn from the scenario seed
    error: "Client ID Not Found"    # outcome: a WHMCS error envelope (HTTP 200) …
    # … or status: 503 with body/content_type, or connection: reset | empty | malformed | hang
    delay: 0.0                      # seconds before answering; combines with any outcome
"""

SECTIONS = [
    "settings",
    "admins",
    "api_credentials",
    "payment_methods",
    "clients",
    "users",
    "product_groups",
    "products",
    "addons",
    "tlds",
    "promotions",
    "servers",
    "modules",
    "registrars",
    "fraud_modules",
    "services",
    "domains",
    "invoices",
    "faults",
]

CATALOGUE = """\
product_groups: [{id: 1, name: Hosting}]
clients: [{id: 1, firstname: Ada, lastname: Lovelace, email: ada@example.com}]
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(text: str, source: str = "shop.yaml") -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(textwrap.dedent(text), source)
    return caught.value.problems


# --- loading and the normalised shape ---------------------------------------------------------------


def test_schema_is_valid_draft_2020_12() -> None:
    schema = files("mockwhmcs.store").joinpath("scenario.schema.json").read_text(encoding="utf-8")
    Draft202012Validator.check_schema(json.loads(schema))


def test_empty_scenario_gets_every_section_and_the_default_settings() -> None:
    scenario = parse_scenario("")

    assert scenario == Scenario("unnamed", "", "<string>", scenario.data)
    assert scenario.data["settings"] == {
        "whmcs_version": "8.12.1",
        "now": None,
        "seed": 1,
        "allowed_ips": ["127.0.0.1", "::1"],
        "banned_ips": [],
        "access_key": None,
        "system_url": "http://localhost/",
        "currency": {"code": "USD", "prefix": "$", "suffix": " USD", "format": 1},
        "currencies": [
            {"id": 1, "code": "USD", "prefix": "$", "suffix": " USD", "format": 1, "rate": 1, "default": True}
        ],
    }
    for section in SECTIONS[1:]:
        if section in ("admins", "api_credentials"):
            continue  # the defaults that make an empty scenario callable (below)
        assert scenario.data[section] == ({} if section in ("modules", "registrars", "fraud_modules") else [])
    assert scenario.data["admins"] == [DEFAULT_ADMIN]
    assert scenario.data["api_credentials"] == [DEFAULT_CREDENTIAL]
    assert scenario.data["whois"] == {"taken": []}


def test_settings_given_keep_the_defaults_of_the_others() -> None:
    settings = parse_scenario("settings: {seed: 7, banned_ips: ['10.0.0.9']}").data["settings"]

    assert settings["seed"] == 7
    assert settings["banned_ips"] == ["10.0.0.9"]
    assert settings["whmcs_version"] == "8.12.1"
    assert settings["allowed_ips"] == ["127.0.0.1", "::1"]


def test_contract_example_loads_every_section() -> None:
    data = parse_scenario(CONTRACT_EXAMPLE).data

    for section in SECTIONS:
        assert section in data
    assert data["settings"]["now"] == "2026-01-15 10:00:00"
    assert data["api_credentials"][0]["allowed_actions"] == "all"
    assert data["clients"][0]["contacts"][0]["email"] == "charles@example.com"
    assert data["products"][0]["pricing"] == {"USD": {"monthly": 5.0, "msetupfee": 1.0, "annually": 50.0}}
    assert data["addons"][0]["packages"] == [1]
    # YAML reads `1: 9.95` with an integer key; the loader keeps keys strings, money as written.
    assert data["tlds"][0]["register"] == {"USD": {"1": 9.95, "2": 19.9}}
    assert data["promotions"][0]["expires"] == "2027-01-01"
    assert data["modules"]["flaky"]["create"] == "Connection to provisioning server timed out"
    assert data["modules"]["cpanel"]["terminate"] == "success"
    assert data["registrars"]["enom"]["register"] == data["registrars"]["enom"]["lock"] == "success"
    assert "epp" not in data["registrars"]["enom"]  # an EPP code has no default
    assert data["services"][0]["id"] == 10
    assert data["domains"][0]["registrar"] == "enom"
    assert data["faults"][0] == {
        "id": 1,
        "action": "AddOrder",
        "when": {"clientid": "3"},
        "after": 0,
        "times": 1,
        "probability": 1.0,
        "error": "Client ID Not Found",
        "delay": 0.0,
    }


def test_a_section_left_empty_counts_as_not_given() -> None:
    data = parse_scenario("products:\n#  - {gid: 1, name: P}\nfaults:\n").data

    assert (data["products"], data["faults"]) == ([], [])


def test_ids_are_assigned_in_file_order_skipping_ids_already_taken() -> None:
    data = parse_scenario(
        """
        product_groups: [{name: A}, {id: 1, name: B}, {name: C}, {id: 3, name: D}, {name: E}]
        """
    ).data

    assert [(group["name"], group["id"]) for group in data["product_groups"]] == [
        ("A", 2),
        ("B", 1),
        ("C", 4),
        ("D", 3),
        ("E", 5),
    ]


def test_contact_ids_are_numbered_across_all_clients() -> None:
    data = parse_scenario(
        """
        clients:
          - {firstname: A, lastname: A, email: a@a, contacts: [{firstname: X, lastname: X, email: x@x}]}
          - {firstname: B, lastname: B, email: b@b, contacts: [{firstname: Y, lastname: Y, email: y@y}]}
        """
    ).data

    assert [client["id"] for client in data["clients"]] == [1, 2]
    assert [client["contacts"][0]["id"] for client in data["clients"]] == [1, 2]


def test_yaml_is_read_as_yaml_1_2_plain_data() -> None:
    data = parse_scenario(
        """
product_groups: [{id: 1, name: Hosting}]
clients: [{firstname: A, lastname: B, email: a@b, postcode: 01234}]
products: [{gid: 1, name: P, autosetup: on, allowqty: 1}]
promotions: [{code: X, type: Free Setup, expires: 2027-01-01}]
"""
    ).data

    assert data["clients"][0]["postcode"] == "01234"  # not octal 668
    assert data["products"][0]["autosetup"] == "on"  # not True
    assert data["products"][0]["allowqty"] == "multiple"  # 1 is read as multiple
    assert data["promotions"][0]["expires"] == "2027-01-01"  # not a date object


def test_explicit_timestamps_become_the_written_strings() -> None:
    data = parse_scenario('settings: {now: !!timestamp "2026-01-15 10:00:00"}\n').data

    assert data["settings"]["now"] == "2026-01-15 10:00:00"


def test_prices_in_several_currencies() -> None:
    data = parse_scenario(
        CATALOGUE
        + """
settings:
  currencies: [{code: EUR, prefix: "€", rate: "0.92"}]
products:
  - {gid: 1, name: P, pricing: {USD: {monthly: 5}, EUR: {monthly: "4.60"}}}
"""
    ).data

    assert data["settings"]["currencies"][1] == {
        "id": 2,
        "code": "EUR",
        "prefix": "€",
        "suffix": "",
        "format": 1,
        "rate": "0.92",
        "default": False,
    }
    assert data["products"][0]["pricing"] == {"USD": {"monthly": 5}, "EUR": {"monthly": "4.60"}}


def test_item_defaults_are_filled() -> None:
    data = parse_scenario(
        CATALOGUE + "products: [{gid: 1, name: P}]\npayment_methods: [{module: stripe}]\n"
    ).data

    product = data["products"][0]
    assert (product["type"], product["paytype"], product["module"], product["autosetup"]) == (
        "hostingaccount",
        "recurring",
        "",
        "",
    )
    assert (product["allowqty"], product["pricing"], product["customfields"]) == (0, {}, [])
    assert data["payment_methods"] == [{"module": "stripe", "displayname": "stripe"}]
    assert data["clients"][0]["status"] == "Active"
    assert data["clients"][0]["currency"] == "USD"


# --- bundled scenarios ------------------------------------------------------------------------------


def test_bundled_scenarios_are_default_and_empty() -> None:
    assert [scenario.name for scenario in bundled_scenarios()] == ["default", "empty"]


def test_default_scenario_injects_no_faults_and_has_the_demonstration_catalogue() -> None:
    data = load_scenario("default").data

    assert data["faults"] == []
    assert data["settings"]["allowed_ips"] == ["127.0.0.1", "::1"]
    products = {product["name"]: product for product in data["products"]}
    assert products["Flaky Hosting"]["module"] == "flaky"
    assert data["modules"]["flaky"]["create"] != "success"
    assert {product["type"] for product in products.values()} >= {"server"}
    assert {product["paytype"] for product in products.values()} == {"free", "onetime", "recurring"}
    assert [tld["tld"] for tld in data["tlds"]] == [".com", ".net"]
    assert [promotion["code"] for promotion in data["promotions"]] == ["SAVE10"]


def test_empty_scenario_holds_only_a_way_in_and_one_client() -> None:
    data = load_scenario("empty").data

    assert [len(data[section]) for section in ("admins", "api_credentials", "clients")] == [1, 1, 1]
    assert data["products"] == data["services"] == data["faults"] == []


def test_a_file_is_loaded_by_path(tmp_path: Path) -> None:
    path = write(tmp_path / "shop.yaml", "name: shop\ndescription: My shop\n")

    scenario = load_scenario(path)

    assert (scenario.name, scenario.description, scenario.source) == ("shop", "My shop", str(path))


def test_an_unknown_scenario_is_refused_with_the_bundled_names() -> None:
    with pytest.raises(
        ScenarioError, match=r"'defualt' \(did you mean 'default'\?\) \(bundled: default, empty\)"
    ):
        load_scenario("defualt")


# --- problems: file:line: path: message -------------------------------------------------------------


def test_wrong_type_is_refused_naming_file_line_and_key_path(tmp_path: Path) -> None:
    path = write(
        tmp_path / "shop.yaml",
        """\
        name: shop
        product_groups:
          - id: 1
            name: Hosting
        products:
          - id: 1
            gid: 1
            name: Starter
            type: hostingaccount
            paytype: recurring
            module: cpanel
            autosetup: ""
            pricing:
              monthly: five
        """,
    )

    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)

    assert caught.value.problems == [f"{path}:14: products[0].pricing.monthly: 'five' is not a number"]
    assert str(caught.value) == caught.value.problems[0]


def test_every_problem_is_listed_sorted_by_line() -> None:
    problems = problems_of(
        """\
        settings:
          seed: one
        clients:
          - {firstname: A, lastname: B, email: a@b, status: Gone}
        products:
          - {gid: 1, name: P, type: vps}
        admins:
          - {username: admin}
        """
    )

    assert problems == [
        "shop.yaml:2: settings.seed: 'one' is not an integer",
        "shop.yaml:4: clients[0].status: 'Gone' must be one of 'Active', 'Inactive', 'Closed'",
        "shop.yaml:6: products[0].gid: no product group with id 1",
        "shop.yaml:6: products[0].type: 'vps' must be one of 'hostingaccount', 'reselleraccount', 'server', "
        "'other'",
        "shop.yaml:8: admins[0]: missing required key 'password'",
    ]
    assert str(ScenarioError(problems)) == "\n".join(problems)


def test_unknown_key_is_named_on_its_own_line_with_a_suggestion() -> None:
    problems = problems_of(
        """\
        product_groups: [{id: 1, name: Hosting}]
        products:
          - gid: 1
            name: Starter
            pricng: {monthly: 5}
        prodcts: []
        """
    )

    assert problems == [
        "shop.yaml:5: products[0]: unknown key 'pricng' (did you mean 'pricing'?)",
        "shop.yaml:6: unknown key 'prodcts' (did you mean 'products'?)",
    ]


def test_onetime_price_key_is_explained() -> None:
    problems = problems_of(
        CATALOGUE + "products: [{gid: 1, name: P, paytype: onetime, pricing: {onetime: 9}}]\n"
    )

    assert problems == [
        "shop.yaml:3: products[0].pricing: unknown key 'onetime' (a one-time price is written as 'monthly', "
        "as WHMCS stores it)"
    ]


def test_money_dates_and_years_are_checked() -> None:
    problems = problems_of(
        """\
        tlds:
          - tld: .com
            register: {1: "9,95", 11: 5}
        promotions:
          - {code: X, type: Percentage, value: 10%, expires: 01/01/2027}
        """
    )

    assert problems == [
        "shop.yaml:3: tlds[0].register.1: '9,95' is not a number",
        "shop.yaml:3: tlds[0].register: key '11' is not a number of years (1-10)",
        "shop.yaml:5: promotions[0].expires: '01/01/2027' is not a date (YYYY-MM-DD)",
        "shop.yaml:5: promotions[0].value: '10%' is not a number",
    ]


def test_yaml_syntax_error_names_its_line() -> None:
    problems = problems_of("name: shop\nproducts:\n  - {gid: 1, name: P\nclients: []\n")

    assert len(problems) == 1
    assert problems[0].startswith("shop.yaml:4: YAML syntax error: ")


def test_a_scenario_must_be_a_mapping() -> None:
    assert problems_of("- products\n- clients\n") == [
        "shop.yaml:1: a scenario is a mapping of sections (settings:, products: ...)"
    ]


def test_duplicate_yaml_key_is_refused() -> None:
    problems = problems_of("name: a\ndescription: b\nname: c\n")

    assert problems == ["shop.yaml:3: duplicate key 'name'"]


def test_yaml_merge_keys_work_and_may_be_overridden() -> None:
    data = parse_scenario(
        CATALOGUE
        + """
products:
  - &starter {gid: 1, name: Starter, pricing: {monthly: 5}}
  - {<<: *starter, name: Starter Plus}
"""
    ).data

    assert [(product["id"], product["name"]) for product in data["products"]] == [
        (1, "Starter"),
        (2, "Starter Plus"),
    ]


@pytest.mark.parametrize(
    ("tagged", "tag"),
    [
        ('!!python/object/apply:os.system ["touch {marker}"]', "!!python/object/apply:os.system"),
        ("!!python/name:os.system ''", "!!python/name:os.system"),
        ("!!python/object:collections.OrderedDict {}", "!!python/object:collections.OrderedDict"),
        ("!!binary aGk=", "!!binary"),
    ],
)
def test_tags_beyond_plain_data_are_refused_without_running_them(
    tmp_path: Path, tagged: str, tag: str
) -> None:
    marker = tmp_path / "ran"

    problems = problems_of("name: x\ndescription: " + tagged.replace("{marker}", str(marker)) + "\n")

    assert problems == [f"shop.yaml:2: unsupported YAML tag '{tag}': a scenario holds plain data only"]
    assert not marker.exists()


# --- checks beyond the schema -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "products: [{gid: 7, name: P}]",
            "shop.yaml:3: products[0].gid: no product group with id 7",
        ),
        (
            "products: [{gid: 1, name: P}]\naddons: [{name: A, packages: [1, 9]}]",
            "shop.yaml:4: addons[0].packages[1]: no product with id 9",
        ),
        (
            "products: [{gid: 1, name: P}]\nservices: [{client: 5, pid: 1}]",
            "shop.yaml:4: services[0].client: no client with id 5",
        ),
        (
            "services: [{client: 1, pid: 3}]",
            "shop.yaml:3: services[0].pid: no product with id 3",
        ),
        (
            "domains: [{client: 4, domain: example.com}]",
            "shop.yaml:3: domains[0].client: no client with id 4",
        ),
        (
            "admins: [{username: admin, password: x}]\n"
            "api_credentials: [{identifier: i, secret: s, admin: amdin}]",
            "shop.yaml:4: api_credentials[0].admin: no admin with username 'amdin' (did you mean 'admin'?)",
        ),
        (
            "servers: [{id: 2, name: a}, {name: b}, {id: 2, name: c}]",
            "shop.yaml:3: servers[2].id: duplicate id 2 (also servers[0])",
        ),
        (
            "tlds: [{tld: .com}, {tld: .com}]",
            "shop.yaml:3: tlds[1].tld: duplicate tld '.com' (also tlds[0])",
        ),
        (
            "faults: [{action: AddOrder, error: Oops, connection: reset}]",
            "shop.yaml:3: faults[0]: a fault has one outcome; give only one of error, connection",
        ),
        (
            "settings: {allowed_ips: ['127.0.0.1', localhost]}",
            "shop.yaml:3: settings.allowed_ips[1]: 'localhost' is not an IP address or network",
        ),
        (
            "products: [{gid: 1, name: P, pricing: {EUR: {monthly: 5}}}]",
            "shop.yaml:3: products[0].pricing.EUR: unknown currency 'EUR' (currencies: USD)",
        ),
    ],
)
def test_cross_references_are_checked(text: str, problem: str) -> None:
    # The catalogue takes lines 1-2, the case starts on line 3; product group 1 and client 1 exist.
    assert problems_of(CATALOGUE + text + "\n") == [problem]


def test_a_contact_id_given_twice_is_refused_even_across_clients() -> None:
    problems = problems_of(
        """\
        clients:
          - {firstname: A, lastname: A, email: a@a, contacts: [{id: 1, firstname: C, lastname: C, email: c}]}
          - {firstname: B, lastname: B, email: b@b, contacts: [{id: 1, firstname: D, lastname: D, email: d}]}
        """
    )

    assert problems == [
        "shop.yaml:3: clients[1].contacts[0].id: duplicate id 1 (also clients[0].contacts[0])"
    ]


# --- extends --------------------------------------------------------------------------------------------


def test_extends_default_merges_items_by_id_and_overrides_other_keys(tmp_path: Path) -> None:
    path = write(
        tmp_path / "shop.yaml",
        """\
        name: shop
        extends: default
        settings: {now: null}
        products:
          - {id: 1, pricing: {monthly: 7.00}}
          - {gid: 1, name: Brand New}
        clients:
          - {id: 2, status: Active}
        modules:
          cpanel: {suspend: "Suspension failed"}
        promotions:
          - {code: SAVE10, type: Fixed Amount, value: 3}
        """,
    )
    default = load_scenario("default").data

    scenario = load_scenario(path)

    data = scenario.data
    assert (scenario.name, scenario.description) == ("shop", "")
    assert data["settings"]["now"] is None
    assert data["settings"]["allowed_ips"] == default["settings"]["allowed_ips"]
    starter = data["products"][0]
    assert (starter["name"], starter["pricing"]) == ("Starter", {"USD": {"monthly": 7.0}})
    assert data["products"][1:-1] == default["products"][1:]
    assert (data["products"][-1]["name"], data["products"][-1]["id"]) == (
        "Brand New",
        len(default["products"]) + 1,
    )
    assert data["clients"][1]["status"] == "Active"
    assert data["clients"][1]["email"] == "closed@example.com"
    assert data["modules"]["cpanel"]["create"] == "success"
    assert data["modules"]["cpanel"]["suspend"] == "Suspension failed"
    assert [(promotion["code"], promotion["type"]) for promotion in data["promotions"]] == [
        ("SAVE10", "Fixed Amount")
    ]
    assert data["tlds"] == default["tlds"]
    assert "extends" not in data


def test_extends_a_path_relative_to_the_extending_file(tmp_path: Path) -> None:
    write(tmp_path / "base" / "shared.yaml", CATALOGUE + "products: [{gid: 1, name: Shared}]\n")
    path = write(tmp_path / "shop" / "shop.yaml", "extends: ../base/shared.yaml\n")

    data = load_scenario(path).data

    assert [product["name"] for product in data["products"]] == ["Shared"]
    assert data["name"] == "shop"


def test_parsed_text_extends_relative_to_base_dir(tmp_path: Path) -> None:
    write(tmp_path / "shared.yaml", CATALOGUE)

    data = parse_scenario("extends: shared.yaml\n", base_dir=tmp_path).data

    assert data["clients"][0]["firstname"] == "Ada"


def test_extends_cycle_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "a.yaml", "extends: b.yaml\n")
    write(tmp_path / "b.yaml", "name: b\nextends: a.yaml\n")

    with pytest.raises(ScenarioError) as caught:
        load_scenario(tmp_path / "a.yaml")

    assert caught.value.problems == [
        f"{tmp_path / 'b.yaml'}:2: extends: scenarios extend each other in a cycle: "
        "a.yaml -> b.yaml -> a.yaml"
    ]


def test_extends_a_missing_scenario_is_refused_on_its_line() -> None:
    assert problems_of("name: x\nextends: nowhere.yaml\n") == [
        "shop.yaml:2: extends: no bundled scenario or file named 'nowhere.yaml' (bundled: default, empty)"
    ]


def test_problems_name_the_file_and_path_they_were_written_in(tmp_path: Path) -> None:
    write(
        tmp_path / "base.yaml",
        CATALOGUE + "products:\n  - {gid: 1, name: A}\n  - {gid: 1, name: B, type: x}\n",
    )
    path = write(tmp_path / "shop.yaml", "extends: base.yaml\nproducts:\n  - {id: 9, gid: 3, name: C}\n")

    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)

    assert caught.value.problems == [
        f"{tmp_path / 'shop.yaml'}:3: products[0].gid: no product group with id 3",
        f"{tmp_path / 'base.yaml'}:5: products[1].type: 'x' must be one of 'hostingaccount', "
        "'reselleraccount', 'server', 'other'",
    ]


# --- the smallest scenario that makes sense -----------------------------------------------------------

MINIMAL = """\
clients:
  - {firstname: Ada, lastname: Lovelace, email: ada@example.com}
payment_methods:
  - {module: banktransfer}
products:
  - {name: Starter, pricing: {monthly: 5.00}}
"""


def test_a_scenario_without_admins_or_credentials_gets_the_default_credential() -> None:
    data = parse_scenario(MINIMAL).data
    assert data["admins"] == [DEFAULT_ADMIN]
    assert data["api_credentials"] == [DEFAULT_CREDENTIAL]
    assert scenario_warnings(parse_scenario(MINIMAL)) == []


def test_a_scenario_with_its_own_admins_gets_no_default_credential() -> None:
    data = parse_scenario(MINIMAL + "admins: [{username: boss, password: pw}]\n").data
    assert [admin["username"] for admin in data["admins"]] == ["boss"]
    assert data["api_credentials"] == []


def test_a_product_without_a_group_joins_a_default_group() -> None:
    data = parse_scenario(MINIMAL).data
    assert data["product_groups"] == [{"id": 1, "name": "Products"}]
    assert data["products"][0]["gid"] == 1


def test_a_product_without_a_group_joins_the_first_group_listed() -> None:
    data = parse_scenario(MINIMAL + "product_groups: [{id: 7, name: VPS}, {id: 3, name: Web}]\n").data
    assert data["products"][0]["gid"] == 7


NO_ADMIN = ("api_credentials: [{identifier: lost, secret: s}]\n"
            "admins: [{username: a, password: p, api_access: false}]\n")
DISABLED = ("api_credentials: [{identifier: off, secret: s, admin: a}]\n"
            "admins: [{username: a, password: p, disabled: true}]\n")


@pytest.mark.parametrize(("extra", "warning"), [
    (NO_ADMIN, "api_credentials[0] (lost) names no admin: every call with it answers "
               "'Invalid administrative identifier'"),
    (DISABLED, "api_credentials[0] (off) belongs to a disabled admin: every call with it answers "
               "'Administrator Account Disabled'"),
    ("settings: {allowed_ips: ['10.0.0.0/8']}\n",
     "settings.allowed_ips does not allow 127.0.0.1 and there is no access_key: local clients get "
     "'Invalid IP 127.0.0.1'"),
])
def test_validate_warns_about_a_server_no_client_can_call(extra: str, warning: str) -> None:
    assert warning in scenario_warnings(parse_scenario(MINIMAL + extra))


def test_no_usable_credential_at_all_is_warned_about() -> None:
    scenario = parse_scenario(MINIMAL + "admins: [{username: a, password: p, api_access: false}]\n")
    assert scenario_warnings(scenario) == [
        "no API credential or admin login can call this server: every request answers 403"]


def test_an_empty_scenario_warns_that_nothing_can_be_ordered() -> None:
    assert scenario_warnings(parse_scenario("")) == [
        "no clients: AddOrder answers 'Client ID Not Found'",
        "no payment_methods: AddOrder answers 'Invalid Payment Method'",
        "no products: there is nothing to order",
    ]


# --- bounds ------------------------------------------------------------------------------------------


def test_aliases_may_share_a_price_list() -> None:
    shared = "{name: Starter, pricing: &price {monthly: 5.00}}\n  - {name: Pro, pricing: *price}"
    text = MINIMAL.replace("{name: Starter, pricing: {monthly: 5.00}}", shared)
    data = parse_scenario(text).data
    assert data["products"][1]["pricing"] == data["products"][0]["pricing"]


def test_aliases_that_expand_past_the_bound_are_refused() -> None:
    text = "a: &a [" + ",".join(["x"] * 200) + "]\nb: &b [" + ",".join(["*a"] * 60) + "]\n"
    assert problems_of(text, "<string>") == ["<string>:1: YAML aliases repeat more than 10,000 values"]


def test_nesting_past_the_bound_is_refused() -> None:
    assert problems_of("description: " + "[" * 70 + "]" * 70 + "\n", "<string>") == [
        "<string>:1: the scenario nests deeper than 64 levels"]
    deep = "description: " + "[" * 5000 + "]" * 5000 + "\n"
    assert problems_of(deep, "<string>")[0].startswith("<string>:1: ")


def test_a_scenario_larger_than_the_bound_is_refused() -> None:
    text = "description: " + "x" * (4 * 1024 * 1024) + "\n"
    assert problems_of(text, "<string>") == ["<string>:1: the scenario is larger than 4,194,304 bytes"]


def test_a_clients_ticket_takes_no_guest_name_or_email() -> None:
    text = ("extends: default\ntickets:\n"
            "  - {id: 5, client: 1, deptid: 1, subject: Hi, name: X, email: x@example.com}\n")
    why = "is a guest's (a ticket without a client); a client's ticket is known by its client"
    assert problems_of(text, "<string>") == [
        f"<string>:3: tickets[0].email: email {why}", f"<string>:3: tickets[0].name: name {why}",
    ]
