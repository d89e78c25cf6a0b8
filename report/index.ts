// The reports a team renders from the gate's result (package.json's "./report" export): an SLO report
// (`evaluateSlos` of "./slo") as the terminal table, JSON, Markdown or JUnit, as `harness slo check` writes them.
export { renderJson, renderJunit, renderMarkdown, renderTable } from './slo/render.ts';
