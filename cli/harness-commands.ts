// The harness's subcommands: read by `harness --help` and by `harness completion`.

/** The subcommands, in the order `harness --help` lists them. */
export const COMMANDS: Record<string, string> = {
  up: 'start the stack (local processes, containers or an external deployment) and keep it up until Ctrl-C',
  down: 'stop stacks: --stale removes containers and processes left by runs whose process is gone',
  e2e: 'run the Playwright suites against the running or an external stack',
  load: 'run a load profile (smoke|average|stress|spike|soak|breakpoint) with Artillery',
  slo: 'slo check: evaluate slo-config.yaml against Prometheus; slo rules: Prometheus rules from it',
  verify: 'stack up, E2E, load, SLO gate over the load window, one report, stack down',
  report: "build a run's Allure report (default: the latest run's results) in that run's folder",
  completion: 'print a shell completion script: harness completion bash|zsh|fish',
};

/** The subcommand names, in that order. */
export const COMMAND_NAMES = Object.keys(COMMANDS);
