// Embedded videos: the placeholder is a plain link to the video's own page; a click puts
// the player in its place. Nothing comes from the other site before that click.
"use strict";
{
  // The players the Content Security Policy allows (news/embeds.py, FRAME_ORIGINS).
  const PLAYERS = ["https://www.youtube-nocookie.com/embed/", "https://player.vimeo.com/video/"];
  // What the players need: their own scripts and storage, full screen, and a link out to
  // their site in a new tab. No navigating this page, no forms.
  const SANDBOX = "allow-scripts allow-same-origin allow-presentation allow-popups";

  function play(figure) {
    const src = figure.dataset.embedSrc || "";
    if (!PLAYERS.some((player) => src.startsWith(player))) return false;
    const frame = document.createElement("iframe");
    frame.className = "embed-frame";
    frame.src = src;
    frame.title = figure.dataset.embedTitle || "Video";
    frame.allow = "autoplay; encrypted-media; fullscreen; picture-in-picture";
    frame.allowFullscreen = true;
    frame.setAttribute("sandbox", SANDBOX);
    // YouTube refuses to play without knowing which site embeds it: the origin, no path.
    frame.referrerPolicy = "strict-origin";
    figure.querySelector(".embed-link").replaceWith(frame);
    figure.classList.add("embed-playing");
    frame.focus();
    return true;
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("figure.embed[data-embed-src] a.embed-link");
    // Ctrl-, Cmd- or Shift-click: the reader wants the video's page in a new tab.
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (play(link.closest("figure"))) event.preventDefault();
  });
}
