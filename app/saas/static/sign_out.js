// Signing out forgets what this browser keeps of the person's dashboard (the saved copy and
// changes still waiting to be sent): the next person on this device finds nothing of it.
"use strict";

document.addEventListener(
  "submit",
  (event) => {
    const form = event.target;
    if (form instanceof HTMLFormElement && new URL(form.action).pathname === "/logout") {
      for (const key of Object.keys(localStorage)) {
        if (key.startsWith("saas.")) localStorage.removeItem(key);
      }
    }
  },
  true,
);
