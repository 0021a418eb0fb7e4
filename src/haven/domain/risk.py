"""Suicide and self-harm risk in one chat message: the transparent rules layer.

The rules come from ``haven/content/risk/lexicon.yaml``, a reviewed data file whose signals
follow the C-SSRS ideation and behaviour categories (Posner et al. 2011), the Stanley & Brown
(2012) warning signs and published descriptions of algospeak. ``assess`` returns the level
(none < low < moderate < high < imminent), the codes of the signals that fired and a one- or
two-sentence explanation for a clinician. It is the first of three layers: an encoder
classifier and context aggregation combine its ``evidence`` later.

Every pattern of every language runs on every message, on lowercased text with accents and
apostrophes removed, so "Quiero morir" and "quiero morir" read alike.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache, partial
from typing import Any, NamedTuple, Self

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

__all__ = [
    "LANGUAGES",
    "Cues",
    "Family",
    "Lexicon",
    "MessageRisk",
    "RiskAssessment",
    "RiskSignal",
    "SignalRule",
    "assess",
    "normalise",
]

# Every signal and cue list must say what it does in each of these languages.
LANGUAGES = ("en", "es", "fr", "de", "pt")

Patterns = dict[str, list[str]]

_APOSTROPHES = str.maketrans("", "", "'’‘ʼ`´")
_CLAUSE_END = re.compile(r"[.,;:!?\n]|\b(?:but|pero|mais|aber|mas|though)\b")
_SENTENCE_END = re.compile(r"[.!?;\n]")
_NEGATION_WINDOW = 4  # words before a match in which "never", "no", "nie"... negate it
_SUBJECT_WINDOW = 6  # words before a match in which its subject is looked for


class MessageRisk(StrEnum):
    """How urgently a message needs a human, from least to most urgent."""

    NONE = "none"
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"
    IMMINENT = "imminent"

    @property
    def rank(self) -> int:
        return list(MessageRisk).index(self)


class Family(StrEnum):
    """What kind of statement a signal recognises (C-SSRS categories where they apply)."""

    IDEATION = "ideation"  # C-SSRS 1-3: wish to be dead, thoughts of suicide
    INTENT = "intent"  # C-SSRS 4: says they will act
    PLAN = "plan"  # C-SSRS 5: a method, place or time worked out
    PREPARATION = "preparation"  # C-SSRS preparatory behaviour: notes, goodbyes, giving away
    MEANS = "means"  # asks for lethal means in words about dying
    MEANS_ACCESS = "means_access"  # has the means at hand or is at the place
    MEANS_QUERY = "means_query"  # a neutral-looking question about means
    SELF_HARM = "self_harm"  # current self-injury
    ATTEMPT = "attempt"  # a past attempt, a standing risk factor
    VEILED = "veiled"  # indirect words ("won't be around much longer") read with context
    # Other clinical red flags (psychosis, mania, reassurance seeking, disordered eating,
    # danger from or to others): named for the companion, never raising suicide risk.
    RED_FLAG = "red_flag"


# Preparing, planning or holding the means, together with a time, is the warning sign that
# Stanley & Brown treat as an emergency.
_ACTING = frozenset({Family.INTENT, Family.PLAN, Family.MEANS_ACCESS})
# A question about means is about a thing ("how tall is she, the tower?"), and red flags
# include what others do to the member: someone else as the subject does not set them aside.
_ABOUT_THINGS_OR_OTHERS = frozenset({Family.MEANS_QUERY, Family.RED_FLAG})
# Warning signs that are low alone: two different ones in one message are a pattern a
# clinician would want to see ("updated my will ... tying up loose ends before I go").
_WEAK_SIGNS = frozenset({Family.MEANS_QUERY, Family.VEILED, Family.PREPARATION})


def normalise(text: str) -> str:
    """Lowercase, strip accents and apostrophes, collapse spaces: what patterns match on."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_APOSTROPHES))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.split())


