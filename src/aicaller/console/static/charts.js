// Charts of the overview page: each [data-chart] element holds its series as JSON.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var chart = JSON.parse(element.getAttribute("data-chart"));
    var width = Math.max(element.clientWidth, 260);
    var fraction = chart.unit === "ai_containment_rate";
    var options = {
      width: width,
      height: 180,
      legend: { show: false },
      series: [
        {},
        {
          label: chart.label,
          stroke: "#1f5fbf",
          fill: "rgba(31, 95, 191, 0.12)",
          width: 2,
          spanGaps: false,
          value: function (u, v) {
            return v == null ? "–" : fraction ? Math.round(v * 100) + "%" : v;
          },
        },
      ],
      axes: [{}, { values: function (u, ticks) {
        return ticks.map(function (v) { return fraction ? Math.round(v * 100) + "%" : v; });
      } }],
    };
    new uPlot(options, [chart.x, chart.y], element);
  });
});
