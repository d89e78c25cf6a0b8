// ECharts (Apache-2.0) set up once with only the parts the pages draw, on the canvas renderer. Loaded on demand
// by chart.ts, the first time a chart is drawn: Vite splits it into a chunk of its own (about 500 kB minified),
// so the market, export and login pages, which draw no chart, never download it.
import { BarChart, CandlestickChart, LineChart } from 'echarts/charts';
import {
  AxisPointerComponent,
  DataZoomInsideComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  CandlestickChart,
  LineChart,
  AxisPointerComponent,
  DataZoomInsideComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  CanvasRenderer,
]);

export { echarts };