def _compile(patterns: Sequence[str], where: str) -> re.Pattern[str] | None:
    if not patterns:
        return None
    for pattern in patterns:
        if re.sub(r"\\.", "", pattern) != re.sub(r"\\.", "", pattern).lower():
            raise ValueError(f"{where}: write patterns in lowercase: {pattern!r}")
        try:
            re.compile(pattern)
        except re.error as error:
            raise ValueError(f"{where}: {pattern!r} is not a regular expression: {error}") from None
    return re.compile("|".join(f"(?:{normalise_pattern(p)})" for p in patterns))


def normalise_pattern(pattern: str) -> str:
    """Strip accents and apostrophes from a pattern, as ``normalise`` does to the text."""
    decomposed = unicodedata.normalize("NFKD", pattern.translate(_APOSTROPHES))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _check_languages(patterns: Patterns, where: str) -> None:
    if set(patterns) != set(LANGUAGES):
        raise ValueError(f"{where}: give a list (empty if none) for each of {', '.join(LANGUAGES)}")
    for lang, listed in patterns.items():
        _compile(listed, f"{where} ({lang})")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SignalRule(_Frozen):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    family: Family
    level: MessageRisk
    # The level when distress, hopelessness or a risk signal is in the message or the
    # conversation: "how tall is that bridge?" after "I lost my job" is means-seeking.
    with_distress: MessageRisk | None = None
    label: str = Field(min_length=3)  # what a clinician reads, in English
    basis: str = Field(min_length=3)
    patterns: Patterns
    # Words anywhere in the message that raise a match to raised_level: a weapon or a stated
    # intent makes thoughts of harming someone an emergency.
    raised_by: Patterns | None = None
    raised_level: MessageRisk | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.level is MessageRisk.NONE:
            raise ValueError(f"signal {self.code}: a signal must raise the level above none")
        if self.with_distress is not None and self.with_distress.rank <= self.level.rank:
            raise ValueError(f"signal {self.code}: with_distress must be above level")
        if (self.raised_by is None) != (self.raised_level is None):
            raise ValueError(f"signal {self.code}: give raised_by and raised_level together")
        if self.raised_level is not None and self.raised_level.rank <= self.level.rank:
            raise ValueError(f"signal {self.code}: raised_level must be above level")
        _check_languages(self.patterns, f"signal {self.code}")
        if self.raised_by is not None:
            _check_languages(self.raised_by, f"signal {self.code} raised_by")
        return self


class Cues(_Frozen):
    """Words that change how a signal reads, per language."""

    distress: Patterns  # hopelessness, loss, despair (Stanley & Brown warning signs)
    time: Patterns  # "tonight", "esta noche": a time makes a plan imminent
    means: Patterns  # pills, rope, bridge: a named method makes a plan imminent
    negation: Patterns  # "never", "nunca", "jamais", "nie"
    negation_exceptions: Patterns  # "don't know if", "can't stop": not a denial
    resolved_past: Patterns  # "used to", "years ago", "früher"
    relapse: Patterns  # "again", "otra vez": the past is back
    reported: Patterns  # films, news, other people
    first_person: Patterns  # "i", "me", "quiero", "ich": the speaker is the subject
    # "she's", "they've", "ella": someone else is the subject of what follows
    third_person: Patterns
    idioms: Patterns  # hyperbole and accidents: "killing me", "me muero de risa"
    benign_purpose: Patterns  # "for a headache", "a safe dose": only in the message itself
    benign_frame: Patterns  # "writing a novel", "studying pharmacy": in the conversation too
    # "told her it was because of allergies": a reason given to others, not a purpose
    cover_story: Patterns
    safety_denial: Patterns  # "not suicidal or anything", "no estoy en peligro"

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        for name in type(self).model_fields:
            _check_languages(getattr(self, name), f"cues.{name}")
        return self


