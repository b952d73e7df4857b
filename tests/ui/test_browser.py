"""The dashboard end to end in a real headless Chromium, as a developer would use it.

An order placed through the API appears on the open Orders page by itself, is accepted from its own
page, and the AcceptOrder shows in the journal. Debian's ``chromium`` and ``chromium-driver`` are
driven through Selenium (browser downloads do not work here); where any of them is missing the test
skips and says which. With ``MOCKWHMCS_SCREENSHOTS=docs`` it also saves the README's pictures of the
Orders page and the Overview there (dashboard-orders.png, dashboard-overview.png).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from mockwhmcs import MockWhmcs

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

# Long enough for two polling rounds of the page (every two seconds) on a slow CI machine.
WAIT_SECONDS = 10
VIEWPORT = {"width": 1280, "height": 800}  # a laptop screen
CHROMIUM_FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    webdriver = pytest.importorskip("selenium.webdriver",
                                    reason="selenium is not installed (pip install -e '.[test]')")
    from selenium.common.exceptions import WebDriverException

    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if chromium is None or driver is None:
        pytest.skip("no browser: Debian's chromium and chromium-driver are not installed "
                    "(apt-get install chromium chromium-driver; .ci/run does it where it can)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(flag)
    try:
        # An explicit driver path keeps Selenium from trying to download one.
        chrome = webdriver.Chrome(options=options, service=webdriver.ChromeService(driver))
    except WebDriverException as error:
        pytest.skip(f"no browser: {chromium} did not start under {driver}: {error.msg}")
    chrome.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {**VIEWPORT, "deviceScaleFactor": 1, "mobile": False})
    yield chrome
    chrome.quit()


@pytest.fixture(scope="module")
def whmcs() -> Iterator[MockWhmcs]:
    with MockWhmcs() as mock:
        yield mock


def wait_for(browser: WebDriver, words: str) -> None:
    """Until the page's main content shows ``words``, as polling or navigation brings them."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, WAIT_SECONDS).until(
        lambda page: words in main_text(page), f"the page never showed {words!r}",
    )


def main_text(browser: WebDriver) -> str:
    """The text of the page's main content; empty while the page is being replaced."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.common.by import By

    try:
        return browser.find_element(By.TAG_NAME, "main").text
    except WebDriverException as error:
        # A live region being swapped, or a form's answer replacing the page, can take the element
        # away mid-read. chromedriver reports the first as a stale element and, during navigation,
        # the second as an inspector error about a node that left the document: read again.
        replaced = "does not belong to the document" in str(error)
        if isinstance(error, StaleElementReferenceException) or replaced:
            return ""
        raise


def place_order(whmcs: MockWhmcs, **extra: object) -> int:
    answer = whmcs.call("AddOrder", clientid=1, pid=[1], billingcycle=["monthly"], paymentmethod="mailin",
                        **extra)
    assert answer["result"] == "success", answer
    return answer["orderid"]


def test_an_order_placed_through_the_api_is_seen_and_accepted_in_the_dashboard(
    browser: WebDriver, whmcs: MockWhmcs
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    whmcs.reset()
    dashboard = whmcs.base_url + "/_mock/ui"
    browser.get(dashboard + "/orders")
    wait_for(browser, "No orders yet")

    order_id = place_order(whmcs)
    ordernum = whmcs.engine.store.orders.get(order_id).ordernum
    # No reload: the page picks the new order up by itself.
    wait_for(browser, f"Order {order_id} {ordernum} Ada Lovelace Pending $6.00 USD Unpaid")

    # Keyboard only: focus the order's link and press Enter.
    browser.find_element(By.ID, f"order-{order_id}").send_keys(Keys.ENTER)
    wait_for(browser, "Status\nPending")
    browser.find_element(By.CSS_SELECTOR, "button[value=AcceptOrder]").click()
    wait_for(browser, "AcceptOrder answered success")
    assert "Status\nActive" in main_text(browser)
    assert whmcs.engine.store.orders.get(order_id).status == "Active"
    whmcs.assert_called("AcceptOrder", times=1, orderid=order_id)

    browser.get(dashboard + "/journal")
    wait_for(browser, "AcceptOrder 200")
    whmcs.call("GetOrders", id=order_id)
    wait_for(browser, "GetOrders 200")

    # The way back: the overview counts the order, and its count leads to the Orders page.
    browser.get(dashboard)
    wait_for(browser, "1\nOrders")
    browser.find_element(By.ID, "overview-orders").send_keys(Keys.ENTER)
    wait_for(browser, f"Order {order_id} {ordernum} Ada Lovelace Active")

    pictures = os.environ.get("MOCKWHMCS_SCREENSHOTS")
    if pictures:
        save_pictures(browser, whmcs, Path(pictures))


def save_pictures(browser: WebDriver, whmcs: MockWhmcs, folder: Path) -> None:
    """The README's pictures: the Orders page with an order in each state the buttons lead to, and the
    Overview counting them."""
    for action in ("CancelOrder", "FraudOrder", None):
        order_id = place_order(whmcs)
        if action:
            whmcs.call(action, orderid=order_id)
    folder.mkdir(parents=True, exist_ok=True)
    for address, words, name in [("/orders", f"Order {order_id}", "dashboard-orders.png"),
                                 ("", "4\nOrders", "dashboard-overview.png")]:
        browser.get(whmcs.base_url + "/_mock/ui" + address)
        wait_for(browser, words)
        assert browser.save_screenshot(str(folder / name)), f"could not write {folder / name}"
