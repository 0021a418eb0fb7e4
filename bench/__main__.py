"""Benchmarks on the embedded SQLite: encryption, audit and storage, then questionnaires;
then the risk check (rules and encoder classifier); then the daily monitoring features;
last, importing a 1 GB Apple Health export.

Run with ``make bench``. Prints one line per measurement and, last, one JSON object.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path

from bench import companion, measurement, monitoring, risk, wearables
from haven.adapters.crypto.passwords import Argon2PasswordHasher
from haven.bootstrap import bootstrap
from haven.config import Settings
from haven.domain.consent import ConsentKind
from haven.domain.people import Role
from haven.services.accounts import create_account
from haven.services.audit_trail import verify_audit_trail
from haven.services.consents import grant_consent
from haven.services.records import journal_entries, write_journal_entry

WRITES = 500


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        container = bootstrap(
            Settings(_env_file=None, data_dir=data),  # type: ignore[call-arg]
            hasher=Argon2PasswordHasher(),
        )
        started = time.perf_counter()
        member = create_account(
            container.uow(),
            hasher=container.hasher,
            clock=container.clock,
            actor=None,
            email="bench@example.org",
            password="benchmark password",
            role=Role.MEMBER,
            display_name="Bench",
        )
        account_ms = (time.perf_counter() - started) * 1000
        grant_consent(
            container.uow(),
            clock=container.clock,
            actor=member,
            kind=ConsentKind.TERMS_OF_USE,
            version=container.documents[ConsentKind.TERMS_OF_USE].version,
            documents=container.documents,
        )
        writes: list[float] = []
        for n in range(WRITES):
            started = time.perf_counter()
            write_journal_entry(
                container.uow(),
                clock=container.clock,
                actor=member,
                member_id=member.id,
                body=f"entry {n}: " + "a quiet evening, some worry about work. " * 10,
                documents=container.documents,
            )
            writes.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        entries = journal_entries(
            container.uow(),
            clock=container.clock,
            actor=member,
            member_id=member.id,
            documents=container.documents,
        )
        read_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        head, problem = verify_audit_trail(container.uow())
        verify_ms = (time.perf_counter() - started) * 1000
        care = measurement.run(container)
        chat = companion.run(container, tmp)
        container.close()
    screening = risk.run()
    watch = monitoring.run()
    imports = wearables.run()
    assert problem is None
    assert len(entries) == WRITES
    figures = {
        "create_account_ms": round(account_ms, 1),
        "journal_write_p50_ms": round(statistics.median(writes), 2),
        "journal_write_p99_ms": round(_percentile(writes, 0.99), 2),
        "journal_read_all_ms": round(read_ms, 1),
        "journal_entries": WRITES,
        "audit_verify_ms": round(verify_ms, 1),
        "audit_entries": head.seq if head else 0,
    }
    print(f"account creation (argon2id hash, data key)  {figures['create_account_ms']} ms")
    print(
        "journal write (encrypt + audit + commit)    "
        f"p50 {figures['journal_write_p50_ms']} ms, p99 {figures['journal_write_p99_ms']} ms"
    )
    print(f"read and decrypt {WRITES} journal entries       {figures['journal_read_all_ms']} ms")
    print(f"verify {figures['audit_entries']} audit entries  {figures['audit_verify_ms']} ms")
    print(
        f"score PHQ-9 answer sets                     {care['phq9_scores_per_second']} per second"
    )
    print(
        "submit a PHQ-9 (score + encrypt + audit)    "
        f"p50 {care['assessment_submit_p50_ms']} ms, p99 {care['assessment_submit_p99_ms']} ms"
    )
    print(
        f"caseload outcomes, {care['caseload_members']} members          "
        f"{care['caseload_outcomes_ms']} ms"
    )
    print(
        f"FHIR bundle, {care['fhir_bundle_entries']} resources             "
        f"{care['fhir_bundle_ms']} ms"
    )
    print(f"load the risk classifier (encoder + weights) {screening['risk_model_load_s']} s")
    print(
        "risk check, 5 messages of context          "
        f"p50 {screening['risk_check_p50_ms']} ms, p99 {screening['risk_check_p99_ms']} ms"
    )
    print(
        "encoder alone, one message                 "
        f"p50 {screening['encoder_p50_ms']} ms, p99 {screening['encoder_p99_ms']} ms"
    )
    print(f"load the companion's models (encoder, classifiers) {chat['companion_models_load_s']} s")
    print(
        "companion turn (analyse, risk, reply, encrypt, write, audit) "
        f"p50 {chat['turn_p50_ms']} ms, p99 {chat['turn_p99_ms']} ms; "
        f"encoder alone p50 {chat['turn_encoder_p50_ms']} ms (turn/encoder "
        f"{chat['turn_over_encoder']})"
    )
    print(f"server process with the models loaded       {chat['server_rss_mb']} MB RSS")
    print(monitoring.describe(watch))
    print(wearables.describe(imports))
    print(json.dumps(figures | care | screening | chat | watch | imports))


if __name__ == "__main__":
    main()
