"""The one place where adapters are chosen and wired together.

Nothing here runs at import time: ``bootstrap()`` builds a ``Container`` when an entry point
(the server, the CLI, a test) asks for one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import Engine

if TYPE_CHECKING:
    from haven.adapters.nlu.encoder import Encoder

from haven.adapters.clock import SystemClock
from haven.adapters.crypto.keyring import KEY_FILE_NAME, MasterKeyring
from haven.adapters.crypto.passwords import Argon2PasswordHasher
from haven.adapters.db import migrate
from haven.adapters.db.engine import make_engine
from haven.adapters.db.unit_of_work import SqlUnitOfWorkFactory
from haven.adapters.notify import SignedWebhook, SmtpMailer
from haven.config import Settings
from haven.content import (
    consent_documents,
    crisis_directory,
    flows,
    instruments,
    output_guard_patterns,
    replies,
    words,
)
from haven.content.risk import risk_lexicon
from haven.domain.alerts import EscalationPolicy
from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.credentials import LoginPolicy
from haven.domain.instruments import Instrument
from haven.domain.monitoring import QUESTIONNAIRES, DetectorPolicy
from haven.domain.ports import (
    Clock,
    DeteriorationDetector,
    Mailer,
    MessageAnalyser,
    PasswordHasher,
    ReflectionDrafter,
    RiskModel,
    UnitOfWorkFactory,
    Webhook,
)
from haven.domain.risk import RiskAssessment
from haven.services.conversations import Companion
from haven.services.risk import check_message

__all__ = [
    "Container",
    "bootstrap",
    "deterioration_policy",
    "message_analyser",
    "risk_model",
]


@dataclass
class Container:
    settings: Settings
    engine: Engine
    keyring: MasterKeyring
    uow: UnitOfWorkFactory
    clock: Clock
    hasher: PasswordHasher
    documents: Mapping[ConsentKind, ConsentDocument]
    login_policy: LoginPolicy
    instruments: Mapping[str, Instrument]
    mailer: Mailer | None  # None when no mail server is configured
    webhook: Webhook | None  # None when no alert webhook is configured
    escalation: EscalationPolicy
    dummy_hash: str = field(repr=False)

    @property
    def risk_model(self) -> RiskModel:
        """The encoder risk classifier, loaded on first use (about a second) and shared."""
        return risk_model()

    def check_risk(self, text: str, context: Sequence[str]) -> RiskAssessment:
        """The risk check every chat message passes: rules, then (unless turned off with
        ``HAVEN_RISK_MODEL=false``) the encoder classifier, then the risk of the messages just
        before it, which carries over."""
        return self._check(text, context, carry_over=True)

    def check_writing(self, text: str, context: Sequence[str]) -> RiskAssessment:
        """The risk check of journal entries, check-in notes and written exercises: as
        ``check_risk``, but an earlier entry's risk does not carry over to the next. Entries
        are hours or days apart, and each flagged one opened its own alert; in a chat the
        messages after a flagged one are part of the same crisis."""
        return self._check(text, context, carry_over=False)

    def _check(self, text: str, context: Sequence[str], *, carry_over: bool) -> RiskAssessment:
        return check_message(
            text,
            context,
            lexicon=risk_lexicon(),
            model=self.risk_model if self.settings.risk_model else None,
            carry_over=carry_over,
        )

    @property
    def companion(self) -> Companion:
        """The companion's content, models and bandit; the models load on first use."""
        return Companion(
            flows=flows(),
            words=words(),
            replies=replies(),
            analyser=message_analyser(),
            check_risk=self.check_risk,
            crisis=crisis_directory(),
            guard_patterns=output_guard_patterns(),
            drafter=self.drafter,
        )

    @property
    def detector(self) -> DeteriorationDetector:
        """The deterioration detector (polars, imported on first use) with the calibrated
        policy and the reliable-change amounts of the instrument files."""
        from haven.adapters.monitoring.live import PolarsDetector

        return PolarsDetector(deterioration_policy(self.instruments))

    @property
    def drafter(self) -> ReflectionDrafter | None:
        """The optional LLM that rephrases reflections (``HAVEN_LLM_BASE_URL``)."""
        if self.settings.llm_base_url is None:
            return None
        from haven.adapters.llm import OpenAICompatibleDrafter

        return OpenAICompatibleDrafter.from_settings(self.settings)

    def close(self) -> None:
        """Close the database connections (entry points call this on their way out)."""
        self.engine.dispose()

    @property
    def session_lifetime(self) -> timedelta:
        return timedelta(minutes=self.settings.session_lifetime_minutes)

    @property
    def token_lifetime(self) -> timedelta:
        return timedelta(minutes=self.settings.token_lifetime_minutes)

    @property
    def idle_logoff(self) -> timedelta:
        return timedelta(minutes=self.settings.idle_logoff_minutes)


