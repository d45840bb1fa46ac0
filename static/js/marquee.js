// Small progressive enhancements; every page works without this file.
(function () {
  const toggle = document.getElementById("contrast-toggle");
  if (!toggle) return;
  const root = document.documentElement;
  const sync = () => toggle.setAttribute("aria-pressed", String(root.dataset.contrast === "high"));
  sync();
  toggle.addEventListener("click", () => {
    root.dataset.contrast = root.dataset.contrast === "high" ? "normal" : "high";
    localStorage.setItem("marquee-contrast", root.dataset.contrast === "high" ? "high" : "normal");
    sync();
  });
})();

// Tiles on touch screens: the "Actions" button, or a long press on the tile, opens its actions;
// a tap elsewhere closes them. (With a mouse they show on hover and focus, see marquee.css.)
(function () {
  const close = (except) => document.querySelectorAll(".tile.is-open").forEach((tile) => {
    if (tile === except) return;
    tile.classList.remove("is-open");
    tile.querySelector(".tile-more")?.setAttribute("aria-expanded", "false");
  });
  const toggle = (tile) => {
    const open = !tile.classList.contains("is-open");
    close(tile);
    tile.classList.toggle("is-open", open);
    tile.querySelector(".tile-more")?.setAttribute("aria-expanded", String(open));
  };
  document.addEventListener("click", (event) => {
    const more = event.target.closest(".tile-more");
    if (more) { toggle(more.closest(".tile")); return; }
    if (!event.target.closest(".tile-actions")) close(null);
  });
  // A long press opens the browser's context menu on touch screens; here it opens the actions.
  document.addEventListener("contextmenu", (event) => {
    const tile = event.target.closest(".tile");
    if (!tile || !tile.querySelector(".tile-more") || !matchMedia("(hover: none)").matches) return;
    event.preventDefault();
    toggle(tile);
  });
})();

// Search filters: open beside the results on wide screens, folded into a sheet on phones.
(function () {
  const sheet = document.querySelector(".facet-sheet");
  if (!sheet) return;
  const phone = matchMedia("(max-width: 760px)");
  const sync = () => { sheet.open = !phone.matches; };
  sync();
  phone.addEventListener("change", sync);
})();

// Badge toasts: each leaves after ten seconds, or at once from its close button.
(function () {
  const area = document.getElementById("toasts");
  if (!area) return;
  const arm = (toast) => {
    if (toast.dataset.armed) return;
    toast.dataset.armed = "1";
    setTimeout(() => toast.remove(), 10000);
  };
  area.querySelectorAll(".toast").forEach(arm);
  new MutationObserver(() => area.querySelectorAll(".toast").forEach(arm))
    .observe(area, { childList: true });
  area.addEventListener("click", (event) => {
    if (event.target.closest(".toast-close")) event.target.closest(".toast").remove();
  });
})();
