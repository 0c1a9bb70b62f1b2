from sp_tui.areas import build_demo
from tests.conftest import DEMO_TODAY
from sp_tui.domain.quarters import Quarter
from sp_tui.reports.qaf_tables import qaf_tables
from sp_tui.reports.visits import action_plans


def test_demo_visits_look_like_a_kent_quarter(db):
    plan = build_demo(db, 1, today=DEMO_TODAY)
    for number in range(plan.first_quarter, plan.last_quarter + 1):
        tables = qaf_tables(db, Quarter(number))
        t6, t7 = tables.table6, tables.table7
        assert 20 <= t6.begun <= 45
        assert 0.7 * t6.begun <= t6.completed <= t6.begun
        assert t7.higher + t7.same + t7.lower + t7.first_graded + t7.not_awarded == t6.completed
        assert tables.table8.services.total > 250
        assert tables.table8.services.c > tables.table8.services.d
    # every D service has its action plan, and the last quarter leaves some visits open
    last = Quarter(plan.last_quarter)
    plans = action_plans(db, last.end)
    assert all(p.plan_officer and p.plan_review_date for p in plans)
    open_visits = db.execute("SELECT count(*) FROM visits WHERE completed_date IS NULL")
    assert open_visits.fetchone()[0] > 0
