// Chart.js for the console's pages (the wallboard registers its doughnut itself). One chart per canvas: drawing
// again into a canvas replaces the chart it held.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement,
  PointElement, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend, Tooltip);

const PALETTE = ['#2f5fd0', '#1f9d55', '#d69e2e', '#d64545', '#805ad5', '#319795', '#9aa1ad'];

function draw(canvas, config) {
  Chart.getChart(canvas)?.destroy();
  return new Chart(canvas, { ...config, options: { animation: false, maintainAspectRatio: false, ...config.options } });
}

/** One series of bars, each its own colour. */
export function barChart(canvas, labels, values) {
  return draw(canvas, {
    type: 'bar',
    data: { labels, datasets: [{ data: values, backgroundColor: labels.map((_, i) => PALETTE[i % PALETTE.length]) }] },
    options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
}

/**
 * Bars per label for several series (stacked when asked), optionally with lines on a second axis (rates, seconds).
 * series: [{label, values, type?: 'line', axis?: 'y2'}]
 */
export function seriesChart(canvas, labels, series, { stacked = false, y2Label } = {}) {
  return draw(canvas, {
    type: 'bar',
    data: {
      labels,
      datasets: series.map((s, i) => ({
        label: s.label, data: s.values, type: s.type ?? 'bar', yAxisID: s.axis ?? 'y',
        backgroundColor: PALETTE[i % PALETTE.length], borderColor: PALETTE[i % PALETTE.length],
        stack: s.type === 'line' ? undefined : (stacked ? 'all' : `s${i}`), tension: 0.2,
        // Lines (rates) are drawn over the bars, with points that show even for a single interval.
        order: s.type === 'line' ? -1 : i, pointRadius: s.type === 'line' ? 4 : undefined,
      })),
    },
    options: {
      plugins: { legend: { position: 'bottom' } },
      scales: {
        x: { stacked },
        y: { stacked, beginAtZero: true, ticks: { precision: 0 } },
        ...(y2Label ? { y2: { position: 'right', beginAtZero: true, suggestedMax: 100, grid: { drawOnChartArea: false }, title: { display: true, text: y2Label } } } : {}),
      },
    },
  });
}
