"""Master-key rotation: re-wrap every data key under the new primary master key.

Done in small batches, each its own transaction, so the service keeps running throughout: a
data key is readable under its old master key until its batch commits, and under the new one
after.
"""

from __future__ import annotations

from haven.domain.access import Purpose
from haven.domain.ports import Clock, UnitOfWorkFactory
from haven.services import _audit

__all__ = ["rewrap_data_keys"]


def rewrap_data_keys(uow_factory: UnitOfWorkFactory, *, clock: Clock, batch: int = 500) -> int:
    """Re-wrap every data key not yet under the primary master key; how many were."""
    if batch < 1:
        raise ValueError("batch must be at least 1")
    total = 0
    while True:
        with uow_factory() as uow:
            done = uow.data_keys.rewrap_batch(batch)
            if done:
                _audit.record(
                    uow,
                    at=clock.now(),
                    actor=None,
                    action="keys.rewrap",
                    purpose=Purpose.KEY_MANAGEMENT,
                    target_id=done,
                )
            uow.commit()
        total += done
        if done < batch:
            return total
