
/* lastrollup fleet dashboard. Reads the JSON in #data; builds the DOM with
   createElement and textContent only (no HTML strings). The view (search,
   state, known-exploited only, sort, page, page size, open host) lives in
   the URL fragment, so a view can be bookmarked and shared. */
(function () {
  'use strict';
  var D, C = {}, rows, hay, view, shown = [], lastRow = null;
  var PAGE_SIZES = [50, 100, 500];
  var COLS = [
    { key: 'name', label: 'Host', type: 'text', row: true },
    { key: 'domain', label: 'Domain', type: 'text' },
    { key: 'state', label: 'State', type: 'state' },
    { key: 'months_behind', label: 'Months behind', type: 'num' },
    { key: 'kev_open', label: 'Known-exploited open', type: 'num' },
    { key: 'open', label: 'CVEs open', type: 'num' },
    { key: 'findings', label: 'Findings (warning+)', type: 'num' },
    { key: 'next_step', label: 'Next step', type: 'text' },
    { key: 'lifecycle', label: 'Lifecycle', type: 'text' },
    { key: 'family', label: 'Family / arch', type: 'text' }
  ];

  function el(tag, attrs, children) {
    var e = document.createElement(tag), k;
    for (k in attrs || {}) {
      if (Object.prototype.hasOwnProperty.call(attrs, k)) {
        if (k === 'text') { e.textContent = attrs[k]; } else { e.setAttribute(k, attrs[k]); }
      }
    }
    (children || []).forEach(function (c) {
      if (c !== null && c !== undefined) { e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); }
    });
    return e;
  }

  /* Invisible and direction-changing characters made visible, as in Rust. */
  var HIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
  function visible(s) {
    return String(s).replace(HIDDEN, function (c) {
      var h = c.charCodeAt(0).toString(16).toUpperCase();
      return '\u27e8U+' + ('0000' + h).slice(-4) + '\u27e9';
    });
  }
  function nameNode(s, max) {
    var v = visible(s), b = el('bdi');
    if (max && v.length > max) { b.textContent = v.slice(0, max) + '\u2026'; b.title = v; } else { b.textContent = v; }
    return b;
  }
  function cell(h, key) { return h[C[key]]; }
  function hostName(h) { return cell(h, 'name') || cell(h, 'id'); }
  function fmt(n) { return n === null || n === undefined ? '' : Number(n).toLocaleString('en-US'); }

  /* ---- the view in the fragment ---- */
  function readView() {
    var p = new URLSearchParams(location.hash.replace(/^#/, '')), sort = p.get('sort') || '-kev_open';
    var size = p.get('n');
    return {
      q: p.get('q') || '',
      state: p.get('state') || '',
      kev: p.get('kev') === '1',
      sort: sort.replace(/^-/, ''),
      desc: sort.charAt(0) === '-',
      page: Math.max(0, parseInt(p.get('page') || '0', 10) || 0),
      size: size === 'all' ? 'all' : (PAGE_SIZES.indexOf(Number(size)) >= 0 ? Number(size) : 100),
      host: p.get('host')
    };
  }
  function writeView() {
    var p = new URLSearchParams();
    if (view.q) { p.set('q', view.q); }
    if (view.state !== '') { p.set('state', view.state); }
    if (view.kev) { p.set('kev', '1'); }
    p.set('sort', (view.desc ? '-' : '') + view.sort);
    if (view.page) { p.set('page', String(view.page)); }
    if (view.size !== 100) { p.set('n', String(view.size)); }
    if (view.host) { p.set('host', view.host); }
    var hash = '#' + p.toString();
    if (location.hash === hash) { return; }
    try { history.replaceState(null, '', hash); } catch (e) { location.replace(hash); }
  }

  /* ---- filter and sort ---- */
  function fold(s) {
    s = String(s || '');
    if (s.normalize) { s = s.normalize('NFC'); }
    return s.replace(HIDDEN, '').toLowerCase();
  }
  function compute() {
    var q = fold(view.q).trim(), st = view.state === '' ? -1 : Number(view.state), i, out = [];
    for (i = 0; i < rows.length; i++) {
      var h = rows[i];
      if (st >= 0 && cell(h, 'state') !== st) { continue; }
      if (view.kev && !(cell(h, 'kev_open') > 0)) { continue; }
      if (q && hay[i].indexOf(q) < 0) { continue; }
      out.push(i);
    }
    var col = C[view.sort] === undefined ? C.kev_open : C[view.sort], dir = view.desc ? -1 : 1;
    out.sort(function (a, b) {
      var x = rows[a][col], y = rows[b][col], r;
      if (x === y) { r = 0; } else if (x === null || x === undefined) { return 1; } else if (y === null || y === undefined) { return -1; } else if (typeof x === 'number') { r = x - y; } else { r = String(x).localeCompare(String(y)); }
      return r !== 0 ? r * dir : a - b;
    });
    shown = out;
  }

  /* ---- the table ---- */
  var ui = {};
  function buildControls(app) {
    ui.search = el('input', { id: 'search', type: 'search', placeholder: 'name, domain, KB…', autocomplete: 'off' });
    ui.state = el('select', { id: 'state' }, [el('option', { value: '', text: 'every state' })]);
    D.states.forEach(function (s, i) {
      ui.state.appendChild(el('option', { value: String(i), text: s.label + ' (' + fmt(s.hosts) + ')' }));
    });
    ui.kev = el('input', { id: 'kevonly', type: 'checkbox' });
    ui.size = el('select', { id: 'size' });
    PAGE_SIZES.concat(['all']).forEach(function (n) { ui.size.appendChild(el('option', { value: String(n), text: String(n) })); });
    app.appendChild(el('div', { 'class': 'controls', role: 'search' }, [
      el('label', { 'for': 'search' }, ['Search (press /)', ui.search]),
      el('label', { 'for': 'state' }, ['State', ui.state]),
      el('label', { 'class': 'check', 'for': 'kevonly' }, [ui.kev, 'open to a known-exploited CVE']),
      el('label', { 'for': 'size' }, ['Rows per page', ui.size])
    ]));
    var t;
    ui.search.addEventListener('input', function () {
      clearTimeout(t);
      t = setTimeout(function () { view.q = ui.search.value; view.page = 0; update(); }, 120);
    });
    ui.state.addEventListener('change', function () { view.state = ui.state.value; view.page = 0; update(); });
    ui.kev.addEventListener('change', function () { view.kev = ui.kev.checked; view.page = 0; update(); });
    ui.size.addEventListener('change', function () {
      view.size = ui.size.value === 'all' ? 'all' : Number(ui.size.value); view.page = 0; update();
    });
  }
  function buildTable(app) {
    ui.caption = el('caption');
    ui.heads = COLS.map(function (c) {
      var b = el('button', { type: 'button', text: c.label });
      b.addEventListener('click', function () {
        if (view.sort === c.key) { view.desc = !view.desc; } else { view.sort = c.key; view.desc = c.type === 'num'; }
        view.page = 0; update();
      });
      return el('th', { scope: 'col', 'class': c.type === 'num' ? 'num' : '', 'data-key': c.key }, [b]);
    });
    ui.body = el('tbody');
    ui.table = el('table', { 'class': 'hosts-table', id: 'hosts-table' }, [ui.caption, el('thead', {}, [el('tr', {}, ui.heads)]), ui.body]);
    ui.status = el('p', { 'class': 'status', role: 'status', 'aria-live': 'polite' });
    ui.prev = el('button', { type: 'button', text: '\u2039 Previous' });
    ui.next = el('button', { type: 'button', text: 'Next \u203a' });
    ui.pageInfo = el('span');
    ui.prev.addEventListener('click', function () { view.page -= 1; update(); });
    ui.next.addEventListener('click', function () { view.page += 1; update(); });
    app.appendChild(ui.status);
    app.appendChild(ui.table);
    app.appendChild(el('div', { 'class': 'pager' }, [ui.prev, ui.pageInfo, ui.next]));
    ui.body.addEventListener('click', function (e) {
      var tr = e.target.closest ? e.target.closest('tr') : null;
      if (tr && tr.dataset.i) { open(Number(tr.dataset.i), tr); }
    });
    ui.body.addEventListener('keydown', rowKeys);
  }
  function stateCell(h) {
    var s = cell(h, 'state');
    return el('td', { 'class': 'state-' + s, text: D.states[s] ? D.states[s].label : '' });
  }
  function rowOf(i, pos) {
    var h = rows[i], tr = el('tr', { tabindex: '0', 'data-i': String(i), 'aria-rowindex': String(pos + 2) });
    var kev = cell(h, 'kev_open');
    var fam = [cell(h, 'family'), cell(h, 'arch')].filter(Boolean).join(' / ');
    tr.appendChild(el('th', { scope: 'row', 'class': 'name' }, [nameNode(hostName(h), 80)]));
    tr.appendChild(el('td', { 'class': 'name' }, [nameNode(cell(h, 'domain') || '', 40)]));
    tr.appendChild(stateCell(h));
    tr.appendChild(el('td', { 'class': 'num', text: fmt(cell(h, 'months_behind')) }));
    tr.appendChild(el('td', { 'class': 'num' + (kev > 0 ? ' kev-yes' : ''), text: fmt(kev) }));
    tr.appendChild(el('td', { 'class': 'num', text: fmt(cell(h, 'open')) }));
    tr.appendChild(el('td', { 'class': 'num', text: fmt(cell(h, 'findings')) }));
    tr.appendChild(el('td', { text: cell(h, 'next_step') || '' }));
    tr.appendChild(el('td', { text: cell(h, 'lifecycle') || '' }));
    tr.appendChild(el('td', { text: fam }));
    return tr;
  }
  function renderRows() {
    var size = view.size === 'all' ? Math.max(shown.length, 1) : view.size;
    var pages = Math.max(1, Math.ceil(shown.length / size));
    view.page = Math.min(view.page, pages - 1);
    var from = view.page * size, to = Math.min(shown.length, from + size), frag = document.createDocumentFragment(), i;
    for (i = from; i < to; i++) { frag.appendChild(rowOf(shown[i], i)); }
    ui.body.textContent = '';
    ui.body.appendChild(frag);
    ui.table.setAttribute('aria-rowcount', String(shown.length + 1));
    var range = shown.length ? fmt(from + 1) + '\u2013' + fmt(to) : 'none';
    ui.caption.textContent = 'Hosts: ' + range + ' of ' + fmt(shown.length) + ' matching (' + fmt(rows.length) + ' in all). Select a row or press Enter on it for its plan, findings and known-exploited CVEs.';
    ui.status.textContent = fmt(shown.length) + ' of ' + fmt(rows.length) + ' hosts match.';
    ui.pageInfo.textContent = 'page ' + fmt(view.page + 1) + ' of ' + fmt(pages);
    ui.prev.disabled = view.page <= 0;
    ui.next.disabled = view.page >= pages - 1;
  }
  function syncControls() {
    ui.search.value = view.q;
    ui.state.value = view.state;
    ui.kev.checked = view.kev;
    ui.size.value = String(view.size);
    ui.heads.forEach(function (th) {
      if (th.getAttribute('data-key') === view.sort) {
        th.setAttribute('aria-sort', view.desc ? 'descending' : 'ascending');
      } else { th.removeAttribute('aria-sort'); }
    });
  }
  function update() {
    compute();
    syncControls();
    renderRows();
    writeView();
  }
  function rowKeys(e) {
    var tr = e.target;
    if (!tr || tr.tagName !== 'TR') { return; }
    var to = null;
    if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); open(Number(tr.dataset.i), tr); return; }
    if (e.key === 'ArrowDown') { to = tr.nextElementSibling; }
    if (e.key === 'ArrowUp') { to = tr.previousElementSibling; }
    if (e.key === 'Home') { to = ui.body.firstElementChild; }
    if (e.key === 'End') { to = ui.body.lastElementChild; }
    if (to) { e.preventDefault(); to.focus(); }
  }

  /* ---- the drill-down ---- */
  var dlg;
  function dl(pairs) {
    var d = el('dl');
    pairs.forEach(function (p) {
      if (p[1] === null || p[1] === undefined || p[1] === '') { return; }
      d.appendChild(el('dt', { text: p[0] }));
      d.appendChild(el('dd', {}, [typeof p[1] === 'string' || typeof p[1] === 'number' ? nameNode(String(p[1])) : p[1]]));
    });
    return d;
  }
  function simpleTable(caption, heads, data) {
    var tb = el('tbody');
    data.forEach(function (r) {
      tb.appendChild(el('tr', {}, r.map(function (v, i) {
        return el(i === 0 ? 'th' : 'td', i === 0 ? { scope: 'row' } : {}, [typeof v === 'object' && v !== null ? v : visible(v === null || v === undefined ? '' : v)]);
      })));
    });
    return el('table', {}, [el('caption', { text: caption }),
      el('thead', {}, [el('tr', {}, heads.map(function (h) { return el('th', { scope: 'col', text: h }); }))]), tb]);
  }
  function planPart(p) {
    if (!p.plan.length) { return el('p', { text: p.status === 'assessed' ? 'Nothing to install: the host is at its goal.' : 'No plan: ' + (p.reason || p.status) + '.' }); }
    return simpleTable(p.plan.length + ' steps, in install order; each with the reason it is needed', ['#', 'update', 'what', 'why', 'only if'], p.plan.map(function (s) {
      return [String(s.order), s.kb || s.kind, s.title, s.reason, s.condition || ''];
    }));
  }
  function findingsPart(own, shared) {
    var all = own.concat(shared);
    if (!all.length) { return el('p', { text: 'No findings.' }); }
    return el('ul', {}, all.map(function (f) {
      return el('li', {}, [el('span', { 'class': 'sev-' + f.severity, text: f.severity }), ' ', el('code', { text: f.id }), ': ', visible(f.message),
        f.sources && f.sources.length ? ' (' + visible(f.sources.join('; ')) + ')' : '']);
    }));
  }
  function kevPart(ids, caption) {
    return simpleTable(caption, ['CVE', 'title', 'in KEV since', 'ransomware'], ids.map(function (id) {
      var k = D.kev[id] || {};
      return [id, k.title || '', k.date_added || '', k.ransomware ? 'yes' : ''];
    }));
  }
  function drill(i) {
    var h = rows[i], p = D.profiles[cell(h, 'profile')] || { plan: [], findings: [], kev_open: [], kev_unverified: [], status: '' };
    var close = el('button', { type: 'button', 'class': 'close', text: 'Close (Esc)' });
    close.addEventListener('click', shut);
    var parts = [close, el('h2', { id: 'drill-title' }, [nameNode(hostName(h))]),
      dl([['id', cell(h, 'id')], ['domain', cell(h, 'domain')], ['product', p.product_name], ['architecture', p.arch],
        ['state', (D.states[cell(h, 'state')] || {}).label], ['baseline month', cell(h, 'baseline_month')],
        ['months behind', cell(h, 'months_behind')], ['CVEs open / unverified', fmt(cell(h, 'open')) + ' / ' + fmt(cell(h, 'unverified'))],
        ['lifecycle', cell(h, 'lifecycle')], ['exposure profile', p.id + ' (' + fmt(p.hosts) + ' hosts)']]),
      el('h3', { text: 'Install plan' }), planPart(p),
      el('h3', { text: 'Findings' }), findingsPart(cell(h, 'host_findings') || [], p.findings),
      el('h3', { text: 'Open known-exploited CVEs (' + p.kev_open.length + ')' }),
      p.kev_open.length ? kevPart(p.kev_open, 'CVEs CISA lists as exploited that this host is open to') : el('p', { text: 'None.' })];
    if (p.kev_unverified.length) {
      parts.push(el('h3', { text: 'Known-exploited CVEs the evidence cannot tell (' + p.kev_unverified.length + ')' }));
      parts.push(kevPart(p.kev_unverified, 'Unverified: the evidence shows neither the fix nor its absence'));
    }
    return parts;
  }
  function open(i, from) {
    if (!rows[i]) { return; }
    lastRow = from || null;
    dlg.textContent = '';
    drill(i).forEach(function (n) { dlg.appendChild(n); });
    view.host = cell(rows[i], 'id');
    writeView();
    if (!dlg.open) {
      if (dlg.showModal) { dlg.showModal(); } else { dlg.setAttribute('open', ''); }
    }
    var b = dlg.querySelector('.close');
    if (b) { b.focus(); }
  }
  function shut() {
    if (dlg.open) { if (dlg.close) { dlg.close(); } else { dlg.removeAttribute('open'); onClosed(); } }
  }
  function onClosed() {
    view.host = null;
    writeView();
    if (lastRow && document.body.contains(lastRow)) { lastRow.focus(); }
  }
  function openById(id) {
    for (var i = 0; i < rows.length; i++) { if (cell(rows[i], 'id') === id) { open(i, null); return; } }
  }

  /* ---- the worst hosts rendered by Rust open the drill-down too ---- */
  function enhanceWorst() {
    var trs = document.querySelectorAll('table.worst tr[data-host]');
    Array.prototype.forEach.call(trs, function (tr) {
      tr.tabIndex = 0;
      tr.addEventListener('click', function () { openById(tr.getAttribute('data-host')); lastRow = tr; });
      tr.addEventListener('keydown', function (e) {
        if (e.key === 'Enter') { e.preventDefault(); openById(tr.getAttribute('data-host')); lastRow = tr; }
      });
    });
  }

  function init() {
    var t0 = window.performance ? performance.now() : 0;
    D = JSON.parse(document.getElementById('data').textContent);
    D.columns.forEach(function (n, i) { C[n] = i; });
    rows = D.hosts;
    hay = rows.map(function (h) {
      return fold([cell(h, 'name'), cell(h, 'id'), cell(h, 'domain'), cell(h, 'next_step'), cell(h, 'family'), cell(h, 'lifecycle')].join(' '));
    });
    dlg = document.getElementById('drill');
    dlg.addEventListener('close', onClosed);
    dlg.addEventListener('cancel', function () { /* Esc: the dialog closes itself */ });
    document.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && dlg.hasAttribute('open') && !dlg.showModal) { shut(); }
      if (e.key === '/' && document.activeElement !== ui.search && !dlg.open) { e.preventDefault(); ui.search.focus(); }
    });
    var app = document.getElementById('app');
    buildControls(app);
    buildTable(app);
    enhanceWorst();
    view = readView();
    update();
    if (view.host) { openById(view.host); }
    window.addEventListener('hashchange', function () {
      var v = readView();
      var was = view.host;
      view = v;
      update();
      if (v.host && v.host !== was) { openById(v.host); } else if (!v.host && dlg.open) { shut(); }
    });
    window.addEventListener('beforeprint', function () {
      Array.prototype.forEach.call(document.querySelectorAll('details'), function (d) { d.open = true; });
    });
    document.documentElement.setAttribute('data-ready', String(rows.length));
    if (window.performance) { document.documentElement.setAttribute('data-init-ms', String(Math.round(performance.now() - t0))); }
  }

  try { init(); } catch (e) {
    var app = document.getElementById('app');
    if (app) { app.textContent = 'The host table could not be built: ' + e.message; }
    if (window.console) { console.error('lastrollup dashboard:', e); }
  }
}());
