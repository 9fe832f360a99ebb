// The Volgen page: "Kopieer" puts the address of a feed on the clipboard.
(function () {
  "use strict";
  if (!navigator.clipboard) return; // not over plain http: the buttons stay hidden
  var status = document.getElementById("kopieer-status");
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var label = button.querySelector(".copy-label");
    var timer;
    button.hidden = false;
    button.addEventListener("click", function () {
      var url = new URL(button.dataset.copy, document.baseURI).href;
      navigator.clipboard.writeText(url).then(
        function () {
          label.textContent = "Gekopieerd";
          status.textContent = "Het adres van de feed van " + button.dataset.name + " is gekopieerd.";
        },
        function () {
          label.textContent = "Kopiëren lukte niet";
          status.textContent = "Kopiëren lukte niet. Klik met de rechtermuisknop op RSS en kies Link kopiëren.";
        }
      );
      clearTimeout(timer);
      timer = setTimeout(function () { label.textContent = "Kopieer"; }, 5000);
    });
  });
})();
