// Allure 3's configuration for `make report` (scripts/allure pins the generator).
// singleFile: the awesome report as one self-contained index.html, data and scripts inlined,
// which a browser shows when opened from disk (file://); a multi-file Allure 3 report stays
// blank there and needs a web server (`make report-serve` serves this one too).
// A plain object, not defineConfig() from "allure": nothing here has to resolve that package.
export default {
  name: "Spanner acceptance suite",
  output: "./reports/allure-report",
  plugins: {
    awesome: {
      options: {
        reportName: "Spanner acceptance suite",
        singleFile: true,
      },
    },
  },
};
