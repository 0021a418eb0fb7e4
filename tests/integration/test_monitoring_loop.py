"""The monitoring loop end to end on a real database with the real (polars) detector: a
member whose stored sleep and mood show a clear decline gets the companion's check-in in
their chat, and their clinician an alert in the queue that explains itself; `haven monitor
run` does the same from cron and prints counts only."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, time, timedelta, timezone
from pathlib import Path
from uuid import UUID

import pytest
from tests.integration.conftest import PASSWORD, Haven, Person
from typer.testing import CliRunner

from haven.bootstrap import Container, deterioration_policy
from haven.cli.main import app
from haven.content import replies
from haven.domain.monitoring import Observation
from haven.domain.mood import MoodCheckIn
from haven.services.monitoring import run_monitoring

ZONE = timezone(timedelta(hours=1))  # the member's watch writes +01:00


def store_a_decline(container: Container, member: Person) -> None:
    """Fifty days of steady nights (7.5 h) and moods (7), then a week of 4.5 h and 4."""
    member_id = UUID(member.id)
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    observations: list[Observation] = []
    moods: list[MoodCheckIn] = []
    for back in range(56, -1, -1):
        day = yesterday - timedelta(days=back)
        bad = back < 7
        wobble = (back % 3 - 1) * 0.2  # ordinary night-to-night variation
        minutes = round((4.5 if bad else 7.5 + wobble) * 60)
        start = datetime.combine(day - timedelta(days=1), time(23, 0), tzinfo=ZONE)
        observations.append(
            Observation(
                member_id=member_id, metric="sleep", start_at=start,
                end_at=start + timedelta(minutes=minutes), value=float(minutes), unit="min",
                source="csv", device="",
            )
        )  # fmt: skip
        moods.append(
            MoodCheckIn(
                id=uuid.uuid4(), member_id=member_id, rating=4 if bad else 7 + (back % 2),
                tags=(), note=None,
                created_at=datetime.combine(day, time(19, 0), tzinfo=UTC),
            )
        )  # fmt: skip
    with container.uow() as uow:
        assert uow.wearables.add_new(observations) == len(observations)
        for checkin in moods:
            uow.moods.add(checkin)
        uow.commit()


def test_a_clear_decline_reaches_the_clinicians_queue_and_the_members_chat(
    haven: Haven, container: Container
) -> None:
    member = haven.member("Sam")
    clinician = haven.staff("clinician")
    haven.assign(clinician, member)
    store_a_decline(container, member)

    def run() -> tuple[int, int, int]:
        result = run_monitoring(
            container.uow, clock=container.clock, detector=container.detector,
            replies=replies(), documents=container.documents,
            rate_limit_days=deterioration_policy(container.instruments).rate_limit_days,
        )  # fmt: skip
        return result.checked_in, result.alerts, result.held

    assert run() == (1, 1, 0)
    assert run() == (0, 0, 1)  # the rate limit holds the next run

    queue = haven.client.get("/api/v1/alerts", headers=clinician.auth)
    assert queue.status_code == 200, queue.text
    [alert] = queue.json()
    assert alert["source"] == "deterioration"
    assert alert["level"] == "moderate"
    assert alert["member_id"] == member.id
    assert "sleep 3.0 h below your usual on 7 of the last 7 nights" in alert["explanation"]
    assert "mood down" in alert["explanation"]

    conversations = haven.client.get(
        f"/api/v1/members/{member.id}/conversations", headers=member.auth
    )
    [conversation] = conversations.json()
    messages = haven.client.get(
        f"/api/v1/members/{member.id}/conversations/{conversation['id']}/messages",
        headers=member.auth,
    ).json()
    said = [m["body"] for m in messages if m["author"] == "companion"]
    # Mood weighs most in the detector, so it comes first.
    assert said[-1].startswith(
        "I noticed your mood has been a little lower and your sleep has been about 3 hours "
        "shorter than usual this week. How are you doing?"
    )

    # The clinician's alert page shows the explanation.
    login = haven.client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', login.text)
    assert token
    haven.client.post(
        "/login",
        data={"email": clinician.email, "password": PASSWORD, "csrf_token": token.group(1)},
    )
    page = haven.client.get(f"/clinic/alerts/{alert['id']}")
    assert page.status_code == 200
    assert "What changed" in page.text
    assert "sleep 3.0 h below your usual" in page.text


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_monitor_command_prints_counts_and_nothing_about_anyone(
    database_url: str, tmp_path: Path, haven: Haven, container: Container
) -> None:
    member = haven.member("Noor", share=False)
    store_a_decline(container, member)
    env = {"HAVEN_DATABASE_URL": database_url, "HAVEN_DATA_DIR": str(tmp_path / "data")}
    result = CliRunner().invoke(app, ["monitor", "run"], env=env)
    assert result.exit_code == 0, result.output
    assert "1 flagged: 1 check-in(s) written, 0 alert(s) opened" in result.output
    assert "Noor" not in result.output
    assert member.id not in result.output
    assert "sleep" not in result.output
