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
