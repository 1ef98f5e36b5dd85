"""What every layer of the suite leans on: child processes, ports, timings, placeholders."""
