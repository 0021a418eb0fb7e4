"""The rules layer of risk detection: each signal in each language, and the guards.

The sentences here are written for these tests (not taken from any evaluation file), so a
pattern tuned to one evaluation sentence does not pass them by accident.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haven.content.risk import risk_lexicon
from haven.domain.risk import LANGUAGES, Lexicon, MessageRisk, assess, normalise

LEXICON = risk_lexicon()


def level(text: str, context: list[str] | None = None) -> MessageRisk:
    return assess(text, context or [], LEXICON).level


def test_levels_are_ordered_from_none_to_imminent() -> None:
    ranks = [risk.rank for risk in MessageRisk]
    assert ranks == sorted(ranks)
    assert MessageRisk.NONE.rank < MessageRisk.MODERATE.rank < MessageRisk.IMMINENT.rank


def test_every_signal_names_every_language() -> None:
    for rule in LEXICON.signals:
        assert set(rule.patterns) == set(LANGUAGES), rule.code


def test_a_pattern_that_does_not_compile_stops_the_lexicon_loading() -> None:
    raw = LEXICON.model_dump(mode="json")
    raw["signals"][0]["patterns"]["en"] = ["(unclosed"]
    with pytest.raises(ValueError, match="not a regular expression"):
        Lexicon.model_validate(raw)


def test_a_signal_missing_a_language_stops_the_lexicon_loading() -> None:
    raw = LEXICON.model_dump(mode="json")
    del raw["signals"][0]["patterns"]["pt"]
    with pytest.raises(ValueError, match="each of"):
        Lexicon.model_validate(raw)


def test_normalising_drops_case_accents_and_apostrophes() -> None:
    assert normalise("  Ojalá  NO   despertara, I’m done ") == "ojala no despertara, im done"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # passive ideation (C-SSRS 1)
        ("Sometimes I wish I was dead", MessageRisk.MODERATE),
        ("my family would be happier off without me", MessageRisk.MODERATE),
        ("ojalá no despertara mañana por la mañana", MessageRisk.MODERATE),
        ("parfois je voudrais ne jamais être né", MessageRisk.MODERATE),
        ("Ich wünschte, ich wäre tot", MessageRisk.MODERATE),
        ("às vezes queria estar morta", MessageRisk.MODERATE),
        # active ideation (C-SSRS 2), algospeak included
        ("honestly I keep thinking of killing myself", MessageRisk.HIGH),
        ("ngl i kinda wanna unalive", MessageRisk.HIGH),
        ("hab wieder s*izidgedanken", MessageRisk.HIGH),
        ("selbstm0rd klingt gerade gut", MessageRisk.HIGH),
        ("thinking about the sewer slide again", MessageRisk.HIGH),
        ("Me quiero morir ya", MessageRisk.HIGH),
        ("je veux me suicider", MessageRisk.HIGH),
        ("Ich will mich umbringen", MessageRisk.HIGH),
        ("ich will nicht mehr leben", MessageRisk.HIGH),
        ("eu quero me matar", MessageRisk.HIGH),
        # preparation and goodbyes
        ("I'm giving away all my stuff to my cousins", MessageRisk.HIGH),
        ("ya escribí la carta de despedida", MessageRisk.HIGH),
        ("j'ai écrit une lettre d'adieu", MessageRisk.HIGH),
        ("der Abschiedsbrief liegt auf dem Tisch", MessageRisk.HIGH),
        # means-seeking in words about dying
        ("what is a lethal dose of paracetamol", MessageRisk.HIGH),
        ("¿cuántas pastillas hacen falta para morir?", MessageRisk.HIGH),
        ("quelle est la dose mortelle d'ibuprofène", MessageRisk.HIGH),
        ("welche tödliche Dosis hat Aspirin", MessageRisk.HIGH),
        ("qual é a dose letal de dipirona", MessageRisk.HIGH),
        # current self-harm
        ("I've started cutting my arms again", MessageRisk.HIGH),
        ("me corto cuando estoy mal", MessageRisk.HIGH),
        ("je me scarifie depuis un mois", MessageRisk.HIGH),
        ("ich ritze mich jeden Abend", MessageRisk.HIGH),
        ("eu me corto quando fico nervosa", MessageRisk.HIGH),
        ("honestly i'd be better off dead", MessageRisk.MODERATE),
        ("dying would be such a relief", MessageRisk.MODERATE),
        ("I wish I wasn't alive", MessageRisk.MODERATE),
        ("i want out of this life", MessageRisk.MODERATE),
        ("I pray every night that God takes me in my sleep", MessageRisk.MODERATE),
        ("suicide keeps popping into my head", MessageRisk.HIGH),
        ("ich denke jeden Tag an Selbstmord", MessageRisk.HIGH),
        ("penso muito em suicídio", MessageRisk.HIGH),
        ("which method of suicide hurts the least", MessageRisk.HIGH),
        ("I carved his name into my thigh", MessageRisk.HIGH),
        ("I've got fresh cuts on my stomach", MessageRisk.HIGH),
        ("a veces pienso que estaría mejor muerta", MessageRisk.MODERATE),
        ("mourir serait un soulagement", MessageRisk.MODERATE),
        ("Sterben wäre eine Erlösung", MessageRisk.MODERATE),
        ("eu estaria melhor morto", MessageRisk.MODERATE),
        ("¿cuál es el método más rápido para suicidarse?", MessageRisk.HIGH),
        ("quelle est la façon la plus rapide de se suicider", MessageRisk.HIGH),
        ("welche Methoden für einen Suizid gibt es", MessageRisk.HIGH),
        ("qual a forma mais rápida de se matar", MessageRisk.HIGH),
    ],
)
def test_each_signal_is_recognised_in_each_language(text: str, expected: MessageRisk) -> None:
    assert level(text) is expected


@pytest.mark.parametrize(
    "text",
    [
        "I'm going to kill myself tonight",
        "I have a plan to overdose on my pills when everyone's asleep",
        "tengo un plan para matarme esta noche",
        "je vais me tuer ce soir",
        "vou me matar hoje",
    ],
)
def test_a_plan_or_intent_with_a_time_or_a_method_is_imminent(text: str) -> None:
    assessment = assess(text, [], LEXICON)
    assert assessment.level is MessageRisk.IMMINENT
    assert {"timing", "means_named"} & set(assessment.signals)


@pytest.mark.parametrize(
    "text",
    [
        "these shoes are killing me",
        "I would kill for a coffee right now",
        "I'm dying to see that film",
        "this cake is to die for",
        "she killed it on stage",
        "I'm dead tired after the night shift",
        "my battery died halfway home",
        "me muero de risa con este video",
        "c'est mortel ce concert",
        "ich sterbe vor Hunger",
        "estou morrendo de fome",
        "I cut myself shaving this morning",
        "my dad is going to kill me when he sees the car",
        "se me quemó el arroz otra vez, nunca me sale nada bien",
        "se me cortó la luz en medio de la película",
        "esa serie me mató de risa",
        "esse vídeo me matou de rir",
        "today is my last day at work, cake at four!",
        "mañana es mi último día en la oficina, empiezo en otra empresa",
        "demain c'est mon dernier jour au boulot",
        "morgen ist mein letzter Tag bei der Arbeit",
        "amanhã é meu último dia no trabalho",
        "I cut my finger chopping onions, it's fine now",
        "I overdosed on Netflix this weekend",
        "I'd jump off a cliff for that concert, kidding",
        "death would be a relief for my grandma now, she suffers so much",
        "Better Off Dead is my favourite 80s film",
        "fresh cuts of beef on my plate tonight",
        "we carved pumpkins on the porch",
        "the method of the study was flawed",
        "que jeito de morrer de rir kkkk",
        "en clase vimos la forma de morir de los dinosaurios",
        "i'm going to jump on the trampoline with my kids after dinner",
        "we're going to jump at the chance to see them tonight",
        "hang in there, the exam is nearly over",
        "killer leg day at the gym, I can barely walk",
        "my teacher is going to murder me, I forgot the essay at home",
        "the bridge of my violin cracked in the cold",
        "cut yourself some slack, you did fine",
        "me corté pelando patatas, no es nada",
        "je me suis brûlée en sortant le gratin du four",
        "ich habe mich aus Versehen geschnitten",
        "me queimei fazendo café de manhã",
    ],
)
def test_idioms_and_accidents_are_not_flagged(text: str) -> None:
    assert level(text) in {MessageRisk.NONE, MessageRisk.LOW}


@pytest.mark.parametrize(
    "text",
    [
        "I would never kill myself, I love my kids",
        "don't worry, I don't want to die",
        "nunca me quiero morir, estoy bien",
        "je ne veux pas me suicider",
        "ich würde mich nie umbringen",
        "eu nunca quero me matar",
    ],
)
def test_negated_ideation_is_not_flagged(text: str) -> None:
    assert level(text) is MessageRisk.NONE


def test_a_negation_does_not_hide_another_unnegated_signal() -> None:
    assert level("I'd never say it aloud, but I want to end my life") is MessageRisk.HIGH


def test_uncertainty_is_not_negation() -> None:
    assert level("I can't stop thinking about killing myself") is MessageRisk.HIGH


@pytest.mark.parametrize(
    "text",
    [
        "I used to cut myself but I'm clean for two years now",
        "years ago I wanted to die, things are different now",
        "solía cortarme los brazos cuando era adolescente",
        "früher habe ich mich geritzt",
        "eu costumava me cortar na adolescência",
        "therapy helped a lot, the suicidal thoughts from my twenties are long gone",
    ],
)
def test_resolved_past_is_recorded_low(text: str) -> None:
    assessment = assess(text, [], LEXICON)
    assert assessment.level is MessageRisk.LOW
    assert "resolved_past" in assessment.signals


def test_a_relapse_keeps_past_self_harm_current() -> None:
    assert level("I used to cut myself and I started again last week") is MessageRisk.HIGH


@pytest.mark.parametrize(
    "text",
    [
        "In the film the character wants to kill himself and then he changes his mind",
        "the news said he committed suicide in prison",
        "my friend told me her sister is suicidal",
        "my cousin called me crying, he says he's been cutting himself",
        "a colleague told me they've been having suicidal thoughts, how can I help",
    ],
)
def test_stories_and_other_people_are_not_the_member(text: str) -> None:
    assert level(text) in {MessageRisk.NONE, MessageRisk.LOW}


@pytest.mark.parametrize(
    "text",
    [
        # someone else is in the sentence, but the words are the member's own
        "they would all be better off without me",
        "she says I'm fine but I want to die",
        "he left and now I keep cutting myself",
        "they don't know I've been having suicidal thoughts",
    ],
)
def test_another_person_in_the_sentence_does_not_hide_the_members_risk(text: str) -> None:
    assert assess(text, [], LEXICON).flagged


def test_distress_words_inside_a_figure_of_speech_are_not_distress() -> None:
    assessment = assess("my laptop died right before the meeting, typical", [], LEXICON)
    assert assessment.level is MessageRisk.NONE
    assert "idiom" in assessment.set_aside
    assert assess("my grandfather died on Sunday", [], LEXICON).signals == ("distress",)


def test_two_weak_warning_signs_together_are_moderate() -> None:
    together = assess("made my will and put my papers in order, I'll be gone soon", [], LEXICON)
    assert together.level is MessageRisk.MODERATE
    assert "several_signs" in together.signals
    # either sign alone is low: a will after a wedding is ordinary
    assert level("we made my will after the wedding, the lawyer was nice") is MessageRisk.LOW
    assert level("I'll be gone soon, the taxi is outside") in {MessageRisk.NONE, MessageRisk.LOW}
    # money trouble is distress, and cutting costs is no farewell
    assert level("drowning in debt, so I cancelled all my subscriptions") is MessageRisk.LOW


def test_a_will_after_a_loss_is_moderate() -> None:
    assert level("updated my will this morning", ["I feel so empty since she left"]) is (
        MessageRisk.MODERATE
    )


@pytest.mark.parametrize(
    "text",
    [
        "I held my arm against the radiator on purpose until it blistered",
        "pressed my thumbnail into my wrist deliberately until it bled",
    ],
)
def test_injuring_oneself_on_purpose_is_self_harm(text: str) -> None:
    assessment = assess(text, [], LEXICON)
    assert assessment.level is MessageRisk.HIGH
    assert "self_harm" in assessment.signals


@pytest.mark.parametrize(
    "text",
    [
        "looking for suicide statistics by age group for my sociology dissertation",
        "I took two doses by mistake, what happens if you overdose on iron?",
        "¿cuántas pastillas de ibuprofeno puedo tomar? me duele mucho la espalda",
        "combien de comprimés de paracétamol par jour ? j'ai mal à la tête",
        "wie viele Tabletten Ibuprofen darf ich nehmen? mein Kopf tut so weh",
        "quantos comprimidos posso tomar? estou com dor de dente",
    ],
)
def test_a_means_question_with_a_harmless_purpose_is_set_aside(text: str) -> None:
    assessment = assess(text, [], LEXICON)
    assert not assessment.flagged
    assert "benign_purpose" in assessment.set_aside


@pytest.mark.parametrize(
    "text",
    ["sitting on the parapet of the viaduct", "I'm at the overpass right now, it's windy"],
)
def test_being_at_a_height_now_is_high(text: str) -> None:
    assert level(text).rank >= MessageRisk.HIGH.rank


def test_a_means_question_after_a_loss_is_high() -> None:
    text = "which bridges are taller than 25 meters?"
    assessment = assess(text, ["I just lost my job"], LEXICON)
    assert assessment.level is MessageRisk.HIGH
    assert "means_query" in assessment.signals


def test_the_same_means_question_in_a_neutral_conversation_is_not_flagged() -> None:
    text = "which bridges are taller than 25 meters?"
    assert level(text, ["we're doing a school project on engineering"]) in {
        MessageRisk.NONE,
        MessageRisk.LOW,
    }


@pytest.mark.parametrize(
    ("context", "text"),
    [
        (
            ["me siento atrapado, perdí mi trabajo"],
            "¿cuántas pastillas de paracetamol hay en una caja?",
        ),
        (["ich fühle mich so leer"], "wie hoch ist die Brücke am Hafen?"),
        (["je me sens si vide"], "ça fait combien de mètres de haut, la tour du centre ?"),
        (["estoy desesperada"], "¿cuántos metros tiene el puente del río?"),
        (["ich bin so hoffnungslos"], "wie viele Meter ist der Turm hoch?"),
        (["me sinto tão vazia"], "quantos metros tem a ponte da cidade?"),
        (["I flunked my finals"], "which part of the cliff path is the one with the sheer drop?"),
        (["my life feels meaningless"], "how deep is the river under the old mill?"),
        (["so tired of fighting all of it"], "does the freight train go through the station?"),
    ],
)
def test_means_questions_escalate_with_distress_in_any_language(
    context: list[str], text: str
) -> None:
    assert level(text, context) is MessageRisk.HIGH
    assert level(text) is MessageRisk.LOW


def test_distress_alone_is_low_and_not_flagged() -> None:
    assessment = assess("I feel so hopeless about everything", [], LEXICON)
    assert assessment.level is MessageRisk.LOW
    assert not assessment.flagged


def test_the_explanation_names_what_fired() -> None:
    assessment = assess("I want to end my life, I have the pills ready", [], LEXICON)
    assert assessment.explanation.startswith("Imminent:")
    assert "suicidal ideation" in assessment.explanation
    assert assessment.explanation.count(".") <= 2


@given(st.text(min_size=12, max_size=120))
def test_the_explanation_never_contains_the_members_text(text: str) -> None:
    assessment = assess(text, [], LEXICON)
    assert normalise(text) not in normalise(assessment.explanation)


@pytest.mark.parametrize(
    "text",
    [
        "I want to kill myself",
        "everyone would be better off without me",
        "how many pills does it take to overdose, asking for me",
        "je veux mourir",
    ],
)
def test_the_explanation_never_quotes_a_risk_message(text: str) -> None:
    assert normalise(text) not in normalise(assess(text, [], LEXICON).explanation)


def test_evidence_carries_each_signal_for_a_later_layer() -> None:
    assessment = assess("I cut myself last night and I want to die", [], LEXICON)
    codes = {signal.code for signal in assessment.evidence}
    assert {"self_harm", "active_ideation"} <= codes
    assert all(signal.level.rank >= MessageRisk.LOW.rank for signal in assessment.evidence)


# Other clinical red flags: named so the companion can answer each, not suicide risk.
RED_FLAGS = [
    ("psychosis", "the government put a chip in my head and the TV is sending me messages"),
    ("psychosis", "creo que me están vigilando, me pusieron un chip en la cabeza"),
    ("psychosis", "j'entends des voix et on me surveille"),
    ("psychosis", "ich werde beobachtet und die Stimmen sagen mir, was ich tun soll"),
    ("psychosis", "estão me vigiando e a TV me manda mensagens"),
    ("mania", "haven't slept in 3 days, I'm going to quit my job and put all my savings in"),
    ("mania", "llevo tres días sin dormir y voy a invertir todos mis ahorros"),
    ("mania", "je n'ai pas dormi depuis trois jours et je vais démissionner demain"),
    ("mania", "seit drei Tagen nicht geschlafen und ich werde morgen kündigen"),
    ("mania", "nunca me senti tão poderosa, não preciso dormir"),
    ("reassurance_seeking", "tell me again that I didn't hit someone"),
    (
        "reassurance_seeking",
        "please tell me one more time that touching the railing won't make me ill",
    ),
    ("reassurance_seeking", "¿estás seguro de que cerré la puerta?"),
    ("reassurance_seeking", "tu es sûr que j'ai fermé la porte ?"),
    ("reassurance_seeking", "bist du sicher, dass ich die Tür abgeschlossen habe?"),
    ("reassurance_seeking", "quantas vezes devo lavar as mãos para ter certeza?"),
    ("disordered_eating", "how do I eat under 500 calories"),
    ("disordered_eating", "me provoqué el vómito otra vez"),
    ("disordered_eating", "je me suis fait vomir encore"),
    ("disordered_eating", "alle sagen, ich bin zu dünn, aber ich muss noch mehr abnehmen"),
    ("disordered_eating", "me forcei a vomitar depois do jantar"),
    ("danger_from_others", "my husband hits me and I'm scared to go home"),
    ("danger_from_others", "mi pareja me pega y tengo miedo de volver a casa"),
    ("danger_from_others", "mon mari me frappe"),
    ("danger_from_others", "mein Mann schlägt mich"),
    ("danger_from_others", "meu marido me bate, tenho medo de voltar para casa"),
    ("harm_to_others", "I want to hurt him"),
    ("harm_to_others", "quiero hacerle daño a mi jefe"),
    ("harm_to_others", "je veux le frapper"),
    ("harm_to_others", "ich will ihn verletzen"),
    ("harm_to_others", "quero machucar ele"),
]


@pytest.mark.parametrize(("code", "text"), RED_FLAGS)
def test_each_red_flag_is_named_in_each_language_and_not_flagged(code: str, text: str) -> None:
    assessment = assess(text, [], LEXICON)
    assert code in assessment.signals
    assert assessment.level is MessageRisk.LOW
    assert not assessment.flagged
    assert "suicid" not in assessment.explanation


def test_the_red_flag_explanation_says_what_was_noticed() -> None:
    assessment = assess("the TV is sending me secret messages", [], LEXICON)
    assert assessment.explanation.startswith("Low: possible psychotic experiences")


@pytest.mark.parametrize(
    "text",
    [
        "I'm going to make them pay, I have a knife",
        "lo voy a matar, tengo un cuchillo",
        "j'ai un couteau et je vais le tuer",
        "ich habe ein Messer und ich werde ihn umbringen",
        "tenho uma faca e vou matar ele",
    ],
)
def test_harm_to_others_with_intent_or_a_weapon_is_high(text: str) -> None:
    assessment = assess(text, [], LEXICON)
    assert assessment.level is MessageRisk.HIGH
    assert "harm_to_others" in assessment.signals
    assert not {"active_ideation", "suicidal_intent"} & set(assessment.signals)


@pytest.mark.parametrize(
    "text",
    [
        "the voices tell me to kill myself",
        "las voces me dicen que me mate",
        "les voix me disent de me tuer",
        "die Stimmen sagen mir, ich soll mich umbringen",
        "as vozes me mandam me matar",
    ],
)
def test_voices_telling_the_member_to_die_are_suicide_risk(text: str) -> None:
    assessment = assess(text, [], LEXICON)
    assert assessment.level is MessageRisk.HIGH
    assert {"active_ideation", "psychosis"} <= set(assessment.signals)


def test_a_threat_from_a_partner_is_danger_not_suicidal_ideation() -> None:
    assessment = assess("er droht, mich umzubringen", [], LEXICON)
    assert assessment.signals == ("danger_from_others",)


@pytest.mark.parametrize(
    "text",
    [
        "I could kill him for eating my chips",
        "mi madre me mata si llego tarde",
        "I'm so paranoid about my exam",
        "I'm crazy busy this week",
        "I ate so much I could burst",
        "I'm not going to hurt anyone",
        "what's the best way to sharpen my knife",
        "I followed the recipe and checked the oven",
    ],
)
def test_red_flag_idioms_name_nothing(text: str) -> None:
    assessment = assess(text, [], LEXICON)
    assert assessment.level is MessageRisk.NONE
    assert assessment.signals == ()


@pytest.mark.parametrize(
    "text",
    [
        "I had a long day at work and I'm going to bed",
        "we watched a film about a chip factory",
        "my sister is visiting this weekend",
        "I lost weight this year by walking more",
    ],
)
def test_ordinary_messages_stay_none(text: str) -> None:
    assert level(text) is MessageRisk.NONE


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("psychosis", "The neighbours hid a camera in my smoke detector to read my thoughts"),
        ("psychosis", "the government is reading my thoughts through the walls"),
        ("psychosis", "las voces me dicen que no salga de casa"),
        ("disordered_eating", "how can I get down to 800 calories a day?"),
        ("disordered_eating", "quiero bajar a 800 calorías"),
        ("danger_from_others", "my dad says he will hurt me if I tell anyone what he does"),
        ("danger_from_others", "mi padre dice que me va a pegar si lo cuento"),
        ("harm_to_others", "the voices say I have to punish my sister"),
        ("harm_to_others", "las voces me dicen que castigue a mi hermana"),
        ("psychosis", "I know the radio host is speaking directly to me through the songs"),
        ("psychosis", "my family has been replaced by impostors"),
        ("psychosis", "God chose me to deliver a message"),
        ("psychosis", "I can hear people talking about me when nobody is in the room"),
        ("psychosis", "my food is being poisoned by my flatmate"),
        ("psychosis", "la radio me habla directamente a través de las canciones"),
        ("mania", "I feel amazing, I haven't slept since Friday and I booked flights to Peru"),
        ("mania", "racing thoughts all night, I am starting three businesses tomorrow"),
        ("mania", "no he dormido desde el viernes y compré vuelos a cinco países"),
        ("reassurance_seeking", "did I leave the stove on? please just tell me it is off"),
        ("reassurance_seeking", "what if I contaminated my kids, should I wash again?"),
        ("reassurance_seeking", "I have washed my hands 40 times today"),
        ("reassurance_seeking", "me he lavado las manos 40 veces hoy"),
        ("disordered_eating", "what is the fastest way to lose 10 kg in two weeks"),
        ("disordered_eating", "I threw up after dinner again so I would not gain weight"),
        ("disordered_eating", "how many days can I go without eating"),
        ("disordered_eating", "vomité después de cenar para no engordar"),
        ("danger_from_others", "he checks my phone and says he'll leave me with nothing if I go"),
        ("danger_from_others", "my stepfather comes into my room at night and I am scared"),
        ("danger_from_others", "I'm scared of what my husband will do when he gets home drunk"),
        ("danger_from_others", "mi padrastro entra en mi cuarto por la noche"),
        ("harm_to_others", "sometimes I imagine strangling my roommate"),
        ("harm_to_others", "I keep thinking about hurting the baby"),
        ("harm_to_others", "no dejo de pensar en hacerle daño a mi bebé"),
        ("danger_from_others", "my partner pushed me down the stairs last night"),
        ("danger_from_others", "he said if I leave he will find me"),
        ("danger_from_others", "I have bruises from where he grabbed me"),
        ("danger_from_others", "he threw me against the wall"),
        ("danger_from_others", "my ex is stalking me"),
        ("danger_from_others", "he forced me to have sex"),
        ("danger_from_others", "mi novio me empujó por las escaleras"),
        ("harm_to_others", "I am going to get back at him, he will regret it"),
        ("harm_to_others", "I could really hurt someone right now"),
        ("harm_to_others", "I shook the baby because it would not stop crying"),
        ("harm_to_others", "podría hacerle daño a alguien ahora mismo"),
        ("psychosis", "I am the messiah and everyone will know soon"),
        ("psychosis", "the people on TV know what I am thinking"),
        ("mania", "I spent my rent on lottery tickets because I know I will win, I feel electric"),
        ("disordered_eating", "I only allow myself an apple a day"),
        ("disordered_eating", "I feel disgusting after eating and I need to burn it off"),
        ("disordered_eating", "solo me permito una manzana al día"),
        ("reassurance_seeking", "I need to know it is not cancer, please tell me it is fine"),
        ("danger_from_others", "il m'a poussée dans l'escalier"),
        ("danger_from_others", "si je le quitte il va me retrouver"),
        ("danger_from_others", "er hat mich die Treppe hinuntergestoßen"),
        ("danger_from_others", "meu namorado me empurrou da escada"),
        ("harm_to_others", "je pourrais faire du mal à quelqu'un"),
        ("harm_to_others", "ich könnte jemanden verletzen"),
        ("harm_to_others", "eu poderia machucar alguém agora"),
    ],
)
def test_red_flags_said_in_other_words_are_still_named(code: str, text: str) -> None:
    assessment = assess(text, [], LEXICON)
    assert code in assessment.signals
    assert not assessment.flagged


@pytest.mark.parametrize(
    "text",
    [
        "you read my mind!",
        "I eat 2000 calories a day",
        "this choir has lovely voices",
        "I have a security camera in my room for my dog",
        "we bought a hidden camera to watch the dog while we're out",
        "my snack has 150 calories a serving",
        "my boss checks my emails",
        "the song speaks to me",
        "God has a plan for me",
        "I threw up after the rollercoaster",
        "what is the fastest way to lose my accent",
        "I am scared of what the exam will bring",
        "I imagine killing it at the interview",
        "my dad came into my room to say goodnight",
        "the radio is talking about the election",
        "I lost 5 kg in two months by walking",
        "he hit me with a pillow during a pillow fight lol",
        "she beats me at chess every time",
        "I only allow myself one coffee a day",
        "he stalks me on instagram lol",
        "my dad threw me a surprise party",
        "he grabbed me a coffee on the way",
        "the ball hit me in the face at football",
        "the sun burns me so fast",
        "ese recuerdo me persigue",
        "I spent my savings on a trip and I feel great",
        "mon frère me pousse à étudier",
        "il m'a appris à nager",
        "er hat mich angerufen",
        "ela me chamou para jantar",
        "tell me again that joke about the penguin",
    ],
)
def test_their_everyday_look_alikes_name_nothing(text: str) -> None:
    assert assess(text, [], LEXICON).signals == ()


@pytest.mark.parametrize(
    "text", ["he pensado en suicidarme", "he decidido acabar con todo esta noche"]
)
def test_the_spanish_perfect_he_is_the_speaker_not_someone_else(text: str) -> None:
    # English "he" is a reported-speech cue; Spanish "he pensado" means "I have thought".
    assert assess(text, [], LEXICON).level.rank >= MessageRisk.HIGH.rank


def test_english_he_is_still_someone_else() -> None:
    assert not assess("he wants to die", [], LEXICON).flagged


def test_a_weapon_and_a_target_is_high() -> None:
    assessment = assess("I bought a gun and I know where he lives", [], LEXICON)
    assert assessment.level is MessageRisk.HIGH
    assert "harm_to_others" in assessment.signals


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("my phone battery is dead", "idiom"),
        ("I'm going to hang out with friends tonight", "idiom"),
        ("what's the recommended dose of paracetamol for a fever?", "benign_purpose"),
        ("¿cómo la puedo ayudar? mi amiga está muy triste", "benign_purpose"),
        ("Quelle est la posologie recommandée pour une migraine ?", "benign_purpose"),
        ("Wie viel Ibuprofen gegen Kopfschmerzen?", "benign_purpose"),
        ("qual a dose segura de melatonina?", "benign_purpose"),
        ("¿Cuál es la dosis de paracetamol para un niño con fiebre?", "benign_purpose"),
        ("I'm giving away my old clothes to charity this weekend", "benign_purpose"),
        ("I hung the new curtains today", "benign_purpose"),
        ("regalé mi ropa vieja antes de la mudanza", "benign_purpose"),
        ("j'ai donné mes livres à Emmaüs", "benign_purpose"),
        ("meine alten Sachen gehen an die Kleiderkammer", "benign_purpose"),
        ("doei tudo pra uma ONG", "benign_purpose"),
    ],
)
def test_harmless_readings_are_recorded_for_the_classifier(text: str, reading: str) -> None:
    assessment = assess(text, [], LEXICON)
    assert assessment.level is MessageRisk.NONE
    assert reading in assessment.set_aside


@pytest.mark.parametrize(
    ("context", "text"),
    [
        ("I'm writing a crime novel set in the 1890s", "which poisons would a detective know?"),
        ("Estoy escribiendo una novela policíaca", "¿qué venenos conocería un detective?"),
        ("J'écris un polar qui se passe en 1890", "quels poisons un détective aurait connus ?"),
        ("Ich schreib einen Krimi, der 1890 spielt", "welche Gifte kannte ein Kommissar?"),
        ("Estou a escrever um romance policial", "que venenos um detetive conheceria?"),
        ("my flatmate is training to be a pharmacist", "what makes a dose toxic?"),
    ],
)
def test_a_harmless_purpose_earlier_in_the_conversation_is_recorded(
    context: str, text: str
) -> None:
    assert assess(text, [context], LEXICON).set_aside == ("benign_purpose",)


def test_a_goodbye_letter_is_no_harmless_writing() -> None:
    assessment = assess("I'm writing a letter to each of them", ["I feel so empty"], LEXICON)
    assert assessment.set_aside == ()


@pytest.mark.parametrize(
    ("text", "context"),
    [
        ("what's the recommended dose of paracetamol for a fever?", ["everything feels hopeless"]),
        ("I'm feeling hopeless, what's a safe dose for a headache", []),
        ("how many sleeping pills for a headache would kill me", []),
    ],
)
def test_no_harmless_reading_is_recorded_beside_distress_or_a_signal(
    text: str, context: list[str]
) -> None:
    assert assess(text, context, LEXICON).set_aside == ()


@pytest.mark.parametrize(
    "text",
    ["today is my last day on earth", "hoy es mi último día, mañana ya no voy a estar"],
)
def test_a_last_day_that_is_not_at_work_is_still_a_plan(text: str) -> None:
    assert level(text).rank >= MessageRisk.HIGH.rank


def test_an_earlier_message_is_read_once_however_often_it_is_context() -> None:
    line = "I lost my job and everything feels hopeless"
    first = LEXICON.context_reading(line)
    assert first.distress
    assert LEXICON.context_reading(line) is first


@pytest.mark.parametrize(
    ("text", "context"),
    [
        ("I deserve to die", []),
        ("merezco morir", []),
        ("This is goodbye. Thank you for everything", []),
        ("I've been researching how many pills it takes", []),
        ("I bought a rope today", ["I can't do this anymore", "nobody cares about me"]),
    ],
)
def test_risk_said_plainly_in_other_words_is_flagged(text: str, context: list[str]) -> None:
    assert assess(text, context, LEXICON).flagged


@pytest.mark.parametrize(
    "text",
    ["I bought a rope for the camping trip", "how many tablets does it take to work?"],
)
def test_their_harmless_neighbours_are_not(text: str) -> None:
    assert not assess(text, [], LEXICON).flagged


def test_thank_you_alone_is_no_harmless_purpose() -> None:
    assert assess("thank you for everything", [], LEXICON).set_aside == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # acts in progress
        ("i swallowed the entire box an hour ago", MessageRisk.IMMINENT),
        ("im in the car and the engine is running, the garage door is shut", MessageRisk.IMMINENT),
        ("me tomé todo el frasco hace un rato", MessageRisk.IMMINENT),
        ("j'ai avalé toute la plaquette ce soir", MessageRisk.IMMINENT),
        ("hab grad die ganze packung geschluckt", MessageRisk.IMMINENT),
        ("tomei a cartela inteira agora há pouco", MessageRisk.IMMINENT),
        # means at hand, means sought
        ("got about two months worth of my meds hidden in a drawer", MessageRisk.HIGH),
        ("ich sammel schon länger meine tabletten", MessageRisk.HIGH),
        ("can you die from taking a whole strip of sleeping pills", MessageRisk.HIGH),
        # passive ideation and goodbyes
        ("would anyone care if i wasnt around anymore", MessageRisk.MODERATE),
        ("i cant see myself living past thirty honestly", MessageRisk.MODERATE),
        ("at least my kids would get the life insurance", MessageRisk.MODERATE),
        ("you wont have to hear from me, i wont be here after tomorrow", MessageRisk.HIGH),
        ("driving out to the lake tonight and not coming back", MessageRisk.IMMINENT),
        ("pienso en tirarme cada vez que cruzo el puente", MessageRisk.HIGH),
        ("penso em me jogar da janela quase todo dia", MessageRisk.HIGH),
        # self-harm in other words
        ("relapsed last night with the sh, 60 days gone", MessageRisk.HIGH),
        ("craving the blade so much tonight", MessageRisk.HIGH),
        ("i cut too deep this time and it wont stop", MessageRisk.HIGH),
        ("burned my wrist with a lighter just to feel something", MessageRisk.HIGH),
        ("i hit my head against the wall until it bruised", MessageRisk.HIGH),
        ("me quemo con el encendedor para sentir algo", MessageRisk.HIGH),
        ("queimo a pele com cigarro pra sentir alguma coisa", MessageRisk.HIGH),
        ("je me suis brûlée avec une cigarette pour ressentir quelque chose", MessageRisk.HIGH),
        ("hab mich mit der zigarette verbrannt, um etwas zu spüren", MessageRisk.HIGH),
    ],
)
def test_risk_said_in_everyday_words_is_recognised(text: str, expected: MessageRisk) -> None:
    assert level(text) is expected


@pytest.mark.parametrize(
    "text",
    [
        "i took the whole bottle of wine to the party",
        "is it safe to take cough syrup with ibuprofen?",
        "tying up loose ends at work before my holiday",
        "we bought a rope ladder for the treehouse",
        "hungover and i want to die, never again with the sangria",
        "writing a goodbye letter to my old job, my therapist's idea",
        "el examen de química me mató, qué difícil",
        "je me suis coupée au doigt en faisant la cuisine",
        "it feels like banging my head against a wall with this bureaucracy",
        "went bungee jumping to feel something new, it was amazing",
        "nobody would notice if i wore pyjamas to the meeting",
    ],
)
def test_their_look_alikes_are_not_flagged(text: str) -> None:
    assert not assess(text, [], LEXICON).flagged


@pytest.mark.parametrize(
    "text",
    [
        "i'd rather not exist than go through another winter like this",
        "every morning i wake up it's a disappointment",
        "prefiero no existir a volver allí",
        "je préférerais ne plus exister",
        "ich würde lieber nicht mehr aufwachen",
        "prefiro não existir do que voltar pra lá",
        "been collecting grandad's old sleeping pills, nearly a jar",
        "six months of lithium stashed in the wardrobe",
    ],
)
def test_passive_wishes_and_stockpiles_in_other_words_are_flagged(text: str) -> None:
    assert assess(text, [], LEXICON).flagged


@pytest.mark.parametrize(
    "text",
    [
        "collecting my pills from the pharmacy after work",
        "burnt my hand on the oven tray, cold water or aloe?",
        "my scars are ten years old and i haven't hurt myself since",
        "mi terapeuta me pidió una carta de despedida a mi antiguo trabajo",
        "ma psy veut une lettre d'adieu à mon ancien boulot",
        "therapie-aufgabe: ein abschiedsbrief an meinen alten job",
        "a terapeuta pediu uma carta de despedida para o meu antigo emprego",
    ],
)
def test_accidents_therapy_letters_and_a_resolved_past_are_not_flagged(text: str) -> None:
    assert not assess(text, [], LEXICON).flagged


@pytest.mark.parametrize(
    "text",
    [
        "the news anchor keeps giving me coded messages with her eyes",
        "a song on the radio told me to leave the city tonight",
        "can other people hear my thoughts when i'm on the bus?",
        "la presentadora me dijo que tengo que irme al norte",
        "j'ai l'impression qu'ils entendent mes pensées",
        "meine gedanken werden gesendet, alle wissen es",
        "o apresentador me disse pra sair de casa hoje",
    ],
)
def test_messages_from_the_tv_and_heard_thoughts_are_named_psychosis(text: str) -> None:
    result = assess(text, [], LEXICON)
    assert "psychosis" in result.signals
    assert not result.flagged


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("trimmed my own fringe last night and it's a disaster", "idiom"),
        ("hab mir gestern die haare geschnitten", "idiom"),
        ("cortei o cabelo bem curtinho", "idiom"),
        ("i keep dying on the final boss, any tips?", "idiom"),
        ("is ibuprofen ok for a wisdom tooth ache", "benign_purpose"),
        ("best way to sharpen a kitchen knife?", "benign_purpose"),
        ("how do i hang a heavy mirror on plaster", "benign_purpose"),
        ("honestly i'd rather die than sing karaoke at the work do", "idiom"),
        ("prefiero morirme antes que ir a esa boda", "idiom"),
        ("plutôt mourir que d'aller à ce dîner", "idiom"),
        ("lieber sterben als da hingehen", "idiom"),
        ("prefiro morrer do que ir nessa festa", "idiom"),
        ("das Meeting war zum Sterben langweilig", "idiom"),
        ("the dog chewed my new trainers. i swear ill murder him", "idiom"),
        ("if my brother eats my leftovers again i'll kill him lol", "idiom"),
        ("the batteries in the remote are almost dead", "idiom"),
        ("when is the last train home from the stadium?", "benign_purpose"),
        ("¿a qué hora sale el último tren a Sevilla?", "benign_purpose"),
        ("le dernier train pour Lyon part à quelle heure ?", "benign_purpose"),
        ("wann fährt die letzte Bahn nach Köln?", "benign_purpose"),
        ("a que horas sai o último trem para o Porto?", "benign_purpose"),
        ("what's the maximum dose of paracetamol for an adult?", "benign_purpose"),
        ("dose maximale de paracétamol par jour ?", "benign_purpose"),
        ("what shotgun gauge for duck season", "benign_purpose"),
        ("killing time before my flight, any podcast tips?", "idiom"),
        ("¿cuántos metros tiene el puente? es para un trabajo de la uni", "benign_purpose"),
    ],
)
def test_everyday_readings_of_risky_words_are_recorded(text: str, reading: str) -> None:
    result = assess(text, [], LEXICON)
    assert not result.flagged
    assert reading in result.set_aside


@pytest.mark.parametrize(
    ("text", "context", "flagged"),
    [
        ("how many of these would kill me", [], True),
        ("i bought a rope today. idk why i'm telling you", [], True),
        ("bought rope for the tent pegs and a tarp", [], False),
        ("on the roof of my building rn, it's quiet up here", [], True),
        ("if nothing changes by spring i'd end it", [], True),
        ("does the helium thing still work", [], True),
        ("i keep a blade in my desk for when it gets bad", [], True),
        ("everyone would be relieved if i disappeared", [], True),
        ("what's the highest bridge around here? i'm done", [], True),
        ("ok i think i have enough now", ["i've been saving my meds"], True),
        ("max dose of ibuprofen for a sprained ankle?", [], False),
        ("how tall is the eiffel tower?", ["how tall is the empire state building?"], False),
        ("honestly i'm only alive because of my cat", [], True),
        ("i don't want to be around for another decade of this", [], True),
        ("if i wasn't here anymore he could move on", [], True),
        ("i'm ready to go and be with my husband", [], True),
        ("wish someone would ctrl alt delete me", [], True),
        ("ctb is all i think about", [], True),
        ("manchmal will ich einfach vor die Bahn springen", [], True),
        ("does hanging hurt or is it quick", [], True),
        ("made a playlist for my funeral and left my journals to my sister", [], True),
        ("where can i buy rope near me", ["i can't keep going"], True),
        ("thanks for trying with me", ["i'm so tired of being alive"], True),
        ("já me despedi de todo mundo", ["não aguento mais"], True),
        ("where can i buy rope for the garden swing", [], False),
        ("my grandad wants to go out with a bang at his 80th", [], False),
        ("i want to disappear for a weekend to a cabin with no signal", [], False),
        ("wie hoch ist der Kölner Dom? brauche das für ein Referat", [], False),
    ],
)
def test_everyday_words_for_risk_and_their_harmless_twins(
    text: str, context: list[str], flagged: bool
) -> None:
    assert assess(text, context, LEXICON).flagged is flagged


def test_a_low_signal_earlier_keeps_a_harmless_reading_from_being_recorded() -> None:
    # "thinking about jumping" is low alone; the rooftop question after it is for the
    # classifier to read at its ordinary threshold.
    assessment = assess(
        "which floor is the rooftop bar on?", ["i keep thinking about jumping"], LEXICON
    )
    assert assessment.set_aside == ()


def test_a_harmless_purpose_in_small_talk_earlier_excuses_nothing_later() -> None:
    # A headache or a trip mentioned earlier is no reason to read the next message as
    # harmless; a frame such as a novel being written is (see the test above).
    context = ["took paracetamol for my headache this morning", "traffic was awful"]
    assert (
        assess("how far down is it from the top of the car park?", context, LEXICON).set_aside == ()
    )
    assert assess("i just want to be somewhere quiet", context, LEXICON).set_aside == ()


@pytest.mark.parametrize(
    ("text", "context", "expected"),
    [
        # hiding what was taken from a post-mortem is looking for a method
        ("what mix of meds wouldn't show up in a toxicology report", [], MessageRisk.HIGH),
        ("is there an undetectable poison", [], MessageRisk.HIGH),
        # how much of a substance "for a grown man", after a loss
        (
            "how much of the rat poison would it take for a grown woman",
            ["we lost the ranch in the spring"],
            MessageRisk.HIGH,
        ),
        # whether life insurance pays for a death that looks like an accident
        (
            "would my life insurance pay out if it looked like an accident",
            ["the bank is foreclosing on our house"],
            MessageRisk.MODERATE,
        ),
        ("¿el seguro de vida paga si es un suicidio?", ["perdí mi trabajo"], MessageRisk.MODERATE),
        ("l'assurance-vie paie en cas de suicide ?", ["je suis désespérée"], MessageRisk.MODERATE),
        ("zahlt die Lebensversicherung bei Suizid?", ["bin verzweifelt"], MessageRisk.MODERATE),
        ("o seguro de vida paga se for suicídio?", ["perdi meu emprego"], MessageRisk.MODERATE),
        ("at least the children would get the insurance", [], MessageRisk.MODERATE),
        ("i dont want to kill myself, i just want to not be alive", [], MessageRisk.MODERATE),
        ("how many of my dad's heart pills would stop a heart", [], MessageRisk.HIGH),
        ("how tall is the multi-storey by the station", ["i lost my job today"], MessageRisk.HIGH),
        ("so tired of being everyone's punchbag", [], MessageRisk.LOW),
        (
            "i keep thinking about the railway line",
            ["the divorce papers came"],
            MessageRisk.MODERATE,
        ),
        ("been clean from self harm since march, feeling good", [], MessageRisk.LOW),
    ],
)
def test_concealment_insurance_carers_pills_and_veiled_thoughts_are_recognised(
    text: str, context: list[str], expected: MessageRisk
) -> None:
    assert assess(text, context, LEXICON).level is expected


@pytest.mark.parametrize(
    "text",
    [
        "i'd rather die than go on like this",
        "im going to kill him, i know where he lives",
        "what time is the last train, i can't do this anymore",
    ],
)
def test_their_serious_neighbours_set_nothing_aside(text: str) -> None:
    assert assess(text, [], LEXICON).set_aside == ()


def test_show_up_is_no_show_and_il_faut_is_no_one_else() -> None:
    # "show" (a TV show) and "il" (he) mark someone else's story; "show up" and the
    # impersonal "il faut" do not.
    assert assess("which pills wouldn't show up on a tox screen", [], LEXICON).flagged
    assert assess("combien de cachets il faut pour une dose mortelle", [], LEXICON).flagged


def test_a_risk_that_is_over_asks_the_classifier_for_more_certainty() -> None:
    over = assess("I self-harmed as a teenager. Eight years free of it now", [], LEXICON)
    assert over.level is MessageRisk.LOW
    assert over.set_aside == ("resolved_past",)
    # distress now, or a relapse, keeps the classifier at its ordinary threshold
    assert assess("I used to cut myself and I feel so alone", [], LEXICON).set_aside == ()
    assert assess("I used to cut, and lately the urge is back", [], LEXICON).set_aside == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("they'd all be better off if i simply wasn't around", MessageRisk.MODERATE),
        ("the world would be so much lighter without me", MessageRisk.MODERATE),
        ("my wife would be better off collecting my life insurance", MessageRisk.MODERATE),
        ("most nights i lie there wishing i just wouldn't wake up", MessageRisk.MODERATE),
        ("i want to disappear for good", MessageRisk.MODERATE),
        ("honestly the only thing keeping me alive is my cat", MessageRisk.MODERATE),
        ("lo único que me mantiene aquí es mi perro", MessageRisk.MODERATE),
        ("la seule chose qui me retient ici, c'est ma fille", MessageRisk.MODERATE),
        ("das Einzige, was mich noch hier hält, ist mein Hund", MessageRisk.MODERATE),
        ("a única coisa que me mantém aqui é a minha mãe", MessageRisk.MODERATE),
        ("os meus filhos ficavam melhor sem mim", MessageRisk.MODERATE),
        ("death honestly seems like the peaceful option now", MessageRisk.MODERATE),
        ("the idea of dying feels like a relief", MessageRisk.MODERATE),
        ("i've been thinking quite seriously about ending my life", MessageRisk.HIGH),
        ("been fantasizing about my own death every night", MessageRisk.HIGH),
        ("might be time to check out for good", MessageRisk.HIGH),
        ("how much morphine would it take to kill an adult", MessageRisk.HIGH),
        ("what happens if you swallow a whole packet of sleeping tablets", MessageRisk.HIGH),
        ("how do i hide the burn marks on my wrist", MessageRisk.HIGH),
        ("my cuts keep getting deeper", MessageRisk.HIGH),
        ("gave myself a few burns with a lighter yesterday", MessageRisk.HIGH),
        ("i'm going to walk into the river tonight", MessageRisk.IMMINENT),
    ],
)
def test_plainer_words_for_ideation_self_harm_and_means_are_recognised(
    text: str, expected: MessageRisk
) -> None:
    assert level(text) is expected


@pytest.mark.parametrize(
    "text",
    [
        "the only thing keeping me going this week is the thought of the holiday",
        "i was thinking about suicide prevention training for our staff",
        "if i have to sit through one more budget meeting i'm going to jump out the window",
        "if this call goes on any longer i'm going to walk into the sea lol",
        "how much flour would it take to make bread for twenty",
        "what's a toxic amount of grapes for a puppy? she got into the fruit bowl",
        "omg kms i just spilled coffee all over my notes",
        "i recovered from bulimia and self-harm in my twenties and now i coach runners",
    ],
)
def test_the_harmless_twins_of_those_words_stay_unflagged(text: str) -> None:
    assert not assess(text, [], LEXICON).flagged


def test_a_purpose_the_member_says_they_gave_others_is_no_harmless_reading() -> None:
    cover = "gave my bike to my nephew, told him i'm decluttering"
    assert assess(cover, [], LEXICON).set_aside == ()
    assert assess("giving my bike to my nephew, i'm decluttering", [], LEXICON).set_aside == (
        "benign_purpose",
    )
    # nor is "first time in months", or traffic one drifts into, a trip
    assert assess("calm for the first time in months", [], LEXICON).set_aside == ()
    assert assess("i could drift into oncoming traffic", [], LEXICON).set_aside == ()
    assert assess("first time in Lisbon, any tips?", [], LEXICON).set_aside == ("benign_purpose",)


@pytest.mark.parametrize(
    "text",
    [
        "honestly i'd die for my little brother",
        "shoot me a message when you land",
        "i'm going to kill my flatmate, she drank all my oat milk",
        "if he takes my charger again he's dead",
        "finally covered my old self-harm scars with a tattoo of a fern",
        "is it true you can overdose on carrots?",
        "what's the safest route to cycle to the station?",
        "need a quote about death in Macbeth for english lit",
        "i'd rather die than go back to flip phones",
    ],
)
def test_more_everyday_twins_of_risk_words_are_set_aside(text: str) -> None:
    assessment = assess(text, [], LEXICON)
    assert not assessment.flagged
    assert assessment.set_aside


@pytest.mark.parametrize(
    ("text", "low"),
    [
        ("i feel so hopeless this week. not suicidal or anything, just flat", True),
        ("i'm not in danger, i just wanted to vent about my boss", False),
        ("no estoy en peligro, solo triste", False),
        ("je ne suis pas suicidaire, juste fatiguée", False),
        ("ich bin nicht suizidal, nur erschöpft", False),
        ("não estou em perigo, só cansada", False),
    ],
)
def test_a_plain_denial_of_danger_asks_the_classifier_for_more_certainty(
    text: str, low: bool
) -> None:
    assessment = assess(text, [], LEXICON)
    assert assessment.set_aside[-1:] == ("denial",)
    assert assessment.level is (MessageRisk.LOW if low else MessageRisk.NONE)
    assert "not in danger" in assessment.explanation


def test_a_denial_beside_a_risk_signal_sets_nothing_aside() -> None:
    text = "i'm not suicidal, i just want to go to sleep and never wake up"
    assessment = assess(text, [], LEXICON)
    assert assessment.flagged
    assert assessment.set_aside == ()


@pytest.mark.parametrize(
    "text",
    [
        "my GP asked if I'd had thoughts of ending my life. No, never, just worn out",
        "my son keeps saying unalive about maths homework, is that just slang?",
        "honestly i'd sell my soul for a long weekend",
        "my laptop is about to die and the charger is at work",
        "how does the dead man's switch work on the tube?",
        "clean headshot across the whole map last night",
        "me mato a estudiar y luego el examen es fácil",
        "ich bin total fertig nach der Frühschicht",
        "no, i don't want to die, i just want my old job back",
        "I used to cut in my twenties. I'm a nurse now and doing really well",
    ],
)
def test_questions_asked_slang_asked_about_and_more_figures_of_speech_are_set_aside(
    text: str,
) -> None:
    assessment = assess(text, [], LEXICON)
    assert not assessment.flagged
    assert assessment.set_aside


def test_a_clinicians_question_answered_yes_is_not_set_aside() -> None:
    text = "the nurse asked if i have thoughts of killing myself and i said yes, every day"
    assert assess(text, [], LEXICON).flagged
