"""``python -m trygg.simulators.contact doors|record``: send as the door card system or the
recording platform to a running trygg."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import uuid
from pathlib import Path

from trygg.simulators.contact import CardSystem, RecordingPlatform


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m trygg.simulators.contact")
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="trygg's address")
    parser.add_argument("--key", required=True, help="the platform's key")
    commands = parser.add_subparsers(dest="command", required=True)
    doors = commands.add_parser("doors", help="post door passages as the card system")
    doors.add_argument("--site", required=True, help="the site's code, e.g. telegrafgatan")
    doors.add_argument(
        "passage", nargs="+", help="CARD:DOOR:in|out, each passed now (e.g. B-1:Entré:in)"
    )
    record = commands.add_parser("record", help="report a call and upload its file")
    record.add_argument("--employee", required=True, help="the employee's user name")
    record.add_argument("--file", required=True, type=Path, help="the recording (a WAV file)")
    record.add_argument("--purpose", default="quality", choices=["quality", "threat"])
    record.add_argument("--matter", default="insurance")
    record.add_argument("--contact", default="+46 70 123 45 67")
    record.add_argument("--opted-out", action="store_true", help="the person said no")
    record.add_argument("--id", default="", help="the platform's id (a new one by default)")
    record.add_argument(
        "--id-number", default="", help="the caller's identity number, when they authenticated"
    )
    args = parser.parse_args(argv)
    now = dt.datetime.now(dt.UTC)
    if args.command == "doors":
        system = CardSystem(args.url, args.key, args.site)
        for item in args.passage:
            parts = item.rsplit(":", 2)
            if len(parts) != 3:
                parser.error(f"{item!r}: give a passage as CARD:DOOR:in or CARD:DOOR:out")
            system.passage(parts[0], parts[1], parts[2], now)
        answer = system.flush()
        print(answer.status, json.dumps(answer.body, ensure_ascii=False, indent=2))
        return
    platform = RecordingPlatform(args.url, args.key)
    platform_id = args.id or uuid.uuid4().hex
    answer = platform.report(
        platform_id=platform_id,
        purpose=args.purpose,
        channel="phone",
        matter=args.matter,
        contact_detail=args.contact,
        employee=args.employee,
        opted_out=args.opted_out,
        started_at=now,
        authenticated_id_number=args.id_number,
    )
    print(answer.status, json.dumps(answer.body, ensure_ascii=False))
    if answer.status < 300:
        stored = platform.upload(platform_id, args.file.read_bytes(), "audio/wav")
        print(stored.status, json.dumps(stored.body, ensure_ascii=False))


if __name__ == "__main__":
    main()
