// One photo upload form, as the editor's media dialog and the media library page both use it: a file chosen with
// the picker or dropped on `parts.dropTarget`, checked here for type and size (the server checks again, by content),
// sent as the request body with its alt text, caption and credit in the query and the CSRF token in a header.
// Exposes window.ShpaltaUploader(parts); `parts.onUploaded(photo)` gets the server's JSON for the new photo. Loaded
// before editor.js, which uses its link check (window.ShpaltaUploader.safeLink).
(function () {
  var allowed = ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif'];

  function safeLink(url) {
    if (!url || /\s/.test(url)) return false;
    var lower = url.toLowerCase();
    if (/^https?:\/\/[^/?#]+/.test(lower)) return true;
    if (/^mailto:.+/.test(lower)) return true;
    return lower.charAt(0) === '/' && lower.charAt(1) !== '/';
  }

  function hasFiles(event) {
    var types = event.dataTransfer && event.dataTransfer.types;
    return !!types && Array.prototype.indexOf.call(types, 'Files') >= 0;
  }

  window.ShpaltaUploader = function (parts) {
    var t = parts.text;
    var file = null;

    function message(text, kind) {
      parts.message.textContent = text;
      parts.message.className = parts.messageClass + (kind ? ' ' + parts.messageClass + '-' + kind : '');
    }

    function setFile(candidate) {
      file = null;
      parts.chosen.textContent = '';
      if (!candidate) return;
      if (allowed.indexOf(candidate.type) < 0) {
        message(t('mediaBadType'), 'error');
        parts.file.value = '';
        return;
      }
      if (parts.uploadMB && candidate.size > parts.uploadMB * 1048576) {
        message(t('mediaTooBig') + ' ' + parts.uploadMB + ' ' + t('megabytes') + '.', 'error');
        parts.file.value = '';
        return;
      }
      file = candidate;
      parts.chosen.textContent = t('mediaChosenFile') + ' ' + candidate.name;
      message('');
    }

    parts.file.addEventListener('change', function () { setFile(parts.file.files && parts.file.files[0]); });

    var target = parts.dropTarget;
    target.addEventListener('dragover', function (event) {
      if (!hasFiles(event)) return;
      event.preventDefault();
      target.classList.add('md-over');
    });
    target.addEventListener('dragleave', function (event) {
      if (event.target === target) target.classList.remove('md-over');
    });
    target.addEventListener('drop', function (event) {
      if (!hasFiles(event)) return;
      event.preventDefault();
      event.stopPropagation();
      target.classList.remove('md-over');
      if (parts.onDrop) parts.onDrop();
      setFile(event.dataTransfer.files[0]);
      if (file && !parts.alt.value.trim()) parts.alt.focus();
    });

    parts.form.addEventListener('submit', function (event) {
      event.preventDefault();
      var alt = parts.alt.value.trim(), credit = parts.credit.value.trim(), link = parts.creditURL.value.trim();
      if (!file || !alt || !credit) {
        message(t('mediaNeedFields'), 'error');
        (!file ? parts.file : !alt ? parts.alt : parts.credit).focus();
        return;
      }
      if (link && !safeLink(link)) {
        message(t('linkBad'), 'error');
        parts.creditURL.focus();
        return;
      }
      var query = new URLSearchParams({ alt: alt, caption: parts.caption.value.trim(), credit: credit, credit_url: link });
      parts.button.disabled = true;
      message(t('mediaUploading'));
      fetch(parts.url + (parts.url.indexOf('?') >= 0 ? '&' : '?') + query.toString(), {
        method: 'POST', credentials: 'same-origin', body: file,
        headers: { 'Content-Type': file.type, 'X-CSRF-Token': parts.csrf, Accept: 'application/json' }
      }).then(function (response) {
        return response.text().then(function (text) {
          var data = null;
          try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
          return { ok: response.ok, data: data };
        });
      }).then(function (reply) {
        if (!reply.ok || !reply.data || reply.data.error || reply.data.id === undefined) {
          message((reply.data && reply.data.error) || t('mediaUploadFailed'), 'error');
          return;
        }
        parts.form.reset();
        setFile(null);
        message('');
        parts.onUploaded(reply.data);
      }).catch(function () {
        message(t('mediaUploadFailed'), 'error');
      }).then(function () {
        parts.button.disabled = false;
      });
    });

    return { message: message };
  };
  // The one check of a link typed in the newsroom (the editor's rich text uses it too); the server checks again.
  window.ShpaltaUploader.safeLink = safeLink;
})();
