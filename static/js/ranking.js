/* Ranking pages: the bar chart of totals, the trend chart (the print button is app.js's).
   Data comes from <script type="application/json"> elements written by json_script. */
(function () {
  "use strict";

  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  if (typeof window.Chart === "undefined") {
    return;
  }
  var Chart = window.Chart;
  var locale = document.documentElement.lang || "vi";
  var navy = "#0b2d5b";
  // Distinct, colour-blind-friendly hues (Okabe-Ito and Tableau), repeated if needed.
  var palette = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8c564b",
    "#b3261e", "#7f7f7f", "#17becf", "#bcbd22", "#1f3a93", "#6a3d9a", "#33a02c"
  ];

  var bar = data("ranking-chart-data");
  var barCanvas = document.getElementById("ranking-chart");
  if (bar && barCanvas && bar.labels.length) {
    // One bar per unit: give each about 28 px so 15 units stay readable.
    barCanvas.parentElement.style.height = Math.max(200, bar.labels.length * 28 + 60) + "px";
    new Chart(barCanvas, {
      type: "bar",
      data: {
        labels: bar.labels,
        datasets: [{ label: bar.label, data: bar.totals, backgroundColor: navy, borderRadius: 2 }]
      },
      options: {
        indexAxis: "y",
        locale: locale,
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true } }
      }
    });
  }

  var trend = data("ranking-trend-data");
  var trendCanvas = document.getElementById("trend-chart");
  if (trend && trendCanvas && trend.years.length) {
    new Chart(trendCanvas, {
      type: "line",
      data: {
        labels: trend.years,
        datasets: trend.series.map(function (series, i) {
          var colour = palette[i % palette.length];
          return {
            label: series.label,
            data: series.values,
            borderColor: colour,
            backgroundColor: colour,
            borderDash: series.predecessor ? [6, 4] : [],
            pointStyle: series.predecessor ? "rectRot" : "circle",
            pointRadius: 4,
            spanGaps: false,
            tension: 0
          };
        })
      },
      options: {
        locale: locale,
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: "nearest", intersect: false },
        plugins: {
          legend: { position: "bottom", labels: { usePointStyle: true } },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                return ctx.dataset.label + ": " + ctx.formattedValue + " %";
              }
            }
          }
        },
        scales: {
          y: { min: 0, max: 100, title: { display: true, text: trend.axis } }
        }
      }
    });
  }
})();