@dataclass(frozen=True, slots=True)
class _Rules:
    signals: tuple[tuple[SignalRule, tuple[tuple[str, re.Pattern[str]], ...]], ...]
    cues: dict[str, re.Pattern[str]]
    raisers: dict[str, re.Pattern[str]]


class Lexicon(_Frozen):
    version: int = Field(ge=1)
    reviewed: str  # who reviewed this version, and when
    signals: list[SignalRule] = Field(min_length=1)
    cues: Cues
    _rules: _Rules = PrivateAttr()
    _context: Callable[[str], _ContextReading] = PrivateAttr()
    _alone: Callable[[str], RiskAssessment] = PrivateAttr()
    _red_flags: dict[str, str] = PrivateAttr()

    @field_validator("signals")
    @classmethod
    def _unique(cls, signals: list[SignalRule]) -> list[SignalRule]:
        codes = [signal.code for signal in signals]
        if len(set(codes)) != len(codes):
            raise ValueError("signal codes must be unique")
        return signals

    def model_post_init(self, context: Any, /) -> None:
        signals = tuple(
            (
                rule,
                tuple(
                    (lang, compiled)
                    for lang in LANGUAGES
                    if (compiled := _compile(rule.patterns[lang], rule.code)) is not None
                ),
            )
            for rule in self.signals
        )
        cues: dict[str, re.Pattern[str]] = {}
        for name in Cues.model_fields:
            listed = [p for lang in LANGUAGES for p in getattr(self.cues, name)[lang]]
            compiled = _compile(listed, name)
            cues[name] = compiled if compiled is not None else re.compile(r"(?!)")
        raisers = {
            rule.code: compiled
            for rule in self.signals
            if rule.raised_by is not None
            and (
                compiled := _compile(
                    [p for lang in LANGUAGES for p in rule.raised_by[lang]],
                    f"{rule.code} raised_by",
                )
            )
            is not None
        }
        self._rules = _Rules(signals, cues, raisers)
        self._red_flags = {
            rule.code: rule.label for rule in self.signals if rule.family is Family.RED_FLAG
        }
        # Each message is context for the next five: read it once, not five times.
        self._context = lru_cache(maxsize=1024)(partial(_read_context, rules=self._rules))
        self._alone = lru_cache(maxsize=1024)(partial(_assess_alone, lexicon=self))

    @property
    def rules(self) -> _Rules:
        return self._rules

    @property
    def red_flags(self) -> dict[str, str]:
        """The red-flag codes (psychosis, mania...) and their labels."""
        return dict(self._red_flags)

    def context_reading(self, line: str) -> _ContextReading:
        """What the rules read in one earlier message of the conversation (cached)."""
        return self._context(line)

    def assess_alone(self, line: str) -> RiskAssessment:
        """``assess(line, (), self)``, cached: an earlier message's own level is asked for
        again with each of the next few messages."""
        return self._alone(line)

    def assess_earlier(self, line: str, before: Sequence[str]) -> RiskAssessment:
        """An earlier message as the rules read it when it was sent, after ``before``: what
        came before raises a reading only through distress or risk in it (a signal is raised,
        a harmless reading no longer set aside), so the cached ``assess_alone`` is read again
        in context only then."""
        alone = self.assess_alone(line)
        if (alone.evidence or alone.set_aside) and any(
            reading.distress or reading.risk for reading in map(self.context_reading, before)
        ):
            return assess(line, before, self)
        return alone


@dataclass(frozen=True, slots=True)
class RiskSignal:
    """One signal that fired: what a later layer (classifier, context) can combine."""

    code: str
    level: MessageRisk
    explanation: str  # the lexicon's label, in English
    family: Family
    lang: str
    resolved_past: bool = False


