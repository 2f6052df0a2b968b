// Shpalta: "show more" appends the next feed page in place. Without JS the link is an ordinary link.
(function () {
  'use strict';
  if (!window.fetch || !window.DOMParser || !Element.prototype.closest) return;

  function say(el, text, isError) {
    if (!el) return;
    el.textContent = '';
    el.classList.toggle('visually-hidden', !isError);
    el.classList.toggle('error', !!isError);
    setTimeout(function () { el.textContent = text || ''; }, 60);
  }

  function load(link, box, list) {
    var label = link.textContent;
    var status = box.querySelector('.feed-status');
    link.setAttribute('aria-busy', 'true');
    list.setAttribute('aria-busy', 'true');
    if (link.dataset.loading) link.textContent = link.dataset.loading;
    fetch(link.dataset.fragment, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (r) {
        if (!r.ok) throw new Error('HTTP ' + r.status);
        return r.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var items = doc.querySelector('ol.feed');
        if (!items) throw new Error('bad fragment');
        var seen = {};
        // Stories this list already shows (another list on the page, the news column, may show them too).
        Array.prototype.forEach.call(list.children, function (li) {
          if (li.hasAttribute('data-id')) seen[li.getAttribute('data-id')] = true;
        });
        var first = null;
        Array.prototype.slice.call(items.children).forEach(function (li) {
          var id = li.getAttribute('data-id');
          if (id && seen[id]) return;
          if (id) seen[id] = true;
          var node = document.importNode(li, true);
          list.appendChild(node);
          if (!first) first = node;
        });
        var next = doc.querySelector('.more-wrap');
        var wrap = link.closest('.more-wrap') || link;
        var newLink = null;
        if (next) {
          next = document.importNode(next, true);
          wrap.replaceWith(next);
          newLink = next.querySelector('a');
        } else {
          wrap.remove();
        }
        list.removeAttribute('aria-busy');
        // A feed that is the page itself (the news, a rubric) takes the address of what it now shows, so a reload
        // comes back to it; a column beside a story leaves the story's address alone.
        if (!box.closest('.side')) {
          try { history.replaceState(history.state, '', link.href); } catch (e) { /* cross-origin href */ }
        }
        var target = (first && (first.querySelector('h3 a') || first.querySelector('a'))) || newLink;
        if (!target) { list.tabIndex = -1; target = list; }
        target.focus();
        say(status, link.dataset.loaded, false);
      })
      .catch(function () {
        list.removeAttribute('aria-busy');
        link.removeAttribute('aria-busy');
        link.textContent = label;
        link.dataset.failed = '1'; // the next click navigates normally
        say(status, link.dataset.error, true);
      });
  }

  document.addEventListener('click', function (e) {
    var link = e.target.closest && e.target.closest('a.more[data-fragment]');
    if (!link || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    if (link.dataset.failed) return;
    var box = link.closest('.feed-box');
    var list = box && box.querySelector('ol.feed');
    if (!list) return;
    e.preventDefault();
    if (link.getAttribute('aria-busy') !== 'true') load(link, box, list);
  });

  // "Copy link": the story's address to the clipboard; without a clipboard the link simply opens the story.
  document.addEventListener('click', function (e) {
    var link = e.target.closest && e.target.closest('a.share-copy');
    if (!link || !navigator.clipboard || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
    e.preventDefault();
    navigator.clipboard.writeText(link.href).then(function () {
      link.textContent = link.dataset.done;
      link.setAttribute('aria-live', 'polite');
    }, function () { window.location.href = link.href; });
  });

  // Search suggestions: while the reader types, rubrics, topics and headlines under the box, from the server's
  // fragment. Arrow keys move through them, Escape closes them; without this script the form simply searches.
  document.querySelectorAll('form[data-suggest] input[name=q]').forEach(function (input, n) {
    var form = input.form;
    // Right under the box's own row (the header's form, or the search page's first line).
    var row = input.parentElement;
    var box = document.createElement('div');
    box.className = 'suggest-box';
    box.id = 'suggest-' + n;
    box.hidden = true;
    row.style.position = 'relative';
    row.appendChild(box);
    // A combobox whose popup is a small dialog of links (rubrics, topics, headlines), reached with the arrow keys.
    box.setAttribute('role', 'dialog');
    box.setAttribute('aria-label', form.dataset.suggestLabel || '');
    input.setAttribute('autocomplete', 'off');
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-haspopup', 'dialog');
    input.setAttribute('aria-controls', box.id);
    input.setAttribute('aria-expanded', 'false');
    var timer = 0, asked = '';
    function close() {
      box.hidden = true;
      box.textContent = '';
      input.setAttribute('aria-expanded', 'false');
    }
    function links() { return Array.prototype.slice.call(box.querySelectorAll('a')); }
    function ask() {
      var q = input.value.trim();
      if (q.replace(/[^\p{L}\p{N}]/gu, '').length < 2) { asked = ''; close(); return; }
      if (q === asked) return;
      asked = q;
      fetch(form.dataset.suggest + '?q=' + encodeURIComponent(q), { headers: { 'Accept': 'text/html' } })
        .then(function (r) { return r.ok ? r.text() : ''; })
        .then(function (html) {
          if (input.value.trim() !== q) return;
          var list = new DOMParser().parseFromString(html, 'text/html').querySelector('ul.suggestions');
          if (!list) { close(); return; }
          box.textContent = '';
          box.appendChild(document.importNode(list, true));
          box.hidden = false;
          input.setAttribute('aria-expanded', 'true');
        })
        .catch(close);
    }
    input.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(ask, 150); });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown' && links().length) { e.preventDefault(); links()[0].focus(); }
      if (e.key === 'Escape') close();
    });
    box.addEventListener('keydown', function (e) {
      var all = links(), at = all.indexOf(document.activeElement);
      if (e.key === 'ArrowDown' && at < all.length - 1) { e.preventDefault(); all[at + 1].focus(); }
      if (e.key === 'ArrowUp') { e.preventDefault(); (at > 0 ? all[at - 1] : input).focus(); }
      if (e.key === 'Escape') { close(); input.focus(); }
    });
    document.addEventListener('click', function (e) { if (!form.contains(e.target)) close(); });
  });
})();
