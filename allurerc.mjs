// Allure 3's configuration for `make report` (scripts/allure pins the generator); docs/report.md.
// singleFile: the awesome report as one self-contained index.html, data and scripts inlined,
// which a browser shows when opened from disk (file://); a multi-file Allure 3 report stays
// blank there and needs a web server (`make report-serve` serves this one too).
// The tree (product → feature → story → scenario) is each result's titlePath, which the suite
// writes (harness/report_labels.py); the awesome report builds its tree from it by default.
// A plain object, not defineConfig() from "allure": nothing here has to resolve that package.
export default {
  name: "Spanner acceptance suite",
  output: "./reports/allure-report",
  // one line per report generated, kept between runs (outside reports/allure-results, which
  // every `make behave` empties): the trend charts and each test's history come from it
  historyPath: "./reports/history/history.jsonl",
  // the last 30 reports: enough for a trend, and the file (a line holds every test) stays small
  historyLimit: 30,
  // first match wins; a failed result is an assertion that did not hold (allure-behave: an
  // AssertionError), a broken one any other error, in a step or in a hook
  categories: [
    {
      id: "broken-rule",
      name: "A rule does not hold (an assertion failed)",
      matchers: { statuses: ["failed"] },
    },
    {
      id: "service-died",
      name: "Broken test: a service died",
      matchers: { statuses: ["broken"], message: /ServiceDied|service died/ },
    },
    {
      id: "timed-out",
      name: "Broken test: a wait timed out",
      matchers: { statuses: ["broken"], message: /TimeoutError|Timeout \d+ ?ms exceeded|timed out/i },
    },
    {
      id: "broken-test",
      name: "Broken test: an error in the suite, its hooks or its services",
      matchers: { statuses: ["broken"] },
    },
    {
      id: "passed-on-retry",
      name: "Flaky: passed on a retry",
      matchers: { statuses: ["passed"], flaky: true },
      groupByMessage: false,
    },
  ],
  plugins: {
    awesome: {
      options: {
        reportName: "Spanner acceptance suite",
        singleFile: true,
      },
    },
  },
};
