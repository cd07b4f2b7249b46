"""Issue 11, acceptance 4: the sync API trusts only its token, not what a record claims."""

from __future__ import annotations

import copy

from kiosk.responses import content_hash

from .conftest import add_device, items_of, post_items, queue


def spoof(item: dict, **changes: object) -> dict:
    """The item with record fields changed and its hash made to match (a well-formed lie)."""
    out = copy.deepcopy(item)
    out["record"].update(changes)
    out["hash"] = content_hash(out["record"])
    return out


def test_spoofed_device_channel_code_time_and_language_are_rejected_with_reasons(
        hub, live_hub, make_app) -> None:
    device_a, token_a = add_device(hub, "kiosk-a")
    device_b, _token_b = add_device(hub, "kiosk-b")
    kiosk = make_app("kiosk")
    queue(kiosk, 8)
    items = [spoof(i, device_id=device_a) for i in items_of(kiosk)]
    lies = [spoof(items[0], device_id=device_b), spoof(items[1], channel="web"),
            spoof(items[2], tracking_code="NOSUCH"),
            spoof(items[3], submitted_at="2999-01-01T00:00:00Z"),
            spoof(items[4], submitted_at="1999-01-01T00:00:00Z", started_at=None),
            spoof(items[5], language="fr")]
    lines = post_items(live_hub.url, token_a, [*lies, items[6]]).json()["items"]
    assert [line["status"] for line in lines] == ["rejected"] * 6 + ["accepted"]
    reasons = [line["reason"] for line in lines[:6]]
    for reason, word in zip(reasons, ["another device", "channel", "tracking code",
                                      "clock-skew", "clock-skew", "language"], strict=True):
        assert word in reason, reason
