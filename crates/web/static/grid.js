// The reporting grid moved through like a spreadsheet: arrow keys and Enter between cells,
// Ctrl+S saves; after a save the cell last used gets the focus back. No framework; the page
// works without it.
(function () {
  'use strict';
  var form = document.getElementById('manad');
  if (!form) return;
  var CELLS = 'input:not([type=hidden]), select, textarea';

  function rowsOf(table) {
    return Array.prototype.map.call(table.tBodies[0].rows, function (tr) {
      return Array.prototype.slice.call(tr.querySelectorAll(CELLS));
    }).filter(function (row) { return row.length > 0; });
  }

  function grids() {
    return Array.prototype.slice.call(form.querySelectorAll('table.grid'));
  }

  function place(cell) {
    cell.focus();
    if (cell.select && cell.tagName === 'INPUT') cell.select();
  }

  // The first cell of the same column in the next (or previous) grid, for moving past a
  // table's last (or first) row.
  function across(table, step, column) {
    var all = grids();
    var index = all.indexOf(table) + step;
    while (index >= 0 && index < all.length) {
      var rows = rowsOf(all[index]);
      if (rows.length) {
        var row = step > 0 ? rows[0] : rows[rows.length - 1];
        return row[Math.min(column, row.length - 1)];
      }
      index += step;
    }
    return null;
  }

  form.addEventListener('keydown', function (event) {
    var cell = event.target;
    if ((event.ctrlKey || event.metaKey) && (event.key === 's' || event.key === 'S')) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.submit();
      return;
    }
    if (!cell.matches || !cell.matches(CELLS)) return;
    var table = cell.closest('table.grid');
    if (!table || event.altKey) return;
    var rows = rowsOf(table);
    var r = -1, c = -1;
    rows.forEach(function (row, i) { var j = row.indexOf(cell); if (j >= 0) { r = i; c = j; } });
    if (r < 0) return;
    var text = cell.tagName === 'INPUT';
    var atStart = !text || (cell.selectionStart === 0 && cell.selectionEnd === 0) || cell.selectionEnd - cell.selectionStart === cell.value.length;
    var atEnd = !text || cell.selectionStart === cell.value.length || cell.selectionEnd - cell.selectionStart === cell.value.length;
    var target = null;
    switch (event.key) {
      case 'Enter':
        if (event.shiftKey) target = r > 0 ? rows[r - 1][c] : across(table, -1, c);
        else target = r + 1 < rows.length ? rows[r + 1][c] : across(table, 1, c);
        if (!target) { event.preventDefault(); return; }
        break;
      case 'ArrowDown':
        target = r + 1 < rows.length ? rows[r + 1][c] : across(table, 1, c);
        break;
      case 'ArrowUp':
        target = r > 0 ? rows[r - 1][c] : across(table, -1, c);
        break;
      case 'ArrowLeft':
        if (atStart && c > 0) target = rows[r][c - 1];
        break;
      case 'ArrowRight':
        if (atEnd && c + 1 < rows[r].length) target = rows[r][c + 1];
        break;
      default:
        return;
    }
    if (target) {
      event.preventDefault();
      place(target);
    }
  });

  // The cell last used goes with the save, so that the page after it comes back there.
  var at = form.querySelector('input[name=at]');
  form.addEventListener('focusin', function (event) {
    if (event.target.id && /^f\d+-\w+$/.test(event.target.id)) at.value = event.target.id;
  });

  var hash = window.location.hash.slice(1);
  var back = hash && /^f\d+-\w+$/.test(hash) && document.getElementById(hash);
  if (back && !document.querySelector('[autofocus]')) place(back);
})();