@dataclass(frozen=True, slots=True)
class RiskAssessment:
    level: MessageRisk
    signals: tuple[str, ...]  # signal codes, then modifiers (distress, timing, several_signs...)
    explanation: str  # one or two sentences for a clinician; never the member's words
    evidence: tuple[RiskSignal, ...] = ()
    # Harmless readings the rules recognised in a message with no distress in it or before
    # it and no risk signal (bar a neutral means question such as "max dose of ibuprofen"):
    # "idiom" (a figure of speech such as "my mom is going to kill me") and "benign_purpose"
    # ("a safe dose for a headache", "I'm writing a crime novel"); "resolved_past" where
    # every signal is described as over ("I self-harmed as a teenager, years free of it
    # now"); and "denial" where a message with no risk signal, distressed or not, says
    # plainly that the member is not in danger ("just sad, not suicidal or anything"). The
    # classifier must be surer to overrule them (see ``risk_combination``).
    set_aside: tuple[str, ...] = ()

    @property
    def flagged(self) -> bool:
        """Moderate and above reach the care team."""
        return self.level.rank >= MessageRisk.MODERATE.rank


_DENIAL_NOTE = " The member says they are not in danger."
_DISCOUNTS = {
    "idiom": "a figure of speech",
    "negation": "a negated statement",
    "reported": "a mention of someone else or of a story",
}


def assess(text: str, context: Sequence[str], lexicon: Lexicon) -> RiskAssessment:
    """Assess ``text``, the member's newest message, given ``context``, the messages before it."""
    rules = lexicon.rules
    message = normalise(text)
    idioms = _idiom_spans(message, rules)
    found, discounted = _signals(message, rules, idioms)
    earlier = [lexicon.context_reading(line) for line in context]
    distressed = _distressed(message, rules, idioms)
    distress = distressed or any(line.distress or line.risk for line in earlier)
    if not found:
        # "just sad, not in danger or anything": read so even in distress
        denied = ("denial",) if rules.cues["safety_denial"].search(message) else ()
        if distressed:
            return RiskAssessment(
                MessageRisk.LOW,
                ("distress",),
                "Low: distress or hopelessness cues only, with no words about suicide or "
                f"self-harm.{_DENIAL_NOTE if denied else ''}",
                set_aside=denied,
            )
        readings = (() if distress else _harmless_readings(message, earlier, rules)) + denied
        discounted |= {"idiom"} & set(readings)
        if discounted:
            reasons = " and ".join(_DISCOUNTS[d] for d in sorted(discounted))
            explanation = f"No risk signal: {reasons} was set aside."
        else:
            explanation = "No risk signal found."
        if "benign_purpose" in readings:
            explanation += " The message names a harmless purpose."
        if denied:
            explanation += _DENIAL_NOTE
        return RiskAssessment(MessageRisk.NONE, (), explanation, set_aside=readings)

    notes: list[str] = []
    modifiers: list[str] = []
    if distress:
        raised = [_raised(lexicon, signal) for signal in found]
        if raised != found:
            found = raised
            modifiers.append("distress")
            notes.append("raised because distress or risk appears in the message or conversation")
    level = max((s.level for s in found), key=lambda lv: lv.rank)
    families = {s.family for s in found if not s.resolved_past}
    timed = bool(rules.cues["time"].search(message))
    named_means = bool(rules.cues["means"].search(message)) or Family.MEANS_ACCESS in families
    wishes = families & {Family.IDEATION, Family.INTENT, Family.PLAN}
    if (
        (families & _ACTING and timed)
        or (families & {Family.PLAN, Family.INTENT} and named_means)
        or (wishes and Family.MEANS_ACCESS in families)
    ):
        level = MessageRisk.IMMINENT
        modifiers.append("timing" if timed else "means_named")
        notes.append("intent, a plan or means at hand come with a time or a method")
    weak = {s.code for s in found if s.family in _WEAK_SIGNS and not s.resolved_past}
    if level is MessageRisk.LOW and len(weak) >= 2:
        level = MessageRisk.MODERATE
        modifiers.append("several_signs")
        notes.append("several warning signs that are low alone come together")
    if any(s.resolved_past for s in found):
        modifiers.append("resolved_past")
        notes.append("described as in the past, so recorded lower")
    found.sort(key=lambda s: -s.level.rank)
    labels = "; ".join(dict.fromkeys(s.explanation for s in found[:3]))
    explanation = f"{level.value.capitalize()}: {labels}."
    if notes:
        explanation += f" {'; '.join(notes).capitalize()}."
    codes = tuple(dict.fromkeys([s.code for s in found] + modifiers))
    # A neutral means question with a harmless purpose ("max dose of ibuprofen for a sprained
    # ankle") stays low, and the classifier needs its high threshold to overrule it.
    neutral_question = not distress and all(s.family is Family.MEANS_QUERY for s in found)
    readings = (
        tuple(r for r in _harmless_readings(message, earlier, rules) if r == "benign_purpose")
        if neutral_question
        else ()
    )
    # A risk the member describes as over ("attempted at 19, I love my life now"), with no
    # distress in the message or before it, is recorded low; the classifier, which reads
    # "attempted suicide" as risk whatever the tense, needs its high threshold to overrule it.
    if not distress and all(s.resolved_past for s in found):
        readings += ("resolved_past",)
    return RiskAssessment(level, codes, explanation, tuple(found), set_aside=readings)


