"""Drive the b24flow emulator with fast_bitrix24, a Bitrix24 client from PyPI.

Usage: fast_bitrix24_check.py WEBHOOK_URL EXPECTED_COUNT
Lists every template through the client's own paging (get_all follows next/total),
reads one page with call(), and checks that a template write over a webhook is refused
the way a real portal refuses it. Prints one JSON line; exits non-zero on a mismatch.
"""
import json
import sys

from fast_bitrix24 import Bitrix


def main() -> int:
    webhook, expected = sys.argv[1], int(sys.argv[2])
    b = Bitrix(webhook, verbose=False)
    rows = b.get_all(
        "bizproc.workflow.template.list",
        params={"select": ["ID", "NAME", "DOCUMENT_TYPE", "AUTO_EXECUTE"]},
    )
    ids = [int(r["ID"]) for r in rows]
    one = b.call("bizproc.workflow.template.list", {"select": ["ID", "NAME"], "filter": {"ID": ids[0]}})
    refused = None
    try:
        b.call(
            "bizproc.workflow.template.add",
            {"DOCUMENT_TYPE": ["crm", "CCrmDocumentDeal", "DEAL"], "NAME": "x", "TEMPLATE_DATA": ["x.bpt", "eJw="]},
        )
    except Exception as e:  # the client raises on an error envelope
        refused = str(e)
    print(json.dumps({"listed": len(ids), "unique": len(set(ids)), "one": one, "refused": refused}))
    ok = len(ids) == expected and len(set(ids)) == expected and refused and "Application context required" in refused
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
