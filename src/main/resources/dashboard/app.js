// Junction dashboard: the little behaviour the pages need, from the gateway itself (the
// Content-Security-Policy allows no inline script and no eval, so Alpine's standard build, which
// evaluates its attributes with new Function, cannot run; this file does those few jobs).
(function () {
  'use strict';

  // A destructive form asks first: <form data-confirm="Delete …?">. Runs before htmx sees the event.
  document.addEventListener('submit', function (event) {
    var form = event.target.closest('form[data-confirm]');
    if (form && !window.confirm(form.getAttribute('data-confirm'))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // Copy buttons: <button data-copy="element-id">.
  document.addEventListener('click', function (event) {
    var button = event.target.closest('button[data-copy]');
    if (!button) {
      return;
    }
    var source = document.getElementById(button.getAttribute('data-copy'));
    if (!source) {
      return;
    }
    var text = source.textContent;
    var done = function () {
      button.textContent = 'Copied';
      setTimeout(function () { button.textContent = 'Copy'; }, 2000);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { selectText(source); });
    } else {
      selectText(source);
      try { if (document.execCommand('copy')) { done(); } } catch (ignored) { /* selected for the user */ }
    }
  });

  // Editors with rows (model mappings): <button data-add-row="tbody-id"> copies the last row, emptied.
  document.addEventListener('click', function (event) {
    var button = event.target.closest('button[data-add-row]');
    if (!button) {
      return;
    }
    var body = document.getElementById(button.getAttribute('data-add-row'));
    if (!body || !body.lastElementChild) {
      return;
    }
    var row = body.lastElementChild.cloneNode(true);
    var number = body.children.length + 1;
    row.querySelectorAll('input').forEach(function (input) {
      input.value = '';
      var label = input.getAttribute('aria-label');
      if (label) {
        input.setAttribute('aria-label', label.replace(/\d+$/, String(number)));
      }
    });
    body.appendChild(row);
    row.querySelector('input').focus();
  });

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  // Times arrive in UTC; show them in the browser's time zone.
  function localTimes(root) {
    root.querySelectorAll('time[datetime]').forEach(function (element) {
      var at = new Date(element.getAttribute('datetime'));
      if (!isNaN(at)) {
        element.title = element.textContent;
        element.textContent = at.toLocaleString(undefined, { year: 'numeric', month: '2-digit', day: '2-digit',
          hour: '2-digit', minute: '2-digit', second: '2-digit' });
      }
    });
  }

  // Version markers: a dashed vertical line and "v12" at the bucket of each routing-config version
  // (spec.markers: [{index, label}]), drawn over the bars.
  var versionMarkers = {
    id: 'versionMarkers',
    afterDatasetsDraw: function (chart, args, options) {
      var markers = (options && options.markers) || [];
      if (!markers.length || !chart.scales.x) {
        return;
      }
      var ctx = chart.ctx;
      var area = chart.chartArea;
      ctx.save();
      ctx.strokeStyle = options.color;
      ctx.fillStyle = options.color;
      ctx.lineWidth = 1;
      ctx.setLineDash([4, 3]);
      ctx.font = '11px system-ui, sans-serif';
      ctx.textBaseline = 'top';
      markers.forEach(function (marker) {
        var x = chart.scales.x.getPixelForValue(marker.index);
        ctx.beginPath();
        ctx.moveTo(x, area.top);
        ctx.lineTo(x, area.bottom);
        ctx.stroke();
        ctx.fillText(marker.label, x + 3, area.top + 2);
      });
      ctx.restore();
    }
  };

  // Charts: <canvas data-chart='{"type":…,"labels":[…],"series":[{"label":…,"data":[…]}],"markers":[…]}'>.
  var palette = ['#2563eb', '#16a34a', '#d97706', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#65a30d'];
  function charts(root) {
    if (!window.Chart) {
      return;
    }
    var styles = getComputedStyle(document.documentElement);
    var text = styles.getPropertyValue('--muted').trim() || '#666';
    var grid = styles.getPropertyValue('--line').trim() || '#ddd';
    root.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
      if (canvas.chart) {
        canvas.chart.destroy();
      }
      var spec = JSON.parse(canvas.getAttribute('data-chart'));
      var round = spec.type === 'doughnut';
      var datasets = spec.series.map(function (series, i) {
        var color = round ? spec.labels.map(function (_, j) { return palette[j % palette.length]; })
          : palette[i % palette.length];
        return { type: series.kind || undefined, label: series.label, data: series.data, borderColor: color,
          backgroundColor: color, yAxisID: series.axis || 'y', tension: 0.25, pointRadius: series.kind === 'line' ? 2 : 0,
          borderWidth: round ? 0 : 2, order: series.kind === 'line' ? 0 : 1 };
      });
      var scales = round ? {} : {
        x: { ticks: { color: text, maxRotation: 0, autoSkip: true, maxTicksLimit: 8 }, grid: { color: grid } },
        y: { beginAtZero: true, ticks: { color: text }, grid: { color: grid } }
      };
      if (!round && spec.series.some(function (s) { return s.axis === 'y2'; })) {
        scales.y2 = { beginAtZero: true, position: 'right', grid: { drawOnChartArea: false },
          ticks: { color: text, callback: function (value) { return '$' + Number(value).toPrecision(2); } } };
      }
      canvas.chart = new window.Chart(canvas, {
        type: spec.type || 'line',
        data: { labels: spec.labels, datasets: datasets },
        options: { responsive: true, maintainAspectRatio: false, animation: false,
          interaction: { mode: 'index', intersect: false },
          plugins: { legend: { labels: { color: text } },
            versionMarkers: { markers: spec.markers || [], color: styles.getPropertyValue('--warn').trim() || '#92400e' } },
          scales: scales },
        plugins: [versionMarkers]
      });
    });
  }

  function enhance(root) {
    localTimes(root);
    charts(root);
  }

  document.addEventListener('DOMContentLoaded', function () { enhance(document); });
  document.addEventListener('htmx:afterSwap', function (event) { enhance(event.target); });
})();
