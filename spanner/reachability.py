"""Is Spanner there? A bounded first contact, so an unreachable backend is named in seconds.

The client library retries an unavailable server for minutes; the suite asks once, with a
deadline, and says which backend and address did not answer.
"""

from __future__ import annotations

import grpc
from google.api_core import exceptions as api_exceptions
from google.cloud import spanner

REACH_TIMEOUT = 8.0


class SpannerUnreachable(RuntimeError):
    """The backend did not answer within the bound."""


def check_reachable(
    client: spanner.Client,
    instance_id: str,
    backend: str,
    emulator_host: str | None,
    timeout: float = REACH_TIMEOUT,
) -> None:
    address = emulator_host or "spanner.googleapis.com (Cloud Spanner)"
    hint = (
        "is the emulator running there? (setting spanner.emulator_host / SPANNER_EMULATOR_HOST)"
        if emulator_host
        else "check the network and Application Default Credentials"
    )
    if emulator_host:
        channel = grpc.insecure_channel(emulator_host)
        try:
            grpc.channel_ready_future(channel).result(timeout=timeout / 2)
        except grpc.FutureTimeoutError:
            raise SpannerUnreachable(
                f"Spanner ({backend} backend) at {address} did not accept a gRPC connection "
                f"within {timeout / 2:g}s: {hint}"
            ) from None
        finally:
            channel.close()
    name = f"projects/{client.project}/instances/{instance_id}"
    try:
        client.instance_admin_api.get_instance(name=name, timeout=timeout / 2, retry=None)
    except api_exceptions.NotFound:
        return  # it answered: the instance is created later where that is allowed
    except (api_exceptions.GoogleAPICallError, api_exceptions.RetryError) as error:
        raise SpannerUnreachable(
            f"Spanner ({backend} backend) at {address} did not answer a first request within "
            f"{timeout / 2:g}s ({type(error).__name__}: {getattr(error, 'message', error)}); {hint}"
        ) from None
