// The focal point of a library image: the editor clicks the point that must stay in every
// crop (or moves it with the arrow keys); the hidden inputs focal_x and focal_y hold it,
// 0..1 from the left and from the top. No inline script or style: the CSP allows neither.
"use strict";

(function () {
  const STEP = 0.02;

  function clamp(value) {
    return Math.min(1, Math.max(0, value));
  }

  function percent(value) {
    return `${Math.round(value * 100)}%`;
  }

  function setUp(box) {
    const form = box.closest("form");
    const inputX = form.querySelector("input[name='focal_x']");
    const inputY = form.querySelector("input[name='focal_y']");
    const image = box.querySelector(".focal-point-image");
    const marker = box.querySelector(".focal-point-marker");
    const said = box.parentElement.querySelector(".focal-point-value");
    if (!inputX || !inputY || !image || !marker) return;

    function show() {
      const x = clamp(parseFloat(inputX.value) || 0.5);
      const y = clamp(parseFloat(inputY.value) || 0.5);
      marker.style.left = percent(x);
      marker.style.top = percent(y);
      marker.hidden = false;
      if (said) said.textContent = `Brandpunt: ${percent(x)} van links, ${percent(y)} van boven.`;
    }

    function choose(x, y) {
      inputX.value = clamp(x).toFixed(4);
      inputY.value = clamp(y).toFixed(4);
      inputX.dispatchEvent(new Event("change", { bubbles: true }));
      show();
    }

    image.addEventListener("click", (event) => {
      const rect = image.getBoundingClientRect();
      choose((event.clientX - rect.left) / rect.width, (event.clientY - rect.top) / rect.height);
    });
    image.addEventListener("keydown", (event) => {
      const moves = {
        ArrowLeft: [-STEP, 0],
        ArrowRight: [STEP, 0],
        ArrowUp: [0, -STEP],
        ArrowDown: [0, STEP],
      };
      const move = moves[event.key];
      if (!move) return;
      event.preventDefault();
      choose(parseFloat(inputX.value) + move[0], parseFloat(inputY.value) + move[1]);
    });
    show();
  }

  function start() {
    document.querySelectorAll(".focal-point").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
