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
