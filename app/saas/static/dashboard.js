// The dashboard: its data comes from the platform's API (GET /api/dashboard) and the last good
// copy is kept in this browser, one entry per person (the section's data-storage-key). When
// the API does not answer within API_TIMEOUT_MS, or fails, the page says it is offline and
// shows the saved copy. A display name change is queued in this browser with an
// Idempotency-Key made when it is made, and sent (again, with the same key) until the
// platform answers: the platform applies it once whatever the number of deliveries.
"use strict";

(() => {
  const API_TIMEOUT_MS = 4000; // how long the page waits for any answer of the API
  const RETRY_INTERVAL_MS = 2000; // while offline, the platform is asked again this often
  const PREFIX = "saas.";

  const root = document.querySelector("[data-testid=dashboard]");
  const part = (name) => root.querySelector(`[data-testid="${name}"]`);
  const indicator = root.querySelector(".offline-indicator");
  const dataBlock = root.querySelector(".dashboard-data");
  const cacheKey = `${PREFIX}dashboard:${root.dataset.storageKey}`;
  const queueKey = `${PREFIX}profile-queue:${root.dataset.storageKey}`;
  // Published so that tests bound their waits by the page's own timeout.
  root.dataset.apiTimeoutMs = String(API_TIMEOUT_MS);
  root.dataset.retryIntervalMs = String(RETRY_INTERVAL_MS);

  class Offline extends Error {}
  class Refused extends Error {}
  class SignedOut extends Error {}

  const read = (key, fallback) => {
    try {
      return JSON.parse(localStorage.getItem(key)) ?? fallback;
    } catch {
      return fallback;
    }
  };
  const write = (key, value) => localStorage.setItem(key, JSON.stringify(value));

  // What another person left in this browser is never shown, nor kept.
  const forgetOthers = () => {
    for (const key of Object.keys(localStorage)) {
      if (key.startsWith(PREFIX) && key !== cacheKey && key !== queueKey) {
        localStorage.removeItem(key);
      }
    }
  };

  const csrfToken = () => document.querySelector('meta[name="csrf-token"]').content;

  async function call(url, options = {}) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), API_TIMEOUT_MS);
    let response;
    try {
      response = await fetch(url, {
        ...options,
        // the page's CSRF token (app/platform/csrf.py) on every call
        headers: { ...options.headers, "X-CSRF-Token": csrfToken() },
        credentials: "same-origin",
        cache: "no-store",
        signal: controller.signal,
      });
    } catch {
      throw new Offline(url); // no answer in time, or none at all
    } finally {
      clearTimeout(timer);
    }
    if (response.status === 401) {
      window.location.assign("/login");
      throw new SignedOut(url); // queued changes stay for this person's next visit
    }
    if (response.status >= 500) throw new Offline(url);
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Refused(body.error || `refused (${response.status})`);
    return body;
  }

  function render(data, source) {
    part("dashboard-loading").hidden = true;
    part("no-saved-copy").hidden = data !== null;
    dataBlock.hidden = data === null;
    dataBlock.dataset.testid = source === "saved" ? "cached-data" : "live-data";
    if (data === null) return;
    part("tenant-name").textContent = data.tenant.name;
    part("dashboard-plan").textContent = data.plan.name;
    part("display-name").textContent = data.profile.display_name;
    part("email").textContent = data.profile.email;
  }

  function showSavedAt(savedAt) {
    part("saved-at").hidden = savedAt === null;
    part("saved-at").textContent =
      savedAt === null ? "" : `Saved on this device ${new Date(savedAt).toLocaleString()}.`;
  }

  function showQueue() {
    const queue = read(queueKey, []);
    part("queued-for-sync").hidden = queue.length === 0;
    part("queued-name").textContent = queue.length ? queue[queue.length - 1].name : "";
  }

  function goOffline() {
    const saved = read(cacheKey, null);
    indicator.hidden = false;
    showSavedAt(saved ? saved.savedAt : null);
    render(saved ? saved.data : null, "saved");
  }

  // Sends the queued changes in order; each leaves the queue once the platform answered it.
  async function sendQueue() {
    for (let queue = read(queueKey, []); queue.length; queue = read(queueKey, [])) {
      const change = queue[0];
      try {
        await call(root.dataset.profileApi, {
          method: "PATCH",
          headers: { "Content-Type": "application/json", "Idempotency-Key": change.key },
          body: JSON.stringify({ display_name: change.name }),
        });
      } catch (error) {
        if (!(error instanceof Refused)) throw error;
        const refused = part("sync-refused");
        refused.textContent = `Your new name “${change.name}” was not saved: ${error.message}`;
        refused.hidden = false;
      }
      write(queueKey, read(queueKey, []).filter((queued) => queued.key !== change.key));
      showQueue();
    }
  }

  let running = null;
  let retry = null;

  async function attempt() {
    clearTimeout(retry);
    try {
      await sendQueue();
      const data = await call(root.dataset.api);
      write(cacheKey, { data, savedAt: Date.now() });
      indicator.hidden = true;
      showSavedAt(null);
      render(data, "live");
    } catch (error) {
      if (error instanceof SignedOut) return;
      if (!(error instanceof Offline)) throw error;
      goOffline();
      retry = setTimeout(sync, RETRY_INTERVAL_MS);
    }
  }

  // One attempt at a time; a change made meanwhile is picked up by the next one.
  function sync() {
    if (running) return running.then(() => read(queueKey, []).length && sync());
    running = attempt().finally(() => {
      running = null;
    });
    return running;
  }

  part("update-profile").addEventListener("click", () => {
    const form = part("profile-form");
    form.hidden = false;
    part("name").value = part("display-name").textContent;
    part("name").focus();
  });

  part("profile-form").addEventListener("submit", (event) => {
    event.preventDefault();
    part("sync-refused").hidden = true;
    const queue = read(queueKey, []);
    queue.push({ key: crypto.randomUUID(), name: part("name").value, madeAt: Date.now() });
    write(queueKey, queue);
    part("profile-form").hidden = true;
    showQueue();
    sync();
  });

  window.addEventListener("online", () => sync());
  forgetOthers();
  showQueue();
  sync();
})();
