"""The watchdog interrupts the main thread only where the runner would catch the interrupt."""

from __future__ import annotations

import threading

import pytest

from harness.watchdog import ServiceDied, Watchdog

BOUND = 5.0


def test_a_death_interrupts_the_main_thread_with_its_cause() -> None:
    dog = Watchdog().start()
    try:
        dog.watch("service", alive=lambda: False, death=lambda: "the service exited")
        dog.armed = True
        with pytest.raises(ServiceDied, match="the service exited"):
            threading.Event().wait(BOUND)
    finally:
        dog.armed = False
        dog.stop()


def test_outside_the_guard_the_interrupt_waits_for_it() -> None:
    guarded = False
    asked = threading.Event()

    def guard() -> bool:
        asked.set()
        return guarded

    dog = Watchdog(guarded=guard).start()
    try:
        dog.watch("service", alive=lambda: False, death=lambda: "the service exited")
        dog.armed = True
        assert asked.wait(BOUND), "the interrupt never came"
        # the unguarded interrupt was delivered and raised nothing: this line runs
        guarded = True
        with pytest.raises(ServiceDied, match="the service exited"):
            threading.Event().wait(BOUND)
    finally:
        dog.armed = False
        dog.stop()


def test_a_death_is_forgiven_only_for_the_services_started_again() -> None:
    dog = Watchdog()  # not started: looked at by check_now only
    dog.watch("app shop", alive=lambda: False, death=lambda: "the app exited")
    assert dog.check_now() == "the app exited"
    dog.pardon({"emulator"})
    assert dog.cause == "the app exited"
    dog.forget("app shop")
    dog.pardon({"app shop"})
    assert dog.check_now() is None
    dog.watch("emulator", alive=lambda: False, death=lambda: "the emulator exited")
    assert dog.check_now() == "the emulator exited"
    dog.pardon({"app shop"})
    assert dog.check_now() == "the emulator exited"