def bootstrap(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    hasher: PasswordHasher | None = None,
    mailer: Mailer | None = None,
    webhook: Webhook | None = None,
    run_migrations: bool = True,
) -> Container:
    settings = settings or Settings()
    engine = make_engine(settings.resolved_database_url)
    if run_migrations:
        migrate.upgrade(engine)
    if settings.master_key is not None:
        keyring = MasterKeyring.from_env_value(settings.master_key.get_secret_value())
    else:
        keyring = MasterKeyring.from_key_file(settings.data_dir / KEY_FILE_NAME)
    clock = clock or SystemClock()
    hasher = hasher or Argon2PasswordHasher()
    return Container(
        settings=settings,
        engine=engine,
        keyring=keyring,
        uow=SqlUnitOfWorkFactory(engine, keyring, clock),
        clock=clock,
        hasher=hasher,
        documents=consent_documents(),
        login_policy=LoginPolicy(
            max_failures=settings.login_max_failures,
            lockout=timedelta(minutes=settings.lockout_minutes),
        ),
        instruments=instruments(),
        mailer=mailer or _smtp_mailer(settings),
        webhook=webhook or _alert_webhook(settings),
        escalation=EscalationPolicy(
            imminent=timedelta(minutes=settings.alert_escalate_imminent_minutes),
            high=timedelta(minutes=settings.alert_escalate_high_minutes),
        ),
        dummy_hash=hasher.hash("haven-timing-equaliser"),
    )


def deterioration_policy(loaded: Mapping[str, Instrument]) -> DetectorPolicy:
    """The detector's default policy with PHQ-9's and GAD-7's reliable-change amounts read
    from their instrument files, so the clinical numbers live in one place."""
    reliable: dict[str, float] = {}
    for name in QUESTIONNAIRES:
        change = loaded[name].change
        if change is None:
            raise ValueError(f"instruments/{name}.yaml has no change criteria")
        reliable[name] = change.reliable_change
    return DetectorPolicy(reliable_change=reliable)


def _smtp_mailer(settings: Settings) -> Mailer | None:
    if settings.smtp_host is None:
        return None
    return SmtpMailer(
        host=settings.smtp_host,
        port=settings.smtp_port,
        sender=settings.smtp_sender,
        starttls=settings.smtp_starttls and not settings.smtp_ssl,
        use_ssl=settings.smtp_ssl,
        username=settings.smtp_username,
        password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
    )


def _alert_webhook(settings: Settings) -> Webhook | None:
    if settings.alert_webhook_url is None:
        return None
    if settings.alert_webhook_secret is None:
        raise ValueError("HAVEN_ALERT_WEBHOOK_URL is set but HAVEN_ALERT_WEBHOOK_SECRET is not")
    return SignedWebhook(
        url=settings.alert_webhook_url, secret=settings.alert_webhook_secret.get_secret_value()
    )


@cache
def _encoder() -> Encoder:
    """The one sentence encoder of the process: the risk check and the message analysis
    share it and its cache, so each message is embedded once."""
    from haven.adapters.nlu.encoder import Encoder

    return Encoder()


@cache
def risk_model() -> RiskModel:
    """The packaged risk classifier, loaded once per process when first asked for, so that
    commands and a server start that never check a message do not pay for the encoder."""
    from haven.adapters.nlu.risk_classifier import RiskClassifier

    return RiskClassifier.load(encoder=_encoder())


@cache
def message_analyser() -> MessageAnalyser:
    """The packaged emotion, intent and distortion classifier, loaded on first use."""
    from haven.adapters.nlu.message_classifier import MessageClassifier

    return MessageClassifier.load(encoder=_encoder())
