// "Karim bewerkt dit artikel sinds 14:02": tell the server this form is open, and show
// who else has it open. A heartbeat while the tab is open, a last one when it closes;
// the server forgets a tab it has not heard from for a minute (news/presence.py).
"use strict";
(() => {
  const notice = document.getElementById("presence");
  const token = document.querySelector("#article_form input[name='csrfmiddlewaretoken']");
  if (!notice || !token) return;
  const every = (Number(notice.dataset.interval) || 20) * 1000;
  // One id per tab: closing one of two tabs on the same article leaves the other counted.
  const tab = [...crypto.getRandomValues(new Uint8Array(12))]
    .map((byte) => byte.toString(16).padStart(2, "0"))
    .join("");
  let timer = null;

  function body(leaving) {
    const data = new FormData();
    data.append("csrfmiddlewaretoken", token.value);
    data.append("tab", tab);
    if (leaving) data.append("leaving", "1");
    return data;
  }

  function show(others) {
    notice.querySelector("ul").replaceChildren(
      ...others.map((other) => {
        const item = document.createElement("li");
        item.textContent = other.text;
        return item;
      }),
    );
    notice.hidden = others.length === 0;
  }

  async function beat() {
    try {
      const response = await fetch(notice.dataset.url, {
        method: "POST",
        body: body(false),
        credentials: "same-origin",
      });
      if (response.ok) show((await response.json()).others);
    } catch {
      // Offline or the server restarting: the next heartbeat tries again.
    }
  }

  function start() {
    if (timer !== null) return;
    beat();
    timer = setInterval(beat, every);
  }

  function stop() {
    clearInterval(timer);
    timer = null;
    navigator.sendBeacon(notice.dataset.url, body(true));
  }

  window.addEventListener("pagehide", stop);
  // Back from the browser's page cache: open again.
  window.addEventListener("pageshow", (event) => event.persisted && start());
  // A tab in the background may be woken only once a minute: report as soon as it is back.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && timer !== null) beat();
  });
  start();
})();
