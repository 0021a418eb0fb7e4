"""Settings from ``HAVEN_*`` environment variables (and an optional ``.env`` file)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings"]


class Settings(BaseSettings):
    """Every setting Haven reads; the README lists them with their defaults."""

    model_config = SettingsConfigDict(env_prefix="HAVEN_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=Path("var"), description="Where the database and key file live.")
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; default sqlite:///<data_dir>/haven.db. "
        "PostgreSQL: postgresql+psycopg://user@host/db",
    )
    master_key: SecretStr | None = Field(
        default=None,
        description="Master key(s), URL-safe base64, comma-separated, primary first. "
        "Unset: a key file <data_dir>/master.key is created with mode 0600.",
    )
    session_lifetime_minutes: int = Field(default=12 * 60, ge=1)
    token_lifetime_minutes: int = Field(default=60, ge=1)
    idle_logoff_minutes: int = Field(default=15, ge=1)
    login_max_failures: int = Field(default=5, ge=1)
    lockout_minutes: int = Field(default=15, ge=1)
    login_attempts_per_minute: int = Field(default=20, ge=1, description="Per client address.")
    max_body_bytes: int = Field(default=256 * 1024, ge=1024)
    secure_cookies: bool = Field(default=False, description="Set when served over HTTPS.")
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    log_level: str = "INFO"
    public_url: str = Field(
        default="http://127.0.0.1:8000",
        description="The address people use to reach Haven; names FHIR resources.",
    )
    smtp_host: str | None = Field(
        default=None, description="Mail server for reminders; unset: e-mail is off."
    )
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_sender: str = "Haven <no-reply@haven.invalid>"
    smtp_starttls: bool = Field(default=True, description="Upgrade the connection with STARTTLS.")
    smtp_ssl: bool = Field(default=False, description="Connect with implicit TLS (port 465).")
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    risk_model: bool = Field(
        default=True, description="Add the encoder classifier to the risk rules; false: rules only."
    )
    llm_base_url: str | None = Field(
        default=None,
        description="OpenAI-compatible endpoint (Ollama, vLLM, llama.cpp server) that may "
        "rephrase the companion's reflections, e.g. http://127.0.0.1:8080/v1; unset: off.",
    )
    llm_model: str = Field(default="local", description="Model name sent to the endpoint.")
    llm_api_key: SecretStr | None = None
    llm_timeout_seconds: float = Field(
        default=4.0, gt=0, le=60, description="After this the deterministic reply is sent."
    )
    alert_escalation_email: str | None = Field(
        default=None, description="Second contact told of alerts left unacknowledged."
    )
    alert_escalate_imminent_minutes: int = Field(default=15, ge=1)
    alert_escalate_high_minutes: int = Field(default=240, ge=1)
    alert_webhook_url: str | None = Field(
        default=None, description="Receiver of signed alert events; unset: none sent."
    )
    alert_webhook_secret: SecretStr | None = Field(
        default=None, description="Shared HMAC secret for the webhook (16+ characters)."
    )

    @field_validator(
        "smtp_host",
        "smtp_username",
        "alert_escalation_email",
        "alert_webhook_url",
        "llm_base_url",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        # HAVEN_SMTP_HOST= in a .env file means "no mail server", not a host called "".
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'haven.db'}"