def _assess_alone(line: str, lexicon: Lexicon) -> RiskAssessment:
    return assess(line, (), lexicon)


def _harmless_readings(
    message: str, earlier: Sequence[_ContextReading], rules: _Rules
) -> tuple[str, ...]:
    """The harmless readings of a message in which no signal fired: an idiom in it, a harmless
    purpose in it ("for a headache"), or a harmless frame in it or in the conversation before
    it ("I'm writing a crime novel"). A purpose counts only in the message itself: small talk
    about a headache or a trip earlier must not excuse what comes later; nor does one the
    member says they told others."""
    cues = rules.cues
    readings: list[str] = []
    if cues["idioms"].search(message):
        readings.append("idiom")
    # A purpose the member says they gave others ("told them I'm decluttering lol") is the
    # cover a goodbye needs, not a reason to read the message as harmless.
    told = bool(cues["cover_story"].search(message))
    if (
        not told
        and (cues["benign_purpose"].search(message) or cues["benign_frame"].search(message))
    ) or any(line.benign_frame for line in earlier):
        readings.append("benign_purpose")
    return tuple(readings)


class _ContextReading(NamedTuple):
    distress: bool  # distress or hopelessness cues
    # a suicide or self-harm signal at any level ("I keep thinking about jumping" is low
    # alone), bar a neutral means question, which alone is no reason to read the next one
    # as risk
    risk: bool
    benign_frame: bool  # a harmless frame ("I'm writing a crime novel")


def _read_context(line: str, rules: _Rules) -> _ContextReading:
    text = normalise(line)
    idioms = _idiom_spans(text, rules)
    return _ContextReading(
        distress=_distressed(text, rules, idioms),
        risk=any(
            signal.family not in {Family.RED_FLAG, Family.MEANS_QUERY}
            for signal in _signals(text, rules, idioms)[0]
        ),
        benign_frame=bool(rules.cues["benign_frame"].search(text)),
    )


def _raised(lexicon: Lexicon, signal: RiskSignal) -> RiskSignal:
    """The signal at its with-distress level, where its rule has one and it is not past."""
    rule = next(rule for rule in lexicon.signals if rule.code == signal.code)
    if rule.with_distress is None or signal.resolved_past:
        return signal
    return RiskSignal(
        signal.code, rule.with_distress, signal.explanation, signal.family, signal.lang
    )


def _idiom_spans(message: str, rules: _Rules) -> list[tuple[int, int]]:
    """Where figures of speech and accidents ("killing me", "my phone died") lie in a
    normalised message."""
    return [m.span() for m in rules.cues["idioms"].finditer(message)]


