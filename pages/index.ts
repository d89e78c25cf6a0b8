// Every page object and component, for `import { MarketPage } from '../pages/index.ts'`.
export { BasePage } from './base-page.ts';
export { ChartsPage } from './charts-page.ts';
export { AsyncBlock } from './components/async-block.ts';
export { Chart, KlineChart } from './components/chart.ts';
export { DataTable } from './components/data-table.ts';
export { MetricCard } from './components/metric.ts';
export { MainNavigation } from './components/navigation.ts';
export { ExportPage } from './export-page.ts';
export { FundFlowPage } from './fund-flow-page.ts';
export { LoginPage } from './login-page.ts';
export { MarketPage } from './market-page.ts';
export { RiskPage } from './risk-page.ts';
export { step } from './step.ts';
