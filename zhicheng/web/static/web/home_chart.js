/* The home page's chart: this year's applications by status (data from #status-chart-data). */
(function () {
  var data = document.getElementById("status-chart-data");
  var box = document.getElementById("status-chart");
  if (!data || !box || !window.echarts) return;
  var chart = JSON.parse(data.textContent);
  var instance = window.echarts.init(box);
  instance.setOption({
    grid: { left: 40, right: 16, top: 16, bottom: 32 },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: chart.labels },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", data: chart.counts, barMaxWidth: 48, itemStyle: { color: "#0d6efd" } }],
  });
  box.setAttribute("data-ready", "1");
  window.addEventListener("resize", function () { instance.resize(); });
})();
