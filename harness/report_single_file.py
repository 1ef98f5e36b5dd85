"""The single-file Allure report, mended after `allure generate` (Allure 3.18's awesome plugin):

- its data is declared before its app starts. The app's script comes before the script that
  holds the report's data; when the app asks for data before that script has run (the rest of
  a large page still arriving over HTTP), it fetches widgets/*.json from the server instead,
  which a single file does not have, and draws an empty page (about one load in twenty here).
  Declared first, the app waits for the data instead (it waits on allureReportDataReady).
- it calls no one. The plugin always adds Google's analytics tag (ALLURE_NO_ANALYTICS is not
  read by it); a report of this suite's runs does not call Google from its reader's browser.

    python -m harness.report_single_file reports/allure-report/index.html
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

DECLARE_DATA = "<script>window.allureReportData = window.allureReportData || {};</script>"
HEAD_END = "</head>"
ANALYTICS = re.compile(
    r"\s*<script async src=\"https://www\.googletagmanager\.com/gtag/js[^\"]*\"></script>"
    r"\s*<script>\s*window\.dataLayer.*?</script>",
    re.DOTALL,
)


class ReportFileError(ValueError):
    """The file is not the single-file report this mends (another Allure version?)."""


def mend(html: str, where: str) -> str:
    if DECLARE_DATA not in html:
        if HEAD_END not in html or "allureReportDataReady" not in html:
            raise ReportFileError(
                f"{where}: not a single-file Allure report (no </head> or no allureReportDataReady"
                "); is allurerc.mjs's singleFile still set, or did the pinned Allure change?"
            )
        html = html.replace(HEAD_END, DECLARE_DATA + "\n" + HEAD_END, 1)
    return ANALYTICS.sub("", html, count=1)


def mend_file(path: Path) -> None:
    if not path.is_file():
        raise ReportFileError(f"{path}: no such report file; run `make report` first")
    html = path.read_text(encoding="utf-8")
    mended = mend(html, str(path))
    if mended != html:
        path.write_text(mended, encoding="utf-8")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m harness.report_single_file REPORT/index.html", file=sys.stderr)
        return 2
    try:
        mend_file(Path(argv[0]))
    except ReportFileError as error:
        print(f"report_single_file: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
