// Live updates without a build step: every two seconds, fetch this same page and swap in the parts
// marked data-live (matched by id). Polling pauses while the tab is hidden and catches up on return.
"use strict";

(() => {
  const PERIOD_MS = 2000;
  const regions = document.querySelectorAll("[data-live][id]");
  const status = document.getElementById("live-status");
  let timer = null;

  function say(text) {
    // role="status" announces changes, so only a change of state is written.
    if (status && status.textContent !== text) status.textContent = text;
  }

  function swap(region, fresh) {
    if (fresh.innerHTML === region.innerHTML) return;
    // Replacing markup drops the keyboard focus; give it back to the element with the same id.
    const focused = region.contains(document.activeElement) ? document.activeElement.id : "";
    region.innerHTML = fresh.innerHTML;
    const again = focused && document.getElementById(focused);
    if (again) again.focus();
  }

  async function refresh() {
    try {
      const response = await fetch(window.location.href, { cache: "no-store" });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      for (const region of regions) {
        const fresh = page.getElementById(region.id);
        if (fresh) swap(region, fresh);
      }
      say("Live");
    } catch (error) {
      say("Not answering; retrying");
    }
  }

  function schedule() {
    clearInterval(timer);
    timer = document.hidden ? null : setInterval(refresh, PERIOD_MS);
  }

  if (regions.length === 0) return;
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) refresh();
    schedule();
  });
  say("Live");
  schedule();
})();
