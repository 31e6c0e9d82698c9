// Agenda grid: drag a meeting onto a free cell to move it there, or onto another meeting to
// choose between a swap and replacing a suggested meeting (a page that asks before anything
// changes). Without this script every action stays on the meeting's own page (its link).
(function () {
  "use strict";

  function post(url, fields) {
    var form = document.createElement("form");
    form.method = "post";
    form.action = url;
    Object.keys(fields).forEach(function (name) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = fields[name];
      form.appendChild(input);
    });
    document.body.appendChild(form);
    form.submit();
  }

  function setUp(grid) {
    var csrf = grid.dataset.csrf;
    var dragged = null;

    grid.querySelectorAll(".grid-meeting").forEach(function (meeting) {
      meeting.setAttribute("draggable", "true");
      meeting.addEventListener("dragstart", function (event) {
        dragged = meeting;
        meeting.classList.add("grid-dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", meeting.dataset.meeting);
      });
      meeting.addEventListener("dragend", function () {
        meeting.classList.remove("grid-dragging");
        dragged = null;
      });
    });

    grid.querySelectorAll("td.grid-cell").forEach(function (cell) {
      cell.addEventListener("dragover", function (event) {
        if (dragged && !cell.contains(dragged)) {
          event.preventDefault();
          cell.classList.add("grid-target");
        }
      });
      cell.addEventListener("dragleave", function () {
        cell.classList.remove("grid-target");
      });
      cell.addEventListener("drop", function (event) {
        event.preventDefault();
        cell.classList.remove("grid-target");
        if (!dragged || cell.contains(dragged)) {
          return;
        }
        var slot = cell.dataset.slot;
        var table = cell.dataset.table;
        if (cell.querySelector(".grid-meeting")) {
          // A taken place: the choices page says what is possible and asks first.
          window.location.href =
            dragged.dataset.placeUrl + "?slot=" + encodeURIComponent(slot) +
            "&table=" + encodeURIComponent(table);
        } else {
          post(dragged.dataset.moveUrl, {
            csrf_token: csrf, slot: slot, table: table, seen: dragged.dataset.seen
          });
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var grid = document.querySelector("table.schedule-grid[data-editable]");
    if (grid) {
      setUp(grid);
      document.body.classList.add("grid-draggable");
    }
  });
})();
