// Sparring's only script of its own: start Det Fælles Designsystem's components once the
// page is there. Kept in a file so the Content-Security-Policy needs no inline script.
document.addEventListener("DOMContentLoaded", function () {
  if (window.DKFDS) {
    window.DKFDS.init();
  }
});
