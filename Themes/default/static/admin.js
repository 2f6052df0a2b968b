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
