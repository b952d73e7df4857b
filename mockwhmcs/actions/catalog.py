"""Read-only catalog actions: GetProducts and GetPaymentMethods."""

from __future__ import annotations

from typing import Any

from ..php import intval
from ..store.models import Product
from ..store.pricing import money
from ..store.store import Catalog
from .registry import Call, Response, action

ALLOWQTY_COLUMN = {"0": 0, "multiple": 1, "scaling": 2}


@action("GetProducts", list_style=True, params=("pid", "gid", "module"))
def get_products(call: Call) -> Response:
    catalog = call.store.catalog
    products: list[Product] = list(catalog.products.values())
    # intval, not int: isdigit() also passes "²", and a hostile pid can be thousands of digits long.
    pids = {intval(p) for p in call.text("pid").split(",") if p.strip().lstrip("-").isdigit()}
    if call.text("pid"):
        products = [p for p in products if p.id in pids]
    if call.text("gid"):
        products = [p for p in products if p.gid == call.int("gid")]
    if call.text("module"):
        products = [p for p in products if p.module == call.text("module")]
    response: Response = {"result": "success", "totalresults": len(products)}
    if products:
        response["products"] = {"product": [_product(p, catalog) for p in products]}
    return response


def _product(product: Product, catalog: Catalog) -> dict[str, Any]:
    return {
        "pid": product.id,
        "gid": product.gid,
        "type": product.type,
        "name": product.name,
        "slug": product.slug,
        "description": product.description,
        "module": product.module,
        "paytype": product.paytype,
        "allowqty": ALLOWQTY_COLUMN[product.allowqty],
        "pricing": {
            currency.code: {
                "prefix": currency.prefix,
                "suffix": currency.suffix,
                **{key: money(value) for key, value in product.pricing.get(currency.code, {}).items()},
            }
            for currency in catalog.currencies.values()
        },
        "customfields": {
            "customfield": [
                {"id": field.id, "name": field.name, "description": "", "required": ""}
                for field in product.customfields
            ]
        },
        "configoptions": {"configoption": []},
    }


@action("GetPaymentMethods", list_style=True)
def get_payment_methods(call: Call) -> Response:
    methods = call.store.catalog.payment_methods
    return {
        "result": "success",
        "totalresults": len(methods),
        "paymentmethods": {
            "paymentmethod": [{"module": m.module, "displayname": m.displayname} for m in methods]
        },
    }
