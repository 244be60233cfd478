// Courier RPC console: reads openapi.json and calls methods with fetch. No dependencies; all
// text from the server is shown with textContent, never parsed as HTML.
(function () {
  'use strict';

  // Where openapi.json and /rpc/ live: ?base=... wins, else <html data-base>, relative to this page.
  var params = new URLSearchParams(window.location.search);
  var base = params.get('base') || document.documentElement.getAttribute('data-base') || '.';
  var baseUrl = new URL(base.replace(/\/*$/, '/'), window.location.href);

  var statusEl = document.getElementById('status');
  var servicesEl = document.getElementById('services');
  var template = document.getElementById('method-template');

  function example(type) {
    if (/^(int|long|short|byte|java\.lang\.(Integer|Long|Short|Byte)|java\.math\.BigInteger)$/.test(type)) return '0';
    if (/^(float|double|java\.lang\.(Float|Double)|java\.math\.BigDecimal)$/.test(type)) return '0.0';
    if (/^(boolean|java\.lang\.Boolean)$/.test(type)) return 'false';
    if (/^(char|java\.lang\.(String|Character))$/.test(type)) return '""';
    if (/\[\]$|^java\.util\.(List|Set|Collection)/.test(type)) return '[]';
    if (/^java\.util\.Optional/.test(type)) return 'null';
    return '{}';
  }

  function render(doc) {
    var byTag = {};
    Object.keys(doc.paths || {}).forEach(function (path) {
      var op = doc.paths[path].post;
      if (!op) return;
      var tag = (op.tags && op.tags[0]) || 'default';
      (byTag[tag] = byTag[tag] || []).push({ path: path, op: op });
    });
    var tags = Object.keys(byTag).sort();
    tags.forEach(function (tag) {
      var section = document.createElement('section');
      section.className = 'service';
      var h2 = document.createElement('h2');
      h2.textContent = tag;
      section.appendChild(h2);
      byTag[tag].forEach(function (entry) { section.appendChild(method(entry.path, entry.op)); });
      servicesEl.appendChild(section);
    });
    var count = tags.reduce(function (n, t) { return n + byTag[t].length; }, 0);
    statusEl.textContent = (doc.info ? doc.info.title + ' ' + doc.info.version + ': ' : '')
        + tags.length + ' service(s), ' + count + ' method(s).';
  }

  function method(path, op) {
    var node = template.content.firstElementChild.cloneNode(true);
    // The last segment is the method; an overload's "~descriptor" is left to the signature.
    var name = decodeURIComponent(path.substring(path.lastIndexOf('/') + 1)).split('~')[0];
    node.dataset.search = (path + ' ' + (op.summary || '')).toLowerCase();
    node.querySelector('.name').textContent = name;
    node.querySelector('.signature').textContent = op.summary || '';
    node.querySelector('.path').textContent = 'POST ' + path;
    var paramsEl = node.querySelector('.params');
    var parameters = op['x-courier-parameters'] || [];
    parameters.forEach(function (p) {
      var label = document.createElement('label');
      label.className = 'param';
      var caption = document.createElement('span');
      caption.textContent = p.name + ': ' + p.type;
      var input = document.createElement('textarea');
      input.name = p.name;
      input.rows = 1;
      input.value = example(p.type);
      label.appendChild(caption);
      label.appendChild(input);
      paramsEl.appendChild(label);
    });
    if (!parameters.length) {
      paramsEl.textContent = 'No parameters.';
    }
    node.querySelector('form').addEventListener('submit', function (event) {
      event.preventDefault();
      call(node, path, parameters);
    });
    return node;
  }

  function call(node, path, parameters) {
    var result = node.querySelector('.result');
    var args = [];
    for (var i = 0; i < parameters.length; i++) {
      var text = node.querySelector('textarea[name="' + CSS.escape(parameters[i].name) + '"]').value;
      try {
        args.push(JSON.parse(text));
      } catch (e) {
        show(result, 'not sent', '', '', parameters[i].name + ': not valid JSON (' + e.message + ')', false);
        return;
      }
    }
    var url = new URL(path.replace(/^\//, ''), baseUrl);
    var started = performance.now();
    fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json, application/problem+json' },
      body: JSON.stringify(args)
    }).then(function (response) {
      return response.text().then(function (text) {
        var elapsed = (performance.now() - started).toFixed(1) + ' ms';
        var body = text;
        var code = '';
        try {
          var json = JSON.parse(text);
          body = JSON.stringify(json, null, 2);
          if (!response.ok && json && json.code) code = json.code;
        } catch (e) {
          // Not JSON (an empty 204, or a proxy's page): shown as it came.
        }
        show(result, response.status + ' ' + response.statusText, code, elapsed,
            response.status === 204 ? '(no content)' : body, response.ok);
      });
    }).catch(function (e) {
      show(result, 'failed', '', (performance.now() - started).toFixed(1) + ' ms', String(e), false);
    });
  }

  function show(result, http, code, time, body, ok) {
    result.hidden = false;
    result.className = 'result ' + (ok ? 'ok' : 'error');
    result.querySelector('.http').textContent = 'HTTP ' + http;
    result.querySelector('.code').textContent = code;
    result.querySelector('.time').textContent = time;
    result.querySelector('.body').textContent = body;
  }

  document.getElementById('filter').addEventListener('input', function (event) {
    var q = event.target.value.toLowerCase();
    document.querySelectorAll('.method').forEach(function (m) {
      m.hidden = q !== '' && m.dataset.search.indexOf(q) < 0;
    });
  });

  fetch(new URL('openapi.json', baseUrl))
    .then(function (response) {
      if (!response.ok) throw new Error('HTTP ' + response.status);
      return response.json();
    })
    .then(render)
    .catch(function (e) {
      statusEl.textContent = 'Could not load openapi.json: ' + e.message;
    });
})();
