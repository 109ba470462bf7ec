#!/usr/bin/env python3
"""Time how long ordinary pages and the dashboard take to show, in headless
Chromium, on a running server (the demo of ``make run``).

Usage: python3 tools/measure_pages.py [--url http://localhost:8069]
       [--db cobranza_demo] [--login manager --password manager] [--runs 5]
       "name|/odoo/path|css selector" ...

For each page: a full load (the URL typed in the address bar, browser cache
warm, as when a user opens a bookmark) and an in-app open (the web client
already loaded, the page opened from the menu: ``doAction``), each timed
until the selector is on screen and the client is idle. Prints the median
and the worst of ``--runs`` runs, in seconds. The assets must have been
built once (the first request after an update builds them).
"""

import argparse
import json
import statistics
import time

from screenshots import Browser, authenticate

IDLE = """(() => {
  const el = document.querySelector(%s);
  const busy = document.querySelector('.o_loading_indicator, .o_blockUI');
  return Boolean(el) && !busy;
})()"""


def wait_for(browser, selector, timeout=60):
    start = time.perf_counter()
    script = IDLE % json.dumps(selector)
    while time.perf_counter() - start < timeout:
        result = browser.call("Runtime.evaluate", expression=script)
        if result.get("result", {}).get("value"):
            return time.perf_counter() - start
        time.sleep(0.02)
    raise TimeoutError(selector)


def full_load(browser, url, selector):
    start = time.perf_counter()
    browser.call("Page.navigate", url=url)
    wait_for(browser, selector)
    return time.perf_counter() - start


def in_app(browser, path, selector):
    """Open the page's action from the loaded client (as a menu click)."""
    action, _sep, query = path.split("/odoo/", 1)[1].partition("?")
    action, _sep, res_id = action.partition("/")
    options = {}
    if res_id:
        options = {"props": {"resId": int(res_id)}, "viewType": "form"}
    elif "view_type=" in query:
        options = {"viewType": query.split("view_type=")[1]}
    call = "odoo.__WOWL_DEBUG__.root.env.services.action.doAction"
    target = json.dumps(action.removeprefix("action-"))
    # leave the page first, so the selector is not already there
    browser.call(
        "Runtime.evaluate",
        expression=f"{call}('cobranza_addon.cobranza_action_action')",
        awaitPromise=True,
    )
    time.sleep(1.0)
    start = time.perf_counter()
    script = f"{call}({target}, {json.dumps(options)})"
    browser.call("Runtime.evaluate", expression=script)
    wait_for(browser, selector)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", default="cobranza_demo")
    parser.add_argument("--login", default="manager")
    parser.add_argument("--password", default="manager")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--port", type=int, default=9377)
    parser.add_argument("pages", nargs="+", help="name|/odoo/path|css selector")
    args = parser.parse_args()
    session = authenticate(args.url, args.db, args.login, args.password)
    browser = Browser(1440, 900, port=args.port)
    host = args.url.split("//", 1)[1].split(":")[0]
    browser.call("Runtime.enable")
    browser.call(
        "Network.setCookie", name="session_id", value=session, domain=host, path="/"
    )
    try:
        # warm the browser cache and the server's asset bundles
        browser.call("Page.navigate", url=args.url + "/odoo")
        wait_for(browser, ".o_main_navbar", timeout=300)
        print("| page | full load, median (worst) | in-app, median (worst) |")
        print("|---|---:|---:|")
        for page in args.pages:
            name, path, selector = page.split("|", 2)
            full_load(browser, args.url + path, selector)  # warm-up
            loads = [
                full_load(browser, args.url + path, selector) for _i in range(args.runs)
            ]
            opens = [in_app(browser, path, selector) for _i in range(args.runs)]
            print(
                f"| {name} | {statistics.median(loads):.2f} s ({max(loads):.2f}) "
                f"| {statistics.median(opens):.2f} s ({max(opens):.2f}) |",
                flush=True,
            )
    finally:
        browser.close()


if __name__ == "__main__":
    main()
