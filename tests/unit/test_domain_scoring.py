"""Scoring every questionnaire exactly as its authors publish it.

The published rules are written out again here, by hand, from the papers and manuals (not
read from the instrument files), so a wrong band, option value or multiplier in a file shows
up as a disagreement between ``score()`` and this independent reference.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import answer_sets, raised_answer_sets

from haven.content import instruments
from haven.domain.errors import InvalidInput
from haven.domain.instruments import REQUIRED_LANGUAGES, Instrument, RiskLevel, ScoringMethod
from haven.domain.scoring import asked_items, score

# --- The published rules, coded independently -------------------------------------------


def _banding(*bands: tuple[int, str], above: str) -> Callable[[int], str]:
    """A published banding: ``(highest total, band)`` from the lowest band up, and the band
    of any total ``above`` the last of them."""

    def severity(total: int) -> str:
        return next((band for highest, band in bands if total <= highest), above)

    return severity


# Kroenke, Spitzer & Williams 2001: cut points 5, 10, 15 and 20.
_phq9_severity = _banding(
    (4, "minimal"), (9, "mild"), (14, "moderate"), (19, "moderately_severe"), above="severe"
)
# Spitzer, Kroenke, Williams & Löwe 2006: cut points 5, 10 and 15.
_gad7_severity = _banding((4, "minimal"), (9, "mild"), (14, "moderate"), above="severe")
# Kroenke 2003 (PHQ-2) and Kroenke 2007 (GAD-2): a total of 3 or more is positive.
_two_item_screen = _banding((2, "negative"), above="positive")
# Topp et al. 2015: 28 or below likely depression; 50 or below poor well-being.
_who5_severity = _banding(
    (28, "likely_depression"), (50, "poor_wellbeing"), above="adequate_wellbeing"
)
# National Center for PTSD: 31-33 indicates probable PTSD; Haven takes 33.
_pcl5_severity = _banding((32, "below_threshold"), above="probable_ptsd")
# Babor et al., WHO 2001: zones I 0-7, II 8-15, III 16-19, IV 20-40.
_audit_zone = _banding(
    (7, "low_risk"), (15, "hazardous"), (19, "harmful"), above="possible_dependence"
)


@dataclass(frozen=True)
class Published:
    """A sum-scored questionnaire as its authors publish it."""

    values: dict[str, tuple[int, ...]]  # item id -> allowed answer values, in printed order
    multiplier: int
    total_range: tuple[int, int]
    severity: Callable[[int], str]

    def total(self, answers: dict[str, int]) -> int:
        return self.multiplier * sum(answers[item_id] for item_id in self.values)


def _items(prefix: str, count: int, values: tuple[int, ...]) -> dict[str, tuple[int, ...]]:
    return {f"{prefix}_{n}": values for n in range(1, count + 1)}


ZERO_TO_THREE = (0, 1, 2, 3)
ZERO_TO_FOUR = (0, 1, 2, 3, 4)

PUBLISHED: dict[str, Published] = {
    "phq9": Published(_items("phq9", 9, ZERO_TO_THREE), 1, (0, 27), _phq9_severity),
    "phq2": Published(_items("phq2", 2, ZERO_TO_THREE), 1, (0, 6), _two_item_screen),
    "gad7": Published(_items("gad7", 7, ZERO_TO_THREE), 1, (0, 21), _gad7_severity),
    "gad2": Published(_items("gad2", 2, ZERO_TO_THREE), 1, (0, 6), _two_item_screen),
    # Raw 0-25, times 4 for the 0-100 percentage score.
    "who5": Published(_items("who5", 5, (0, 1, 2, 3, 4, 5)), 4, (0, 100), _who5_severity),
    "pcl5": Published(_items("pcl5", 20, ZERO_TO_FOUR), 1, (0, 80), _pcl5_severity),
    # Questions 9 and 10 score 0, 2 or 4 only.
    "audit": Published(
        {**_items("audit", 8, ZERO_TO_FOUR), "audit_9": (0, 2, 4), "audit_10": (0, 2, 4)},
        1,
        (0, 40),
        _audit_zone,
    ),
}
SUM_IDS = sorted(PUBLISHED)

CSSRS_LEVELS = ["none", "low", "moderate", "high"]


def published_triage(answers: dict[str, int]) -> str:
    """The C-SSRS screener's triage (Posner 2011; the Lighthouse Project's colours).

    A YES to 1 or 2 is low risk; to 3, or to behaviour more than 3 months ago, moderate; to 4,
    5 or behaviour within 3 months high. An unanswered "within 3 months?" counts as YES.
    """

    def yes(question: str) -> bool:
        return answers.get(question) == 1

    recent_behaviour = yes("q6") and answers.get("q6b", 1) == 1
    if yes("q4") or yes("q5") or recent_behaviour:
        return "high"
    if yes("q3") or yes("q6"):
        return "moderate"
    if yes("q1") or yes("q2"):
        return "low"
    return "none"


def every_cssrs_answer_set() -> list[dict[str, int]]:
    """Every way a person can complete the screener: 3-5 only after a YES to 2, the
    "within 3 months?" follow-up only after a YES to 6, and then possibly left blank."""
    sets = []
    for q1, q2, q6 in itertools.product((0, 1), repeat=3):
        middles = itertools.product((0, 1), repeat=3) if q2 else [None]
        for middle in middles:
            for q6b in (0, 1, None) if q6 else (None,):
                answers = {"q1": q1, "q2": q2}
                if middle is not None:
                    answers.update(zip(("q3", "q4", "q5"), middle, strict=True))
                answers["q6"] = q6
                if q6b is not None:
                    answers["q6b"] = q6b
                sets.append(answers)
    return sets


def published_answers(instrument_id: str) -> st.SearchStrategy[dict[str, int]]:
    """Any complete answer set, drawn from the published answer values (not the file's)."""
    return st.fixed_dictionaries(
        {
            item_id: st.sampled_from(values)
            for item_id, values in PUBLISHED[instrument_id].values.items()
        }
    )


def answers_totalling(instrument_id: str, raw_total: int) -> dict[str, int]:
    """A complete answer set whose plain sum is ``raw_total``, built from the published values.

    The items with gaps in their values (AUDIT 9 and 10) are filled first, so every total in
    the range is reached."""
    spec = PUBLISHED[instrument_id]
    remaining = raw_total
    answers: dict[str, int] = {}
    for item_id, values in sorted(spec.values.items(), key=lambda kv: len(kv[1])):
        answers[item_id] = max(v for v in values if v <= remaining)
        remaining -= answers[item_id]
    assert remaining == 0, f"{instrument_id}: cannot reach {raw_total}"
    return answers


def get(instrument_id: str) -> Instrument:
    return instruments()[instrument_id]


# --- The contract every instrument honours --------------------------------------------------


def _walk(instrument: Instrument, pick: Callable[[list[int]], int]) -> dict[str, int]:
    """Answer every question asked, each with ``pick`` of its values, following ``ask_if``."""
    answers: dict[str, int] = {}
    for item in instrument.items:
        condition = item.ask_if
        if condition is not None and answers.get(condition.item) != condition.equals:
            continue
        answers[item.id] = pick([option.value for option in instrument.options_for(item)])
    return answers


def _texts(instrument: Instrument) -> list[tuple[str, dict[str, str]]]:
    texts = [
        ("name", instrument.name),
        ("recall_period", instrument.recall_period),
        ("instructions", instrument.instructions),
    ]
    texts += [(f"item {item.id}", item.text) for item in instrument.items]
    texts += [
        (f"option set {name} value {option.value}", option.label)
        for name, options in instrument.option_sets.items()
        for option in options
    ]
    texts += [(f"band {band.code}", band.label) for band in instrument.bands]
    texts += [(f"flag {flag.code}", flag.label) for flag in instrument.flags]
    return texts


class InstrumentContract:
    """What every questionnaire must do, whoever wrote its file. A subclass supplies the
    ``instrument`` fixture (Rasa's ``PolicyTestCollection`` pattern)."""

    def test_every_text_reads_in_english_and_spanish(self, instrument: Instrument) -> None:
        assert REQUIRED_LANGUAGES == ("en", "es")
        untranslated = [
            (where, language)
            for where, text in _texts(instrument)
            for language in ("en", "es")
            if not text.get(language, "").strip()
        ]
        assert untranslated == []

    def test_it_names_its_source_and_its_licence(self, instrument: Instrument) -> None:
        assert len(instrument.citation.split()) >= 5
        assert any(str(year) in instrument.citation for year in range(1980, 2030))
        assert len(instrument.licence.split()) >= 5

    def test_its_bands_tile_every_possible_result(self, instrument: Instrument) -> None:
        if instrument.scoring is ScoringMethod.SUM:
            scored = [item for item in instrument.items if item.scored]
            low = sum(min(o.value for o in instrument.options_for(i)) for i in scored)
            high = sum(max(o.value for o in instrument.options_for(i)) for i in scored)
            low, high = low * instrument.multiplier, high * instrument.multiplier
        else:
            low, high = 0, max(flag.level.rank + 1 for flag in instrument.flags)
        bands = sorted(instrument.bands, key=lambda band: band.min)

        assert bands[0].min == low
        assert bands[-1].max == high
        for below, above in itertools.pairwise(bands):
            assert above.min == below.max + 1, f"{below.code} and {above.code} do not meet"
        assert len({band.code for band in bands}) == len(bands)

    def test_the_lowest_answers_give_the_lowest_band(self, instrument: Instrument) -> None:
        result = score(instrument=instrument, answers=_walk(instrument, min))

        assert result.band == min(instrument.bands, key=lambda band: band.min)

    def test_the_highest_answers_give_the_highest_band(self, instrument: Instrument) -> None:
        result = score(instrument=instrument, answers=_walk(instrument, max))

        assert result.band == max(instrument.bands, key=lambda band: band.max)

    def test_a_missing_answer_is_refused_naming_the_item(self, instrument: Instrument) -> None:
        answers = _walk(instrument, min)
        for item in instrument.items:
            if item.id not in answers or not item.required:
                continue
            incomplete = {k: v for k, v in answers.items() if k != item.id}
            with pytest.raises(InvalidInput) as caught:
                score(instrument=instrument, answers=incomplete)
            assert caught.value.field == item.id
            assert item.id in str(caught.value)

    def test_an_answer_to_an_unknown_item_is_refused_naming_it(
        self, instrument: Instrument
    ) -> None:
        answers = {**_walk(instrument, min), "item_99": 0}

        with pytest.raises(InvalidInput) as caught:
            score(instrument=instrument, answers=answers)

        assert caught.value.field == "item_99"
        assert "item_99" in str(caught.value)

    def test_a_value_outside_the_options_is_refused_naming_the_item(
        self, instrument: Instrument
    ) -> None:
        answers = _walk(instrument, min)
        for item_id in answers:
            values = [option.value for option in instrument.options_for(instrument.item(item_id))]
            outside = [min(values) - 1, max(values) + 1]
            outside += [v for v in range(min(values), max(values)) if v not in values]
            for value in outside:
                with pytest.raises(InvalidInput) as caught:
                    score(instrument=instrument, answers={**answers, item_id: value})
                assert caught.value.field == item_id

    @pytest.mark.parametrize("value", [False, True])
    def test_a_true_or_false_answer_is_refused_naming_the_item(
        self, instrument: Instrument, value: bool
    ) -> None:
        answers = _walk(instrument, min)
        for item_id in answers:
            with pytest.raises(InvalidInput) as caught:
                score(instrument=instrument, answers={**answers, item_id: value})
            assert caught.value.field == item_id


class TestEveryInstrument(InstrumentContract):
    @pytest.fixture(params=sorted(instruments()))
    def instrument(self, request: pytest.FixtureRequest) -> Instrument:
        return get(request.param)


def test_the_contract_covers_every_published_instrument() -> None:
    assert sorted(instruments()) == sorted([*PUBLISHED, "cssrs"])


# --- Sum scores against the published rules ----------------------------------------------


@pytest.mark.parametrize("instrument_id", SUM_IDS)
def test_each_item_offers_exactly_the_published_answer_values(instrument_id: str) -> None:
    instrument = get(instrument_id)
    offered = {
        item.id: tuple(option.value for option in instrument.options_for(item))
        for item in instrument.items
    }

    assert offered == PUBLISHED[instrument_id].values


BAND_EDGES = [
    ("phq9", 0, "minimal"),
    ("phq9", 4, "minimal"),
    ("phq9", 5, "mild"),
    ("phq9", 9, "mild"),
    ("phq9", 10, "moderate"),
    ("phq9", 14, "moderate"),
    ("phq9", 15, "moderately_severe"),
    ("phq9", 19, "moderately_severe"),
    ("phq9", 20, "severe"),
    ("phq9", 27, "severe"),
    ("gad7", 0, "minimal"),
    ("gad7", 4, "minimal"),
    ("gad7", 5, "mild"),
    ("gad7", 9, "mild"),
    ("gad7", 10, "moderate"),
    ("gad7", 14, "moderate"),
    ("gad7", 15, "severe"),
    ("gad7", 21, "severe"),
    ("phq2", 0, "negative"),
    ("phq2", 2, "negative"),
    ("phq2", 3, "positive"),
    ("phq2", 6, "positive"),
    ("gad2", 0, "negative"),
    ("gad2", 2, "negative"),
    ("gad2", 3, "positive"),
    ("gad2", 6, "positive"),
    ("pcl5", 0, "below_threshold"),
    ("pcl5", 32, "below_threshold"),
    ("pcl5", 33, "probable_ptsd"),
    ("pcl5", 80, "probable_ptsd"),
    ("audit", 0, "low_risk"),
    ("audit", 7, "low_risk"),
    ("audit", 8, "hazardous"),
    ("audit", 15, "hazardous"),
    ("audit", 16, "harmful"),
    ("audit", 19, "harmful"),
    ("audit", 20, "possible_dependence"),
    ("audit", 40, "possible_dependence"),
]


@pytest.mark.parametrize(("instrument_id", "total", "severity"), BAND_EDGES)
def test_a_total_on_a_band_edge_falls_in_the_published_band(
    instrument_id: str, total: int, severity: str
) -> None:
    result = score(instrument=get(instrument_id), answers=answers_totalling(instrument_id, total))

    assert (result.raw_total, result.total, result.severity) == (total, total, severity)


@pytest.mark.parametrize(
    ("raw", "percentage", "severity"),
    [
        (0, 0, "likely_depression"),
        (7, 28, "likely_depression"),
        (8, 32, "poor_wellbeing"),
        (12, 48, "poor_wellbeing"),
        (13, 52, "adequate_wellbeing"),
        (25, 100, "adequate_wellbeing"),
    ],
)
def test_who5_reports_four_times_the_raw_sum_and_bands_the_percentage(
    raw: int, percentage: int, severity: str
) -> None:
    result = score(instrument=get("who5"), answers=answers_totalling("who5", raw))

    assert (result.raw_total, result.total, result.severity) == (raw, percentage, severity)


@pytest.mark.parametrize("item_id", ["audit_9", "audit_10"])
@pytest.mark.parametrize("value", [1, 3])
def test_audit_questions_9_and_10_take_only_0_2_or_4(item_id: str, value: int) -> None:
    answers = {**answers_totalling("audit", 0), item_id: value}

    with pytest.raises(InvalidInput) as caught:
        score(instrument=get("audit"), answers=answers)

    assert caught.value.field == item_id


@pytest.mark.parametrize("instrument_id", SUM_IDS)
@given(data=st.data())
def test_any_answer_set_scores_as_the_published_rule_says(
    instrument_id: str, data: st.DataObject
) -> None:
    spec = PUBLISHED[instrument_id]
    answers = data.draw(published_answers(instrument_id))

    result = score(instrument=get(instrument_id), answers=answers)

    assert result.total == spec.total(answers)
    assert result.raw_total == spec.total(answers) // spec.multiplier
    assert result.severity == spec.severity(spec.total(answers))


# --- Clinical invariants --------------------------------------------------------------------


@pytest.mark.parametrize("instrument_id", SUM_IDS)
@given(data=st.data())
def test_totals_stay_within_the_published_range(instrument_id: str, data: st.DataObject) -> None:
    instrument = get(instrument_id)
    answers = data.draw(answer_sets(instrument))

    result = score(instrument=instrument, answers=answers)

    assert result.total is not None
    low, high = PUBLISHED[instrument_id].total_range
    assert low <= result.total <= high


def _band_rank(instrument: Instrument, code: str) -> int:
    return [band.code for band in sorted(instrument.bands, key=lambda b: b.min)].index(code)


@pytest.mark.parametrize("instrument_id", SUM_IDS)
@given(data=st.data())
def test_raising_any_one_answer_never_lowers_the_total_or_the_band(
    instrument_id: str, data: st.DataObject
) -> None:
    instrument = get(instrument_id)
    before, after = data.draw(raised_answer_sets(instrument))

    lower = score(instrument=instrument, answers=before)
    higher = score(instrument=instrument, answers=after)

    assert lower.total is not None
    assert higher.total is not None
    assert higher.total > lower.total
    assert _band_rank(instrument, higher.severity) >= _band_rank(instrument, lower.severity)


@given(data=st.data())
def test_raising_any_one_cssrs_answer_never_lowers_the_triage(data: st.DataObject) -> None:
    instrument = get("cssrs")
    before, after = data.draw(raised_answer_sets(instrument))

    lower = score(instrument=instrument, answers=before)
    higher = score(instrument=instrument, answers=after)

    assert CSSRS_LEVELS.index(higher.severity) >= CSSRS_LEVELS.index(lower.severity)


@given(answers=published_answers("phq9"))
def test_item9_positive_raises_risk_whatever_the_total(answers: dict[str, int]) -> None:
    result = score(instrument=get("phq9"), answers=answers)

    suicidal = [flag for flag in result.flags if flag.code == "suicidal_ideation"]
    if answers["phq9_9"] > 0:
        assert len(suicidal) == 1
        assert suicidal[0].level is RiskLevel.HIGH
    else:
        assert suicidal == []


def test_item9_alone_raises_a_high_risk_flag_on_a_minimal_total() -> None:
    answers = {**answers_totalling("phq9", 0), "phq9_9": 1}

    result = score(instrument=get("phq9"), answers=answers)

    assert result.severity == "minimal"
    assert [(flag.code, flag.level) for flag in result.flags] == [
        ("suicidal_ideation", RiskLevel.HIGH)
    ]


def test_a_severe_total_without_item9_raises_no_flag() -> None:
    answers = answers_totalling("phq9", 24)
    assert answers["phq9_9"] == 0

    result = score(instrument=get("phq9"), answers=answers)

    assert result.severity == "severe"
    assert result.flags == ()


# --- C-SSRS triage --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "triage"),
    [
        ({"q1": 0, "q2": 0, "q6": 0}, "none"),
        ({"q1": 1, "q2": 0, "q6": 0}, "low"),
        ({"q1": 0, "q2": 1, "q3": 0, "q4": 0, "q5": 0, "q6": 0}, "low"),
        ({"q1": 1, "q2": 1, "q3": 0, "q4": 0, "q5": 0, "q6": 0}, "low"),
        ({"q1": 1, "q2": 1, "q3": 1, "q4": 0, "q5": 0, "q6": 0}, "moderate"),
        ({"q1": 0, "q2": 0, "q6": 1, "q6b": 0}, "moderate"),
        ({"q1": 1, "q2": 1, "q3": 1, "q4": 0, "q5": 0, "q6": 1, "q6b": 0}, "moderate"),
        ({"q1": 1, "q2": 1, "q3": 0, "q4": 1, "q5": 0, "q6": 0}, "high"),
        ({"q1": 1, "q2": 1, "q3": 0, "q4": 0, "q5": 1, "q6": 0}, "high"),
        ({"q1": 0, "q2": 0, "q6": 1, "q6b": 1}, "high"),
        ({"q1": 0, "q2": 0, "q6": 1}, "high"),  # "within 3 months?" left blank: cautious
        ({"q1": 1, "q2": 1, "q3": 1, "q4": 1, "q5": 1, "q6": 1, "q6b": 1}, "high"),
    ],
)
def test_cssrs_triage_follows_the_published_screener(answers: dict[str, int], triage: str) -> None:
    result = score(instrument=get("cssrs"), answers=answers)

    assert result.severity == triage
    assert result.total is None
    assert result.raw_total is None


