"""Cost and payback: the arithmetic, each missing figure, the pages and their sources."""

from decimal import Decimal

import pytest

from careers.models import ProgramCareer
from careers.payback import TAX_FREE_LIMIT, work_out
from core.models import Statistic
from tests.factories import cite, make_career, make_source, make_sourced_program

pytestmark = pytest.mark.django_db


def sourced_career(**fields):
    career = make_career(**fields)
    source = make_source()
    for name in ("median_salary", "salary_low", "salary_high"):
        if name in fields:
            cite(career, name, source)
    return career


def program(**fields):
    defaults = {"tuition_total": Decimal(30000), "months_part_time": 24, "months_full_time": 12}
    return make_sourced_program(**{**defaults, **fields})


CAREER = {
    "median_salary": Decimal(100000),
    "salary_low": Decimal(70000),
    "salary_high": Decimal(150000),
}


def test_part_time_payback_gives_up_no_salary():
    result = work_out(program(), sourced_career(**CAREER), Decimal(80000), "part_time")
    assert result.computed
    assert result.years == 2
    assert result.forgone == 0
    assert result.investment == 30000
    median = result.median
    assert median.gain == 20000
    assert median.payback_years == Decimal("1.5")
    # 20,000 a year for the 8 years after two years of study, less the 30,000 put in.
    assert median.difference == 20000 * 8 - 30000
    assert median.payback_text == "1.5 years after graduating"
    assert median.difference_text == "+$130,000"


def test_full_time_counts_the_salary_given_up_and_assistance_up_to_the_cost():
    result = work_out(
        program(fees_total=Decimal(2000)),
        sourced_career(**CAREER),
        Decimal(80000),
        "full_time",
        Decimal(5250),
    )
    assert result.cost.total == 32000
    assert result.assistance == 5250  # one year of study
    assert result.forgone == 80000
    assert result.investment == 32000 - 5250 + 80000
    high = result.level("high")
    assert high.gain == 70000
    assert high.payback_years == Decimal(106750) / 70000
    assert high.difference == 70000 * 9 - 106750  # nine years of gain after one of study
    # Assistance never exceeds the cost.
    generous = work_out(
        program(), sourced_career(**CAREER), Decimal(80000), "part_time", Decimal(90000)
    )
    assert generous.assistance == 30000 and generous.out_of_pocket == 0


def test_a_career_paying_no_more_never_pays_back():
    result = work_out(program(), sourced_career(**CAREER), Decimal(70000), "part_time")
    low = result.level("low")
    assert low.gain == 0 and low.payback_years is None
    assert low.payback_text == "never: this pay is not above your current salary"
    assert low.difference == -30000
    assert low.difference_text == "−$30,000"


def test_rate_per_credit_times_credits_is_the_tuition():
    cost_by_credit = make_sourced_program(
        tuition_per_credit=Decimal(1000), credits=30, months_part_time=24
    )
    result = work_out(cost_by_credit, sourced_career(**CAREER), Decimal(80000), "part_time")
    assert result.cost.total == 30000
    assert any(row.how == "$1,000 per credit × 30 credits" for row in result.rows())


@pytest.mark.parametrize(
    "program_fields, career_fields, pace, missing",
    [
        (
            {"tuition_total": None},
            CAREER,
            "part_time",
            "the program does not report its total tuition",
        ),
        (
            {"tuition_total": None, "tuition_per_credit": Decimal(900)},
            CAREER,
            "part_time",
            "the program does not report its credits to graduate",
        ),
        (
            {"months_part_time": None},
            CAREER,
            "part_time",
            "the program does not report its time to finish part-time",
        ),
        (
            {"months_full_time": None},
            CAREER,
            "full_time",
            "the program does not report its time to finish full-time",
        ),
        (
            {},
            {"salary_low": Decimal(1)},
            "part_time",
            "the career's median salary is not reported",
        ),
        (
            {"currency": "GBP"},
            CAREER,
            "part_time",
            "the program reports its cost in GBP, and the portal does not convert currencies",
        ),
    ],
)
def test_each_missing_figure_makes_the_result_cannot_be_computed(
    program_fields, career_fields, pace, missing
):
    result = work_out(
        program(**program_fields), sourced_career(**career_fields), Decimal(80000), pace
    )
    assert not result.computed
    assert result.missing == [missing]
    assert result.reason == f"cannot be computed: {missing}"
    assert result.investment is None and result.levels == []


