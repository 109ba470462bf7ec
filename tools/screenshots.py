#!/usr/bin/env python3
"""Take screenshots of the real Odoo screens with headless Chromium.

Usage: python3 tools/screenshots.py [--url http://localhost:8069] [--db cobranza_demo]
       [--login admin --password admin] [--lang es_ES] [--out docs/screenshots]
       name=/odoo/path ...

Logs in through Odoo's JSON endpoint, hands the session cookie to Chromium
through the DevTools protocol, opens each page, waits for it to settle and
saves a PNG. Needs Debian's chromium and the websocket-client package.
"""

import argparse
import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request

import websocket


def authenticate(url, db, login, password):
    body = json.dumps(
        {
            "jsonrpc": "2.0",
            "params": {"db": db, "login": login, "password": password},
        }
    ).encode()
    req = urllib.request.Request(
        f"{url}/web/session/authenticate",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=60) as resp:
        cookie = resp.headers.get("Set-Cookie", "")
        payload = json.loads(resp.read())
    if payload.get("error"):
        raise SystemExit(f"login failed: {payload['error']}")
    return cookie.split("session_id=")[1].split(";")[0]


class Browser:
    def __init__(self, width, height, port=9333):
        self.profile = tempfile.mkdtemp(prefix="cobranza-chromium-")
        self.proc = subprocess.Popen(
            [
                shutil.which("chromium") or "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                f"--window-size={width},{height}",
                f"--user-data-dir={self.profile}",
                f"--remote-debugging-port={port}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/json/list", timeout=2
                ) as resp:
                    targets = [
                        t for t in json.loads(resp.read()) if t["type"] == "page"
                    ]
                if targets:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        self.ws = websocket.create_connection(
            targets[0]["webSocketDebuggerUrl"], timeout=60
        )
        self.msg_id = 0
        self.call("Page.enable")
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def call(self, method, **params):
        self.msg_id += 1
        self.ws.send(
            json.dumps({"id": self.msg_id, "method": method, "params": params})
        )
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.msg_id:
                return msg.get("result", {})

    def close(self):
        self.ws.close()
        self.proc.terminate()
        self.proc.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", default="cobranza_demo")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--out", default="docs/screenshots")
    parser.add_argument("--wait", type=float, default=4.0)
    parser.add_argument(
        "--warmup",
        type=float,
        default=30.0,
        help="seconds to let the server build its asset bundles first",
    )
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument(
        "--cdp-port", type=int, default=9333, help="Chromium's DevTools port"
    )
    parser.add_argument("pages", nargs="+", help="name=/odoo/... pairs")
    args = parser.parse_args()
    session = authenticate(args.url, args.db, args.login, args.password)
    os.makedirs(args.out, exist_ok=True)
    browser = Browser(args.width, args.height, args.cdp_port)
    host = args.url.split("//", 1)[1].split(":")[0]
    browser.call(
        "Network.setCookie",
        name="session_id",
        value=session,
        domain=host,
        path="/",
    )
    try:
        browser.call("Page.navigate", url=args.url + "/odoo")
        time.sleep(args.warmup)
        for page in args.pages:
            name, path = page.split("=", 1)
            browser.call("Page.navigate", url=args.url + path)
            time.sleep(args.wait)
            shot = browser.call("Page.captureScreenshot", format="png")
            target = os.path.join(args.out, f"{name}.png")
            with open(target, "wb") as handle:
                handle.write(base64.b64decode(shot["data"]))
            print(target)
    finally:
        browser.close()


if __name__ == "__main__":
    main()