@pytest.mark.parametrize("answers", every_cssrs_answer_set(), ids=str)
def test_every_way_to_complete_the_cssrs_triages_as_published(answers: dict[str, int]) -> None:
    result = score(instrument=get("cssrs"), answers=answers)

    assert result.severity == published_triage(answers)


@pytest.mark.parametrize("answers", every_cssrs_answer_set(), ids=str)
def test_every_cssrs_yes_reaches_the_care_team_as_a_flag(answers: dict[str, int]) -> None:
    effective = dict(answers)
    if effective.get("q6") == 1:
        effective.setdefault("q6b", 1)
    result = score(instrument=get("cssrs"), answers=answers)

    assert sorted(flag.item for flag in result.flags) == sorted(
        question for question, value in effective.items() if value == 1
    )


# --- Skip logic ----------------------------------------------------------------------------


@pytest.mark.parametrize("question", ["q3", "q4", "q5"])
@pytest.mark.parametrize("value", [0, 1])
def test_cssrs_3_to_5_answered_after_a_no_to_2_are_refused_naming_the_item(
    question: str, value: int
) -> None:
    answers = {"q1": 0, "q2": 0, question: value, "q6": 0}

    with pytest.raises(InvalidInput) as caught:
        score(instrument=get("cssrs"), answers=answers)

    assert caught.value.field == question
    assert question in str(caught.value)


