"""Load measurement, knowing no product: a burst of browser logins released together
(burst.py), the figures of a list of durations (figures.py), the test machine's CPU during a
burst (cpu.py), a latency chart (chart.py), and Locust run as a child process (locust_run.py)."""
