// Suggest existing topics for the name being typed after the last comma.
"use strict";
document.addEventListener("input", (event) => {
  const input = event.target;
  if (!input.matches || !input.matches("input[list$='-suggesties']")) return;
  const list = document.getElementById(input.getAttribute("list"));
  if (!list.dataset.names) {
    list.dataset.names = JSON.stringify([...list.options].map((option) => option.value));
  }
  const names = JSON.parse(list.dataset.names);
  const cut = input.value.lastIndexOf(",");
  const done = cut < 0 ? "" : input.value.slice(0, cut + 1) + " ";
  const typed = input.value.slice(cut + 1).trim().toLowerCase();
  const chosen = done.toLowerCase().split(",").map((name) => name.trim());
  list.replaceChildren(
    ...names
      .filter((name) => name.toLowerCase().includes(typed) && !chosen.includes(name.toLowerCase()))
      .map((name) => new Option(done + name)),
  );
});
