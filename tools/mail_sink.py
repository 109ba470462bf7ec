#!/usr/bin/env python3
"""A local SMTP sink for the demo: every email Odoo sends lands as a file.

Usage: python3 tools/mail_sink.py [--port 2525] [--out .odoo-data/outbox]

Listens on 127.0.0.1 only. Each message is written as ``<n>-<recipient>.eml``
(open it with any mail client, or read it as text), so what a customer
receives can be read without a real mail server. Stops on Ctrl+C.
"""

import argparse
import re
import time
from pathlib import Path

from aiosmtpd.controller import Controller


class Outbox:
    def __init__(self, folder):
        self.folder = folder
        self.count = len(list(folder.glob("*.eml")))

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        rcpt = re.sub(r"[^A-Za-z0-9@._-]", "_", ",".join(envelope.rcpt_tos))[:80]
        path = self.folder / f"{self.count:05d}-{rcpt}.eml"
        path.write_bytes(envelope.original_content or envelope.content)
        return "250 OK"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=2525)
    parser.add_argument("--out", default=".odoo-data/outbox")
    args = parser.parse_args()
    folder = Path(args.out)
    folder.mkdir(parents=True, exist_ok=True)
    controller = Controller(Outbox(folder), hostname="127.0.0.1", port=args.port)
    controller.start()
    print(f"SMTP sink on 127.0.0.1:{args.port}, writing to {folder}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
