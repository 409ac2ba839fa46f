"""Rules hashes recorded by surveys judged before translations were left out of the hash.

Until November 2026 the hash covered the whole file, English display texts included, so adding
the missing `label_en` values changed the hash of every shipped rule file although no rule
changed. Surveys judged before keep their recorded `rules_hash` (versions are immutable); this
table lets Rulebook.rules_for_hash still name the rule file that judged them. A test rebuilds
each of these hashes from today's file, so a change to what a file's rules say cannot go unseen.
"""

from __future__ import annotations

EARLIER_HASHES: dict[str, str] = {  # hash over the whole file (then) → rule version
    "532af3d05846de3c3c6cfbcb7aa2346611730f52dde79b297ab7e8542abc2c70": "2009-06",
    "d2cd9d4a5c2197a38051268f0c9aab0d32c53d0a5c45e0bbdb3cef219b218579": "2013-06",
    "5996de541791bcc3b9b1d061e99771bbb3931d9d21034ac95fa616f76f00a8c0": "2018-03",
    "fa79e766f33e13bb7ab993a558293e8f1467de0440411d650e870a321e084da1": "2020-03",
    "53053c527a3ce21f1f692aeb9aae6338a7cc979f0eae37cdce5d6b8f126f7fa9": "2021-03",
    "54e9ffb583090ad59b916cdc4e32e8e195dbb96b6d3f7a43238a16c449e1a1bc": "2024-05",
    "c83bc3f6d5b71b089a8b8d1097cd5bb192215a3db75855d64a01d3adc56331c5": "2025-07",
}