def _signals(
    message: str, rules: _Rules, idioms: Sequence[tuple[int, int]]
) -> tuple[list[RiskSignal], set[str]]:
    """The signals in one normalised message, and the guards that set any aside (``idioms``:
    the spans of its figures of speech)."""
    cues = rules.cues
    found: list[RiskSignal] = []
    discounted: set[str] = set()
    for rule, by_language in rules.signals:
        for lang, pattern in by_language:
            hit = None
            for match in pattern.finditer(message):
                start, end = match.span()
                sentence = _around(message, start, end, _SENTENCE_END)
                if any(start < i_end and i_start < end for i_start, i_end in idioms):
                    discounted.add("idiom")
                elif rule.family is not Family.MEANS_QUERY and _negated(message, start, cues):
                    discounted.add("negation")
                elif (
                    # asking a lethal dose "for someone who weighs 50kg", or one that would
                    # not show in a toxicology report, is looking for a method all the same
                    rule.family is not Family.MEANS
                    and cues["reported"].search(sentence)
                    and not cues["first_person"].search(sentence)
                ) or (
                    rule.family not in _ABOUT_THINGS_OR_OTHERS
                    and _someone_else(message, start, end, cues)
                ):
                    discounted.add("reported")
                else:
                    past = rule.family not in {Family.MEANS, Family.MEANS_QUERY} and bool(
                        cues["resolved_past"].search(sentence)
                        and not cues["relapse"].search(sentence)
                    )
                    level = MessageRisk.LOW if past else rule.level
                    raiser = rules.raisers.get(rule.code)
                    if not past and raiser is not None and raiser.search(message):
                        level = rule.raised_level or level
                    hit = RiskSignal(rule.code, level, rule.label, rule.family, lang, past)
                    break
            if hit is not None:
                found.append(hit)
                break
    return found, discounted


def _distressed(message: str, rules: _Rules, idioms: Sequence[tuple[int, int]]) -> bool:
    """Distress cues in a normalised message, bar those inside a figure of speech (``idioms``:
    their spans), such as "my phone died"."""
    return any(
        not any(m.start() < i_end and i_start < m.end() for i_start, i_end in idioms)
        for m in rules.cues["distress"].finditer(message)
    )


def _someone_else(message: str, start: int, end: int, cues: dict[str, re.Pattern[str]]) -> bool:
    """Whether the words matched at ``start:end`` are said of someone else: the last subject
    in the few words before them, within the clause, is another person ("my friend told me
    she's been having suicidal thoughts") and no first-person word follows it up to the end
    of the match ("they'd be better off without me" is the member's own)."""
    clause_starts = [m.end() for m in _CLAUSE_END.finditer(message, 0, start)]
    clause_start = clause_starts[-1] if clause_starts else 0
    words = list(re.finditer(r"\S+", message[clause_start:start]))[-_SUBJECT_WINDOW:]
    if not words:
        return False
    window_start = clause_start + words[0].start()
    others = list(cues["third_person"].finditer(message, window_start, start))
    if not others:
        return False
    # from the pronoun on: Spanish "he pensado" is "I have thought"
    return not cues["first_person"].search(message[others[-1].start() : end])


def _around(message: str, start: int, end: int, boundary: re.Pattern[str]) -> str:
    before = [m.end() for m in boundary.finditer(message, 0, start)]
    after = boundary.search(message, end)
    return message[(before[-1] if before else 0) : (after.start() if after else len(message))]


def _negated(message: str, start: int, cues: dict[str, re.Pattern[str]]) -> bool:
    """A negation in the few words before the match, within its clause."""
    clause_starts = [m.end() for m in _CLAUSE_END.finditer(message, 0, start)]
    clause = message[(clause_starts[-1] if clause_starts else 0) : start]
    window = " ".join(clause.split()[-_NEGATION_WINDOW:])
    if cues["negation_exceptions"].search(window):
        return False
    return bool(cues["negation"].search(window))
