// Small behaviours of the kennisbank pages. No network access, no external libraries.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-kb-print]");
  if (button) {
    event.preventDefault();
    window.print();
  }
});
