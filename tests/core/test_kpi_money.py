"""Engagement rate, ROI, CAC and LTV per campaign, leads and cohorts, by hand, both engines."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from tests import kpi_factories as kf
from tests import seed
from tests.seed import at
from workstation import db
from workstation.kpi_money import by_kind, campaigns, leads_by_platform, ltv_cohorts

START, END = at("2026-11-01T00:00"), at("2026-12-01T00:00")


@pytest.fixture
def store(engine: Engine) -> Engine:
    """Two paid campaigns, one UGC, one organic seen only in conversations."""
    with db.write(engine) as conn:
        # Black Friday: CSV gives impressions, customers and revenue.
        kf.result(conn, "bf", spend=1000.0, creator_fees=200.0, revenue=3000.0,
                  impressions=50_000, likes=1500, comments=300, shares=200, customers=12,
                  promo_code="BF26", redemptions=40)
        # UGC: no impressions nor customers in the CSV: the store's posts and leads count.
        kf.result(conn, "ugc-lea", kind="ugc", spend=100.0, creator_fees=300.0, revenue=900.0)
        kf.result(conn, "old", start=date(2026, 9, 1), end=date(2026, 9, 30), spend=5.0)
        post = kf.post(conn, campaign="ugc-lea", likes=90, shares=6, impressions=1000)
        ugc = [seed.conversation(conn, start=at(f"2026-11-1{n}T10:00"), campaign="ugc-lea",
                                 post_id=post, message_count=1) for n in range(4)]
        kf.lead(conn, ugc[0], stage="customer", campaign="ugc-lea", value=250.0)
        kf.lead(conn, ugc[1], stage="customer", campaign="ugc-lea", value=150.0, promo="LEA10")
        kf.lead(conn, ugc[2], stage="qualified", campaign="ugc-lea")
        bf = seed.conversation(conn, start=at("2026-11-27T10:00"), campaign="bf",
                               platform="facebook")
        kf.lead(conn, bf, stage="customer", value=80.0)  # campaign from the conversation
        organic = seed.conversation(conn, start=at("2026-11-05T10:00"), campaign="organic-tip")
        kf.lead(conn, organic, when=at("2026-10-20T10:00"), stage="customer", value=40.0)
    return engine


def test_campaign_formulas(store: Engine) -> None:
    figures = {f.campaign: f for f in campaigns(store, START, END)}
    assert set(figures) == {"bf", "ugc-lea", "organic-tip"}  # "old" is outside the period
    bf = figures["bf"]
    assert bf.engagement_rate == pytest.approx((1500 + 300 + 200) / 50_000 * 100)
    assert bf.roi == pytest.approx((3000 - 1000 - 200) / 1000)
    assert bf.customers == 12 and bf.customers_from == "csv"
    assert bf.cac == pytest.approx(1200 / 12)
    assert bf.ltv == pytest.approx(80.0)  # the store's customers' mean value wins
    assert (bf.promo_code, bf.redemptions, bf.leads, bf.conversations) == ("BF26", 40, 1, 1)
    ugc = figures["ugc-lea"]
    assert ugc.kind == "ugc"
    # Four one-message threads opened under the post this month, likes and shares.
    assert (ugc.engagement, ugc.impressions) == (90 + 6 + 4, 1000)
    assert ugc.engagement_rate == pytest.approx(10.0)
    assert ugc.customers == 2 and ugc.customers_from == "store"
    assert ugc.cac == pytest.approx(400 / 2)
    assert ugc.ltv == pytest.approx(200.0)
    assert ugc.roi == pytest.approx((900 - 100 - 300) / 100)
    assert (ugc.leads, ugc.promo_leads, ugc.lead_conversion) == (3, 1, 75.0)
    organic = figures["organic-tip"]
    assert organic.roi is None and organic.cac is None and organic.leads == 0


def test_kinds_add_up(store: Engine) -> None:
    kinds = by_kind(campaigns(store, START, END))
    assert list(kinds) == ["organic", "paid", "ugc"]
    assert kinds["paid"].spend == 1000.0 and kinds["ugc"].creator_fees == 300.0
    assert kinds["ugc"].roi == pytest.approx(5.0)


def test_leads_per_platform_and_cohorts(store: Engine) -> None:
    leads = {s.platform: s for s in leads_by_platform(store, START, END)}
    assert (leads["instagram"].leads, leads["instagram"].customers,
            leads["instagram"].with_promo_code) == (3, 2, 1)
    assert leads["facebook"].leads == 1
    cohorts = ltv_cohorts(store, at("2026-01-01T00:00"), END)
    assert [(c.month, c.customers, c.value) for c in cohorts] == [
        (date(2026, 10, 1), 1, 40.0), (date(2026, 11, 1), 3, 480.0)]
    assert cohorts[1].ltv == pytest.approx(160.0)
