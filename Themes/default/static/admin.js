// Newsroom list: j/k (or arrow keys) move between rows, Enter opens the row's link.
(function () {
  var table = document.querySelector('[data-keyboard-list]');
  if (!table) return;
  var rows = Array.prototype.slice.call(table.querySelectorAll('tbody tr'));
  var index = -1;
  function select(i) {
    if (!rows.length) return;
    index = Math.max(0, Math.min(rows.length - 1, i));
    rows.forEach(function (row, n) { row.classList.toggle('nr-current', n === index); });
    rows[index].focus();
  }
  document.addEventListener('keydown', function (event) {
    var tag = (event.target.tagName || '').toLowerCase();
    if (tag === 'input' || tag === 'select' || tag === 'textarea' || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === 'j' || event.key === 'ArrowDown') { select(index + 1); event.preventDefault(); }
    else if (event.key === 'k' || event.key === 'ArrowUp') { select(index - 1); event.preventDefault(); }
    else if (event.key === 'Enter' && index >= 0) {
      var link = rows[index].querySelector('a');
      if (link) { link.click(); event.preventDefault(); }
    }
  });
})();

// Media library: a click on the photo sets its focal point (the two percentage fields), and the crop previews show
// how the photo will be cut around it before it is saved.
(function () {
  var picker = document.querySelector('[data-focus-picker]');
  var fieldX = document.getElementById('focal_x');
  var fieldY = document.getElementById('focal_y');
  if (!picker || !fieldX || !fieldY) return;
  var image = picker.querySelector('img');
  var marker = document.getElementById('ml-marker');
  var crops = Array.prototype.slice.call(document.querySelectorAll('.ml-crop'));
  var editable = !fieldX.disabled && !(fieldX.closest('fieldset[disabled]'));
  var initial = fieldX.value + ' ' + fieldY.value;

  function read(field) {
    var value = parseFloat(String(field.value).replace(',', '.'));
    return isFinite(value) ? Math.min(100, Math.max(0, value)) / 100 : null;
  }

  // The crop centred on the point, kept inside the photo, as libvips cuts it.
  function preview(crop, fx, fy) {
    var box = { w: crop.clientWidth, h: crop.clientHeight };
    var natural = { w: image.naturalWidth, h: image.naturalHeight };
    if (!box.w || !box.h || !natural.w || !natural.h) return;
    var scale = Math.max(box.w / natural.w, box.h / natural.h);
    var w = natural.w * scale, h = natural.h * scale;
    var left = Math.min(0, Math.max(box.w - w, box.w / 2 - w * fx));
    var top = Math.min(0, Math.max(box.h - h, box.h / 2 - h * fy));
    if (crop.getAttribute('src') !== (image.currentSrc || image.src)) crop.src = image.currentSrc || image.src;
    crop.style.objectPosition = left.toFixed(1) + 'px ' + top.toFixed(1) + 'px';
  }

  function show() {
    var fx = read(fieldX), fy = read(fieldY);
    if (fx === null || fy === null) { marker.hidden = true; return; }
    marker.hidden = false;
    marker.style.left = (fx * 100).toFixed(1) + '%';
    marker.style.top = (fy * 100).toFixed(1) + '%';
    if (fieldX.value + ' ' + fieldY.value !== initial) crops.forEach(function (crop) { preview(crop, fx, fy); });
  }

  if (editable) {
    picker.addEventListener('click', function (event) {
      var rect = image.getBoundingClientRect();
      if (!rect.width || !rect.height) return;
      var fx = Math.min(1, Math.max(0, (event.clientX - rect.left) / rect.width));
      var fy = Math.min(1, Math.max(0, (event.clientY - rect.top) / rect.height));
      fieldX.value = String(Math.round(fx * 1000) / 10);
      fieldY.value = String(Math.round(fy * 1000) / 10);
      show();
    });
  }
  fieldX.addEventListener('input', show);
  fieldY.addEventListener('input', show);
  show();
})();

// Media library: the upload form, shown where JavaScript can send a photo's bytes; a new photo opens its own page
// (for its focal point and where it is used).
document.addEventListener('DOMContentLoaded', function () {
  var box = document.getElementById('ml-upload-box');
  var form = document.getElementById('ml-upload');
  if (!box || !form || !window.ShpaltaUploader || !window.fetch) return;
  var texts = form.dataset;
  window.ShpaltaUploader({
    form: form, file: document.getElementById('ml-file'), chosen: document.getElementById('ml-chosen'),
    message: document.getElementById('ml-msg'), messageClass: 'md-msg', alt: document.getElementById('ml-alt'),
    caption: document.getElementById('ml-caption'), credit: document.getElementById('ml-credit'),
    creditURL: document.getElementById('ml-credit-url'), button: document.getElementById('ml-upload-button'),
    dropTarget: box, url: texts.url, csrf: texts.csrf, uploadMB: Number(texts.uploadMb) || 0,
    text: function (key) { return texts[key] || ''; },
    onDrop: function () { box.open = true; },
    onUploaded: function (photo) { window.location.assign(texts.photo + photo.id + '?notice=media_uploaded'); }
  });
  box.hidden = false;
  // A file dropped beside the form would make the browser open it and leave the page.
  ['dragover', 'drop'].forEach(function (type) {
    window.addEventListener(type, function (event) {
      var types = event.dataTransfer && event.dataTransfer.types;
      if (types && Array.prototype.indexOf.call(types, 'Files') >= 0) event.preventDefault();
    });
  });
});