def test_a_figure_without_a_source_counts_as_missing():
    unsourced = make_career(median_salary=Decimal(100000))  # no citation
    result = work_out(program(), unsourced, Decimal(80000), "part_time")
    assert result.missing == ["the career's median salary is not reported"]


def test_a_missing_range_leaves_low_and_high_not_computed_but_the_median_computed():
    result = work_out(
        program(), sourced_career(median_salary=Decimal(100000)), Decimal(80000), "part_time"
    )
    assert result.computed and result.median.payback_years == Decimal("1.5")
    low = result.level("low")
    assert not low.computed
    assert low.payback_text == "cannot be computed: the career's low salary is not reported"


# --- The pages ------------------------------------------------------------------------------


def limit_statistic():
    limit = Statistic.objects.create(
        slug=TAX_FREE_LIMIT, label="Tax-free limit", value=Decimal(5250), unit="usd"
    )
    cite(
        limit, "value", make_source(title="IRS news release", publisher="Internal Revenue Service")
    )
    return limit


def test_program_payback_page_shows_every_figure_with_its_source(client):
    limit_statistic()
    studied = program(title="Clinical AI")
    career = sourced_career(title="Clinical AI analyst", **CAREER)
    ProgramCareer.objects.create(program=studied, career=career)
    url = f"/programs/{studied.slug}/payback/"
    form = client.get(url).content.decode()
    assert "$5,250" in form and "IRS news release" in form  # the limit, sourced, by its input
    assert "Careers this program leads to" in form
    response = client.get(
        url,
        {"salary": "80000", "pace": "part_time", "assistance": "", "career": career.slug},
    )
    content = response.content.decode()
    assert "1.5 years after graduating" in content
    assert "+$130,000" in content
    assert content.count('class="source"') >= 4  # tuition, months, low, median, high, limit


def test_program_payback_page_says_what_cannot_be_computed(client):
    studied = program(tuition_total=None)
    career = sourced_career(**CAREER)
    response = client.get(
        f"/programs/{studied.slug}/payback/",
        {"salary": "80000", "pace": "part_time", "career": career.slug},
    )
    assert "Cannot be computed:</strong> the program does not report its total tuition" in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    "salary, message",
    [
        ("", "Enter your current yearly salary, such as 78000."),
        ("-5", "A salary cannot be negative."),
        ("lots", "Enter whole dollars using digits only, such as 78000."),
    ],
)
def test_bad_payback_inputs_are_reported_and_kept(client, salary, message):
    studied = program()
    career = sourced_career(**CAREER)
    response = client.get(
        f"/programs/{studied.slug}/payback/",
        {"salary": salary, "pace": "part_time", "assistance": "12", "career": career.slug},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "<title>Error:" in content and message in content
    assert 'value="12"' in content  # the other answers stay


def test_comparison_payback_puts_the_programs_side_by_side(client):
    cheap = program(title="Cheap", tuition_total=Decimal(10000))
    dear = program(title="Dear", tuition_total=None)
    career = sourced_career(**CAREER)
    response = client.get(
        "/programs/compare/payback/",
        {
            "p": [cheap.slug, dear.slug],
            "salary": "80000",
            "pace": "part_time",
            "career": career.slug,
        },
    )
    content = response.content.decode()
    assert "0.5 years after graduating" in content
    assert "Cannot be computed: the program does not report its total tuition" in content
    # The form keeps the compared programs.
    assert f'name="p" value="{cheap.slug}"' in content


def test_comparison_payback_without_programs_is_a_404(client):
    assert client.get("/programs/compare/payback/").status_code == 404
