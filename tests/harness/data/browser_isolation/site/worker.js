// a service worker that does nothing but exist: a scenario registers it, the next must not find it
self.addEventListener("fetch", () => {});
