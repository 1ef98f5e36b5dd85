"""Creating the emulator's instance when other processes create it at the same moment.

`harness.serve` is started once per product, side by side, on one instance: each finds the
instance missing and creates it, and all but the first are told it already exists.
"""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

from google.cloud import spanner
from google.cloud.spanner_v1.instance import Instance
from harness_testkit import PROJECT

from spanner.databases import connect, ensure_instance
from spanner.emulator import Backend


class LateClient:
    """A real client that sees the instance missing: what a process sees when another one
    creates it between its check and its own create."""

    def __init__(self, client: spanner.Client) -> None:
        self.client = client
        self.project = client.project

    def instance(self, *args: object, **kwargs: object) -> Instance:
        instance = self.client.instance(*args, **kwargs)
        instance.exists = lambda: False  # type: ignore[method-assign]
        return instance


def test_an_instance_created_first_by_another_process_is_used(emulator: Backend) -> None:
    client = connect(PROJECT, emulator.emulator_host)
    instance_id = f"race-{uuid.uuid4().hex[:8]}"
    first = ensure_instance(client, instance_id, emulator=True)
    try:
        late = ensure_instance(LateClient(client), instance_id, emulator=True)  # type: ignore[arg-type]
        assert late.name == first.name
        assert client.instance(instance_id).exists()
    finally:
        first.delete()


def test_four_processes_creating_one_instance_at_once_all_have_it(emulator: Backend) -> None:
    instance_id = f"race-{uuid.uuid4().hex[:8]}"

    def create(_: int) -> str:
        return ensure_instance(connect(PROJECT, emulator.emulator_host), instance_id, True).name

    with ThreadPoolExecutor(max_workers=4) as pool:
        names = set(pool.map(create, range(4)))
    client = connect(PROJECT, emulator.emulator_host)
    try:
        assert names == {client.instance(instance_id).name}
    finally:
        client.instance(instance_id).delete()
