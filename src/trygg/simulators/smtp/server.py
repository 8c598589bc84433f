"""A local SMTP sink (RFC 5321, the part a submitting client uses; standard library only):
it accepts every message Django's SMTP e-mail backend sends and keeps it, so the demo and the
tests send e-mail over SMTP exactly as production does and can read what went out.

Commands: EHLO/HELO, MAIL FROM, RCPT TO, DATA (dot-stuffing undone), RSET, NOOP, QUIT; anything
else is answered 502. No TLS and no authentication: bind it to localhost only.

Run: ``python -m trygg.simulators.smtp --port 8025``; ``messages`` holds what was received
(sender, recipients, the message parsed with the standard library's e-mail parser).
"""

from __future__ import annotations

import argparse
import email
import email.policy
import socketserver
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any


@dataclass(frozen=True)
class Received:
    sender: str
    recipients: tuple[str, ...]
    message: EmailMessage

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""


class SmtpSink(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int, host: str = "127.0.0.1") -> None:
        super().__init__((host, port), _Session)
        self.lock = threading.Lock()
        self.messages: list[Received] = []

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def start(self) -> SmtpSink:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


class _Session(socketserver.StreamRequestHandler):
    server: SmtpSink

    def _say(self, line: str) -> None:
        self.wfile.write(line.encode("ascii") + b"\r\n")

    def handle(self) -> None:
        self._say("220 trygg SMTP sink ready")
        sender, recipients = "", list[str]()
        while True:
            raw = self.rfile.readline(4096)
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb = line[:4].upper()
            if verb == "EHLO":
                self._say("250-trygg greets you")
                self._say("250-8BITMIME")
                self._say("250 SMTPUTF8")
            elif verb == "HELO":
                self._say("250 trygg")
            elif line.upper().startswith("MAIL FROM:"):
                sender, recipients = _address(line[10:]), []
                self._say("250 OK")
            elif line.upper().startswith("RCPT TO:"):
                if not sender:
                    self._say("503 MAIL first")
                    continue
                recipients.append(_address(line[8:]))
                self._say("250 OK")
            elif verb == "DATA":
                if not recipients:
                    self._say("503 RCPT first")
                    continue
                self._say("354 End data with <CR><LF>.<CR><LF>")
                data = self._data()
                message: Any = email.message_from_bytes(data, policy=email.policy.default)
                with self.server.lock:
                    self.server.messages.append(Received(sender, tuple(recipients), message))
                sender, recipients = "", []
                self._say("250 OK: queued")
            elif verb == "RSET":
                sender, recipients = "", []
                self._say("250 OK")
            elif verb == "NOOP":
                self._say("250 OK")
            elif verb == "QUIT":
                self._say("221 Bye")
                return
            else:
                self._say("502 Command not implemented")

    def _data(self) -> bytes:
        lines = []
        while True:
            raw = self.rfile.readline(1 << 20)
            if not raw or raw in (b".\r\n", b".\n"):
                break
            lines.append(raw[1:] if raw.startswith(b"..") else raw)
        return b"".join(lines)


def _address(text: str) -> str:
    text = text.strip().split(" ")[0]
    return text.strip("<>")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Local SMTP sink.")
    parser.add_argument("--port", type=int, default=8025)
    args = parser.parse_args(argv)
    sink = SmtpSink(args.port)
    print(f"SMTP sink on 127.0.0.1:{sink.port}")
    sink.serve_forever()
