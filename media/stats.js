// Draws the statistics the extension posts (see src/vscode/statsView.ts). Runs under a strict
// CSP: no network, no inline code; the histogram is SVG built with DOM calls, so no inline styles.
(function () {
  'use strict';
  const vscode = acquireVsCodeApi();
  const SVG = 'http://www.w3.org/2000/svg';
  const WIDTH = 560;
  const HEIGHT = 180;
  const AXIS = 20;

  function ms(value) {
    return value === undefined || value === null ? '–' : `${Math.round(value)} ms`;
  }

  function setText(id, text) {
    document.getElementById(id).textContent = text;
  }

  function bucketLabel(bucket) {
    return bucket.upperMs === undefined || bucket.upperMs === null ? `≥${bucket.lowerMs}` : `<${bucket.upperMs}`;
  }

  function drawHistogram(histogram) {
    const svg = document.getElementById('histogram');
    svg.replaceChildren();
    const max = Math.max(1, ...histogram.map((bucket) => bucket.count));
    const slot = WIDTH / histogram.length;
    histogram.forEach((bucket, index) => {
      const height = ((HEIGHT - AXIS - 12) * bucket.count) / max;
      const bar = document.createElementNS(SVG, 'rect');
      bar.setAttribute('class', 'bar');
      bar.setAttribute('x', String(index * slot + 2));
      bar.setAttribute('y', String(HEIGHT - AXIS - height));
      bar.setAttribute('width', String(slot - 4));
      bar.setAttribute('height', String(height));
      const title = document.createElementNS(SVG, 'title');
      title.textContent = `${bucket.lowerMs}–${bucket.upperMs ?? '∞'} ms: ${bucket.count}`;
      bar.appendChild(title);
      svg.appendChild(bar);
      const label = document.createElementNS(SVG, 'text');
      label.setAttribute('class', 'axis');
      label.setAttribute('x', String(index * slot + slot / 2));
      label.setAttribute('y', String(HEIGHT - 6));
      label.setAttribute('text-anchor', 'middle');
      label.textContent = bucketLabel(bucket);
      svg.appendChild(label);
    });
  }

  function drawLanguages(languages) {
    const body = document.querySelector('#languages tbody');
    body.replaceChildren();
    for (const language of languages) {
      const row = document.createElement('tr');
      for (const value of [language.languageId, language.requests, language.shown, language.accepted]) {
        const cell = document.createElement('td');
        cell.textContent = String(value);
        row.appendChild(cell);
      }
      body.appendChild(row);
    }
  }

  function render(snapshot) {
    setText('shown', String(snapshot.suggestions));
    setText('accepted', String(snapshot.accepted));
    setText('acceptance', snapshot.suggestions === 0 ? '–' : `${(snapshot.acceptRate * 100).toFixed(1)}%`);
    setText('tokensPerSecond', snapshot.tokensPerSecond === undefined || snapshot.tokensPerSecond === null ? '–' : `${snapshot.tokensPerSecond.toFixed(1)} tokens/s`);
    setText('p50', ms(snapshot.latency.p50Ms));
    setText('p95', ms(snapshot.latency.p95Ms));
    setText('latencyCount', String(snapshot.latency.count));
    drawHistogram(snapshot.latency.histogram);
    drawLanguages(snapshot.languages);
    // Read back what the page shows, so the extension (and its tests) can check the drawing.
    vscode.postMessage({
      type: 'rendered',
      rendered: {
        p50: document.getElementById('p50').textContent,
        p95: document.getElementById('p95').textContent,
        shown: document.getElementById('shown').textContent,
        accepted: document.getElementById('accepted').textContent,
        acceptance: document.getElementById('acceptance').textContent,
        tokensPerSecond: document.getElementById('tokensPerSecond').textContent,
        histogramBars: document.querySelectorAll('#histogram rect.bar').length,
        languages: Array.from(document.querySelectorAll('#languages tbody tr'), (row) => row.firstChild.textContent),
      },
    });
  }

  window.addEventListener('message', (event) => {
    if (event.data && event.data.type === 'stats') {
      render(event.data.snapshot);
    }
  });
  document.getElementById('reset').addEventListener('click', () => vscode.postMessage({ type: 'reset' }));
  vscode.postMessage({ type: 'ready' });
})();
