// Allure 3 report of the harness (`npx allure generate`, reads reports/allure-results): E2E results from
// allure-playwright, load and SLO results written by their commands. History is kept between runs in
// reports/history.jsonl, so the report shows trends. Categories split failures the way QA triages them.
// Two plugins: Awesome (the test tree) and Dashboard (pass rate, durations and statuses across the runs of
// the history), each one self-contained HTML file (singleFile), so both open from disk (file://) or a CI
// artifact without a server: reports/allure-report/awesome/index.html and .../dashboard/index.html.
// A plain object: importing the `allure` package would start its command line.
export default {
  name: 'MyStocks quality report',
  output: 'reports/allure-report',
  historyPath: 'reports/history.jsonl',
  historyLimit: 50,
  plugins: {
    awesome: { options: { singleFile: true, reportName: 'MyStocks quality report' } },
    dashboard: { options: { singleFile: true, reportName: 'MyStocks quality trends' } },
  },
  categories: {
    rules: [
      {
        // An expectation failed: the page disagreed with the API (or the database) or with what a user must see.
        name: 'Product defects',
        matchedStatuses: ['failed'],
      },
      {
        // A page object stopped because the page showed its own error (an export the server refused).
        name: 'Product defects',
        matchedStatuses: ['broken'],
        messageRegex: '.*page showed the error.*',
      },
      {
        // Anything else that broke a test: a thrown error, a timeout in an action, a fixture or set-up error.
        name: 'Test problems',
        matchedStatuses: ['broken'],
      },
    ],
  },
};
