// Sparring's only script of its own: start Det Fælles Designsystem's components once the
// page is there. Kept in a file so the Content-Security-Policy needs no inline script.
document.addEventListener("DOMContentLoaded", function () {
  if (window.DKFDS) {
    window.DKFDS.init();
  }
});

// A region htmx replaces out of band (the agenda after "Flyt op", or after the other
// participant's change) is new elements: give the focus back to the one with the same id, so
// a keyboard user stays where they were.
(function () {
  var pending = null;
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var active = document.activeElement;
    var target = event.detail && event.detail.target;
    if (active && active.id && target && target.contains(active)) {
      pending = active.id;
    }
  });
  function giveBack() {
    if (pending === null) {
      return;
    }
    var again = document.getElementById(pending);
    if (again && again !== document.activeElement) {
      again.focus({ preventScroll: true });
    }
  }
  // Back at once, and again once every swap of the answer has settled: a response swaps
  // several regions, and a poll's answer may come in between.
  document.addEventListener("htmx:oobAfterSwap", giveBack);
  document.addEventListener("htmx:afterSettle", function () {
    giveBack();
    pending = null;
  });
})();

// A "Print" button (`data-print`): the browser's print dialog. Hidden until this script shows
// it, since without the script the page says to use the browser's own print command.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
});

// A retrospective's board asks every two seconds whether anything changed and is then swapped
// whole. Hold a poll back while the reader is in the middle of something on it: typing or
// choosing in one of its fields, or a field with text they have not sent. The next poll asks
// again. Notes can also be dragged onto a group: the drop chooses that group in the note's
// own list and sends the same form the keyboard does.
(function () {
  function busy(board) {
    var active = document.activeElement;
    if (active && board.contains(active) && active.matches("input, textarea, select")) {
      return true;
    }
    var fields = board.querySelectorAll("textarea, input[name='title']");
    for (var i = 0; i < fields.length; i++) {
      var saved = fields[i].getAttribute("data-retro-saved") || "";
      if (fields[i].value.trim() !== saved.trim()) {
        return true;
      }
    }
    return false;
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var board = event.detail.elt;
    if (board && board.hasAttribute && board.hasAttribute("data-retro-live")) {
      if (event.detail.requestConfig && event.detail.requestConfig.verb === "get" && busy(board)) {
        event.preventDefault();
      }
    }
  });
  document.addEventListener("dragstart", function (event) {
    var note = event.target.closest && event.target.closest("[data-retro-note]");
    if (note) {
      event.dataTransfer.setData("text/plain", note.getAttribute("data-retro-note"));
      event.dataTransfer.effectAllowed = "move";
    }
  });
  document.addEventListener("dragover", function (event) {
    if (event.target.closest && event.target.closest("[data-retro-drop]")) {
      event.preventDefault();
    }
  });
  document.addEventListener("drop", function (event) {
    var zone = event.target.closest && event.target.closest("[data-retro-drop]");
    if (!zone) {
      return;
    }
    event.preventDefault();
    var id = event.dataTransfer.getData("text/plain");
    var note = document.querySelector("[data-retro-note='" + id + "']");
    var select = note && note.querySelector("select[name='group']");
    if (select) {
      select.value = zone.getAttribute("data-retro-drop");
      select.form.requestSubmit();
    }
  });
})();