def test_the_recency_follow_up_answered_after_a_no_to_6_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        score(instrument=get("cssrs"), answers={"q1": 0, "q2": 0, "q6": 0, "q6b": 1})

    assert caught.value.field == "q6b"


@pytest.mark.parametrize("question", ["q3", "q4", "q5"])
def test_cssrs_3_to_5_must_be_answered_after_a_yes_to_2(question: str) -> None:
    answers = {"q1": 0, "q2": 1, "q3": 0, "q4": 0, "q5": 0, "q6": 0}
    del answers[question]

    with pytest.raises(InvalidInput) as caught:
        score(instrument=get("cssrs"), answers=answers)

    assert caught.value.field == question


@pytest.mark.parametrize("q2", [2, -1, False])
def test_an_invalid_answer_to_2_is_reported_at_2_even_with_3_to_5_answered(q2: int) -> None:
    answers = {"q1": 0, "q2": q2, "q3": 1, "q4": 0, "q5": 0, "q6": 0}

    with pytest.raises(InvalidInput) as caught:
        score(instrument=get("cssrs"), answers=answers)

    assert caught.value.field == "q2"


@pytest.mark.parametrize(
    ("answers", "asked"),
    [
        ({}, ["q1", "q2", "q6"]),
        ({"q1": 1, "q2": 0}, ["q1", "q2", "q6"]),
        ({"q1": 0, "q2": 1}, ["q1", "q2", "q3", "q4", "q5", "q6"]),
        ({"q1": 0, "q2": 0, "q6": 1}, ["q1", "q2", "q6", "q6b"]),
        ({"q2": 1, "q6": 1}, ["q1", "q2", "q3", "q4", "q5", "q6", "q6b"]),
    ],
)
def test_asked_items_follow_the_screener_skip_logic(
    answers: dict[str, int], asked: list[str]
) -> None:
    assert [item.id for item in asked_items(get("cssrs"), answers)] == asked


def test_every_phq9_question_is_always_asked() -> None:
    assert [item.id for item in asked_items(get("phq9"), {})] == list(PUBLISHED["phq9"].values)
