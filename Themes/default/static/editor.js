// Newsroom article editor: block editor, media library, autosave, edit-lock heartbeat, unload guard;
// and, on the revisions page, small helpers. No dependencies. Progressive: without this file the
// editor form still posts (the body as JSON from #body-json). Every text comes from the data-
// attributes of #ed-texts, filled by the template from the locale files.
(function () {
  'use strict';

  var textsEl = document.getElementById('ed-texts');
  var T = textsEl ? textsEl.dataset : {};
  function t(key) { return T[key] || ''; }

  // ---- small helpers -------------------------------------------------------------------------

  function el(tag, attrs, kids) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === null || value === undefined || value === false) return;
        if (key === 'text') node.textContent = value;
        else if (key === 'class') node.className = value;
        else if (key.slice(0, 2) === 'on') node.addEventListener(key.slice(2), value);
        else node.setAttribute(key, value === true ? '' : String(value));
      });
    }
    (kids || []).forEach(function (kid) {
      if (kid !== null && kid !== undefined) node.append(kid);
    });
    return node;
  }

  var uid = 0;
  function newID(prefix) { uid += 1; return prefix + '-' + uid; }

  function field(labelText, control, help) {
    if (!control.id) control.id = newID('blk');
    var kids = [el('label', { for: control.id, text: labelText }), control];
    if (help) {
      var helpID = newID('help');
      control.setAttribute('aria-describedby', helpID);
      kids.push(el('p', { class: 'ed-help', id: helpID, text: help }));
    }
    return el('div', { class: 'ed-field' }, kids);
  }

  // Link targets the server accepts: http(s), mailto, or a path on this site ("/…", not "//…").
  var safeLink = window.ShpaltaUploader.safeLink; // (uploader.js, loaded first)

  function readJSON(response) {
    return response.text().then(function (text) {
      var data = null;
      try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
      return { ok: response.ok, status: response.status, data: data };
    });
  }

  function getJSON(url) {
    return fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } }).then(readJSON);
  }

  function withQuery(url, params) {
    return url + (url.indexOf('?') >= 0 ? '&' : '?') + new URLSearchParams(params).toString();
  }

  // ---- the revisions page --------------------------------------------------------------------

  function initRevisions() {
    var compare = document.getElementById('rv-compare');
    if (compare) {
      ['a', 'b'].forEach(function (name) {
        var wanted = compare.getAttribute('data-' + name);
        var radios = compare.querySelectorAll('input[type=radio][name=' + name + ']');
        var anyChecked = Array.prototype.some.call(radios, function (r) { return r.checked; });
        if (anyChecked || !wanted) return;
        Array.prototype.forEach.call(radios, function (r) { if (r.value === wanted) r.checked = true; });
      });
    }
    document.querySelectorAll('button[data-confirm]').forEach(function (button) {
      button.addEventListener('click', function (event) {
        if (!window.confirm(button.getAttribute('data-confirm'))) event.preventDefault();
      });
    });
    // Without the server's added/removed flags the template marks changes with classes; make them
    // real <ins>/<del> so assistive technology can tell them apart too.
    document.querySelectorAll('.rv-diff span.rv-added, .rv-diff span.rv-removed').forEach(function (span) {
      var node = document.createElement(span.classList.contains('rv-added') ? 'ins' : 'del');
      node.textContent = span.textContent;
      span.replaceWith(node);
    });
  }

  initRevisions();

  // ---- the editor ----------------------------------------------------------------------------

  var form = document.getElementById('editor-form');
  if (!form) return;

  var cfg = {
    autosave: form.getAttribute('data-autosave') || '',
    lock: form.getAttribute('data-lock') || '',
    heartbeat: form.getAttribute('data-heartbeat') || '',
    unlock: form.getAttribute('data-unlock') || '',
    mediaList: form.getAttribute('data-media-list') || '',
    mediaUpload: form.getAttribute('data-media-upload') || '',
    articleLookup: form.getAttribute('data-article-lookup') || '',
    authorList: form.getAttribute('data-author-list') || '',
    uploadMB: parseFloat(form.getAttribute('data-upload-mb')) || 0
  };
  var csrf = form.elements._csrf ? form.elements._csrf.value : '';
  var lockToken = form.elements.lock ? form.elements.lock.value : '';
  var saveButton = document.getElementById('ed-save');
  var statusEl = document.getElementById('ed-status');
  var dirtyEl = document.getElementById('ed-dirty');
  var movesForm = document.getElementById('moves-form');

  var state = {
    dirty: false,        // changed since the page was loaded (i.e. since the last real save)
    pending: false,      // changed since the last successful autosave
    autosaving: false,
    submitting: false,
    lockLost: false,
    keepLock: false,     // leaving for a page that still uses our lock (revisions, the autosaved version)
    unlocked: false
  };

  function say(message, kind) {
    if (!statusEl) return;
    statusEl.textContent = message;
    statusEl.className = 'ed-status' + (kind ? ' ed-status-' + kind : '');
  }

  function markDirty() {
    state.dirty = true;
    state.pending = true;
    if (dirtyEl) dirtyEl.hidden = false;
  }

  function postForm(url, params) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'X-CSRF-Token': csrf,
        Accept: 'application/json'
      },
      body: params.toString()
    }).then(readJSON);
  }

  // Caches for showing what a block refers to: photos by id, articles by id.
  var mediaCache = {};
  var articleCache = {};
  var refs = document.getElementById('ed-refs');
  if (refs) {
    refs.querySelectorAll('[data-media-id]').forEach(function (node) {
      var d = node.dataset;
      mediaCache[d.mediaId] = {
        id: Number(d.mediaId), src: d.src, width: Number(d.width) || undefined, height: Number(d.height) || undefined,
        alt: d.alt || '', caption: d.caption || '', credit: d.credit || ''
      };
    });
    refs.querySelectorAll('[data-article-id]').forEach(function (node) {
      articleCache[node.dataset.articleId] = { id: Number(node.dataset.articleId), title: node.dataset.title, status: node.dataset.status };
    });
  }

  function statusLabel(status) {
    var key = 'status' + String(status || '').charAt(0).toUpperCase() + String(status || '').slice(1);
    return t(key) || status || '';
  }

  // ---- media library dialog ------------------------------------------------------------------

  var media = (function () {
    var dialog = document.getElementById('media-dialog');
    if (!dialog || typeof dialog.showModal !== 'function') return null;
    var grid = document.getElementById('md-grid');
    var libStatus = document.getElementById('md-lib-status');
    var uploadForm = document.getElementById('md-upload');
    var fileInput = document.getElementById('md-file');
    var chosen = document.getElementById('md-chosen');
    var msg = document.getElementById('md-msg');
    var alt = document.getElementById('md-alt');
    var caption = document.getElementById('md-caption');
    var credit = document.getElementById('md-credit');
    var creditURL = document.getElementById('md-credit-url');
    var uploadButton = document.getElementById('md-upload-button');
    var uploadBox = document.getElementById('md-upload-box');
    var search = document.getElementById('md-search');
    var searchTimer = null;
    var gridTurn = 0;
    var onPick = null;
    var opener = null;
    var listRequest = null;

    function remember(items) {
      (items || []).forEach(function (m) { if (m && m.id !== undefined) mediaCache[String(m.id)] = m; });
    }

    function load() {
      if (!cfg.mediaList) return Promise.resolve([]);
      if (!listRequest) {
        var query = search ? search.value.trim() : '';
        listRequest = getJSON(query ? withQuery(cfg.mediaList, { q: query }) : cfg.mediaList).then(function (reply) {
          if (!reply.ok || !Array.isArray(reply.data)) throw new Error('media list');
          remember(reply.data);
          return reply.data;
        });
        listRequest.catch(function () { listRequest = null; });
      }
      return listRequest;
    }

    function showGrid() {
      grid.textContent = '';
      libStatus.textContent = t('mediaLoading');
      listRequest = null; // fresh each time: colleagues upload too
      var turn = ++gridTurn; // an older answer that arrives late is dropped
      load().then(function (items) {
        if (turn !== gridTurn) return;
        libStatus.textContent = items.length ? '' : t(search && search.value.trim() ? 'mediaNoMatch' : 'mediaEmpty');
        items.forEach(function (m) {
          var img = el('img', { src: m.thumb || m.src, alt: '', loading: 'lazy', width: m.width, height: m.height });
          var text = m.caption || m.alt || '';
          var button = el('button', { type: 'button', class: 'md-item', 'data-media-id': m.id }, [
            img, el('span', { class: 'md-item-text', text: text }),
            m.credit ? el('span', { class: 'md-item-credit', text: m.credit }) : null
          ]);
          if (!text) button.setAttribute('aria-label', t('photoId') + m.id);
          button.addEventListener('click', function () { pick(m); });
          grid.append(el('li', null, [button]));
        });
      }).catch(function () {
        if (turn === gridTurn) libStatus.textContent = t('mediaLoadFailed');
      });
    }

    if (search) {
      // Caption, credit, alt text or file name; the grid follows the typing after a short pause.
      search.addEventListener('input', function () {
        clearTimeout(searchTimer);
        searchTimer = setTimeout(showGrid, 250);
      });
    }

    function pick(m) {
      remember([m]);
      var callback = onPick;
      close();
      if (callback) callback(m);
    }

    function close() {
      if (dialog.open) dialog.close();
    }

    dialog.addEventListener('close', function () {
      onPick = null;
      if (opener && document.contains(opener)) opener.focus();
      opener = null;
    });
    dialog.querySelectorAll('[data-close]').forEach(function (button) {
      button.addEventListener('click', close);
    });
    dialog.addEventListener('click', function (event) {
      if (event.target === dialog) close(); // a click on the backdrop
    });

    var uploader = window.ShpaltaUploader({
      form: uploadForm, file: fileInput, chosen: chosen, message: msg, messageClass: 'md-msg', alt: alt,
      caption: caption, credit: credit, creditURL: creditURL, button: uploadButton, dropTarget: dialog,
      url: cfg.mediaUpload, csrf: csrf, uploadMB: cfg.uploadMB, text: t,
      onDrop: function () { if (uploadBox) uploadBox.open = true; },
      onUploaded: pick
    });

    return {
      open: function (callback) {
        onPick = callback;
        opener = document.activeElement;
        uploader.message('');
        // The upload form starts open where there is room for it next to the library.
        if (uploadBox && window.matchMedia && window.matchMedia('(min-width: 700px)').matches) uploadBox.open = true;
        dialog.showModal();
        showGrid();
      },
      load: load
    };
  })();

  // A file dropped anywhere else would make the browser open it and leave the page.
  ['dragover', 'drop'].forEach(function (type) {
    window.addEventListener(type, function (event) {
      var types = event.dataTransfer && event.dataTransfer.types;
      if (types && Array.prototype.indexOf.call(types, 'Files') >= 0) event.preventDefault();
    });
  });

  // ---- cover photo ---------------------------------------------------------------------------

  (function () {
    var input = document.getElementById('cover-media');
    var preview = document.getElementById('cover-preview');
    var tools = document.getElementById('cover-tools');
    var pickButton = document.getElementById('cover-pick');
    var removeButton = document.getElementById('cover-remove');
    if (!input || !preview || !tools || !media) return;
    var img = preview.querySelector('img');
    if (img && input.value) {
      mediaCache[input.value] = mediaCache[input.value] || {
        id: Number(input.value), src: img.getAttribute('src'), alt: img.getAttribute('alt') || '',
        width: Number(img.getAttribute('width')) || undefined, height: Number(img.getAttribute('height')) || undefined,
        caption: img.getAttribute('data-caption') || '', credit: img.getAttribute('data-credit') || ''
      };
    }
    function show(m) {
      preview.textContent = '';
      if (!m) {
        preview.append(el('p', { class: 'ed-muted', text: t('coverNone') }));
      } else {
        preview.append(
          el('img', { src: m.src, alt: m.alt || '', width: m.width, height: m.height }),
          el('p', { class: 'ed-cover-cap' }, [m.caption || '', m.credit ? ' ' : null,
            m.credit ? el('span', { class: 'ed-credit', text: m.credit }) : null])
        );
      }
      removeButton.hidden = !m;
    }
    tools.hidden = false;
    removeButton.hidden = !input.value;
    pickButton.addEventListener('click', function () {
      media.open(function (m) {
        input.value = String(m.id);
        show(m);
        markDirty();
      });
    });
    removeButton.addEventListener('click', function () {
      input.value = '';
      show(null);
      markDirty();
      pickButton.focus();
    });
  })();

  // ---- paragraphs: DOM <-> spans -------------------------------------------------------------

  function isBoldElement(node) {
    var tag = node.nodeName;
    if (tag === 'B' || tag === 'STRONG') return true;
    var weight = node.style && node.style.fontWeight;
    return weight === 'bold' || weight === 'bolder' || parseInt(weight, 10) >= 600;
  }
  function isItalicElement(node) {
    var tag = node.nodeName;
    if (tag === 'I' || tag === 'EM') return true;
    return !!(node.style && node.style.fontStyle === 'italic');
  }

  // The spans of a contenteditable: b/strong → bold, i/em → italic, a[href] → link, <br> (or a
  // newline) → "\n", everything else → its text; whitespace collapsed; neighbours with the same marks
  // merged.
  function domToSpans(root) {
    var raw = [];
    function push(text, marks) {
      if (!text) return;
      raw.push({ text: text, bold: marks.bold, italic: marks.italic, link: marks.link });
    }
    function walk(node, marks) {
      Array.prototype.forEach.call(node.childNodes, function (child) {
        if (child.nodeType === 3) {
          // The editor is white-space: pre-wrap, so a newline in the text (Chrome's Shift+Enter there)
          // is a visible line break; other runs of whitespace collapse to one space.
          push(child.nodeValue.replace(/[^\S\n]+/g, ' ').replace(/ ?\n ?/g, '\n'), marks);
        } else if (child.nodeType === 1) {
          var tag = child.nodeName;
          if (tag === 'BR') { push('\n', marks); return; }
          if (tag === 'SCRIPT' || tag === 'STYLE') return;
          var inner = { bold: marks.bold || isBoldElement(child), italic: marks.italic || isItalicElement(child), link: marks.link };
          if (tag === 'A' && child.getAttribute('href')) {
            var href = child.getAttribute('href').trim();
            inner.link = safeLink(href) ? href : marks.link;
          }
          var block = tag === 'DIV' || tag === 'P' || tag === 'LI';
          if (block && raw.length && raw[raw.length - 1].text.slice(-1) !== '\n') push('\n', marks);
          walk(child, inner);
          if (block) push('\n', marks);
        }
      });
    }
    walk(root, { bold: false, italic: false, link: null });

    // Whitespace: no spaces around line breaks, no doubled spaces across spans, nothing at the ends.
    var out = [];
    var atBreak = true; // at the start, or just after a space or a line break
    raw.forEach(function (span) {
      var text = span.text.replace(/ *\n */g, '\n');
      if (atBreak) text = text.replace(/^ +/, '');
      if (text.charAt(0) === '\n' && out.length) {
        var prev = out[out.length - 1];
        prev.text = prev.text.replace(/ +$/, '');
      }
      if (!out.length) text = text.replace(/^\n+/, '');
      if (!text) return;
      out.push({ text: text, bold: span.bold, italic: span.italic, link: span.link });
      atBreak = /[ \n]$/.test(text);
    });
    while (out.length) {
      var last = out[out.length - 1];
      last.text = last.text.replace(/[ \n]+$/, '');
      if (last.text) break;
      out.pop();
    }
    var merged = [];
    out.forEach(function (span) {
      if (!span.text) return;
      var prev = merged[merged.length - 1];
      if (prev && prev.bold === span.bold && prev.italic === span.italic && prev.link === span.link) {
        prev.text += span.text;
      } else {
        merged.push(span);
      }
    });
    return merged.map(function (span) {
      var result = { text: span.text, bold: !!span.bold, italic: !!span.italic };
      if (span.link) result.link = span.link;
      return result;
    });
  }

  function renderSpansInto(spans, target) {
    (spans || []).forEach(function (span) {
      if (!span || typeof span.text !== 'string') return;
      var node = document.createDocumentFragment();
      span.text.split('\n').forEach(function (part, index) {
        if (index > 0) node.append(document.createElement('br'));
        if (part) node.append(document.createTextNode(part));
      });
      if (span.italic) { var i = document.createElement('i'); i.append(node); node = i; }
      if (span.bold) { var b = document.createElement('b'); b.append(node); node = b; }
      if (span.link) { var a = document.createElement('a'); a.setAttribute('href', span.link); a.title = span.link; a.append(node); node = a; }
      target.append(node);
    });
  }

  function spansText(spans) {
    return (spans || []).map(function (s) { return s && s.text ? s.text : ''; }).join('');
  }

  // ---- the block editor ----------------------------------------------------------------------

  var TYPES = ['paragraph', 'heading', 'quote', 'image', 'embed', 'list', 'readAlso'];
  function typeLabel(type) {
    return t('block' + type.charAt(0).toUpperCase() + type.slice(1)) || type;
  }

  var textarea = document.getElementById('body-json');
  var list = null;       // the container of the block cards
  var serialise = function () {};

  function changed() {
    serialise();
    markDirty();
  }

  function placeCaret(node, atEnd) {
    var range = document.createRange();
    range.selectNodeContents(node);
    range.collapse(!atEnd);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  var builders = {
    paragraph: function (body, value, card) {
      var editor = el('div', {
        class: 'ed-rich', contenteditable: 'true', role: 'textbox', 'aria-multiline': 'true',
        'aria-label': typeLabel('paragraph'), 'data-placeholder': t('paragraphHint'), spellcheck: 'true'
      });
      if (value.fragment) editor.append(value.fragment);
      else renderSpansInto(value.spans, editor);
      var saved = null;
      function remember() {
        var selection = window.getSelection();
        if (selection.rangeCount && editor.contains(selection.anchorNode)) saved = selection.getRangeAt(0).cloneRange();
      }
      function restore() {
        editor.focus();
        if (saved && editor.contains(saved.startContainer)) {
          var selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(saved);
        }
      }
      function exec(command) {
        try { document.execCommand('styleWithCSS', false, false); } catch (e) { /* older engines */ }
        document.execCommand(command, false, null);
        changed();
        updateState();
      }
      function currentLink() {
        var selection = window.getSelection();
        if (!selection.rangeCount) return null;
        var node = selection.anchorNode;
        while (node && node !== editor) {
          if (node.nodeName === 'A') return node;
          node = node.parentNode;
        }
        return null;
      }
      function link() {
        restore();
        var existing = currentLink();
        var url = window.prompt(t('linkPrompt'), existing ? existing.getAttribute('href') : 'https://');
        restore();
        if (url === null) return;
        url = url.trim();
        if (!url || url === 'https://') return;
        if (!safeLink(url)) { window.alert(t('linkBad')); restore(); return; }
        var selection = window.getSelection();
        if (existing && selection.isCollapsed) {
          existing.setAttribute('href', url);
          existing.title = url;
        } else if (selection.isCollapsed) {
          var a = el('a', { href: url, title: url, text: url });
          var range = selection.getRangeAt(0);
          range.insertNode(a);
          placeCaret(a, true);
          range = window.getSelection().getRangeAt(0);
          range.setStartAfter(a);
          range.collapse(true);
        } else {
          document.execCommand('createLink', false, url);
          editor.querySelectorAll('a').forEach(function (a) { a.title = a.getAttribute('href'); });
        }
        changed();
        remember();
      }
      function unlink() {
        restore();
        var selection = window.getSelection();
        var range = selection.rangeCount ? selection.getRangeAt(0) : null;
        editor.querySelectorAll('a').forEach(function (a) {
          if (range && (range.intersectsNode(a) || a.contains(range.startContainer))) {
            while (a.firstChild) a.parentNode.insertBefore(a.firstChild, a);
            a.remove();
          }
        });
        editor.normalize();
        changed();
      }
      function tool(text, label, className, action) {
        // Label in name: the accessible name starts with what is shown (Ж / К in Ukrainian, B / I in English).
        var button = el('button', {
          type: 'button', class: 'ed-tool ' + className, title: label, text: text,
          'aria-label': label.indexOf(text) === 0 ? label : text + ' — ' + label
        });
        button.addEventListener('mousedown', function (event) { event.preventDefault(); }); // keep the selection
        button.addEventListener('click', function () { restore(); action(); });
        return button;
      }
      var boldButton = tool(t('boldShort') || 'B', t('bold'), 'ed-tool-b', function () { exec('bold'); });
      var italicButton = tool(t('italicShort') || 'I', t('italic'), 'ed-tool-i', function () { exec('italic'); });
      boldButton.setAttribute('aria-pressed', 'false');
      italicButton.setAttribute('aria-pressed', 'false');
      var toolbar = el('div', { class: 'ed-toolbar', role: 'group', 'aria-label': t('toolbar') }, [
        boldButton, italicButton,
        tool(t('linkShort'), t('link'), 'ed-tool-link', link),
        tool(t('unlink'), t('unlink'), 'ed-tool-unlink', unlink)
      ]);
      function updateState() {
        if (document.activeElement !== editor) return;
        try {
          boldButton.setAttribute('aria-pressed', String(document.queryCommandState('bold')));
          italicButton.setAttribute('aria-pressed', String(document.queryCommandState('italic')));
        } catch (e) { /* not supported */ }
      }
      document.addEventListener('selectionchange', function () {
        if (document.activeElement === editor) { remember(); updateState(); }
      });

      function caretAtStart() {
        var selection = window.getSelection();
        if (!selection.rangeCount || !selection.isCollapsed) return false;
        var range = document.createRange();
        range.selectNodeContents(editor);
        range.setEnd(selection.anchorNode, selection.anchorOffset);
        return range.toString() === '' && !range.cloneContents().querySelector('br');
      }

      // Enter: the text after the caret becomes a new paragraph (at the end: an empty one).
      function split() {
        var selection = window.getSelection();
        if (!selection.rangeCount) return null;
        var range = selection.getRangeAt(0);
        if (!range.collapsed) range.deleteContents();
        var tail = document.createRange();
        tail.setStart(range.startContainer, range.startOffset);
        tail.setEnd(editor, editor.childNodes.length);
        var fragment = tail.extractContents();
        if (!fragment.textContent.trim() && !fragment.querySelector('br')) fragment = document.createDocumentFragment();
        if (editor.lastChild && editor.lastChild.nodeName === 'BR' && editor.childNodes.length === 1) editor.lastChild.remove();
        var next = insertBlock('paragraph', card, { fragment: fragment });
        next.edImpl.focus(false);
        return next;
      }

      // Backspace at the very start: join with the paragraph before, or drop an empty paragraph.
      function joinPrevious() {
        var previous = card.previousElementSibling;
        if (!previous) return false;
        if (previous.edType === 'paragraph') {
          var target = previous.edImpl.editor;
          while (target.lastChild && target.lastChild.nodeName === 'BR') target.lastChild.remove();
          var at = target.childNodes.length;
          while (editor.firstChild) target.append(editor.firstChild);
          removeCard(card, true);
          target.focus();
          var range = document.createRange();
          range.setStart(target, at);
          range.collapse(true);
          var selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          changed();
          return true;
        }
        if (!editor.textContent.trim()) {
          removeCard(card, true);
          previous.edImpl.focus(true);
          changed();
          return true;
        }
        return false;
      }

      editor.addEventListener('keydown', function (event) {
        var mod = (event.ctrlKey || event.metaKey) && !event.altKey;
        // event.code, so the shortcuts work with the Ukrainian layout too.
        if (mod && event.code === 'KeyB') { event.preventDefault(); exec('bold'); }
        else if (mod && event.code === 'KeyI') { event.preventDefault(); exec('italic'); }
        else if (mod && event.code === 'KeyK') { event.preventDefault(); remember(); link(); }
        else if (event.key === 'Enter' && !event.shiftKey && !mod && !event.isComposing) { event.preventDefault(); split(); changed(); }
        else if (event.key === 'Backspace' && !mod && caretAtStart()) { if (joinPrevious()) event.preventDefault(); }
      });

      // Paste as plain text; several lines become several paragraphs.
      editor.addEventListener('paste', function (event) {
        var data = event.clipboardData || window.clipboardData;
        if (!data) return;
        event.preventDefault();
        var text = data.getData('text/plain') || data.getData('Text') || '';
        var lines = text.replace(/\r\n?/g, '\n').split('\n').map(function (line) {
          return line.replace(/[\s\u00a0]+/g, ' ');
        }).filter(function (line) { return line.trim(); });
        if (!lines.length) return;
        // Spaces at the edges survive only where the text joins what is already there.
        lines = lines.map(function (line, index) {
          if (index > 0) line = line.replace(/^ /, '');
          if (index < lines.length - 1) line = line.replace(/ $/, '');
          return line;
        });
        document.execCommand('insertText', false, lines[0]);
        if (lines.length > 1) {
          var tailCard = split();
          var after = card;
          lines.slice(1, -1).forEach(function (line) {
            after = insertBlock('paragraph', after, { spans: [{ text: line, bold: false, italic: false }] });
          });
          if (tailCard !== after.nextElementSibling) list.insertBefore(tailCard, after.nextElementSibling);
          var tailEditor = tailCard.edImpl.editor;
          var last = document.createTextNode(lines[lines.length - 1]);
          tailEditor.insertBefore(last, tailEditor.firstChild);
          tailEditor.focus();
          var range = document.createRange();
          range.setStart(last, last.length);
          range.collapse(true);
          var selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          renumber();
        }
        changed();
      });

      body.append(toolbar, editor);
      return {
        editor: editor,
        get: function () {
          var spans = domToSpans(editor);
          return spans.length ? { paragraph: { spans: spans } } : null;
        },
        isEmpty: function () { return !editor.textContent.trim(); },
        focus: function (atEnd) { editor.focus(); placeCaret(editor, atEnd !== false); }
      };
    },

    heading: function (body, value, card) {
      var input = el('input', { type: 'text', class: 'ed-heading-input', value: value.text || '' });
      input.addEventListener('keydown', function (event) {
        if (event.key === 'Enter') {
          event.preventDefault();
          insertBlock('paragraph', card).edImpl.focus();
        }
      });
      body.append(field(t('headingText'), input));
      return {
        get: function () {
          var text = input.value.trim();
          return text ? { heading: { text: text } } : null;
        },
        isEmpty: function () { return !input.value.trim(); },
        focus: function () { input.focus(); }
      };
    },

    quote: function (body, value) {
      var text = el('textarea', { rows: 3 });
      text.value = value.text || '';
      var attribution = el('input', { type: 'text', value: value.attribution || '' });
      noEnterSubmit(attribution);
      body.append(field(t('quoteText'), text), field(t('quoteAttribution'), attribution));
      return {
        get: function () {
          var q = text.value.trim();
          var who = attribution.value.trim();
          if (!q && !who) return null;
          var result = { text: q };
          if (who) result.attribution = who;
          return { quote: result };
        },
        isEmpty: function () { return !text.value.trim() && !attribution.value.trim(); },
        focus: function () { text.focus(); }
      };
    },

    image: function (body, value, card) {
      var mediaID = value.mediaID !== undefined && value.mediaID !== null ? String(value.mediaID) : '';
      var thumb = el('div', { class: 'ed-img-thumb', 'aria-live': 'polite' });
      var pickButton = el('button', { type: 'button', class: 'ed-btn' });
      var caption = el('input', { type: 'text', value: value.caption || '' });
      var credit = el('input', { type: 'text', value: value.credit || '' });
      noEnterSubmit(caption);
      noEnterSubmit(credit);
      function show() {
        thumb.textContent = '';
        pickButton.textContent = mediaID ? t('imageChange') : t('pickPhoto');
        if (!mediaID) {
          thumb.append(el('p', { class: 'ed-muted', text: t('imageNone') }));
          return;
        }
        var m = mediaCache[mediaID];
        if (m) {
          thumb.append(el('img', { src: m.src, alt: m.alt || '', width: m.width, height: m.height }));
          var line = [m.caption, m.credit].filter(Boolean).join(' · ');
          if (line) thumb.append(el('p', { class: 'ed-muted', text: line }));
          caption.placeholder = m.caption || '';
          credit.placeholder = m.credit || '';
        } else {
          thumb.append(el('p', { class: 'ed-muted', text: t('photoId') + mediaID }));
        }
      }
      card.edRefresh = show;
      pickButton.addEventListener('click', function () {
        if (!media) return;
        media.open(function (m) {
          mediaID = String(m.id);
          show();
          changed();
        });
      });
      show();
      body.append(el('div', { class: 'ed-img' }, [thumb, el('p', null, [pickButton])]),
        field(t('imageCaption'), caption), field(t('imageCredit'), credit));
      return {
        get: function () {
          if (!mediaID) return null;
          var result = { mediaID: Number(mediaID) };
          if (caption.value.trim()) result.caption = caption.value.trim();
          if (credit.value.trim()) result.credit = credit.value.trim();
          return { image: result };
        },
        isEmpty: function () { return !mediaID && !caption.value.trim() && !credit.value.trim(); },
        focus: function () { pickButton.focus(); },
        pick: function () { pickButton.click(); },
        needsMedia: function () { return mediaID && !mediaCache[mediaID]; }
      };
    },

    embed: function (body, value) {
      var input = el('input', { type: 'url', inputmode: 'url', placeholder: 'https://', value: value.url || '', spellcheck: 'false' });
      noEnterSubmit(input);
      body.append(field(t('embedUrl'), input, t('embedHelp')));
      return {
        get: function () {
          var url = input.value.trim();
          return url ? { embed: { url: url } } : null;
        },
        isEmpty: function () { return !input.value.trim(); },
        focus: function () { input.focus(); }
      };
    },

    list: function (body, value) {
      var ordered = el('input', { type: 'checkbox' });
      ordered.checked = !!value.ordered;
      var items = Array.isArray(value.items) ? value.items : [];
      // Items with marks keep them as long as their text is not changed here.
      var original = {};
      items.forEach(function (spans) {
        var text = spansText(spans).replace(/\s+/g, ' ').trim();
        if (text) original[text] = spans;
      });
      var area = el('textarea', { rows: Math.max(3, items.length + 1) });
      area.value = items.map(function (spans) { return spansText(spans).replace(/\s+/g, ' ').trim(); }).join('\n');
      body.append(
        el('label', { class: 'ed-check' }, [ordered, ' ' + t('listOrdered')]),
        field(t('listItems'), area)
      );
      return {
        get: function () {
          var lines = area.value.split('\n').map(function (line) { return line.replace(/\s+/g, ' ').trim(); }).filter(Boolean);
          if (!lines.length) return null;
          return {
            list: {
              ordered: ordered.checked,
              items: lines.map(function (line) {
                if (original[line]) {
                  return original[line].map(function (s) {
                    var span = { text: s.text, bold: !!s.bold, italic: !!s.italic };
                    if (s.link) span.link = s.link;
                    return span;
                  });
                }
                return [{ text: line, bold: false, italic: false }];
              })
            }
          };
        },
        isEmpty: function () { return !area.value.trim(); },
        focus: function () { area.focus(); }
      };
    },

    readAlso: function (body, value) {
      var articleID = value.articleID !== undefined && value.articleID !== null ? String(value.articleID) : '';
      var chosen = el('p', { class: 'ed-ra-chosen', 'aria-live': 'polite' });
      var search = el('input', { type: 'search', autocomplete: 'off', 'data-nodirty': '' });
      var status = el('p', { class: 'ed-muted ed-ra-status', role: 'status' });
      var results = el('ul', { class: 'ed-ra-results' });
      var timer = null;
      var sequence = 0;
      function show() {
        chosen.textContent = '';
        if (!articleID) { chosen.textContent = t('readalsoNone'); return; }
        var a = articleCache[articleID];
        chosen.append(t('readalsoChosen') + ' ', el('strong', { text: a && a.title ? a.title : t('readalsoId') + articleID }));
        if (a && a.status) chosen.append(' ', el('span', { class: 'nr-status nr-' + a.status, text: statusLabel(a.status) }));
      }
      function lookup() {
        var q = search.value.trim();
        results.textContent = '';
        if (q.length < 2 || !cfg.articleLookup) { status.textContent = ''; return; }
        var mine = ++sequence;
        status.textContent = t('searching');
        getJSON(withQuery(cfg.articleLookup, { q: q })).then(function (reply) {
          if (mine !== sequence) return;
          if (!reply.ok || !Array.isArray(reply.data)) throw new Error('lookup');
          status.textContent = reply.data.length ? '' : t('readalsoEmpty');
          reply.data.forEach(function (a) {
            var button = el('button', { type: 'button', class: 'ed-ra-item' }, [
              el('span', { text: a.title }), ' ', el('span', { class: 'nr-status nr-' + a.status, text: statusLabel(a.status) })
            ]);
            button.addEventListener('click', function () {
              articleCache[String(a.id)] = a;
              articleID = String(a.id);
              results.textContent = '';
              search.value = '';
              status.textContent = '';
              show();
              changed();
              search.focus();
            });
            results.append(el('li', null, [button]));
          });
        }).catch(function () {
          if (mine === sequence) status.textContent = t('readalsoError');
        });
      }
      search.addEventListener('input', function () {
        clearTimeout(timer);
        timer = setTimeout(lookup, 300);
      });
      search.addEventListener('keydown', function (event) {
        if (event.key === 'Enter') { event.preventDefault(); clearTimeout(timer); lookup(); }
      });
      show();
      body.append(chosen, field(t('readalsoSearch'), search), status, results);
      return {
        get: function () { return articleID ? { readAlso: { articleID: Number(articleID) } } : null; },
        isEmpty: function () { return !articleID; },
        focus: function () { search.focus(); }
      };
    },

    // Imported markup with no block of its own (a table…): shown flagged, so an editor checks it and rewrites
    // it as blocks or keeps it. The server keeps only safe markup in it.
    raw: function (body, value) {
      var area = el('textarea', { rows: 6, spellcheck: 'false', class: 'ed-raw-html' });
      area.value = typeof value.html === 'string' ? value.html : '';
      body.append(el('p', { class: 'ed-raw-flag', role: 'note', text: t('rawFlag') }), field(t('rawHTML'), area, t('rawHelp')));
      return {
        get: function () {
          var html = area.value.trim();
          return html ? { raw: { html: html } } : null;
        },
        isEmpty: function () { return !area.value.trim(); },
        focus: function () { area.focus(); }
      };
    },

    unknown: function (body, value) {
      body.append(el('pre', { class: 'ed-unknown', text: JSON.stringify(value.raw, null, 2) }));
      return {
        get: function () { return value.raw; },
        isEmpty: function () { return false; },
        focus: function () { body.closest('.ed-blk').querySelector('button').focus(); }
      };
    }
  };

  // In block inputs Enter would submit (save) the whole form; there it does nothing.
  function noEnterSubmit(input) {
    input.addEventListener('keydown', function (event) {
      if (event.key === 'Enter') event.preventDefault();
    });
  }

  function makeCard(type, value) {
    var card = el('div', { class: 'ed-blk ed-blk-' + type, role: 'group', 'data-type': type });
    card.edType = type;
    var label = el('span', { class: 'ed-blk-type', text: type === 'unknown' ? t('blockUnknown') : typeLabel(type) });
    function iconButton(text, labelText, className, action) {
      var button = el('button', { type: 'button', class: 'ed-icon ' + className, 'aria-label': labelText, title: labelText, text: text });
      button.addEventListener('click', function () { action(button); });
      return button;
    }
    var up = iconButton('↑', t('moveUp'), 'ed-up', function (button) { moveCard(card, -1, button); });
    var down = iconButton('↓', t('moveDown'), 'ed-down', function (button) { moveCard(card, 1, button); });
    var remove = iconButton('✕', t('delete'), 'ed-del', function () { deleteCard(card); });
    var body = el('div', { class: 'ed-blk-body' });
    card.append(el('div', { class: 'ed-blk-head' }, [label, el('span', { class: 'ed-blk-tools' }, [up, down, remove])]), body, addMenu(card));
    card.edImpl = builders[type](body, value || {}, card);
    return card;
  }

  function addButtons(onChoose) {
    return TYPES.map(function (type) {
      var button = el('button', { type: 'button', class: 'ed-btn ed-add-type', 'data-add': type, text: '+ ' + typeLabel(type) });
      button.addEventListener('click', function () { onChoose(type); });
      return button;
    });
  }

  // "Add a block here" under each block: a disclosure with one button per type.
  function addMenu(card) {
    var menuID = newID('add');
    var toggle = el('button', { type: 'button', class: 'ed-add-toggle', 'aria-expanded': 'false', 'aria-controls': menuID, text: '+ ' + t('addHere') });
    var menu = el('div', { class: 'ed-add-menu', id: menuID, role: 'group', 'aria-label': t('addHere'), hidden: true },
      addButtons(function (type) {
        setOpen(false);
        added(insertBlock(type, card));
      }));
    function setOpen(open) {
      toggle.setAttribute('aria-expanded', String(open));
      menu.hidden = !open;
    }
    toggle.addEventListener('click', function () {
      var open = toggle.getAttribute('aria-expanded') !== 'true';
      setOpen(open);
      if (open) menu.querySelector('button').focus();
    });
    menu.addEventListener('keydown', function (event) {
      if (event.key === 'Escape') { event.preventDefault(); setOpen(false); toggle.focus(); }
    });
    return el('div', { class: 'ed-add' }, [toggle, menu]);
  }

  // A block added from the menus: focus it; a photo block opens the library at once.
  function added(card) {
    card.edImpl.focus();
    if (card.edImpl.pick) card.edImpl.pick();
  }

  function renumber() {
    if (!list) return;
    var cards = list.children;
    Array.prototype.forEach.call(cards, function (card, index) {
      var name = card.edType === 'unknown' ? t('blockUnknown') : typeLabel(card.edType);
      card.setAttribute('aria-label', t('blockNumber') + ' ' + (index + 1) + ': ' + name);
      card.querySelector('.ed-up').setAttribute('aria-disabled', String(index === 0));
      card.querySelector('.ed-down').setAttribute('aria-disabled', String(index === cards.length - 1));
    });
  }

  function insertBlock(type, afterCard, value) {
    var card = makeCard(type, value);
    list.insertBefore(card, afterCard ? afterCard.nextElementSibling : null);
    renumber();
    changed();
    return card;
  }

  function moveCard(card, direction, button) {
    var sibling = direction < 0 ? card.previousElementSibling : card.nextElementSibling;
    if (!sibling) return;
    if (direction < 0) list.insertBefore(card, sibling);
    else list.insertBefore(sibling, card);
    button.focus();
    renumber();
    changed();
    say(t('moved') + ' ' + (Array.prototype.indexOf.call(list.children, card) + 1));
  }

  function removeCard(card, quiet) {
    card.remove();
    renumber();
    if (!quiet) changed();
  }

  function deleteCard(card) {
    if (!card.edImpl.isEmpty() && !window.confirm(t('deleteConfirm'))) return;
    var next = card.nextElementSibling || card.previousElementSibling;
    removeCard(card);
    say(t('deleted'));
    if (next) next.querySelector('.ed-del').focus();
    else document.querySelector('.ed-add-end button').focus();
  }

  (function initBlocks() {
    if (!textarea) return;
    var blocks;
    try {
      blocks = JSON.parse(textarea.value.trim() || '[]');
      if (!Array.isArray(blocks)) throw new Error('not a list');
    } catch (e) {
      textarea.parentNode.insertBefore(el('p', { class: 'ed-warn', role: 'alert', text: t('bodyBadJson') }), textarea);
      return;
    }
    list = el('div', { class: 'ed-blocklist' });
    var end = el('div', { class: 'ed-add-end', role: 'group', 'aria-label': t('addBlock') },
      [el('span', { class: 'ed-add-label', text: t('addBlock') })].concat(addButtons(function (type) {
        added(insertBlock(type, list.lastElementChild));
      })));
    var describedBy = textarea.getAttribute('aria-describedby');
    var root = el('div', { class: 'ed-blocks', role: 'group', 'aria-labelledby': 'body-label', 'aria-describedby': describedBy }, [list, end]);
    blocks.forEach(function (block) {
      var keys = block && typeof block === 'object' ? Object.keys(block) : [];
      var type = keys.length === 1 ? keys[0] : '';
      if ((TYPES.indexOf(type) >= 0 || type === 'raw') && block[type] && typeof block[type] === 'object') list.append(makeCard(type, block[type]));
      else list.append(makeCard('unknown', { raw: block }));
    });
    if (!list.children.length) list.append(makeCard('paragraph', {}));
    renumber();
    serialise = function () {
      var out = [];
      Array.prototype.forEach.call(list.children, function (card) {
        var value = card.edImpl.get();
        if (value) out.push(value);
      });
      textarea.value = JSON.stringify(out);
    };
    textarea.hidden = true;
    textarea.parentNode.insertBefore(root, textarea.nextSibling);
    var label = document.getElementById('body-label');
    if (label) label.addEventListener('click', function () {
      var first = list.firstElementChild;
      if (first) first.edImpl.focus(false);
    });
    // Photos of image blocks that the page did not describe: look them up in the library.
    var missing = Array.prototype.some.call(list.children, function (card) {
      return card.edImpl.needsMedia && card.edImpl.needsMedia();
    });
    if (missing && media) {
      media.load().then(function () {
        Array.prototype.forEach.call(list.children, function (card) { if (card.edRefresh) card.edRefresh(); });
      }).catch(function () { /* the cards say "photo #id" */ });
    }
  })();

  // ---- suggestions for comma-separated fields ------------------------------------------------

  // A datalist offers whole values, so each option is "what is typed before the last comma" plus a name.
  function commaSuggest(input, datalist, names) {
    function refresh() {
      var value = input.value;
      var cut = value.lastIndexOf(',');
      var prefix = cut >= 0 ? value.slice(0, cut + 1).replace(/\s*$/, ' ') : '';
      var part = value.slice(cut + 1).trim().toLowerCase();
      var used = value.slice(0, cut + 1).split(',').map(function (s) { return s.trim().toLowerCase(); });
      datalist.textContent = '';
      names().filter(function (name) {
        var lower = name.toLowerCase();
        return used.indexOf(lower) < 0 && (!part || lower.indexOf(part) >= 0);
      }).slice(0, 30).forEach(function (name) {
        datalist.append(el('option', { value: prefix + name }));
      });
    }
    input.addEventListener('input', refresh);
    input.addEventListener('focus', refresh);
    return refresh;
  }

  (function () {
    var tags = document.getElementById('f-tags');
    var tagList = document.getElementById('tag-options');
    if (tags && tagList) {
      var tagNames = Array.prototype.map.call(tagList.options, function (o) { return o.value; });
      commaSuggest(tags, tagList, function () { return tagNames; });
    }
    var bylines = document.getElementById('f-bylines');
    var authorList = document.getElementById('author-options');
    if (bylines && authorList && cfg.authorList) {
      var authorNames = [];
      var refresh = commaSuggest(bylines, authorList, function () { return authorNames; });
      var requested = false;
      var load = function () {
        if (requested) return;
        requested = true;
        getJSON(cfg.authorList).then(function (reply) {
          if (!reply.ok || !Array.isArray(reply.data)) throw new Error('authors');
          authorNames = reply.data.map(function (a) { return a && a.name; }).filter(Boolean);
          if (document.activeElement === bylines) refresh();
        }).catch(function () { requested = false; });
      };
      bylines.addEventListener('focus', load);
      if (document.activeElement === bylines) load();
    }
  })();

  // ---- dirty state, saving, Ctrl+S -----------------------------------------------------------

  function trackChanges(event) {
    var target = event.target;
    if (target && target.hasAttribute && target.hasAttribute('data-nodirty')) return;
    if (textarea && target !== textarea && list && list.contains(target)) serialise();
    markDirty();
  }
  form.addEventListener('input', trackChanges);
  form.addEventListener('change', trackChanges);

  form.addEventListener('submit', function (event) {
    if (state.lockLost) { event.preventDefault(); return; }
    serialise();
    state.submitting = true;
  });

  function save() {
    if (state.lockLost || !saveButton || saveButton.disabled) return;
    serialise();
    if (typeof form.requestSubmit === 'function') form.requestSubmit(saveButton);
    else saveButton.click();
  }

  document.addEventListener('keydown', function (event) {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && (event.code === 'KeyS' || event.key === 's' || event.key === 'S')) {
      var dialog = document.getElementById('media-dialog');
      if (dialog && dialog.open) return;
      event.preventDefault();
      save();
    }
  });

  // Leaving for the revisions page or the autosaved version: those pages go on using this lock.
  document.querySelectorAll('a[data-keep-lock]').forEach(function (a) {
    a.addEventListener('click', function () { state.keepLock = true; });
  });

  // ---- status changes ------------------------------------------------------------------------

  if (movesForm) {
    var publishAt = document.getElementById('f-publish_at');
    var scheduleButton = movesForm.querySelector('button[name=to][value=scheduled]');
    if (publishAt && scheduleButton) {
      // The date belongs next to "schedule"; it is needed only for that step.
      var wrap = publishAt.closest('.ed-publish-at');
      if (wrap) scheduleButton.insertAdjacentElement('afterend', wrap);
      publishAt.required = true;
      movesForm.querySelectorAll('button[name=to]').forEach(function (button) {
        if (button !== scheduleButton) button.formNoValidate = true;
      });
    }
    movesForm.addEventListener('submit', function (event) {
      if (state.lockLost) { event.preventDefault(); return; }
      if (state.dirty && !window.confirm(t('movesUnsaved'))) { event.preventDefault(); return; }
      state.submitting = true;
    });
  }

  // ---- autosave ------------------------------------------------------------------------------

  function autosave() {
    if (!cfg.autosave || state.autosaving) return;
    serialise();
    state.pending = false;
    state.autosaving = true;
    postForm(cfg.autosave, new URLSearchParams(new FormData(form))).then(function (reply) {
      if (reply.ok && reply.data && reply.data.ok) {
        if (!state.lockLost) say(t('autosaved') + ' ' + (reply.data.at || ''), 'ok');
      } else {
        state.pending = true;
        say((reply.data && reply.data.error ? reply.data.error + ' ' : '') + t('autosaveFailed'), 'warning');
      }
    }).catch(function () {
      state.pending = true;
      say(t('autosaveFailed'), 'warning');
    }).then(function () {
      state.autosaving = false;
    });
  }

  if (cfg.autosave) {
    setInterval(function () {
      if (state.pending && !state.submitting) autosave();
    }, 5000);
  }

  // ---- edit lock -----------------------------------------------------------------------------

  var heartbeatTimer = null;
  var heartbeatFailures = 0;

  function lockLost(info) {
    if (state.lockLost) return;
    state.lockLost = true;
    if (heartbeatTimer) clearInterval(heartbeatTimer);
    heartbeatTimer = null;
    var text = (info && info.message) ||
      (t('lockLostFallback') + ' ' + ((info && info.by) || '—') + (info && info.at ? ' (' + info.at + ')' : '') + '.');
    var banner = el('div', { id: 'lock-lost', class: 'ed-lock-lost', role: 'alert', tabindex: '-1' }, [
      el('h2', { text: t('lockLostHeading') }),
      el('p', { text: text }),
      el('p', { text: t('lockLostKeep') })
    ]);
    var page = document.getElementById('ed-page') || form.parentNode;
    var top = page.querySelector('.ed-top');
    page.insertBefore(banner, top ? top.nextSibling : page.firstChild);
    if (saveButton) saveButton.disabled = true;
    if (movesForm) movesForm.querySelectorAll('button').forEach(function (button) { button.disabled = true; });
    // Keep what was typed: one more autosave (the server keeps it per person).
    if (state.dirty) {
      state.pending = true;
      if (!state.autosaving) autosave();
    }
  }

  function heartbeat() {
    if (state.lockLost || state.submitting) return;
    postForm(cfg.heartbeat, new URLSearchParams({ _csrf: csrf, lock: lockToken })).then(function (reply) {
      var data = reply.data || {};
      if (data.state === 'lost') { lockLost(data); return; }
      if (!reply.ok || data.state !== 'held') throw new Error('heartbeat');
      if (heartbeatFailures > 0 && statusEl && statusEl.classList.contains('ed-status-heartbeat')) say('');
      heartbeatFailures = 0;
    }).catch(function () {
      heartbeatFailures += 1;
      if (heartbeatFailures >= 2) say(t('heartbeatFailed'), 'warning ed-status-heartbeat');
    });
  }

  // The lock is taken with a POST (a page load never takes it): then every form of the page carries it.
  function useLock(token) {
    lockToken = token;
    document.querySelectorAll('input[name="lock"]').forEach(function (input) { input.value = token; });
    document.querySelectorAll('a[data-lock-link]').forEach(function (link) {
      link.href = link.href.split('?')[0] + '?lock=' + encodeURIComponent(token);
    });
    if (cfg.heartbeat && !heartbeatTimer) heartbeatTimer = setInterval(heartbeat, 15000);
  }

  if (lockToken) {
    useLock(lockToken);
  } else if (cfg.lock) {
    postForm(cfg.lock, new URLSearchParams({ _csrf: csrf })).then(function (reply) {
      var data = reply.data || {};
      if (data.state === 'held' && data.token) useLock(data.token);
      // Someone took it between the page and this request: the page shows who, with "take over".
      else if (data.state === 'heldByOther') window.location.reload();
    }).catch(function () {
      say(t('heartbeatFailed'), 'warning ed-status-heartbeat');
    });
  }

  // ---- leaving the page ----------------------------------------------------------------------

  window.addEventListener('beforeunload', function (event) {
    if (state.dirty && !state.submitting) {
      event.preventDefault();
      event.returnValue = '';
      return '';
    }
  });

  window.addEventListener('pagehide', function () {
    if (!cfg.unlock || !lockToken || state.submitting || state.lockLost || state.keepLock || state.unlocked) return;
    if (!navigator.sendBeacon) return;
    // URL-encoded (not multipart): the server's form reader and CSRF check read that; a beacon cannot set headers.
    var body = new URLSearchParams({ _csrf: csrf, lock: lockToken });
    state.unlocked = navigator.sendBeacon(cfg.unlock, body);
  });

  window.addEventListener('pageshow', function (event) {
    // Back from the history cache after the lock was released: load afresh to take it again.
    if (event.persisted && state.unlocked) window.location.reload();
  });

  // ---- first focus ---------------------------------------------------------------------------

  (function () {
    var errors = document.getElementById('ed-errors');
    var notice = document.getElementById('ed-notice');
    if (errors) errors.focus();
    else if (notice && notice.getAttribute('data-kind') !== 'ok') notice.focus();
    else if (form.elements.title && !form.elements.title.value) form.elements.title.focus();
  })();
})();
