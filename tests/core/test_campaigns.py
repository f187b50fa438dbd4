"""Campaign CSV import: validated like ingest, bad rows to dead letters, both engines."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from tests.seed import at
from workstation import campaigns, cli, db
from workstation.clock import FrozenClock
from workstation.models import AuditEvent, CampaignResult, DeadLetter

HEADER = ("campaign,platform,kind,creator,period,start,end,spend,creator_fees,impressions,"
          "likes,comments,shares,revenue,customers,promo_code,redemptions\n")
GOOD = [
    "black-friday,instagram,paid,,2026-11,,,1200.50,0,100000,3000,400,100,5000,20,BF26,35\n",
    "ugc-morning,tiktok,ugc,@lea,,2026-11-01,2026-11-30,0,300,50000,2500,100,400,900,,,\n",
    "winter,,influencer,@max,2026-Q4,,,800,1200,,,,,4000,8,,\n",
]
BAD = [
    "bad-month,,paid,,2026-13,,,1,,,,,,,,,\n",                      # line 5
    "backwards,,paid,,,2026-11-05,2026-11-01,1,,,,,,,,,\n",          # line 6
    "euro,,paid,,2026-11,,,€12,0,1,,,,,,,\n",                         # line 7
    "odd-kind,,barter,,2026-11,,,1,,,,,,,,,\n",                      # line 8
    "black-friday,instagram,paid,,2026-11,,,1,0,1,,,,,,,\n",          # line 9: same key as 2
    "=HYPERLINK(\"x\"),,paid,,2026-11,,,1,,,,,,,,,\n",                # line 10: not a slug
    "short,row\n",                                                    # line 11
]


def _file(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "campaigns.csv"
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


def test_good_rows_are_imported_and_bad_ones_kept_with_their_line(
        engine: Engine, tmp_path: Path) -> None:
    path = _file(tmp_path, GOOD + BAD)
    report = campaigns.import_file(engine, path.read_bytes(), source="c.csv",
                                   clock=FrozenClock(at("2026-11-26T12:00")), actor="julie")
    assert (report.imported, report.rejected) == (3, 7)
    assert report.errors == [
        "c.csv:5: period: no month 13",
        "c.csv:6: end is before start",
        "c.csv:7: spend: '€12' is not an amount such as 1250.50",
        "c.csv:8: kind: 'barter' is not one of paid, organic, ugc, influencer",
        "c.csv:9: same campaign, platform and period as line 2",
        "c.csv:10: campaign must be a slug (letters, digits, - _ . : /), 1-128 characters",
        "c.csv:11: 2 cells for 17 columns",
    ]
    rows = {r.campaign: r for r in campaigns.list_campaigns(engine)}
    assert set(rows) == {"black-friday", "ugc-morning", "winter"}
    bf = rows["black-friday"]
    assert (bf.spend, bf.impressions, bf.revenue, bf.customers) == (1200.5, 100000, 5000.0, 20)
    assert (str(bf.period_start), str(bf.period_end)) == ("2026-11-01", "2026-11-30")
    assert rows["ugc-morning"].customers is None  # empty: count the store's customers
    winter = rows["winter"]
    assert (str(winter.period_start), str(winter.period_end)) == ("2026-10-01", "2026-12-31")
    with db.read(engine) as conn:
        dead = conn.execute(select(DeadLetter.line_no, DeadLetter.raw)  # type: ignore[call-overload]
                            .order_by(DeadLetter.line_no)).all()
        event = conn.execute(select(AuditEvent.actor, AuditEvent.details)  # type: ignore[call-overload]
                             .where(AuditEvent.action == "campaigns.imported")).one()
    assert [n for n, _ in dead] == [5, 6, 7, 8, 9, 10, 11]
    assert dead[2][1] == BAD[2].encode()
    assert event.actor == "julie" and event.details["imported"] == 3


def test_importing_again_replaces_a_period(engine: Engine) -> None:
    first = (HEADER + GOOD[0]).encode()
    campaigns.import_file(engine, first, source="a.csv")
    campaigns.import_file(engine, first.replace(b"1200.50", b"1500"), source="b.csv")
    with db.read(engine) as conn:
        rows = conn.execute(select(CampaignResult.spend)).scalars().all()  # type: ignore[call-overload]
    assert rows == [1500.0]


def test_semicolons_and_a_byte_order_mark_are_read(engine: Engine) -> None:
    raw = "\ufeffcampaign;period;spend\nnoel;2026-12;99.5\n".encode()
    report = campaigns.import_file(engine, raw, source="excel.csv")
    assert report.imported == 1 and campaigns.list_campaigns(engine)[0].spend == 99.5


@pytest.mark.parametrize(("header", "reason"), [
    ("campaign,start,end,spendd\n", "unknown column 'spendd'"),
    ("platform,spend\n", "the header needs `campaign`"),
    ("", "empty file"),
])
def test_a_bad_header_is_a_usage_error(header: str, reason: str) -> None:
    with pytest.raises(campaigns.CampaignFileError, match=reason):
        campaigns.parse(header.encode(), "x.csv")


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    good = _file(tmp_path, GOOD)
    assert cli.main(["--db", url, "campaigns", "import", str(good)]) == 0
    mixed = tmp_path / "mixed.csv"
    mixed.write_text(HEADER + GOOD[0] + BAD[0], encoding="utf-8")
    assert cli.main(["--db", url, "campaigns", "import", str(mixed)]) == 1
    err = capsys.readouterr().err
    assert f"{mixed}:3: period: no month 13" in err and "Traceback" not in err
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("name,spend\nx,1\n", encoding="utf-8")
    assert cli.main(["--db", url, "campaigns", "import", str(wrong)]) == 2
    assert cli.main(["--db", url, "campaigns", "import", str(tmp_path / "none.csv")]) == 2
    capsys.readouterr()
    assert cli.main(["--db", url, "campaigns", "list", "--json"]) == 0
    assert capsys.readouterr().out.count("\n") == 3
    with db.read(db.open_store(url)) as conn:
        assert conn.execute(select(func.count()).select_from(CampaignResult)).scalar_one() == 3
