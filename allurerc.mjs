// Allure 3 config of the harness: the base of every report `harness report` and `harness verify` make
// (report/verify/allure.ts writes a config per report that imports this one and sets that report's output,
// history file and whether it appends). E2E results come from allure-playwright, load and SLO results from their
// commands. Categories split failures the way QA triages them. Two plugins: Awesome (the test tree) and
// Dashboard (pass rate, durations and statuses across the runs of the history), each one self-contained HTML file
// (singleFile), so both open from disk (file://) or a CI artifact without a server.
//
// Read on its own by a plain `npx allure generate <results folder>` (the folder by its real path: Allure does not
// follow the link reports/allure-results): the report then goes to a new folder of its own,
// reports/runs/allure-<time>/allure-report, never into reports/allure-report (a link to a finished run's report),
// and it reads the history of the default `harness verify` run without appending to it (only verify appends).
// A plain object: importing the `allure` package would start its command line.
export default {
  name: 'MyStocks quality report',
  output: `reports/runs/allure-${new Date().toISOString().replace(/[:.]/g, '-')}/allure-report`,
  historyPath: 'reports/history/smoke-e2e+load+slo.jsonl',
  appendHistory: false,
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
