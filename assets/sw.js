// Stepwise's service worker: after one visit the app opens and runs with the network off.
//
// scripts/build writes the build id and the file list into this template as dist/sw.js, so a
// new deployment is a new worker. The app shell (HTML, script, wasm, styles) is served from
// the cache of its own build, all of a piece; the runbooks are fetched from the network first
// (an edit on the server shows at the next load) and fall back to the cache when the server
// cannot be reached. A new build waits until the page says so (boot.js offers the reload).
const BUILD = "__STEPWISE_BUILD__";
const FILES = __STEPWISE_FILES__;
const SHELL_CACHE = `stepwise-shell-${BUILD}`;
const DATA_CACHE = "stepwise-runbooks";
// An intranet server that does not answer is not waited for longer than this.
const NETWORK_TIMEOUT_MS = 4000;

const root = new URL("./", self.location.href);
const runbooks = new URL("runbooks/", root).pathname;
const index = new URL("index.html", root).href;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const shell = await caches.open(SHELL_CACHE);
      await shell.addAll(FILES.shell.map((f) => new URL(f, root).href));
      const data = await caches.open(DATA_CACHE);
      await data.addAll(FILES.runbooks.map((f) => new URL(f, root).href));
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith("stepwise-shell-") && key !== SHELL_CACHE) await caches.delete(key);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== root.origin) return;
  if (url.pathname.startsWith(runbooks)) {
    event.respondWith(networkFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(shellFirst(new Request(index)));
  } else {
    event.respondWith(shellFirst(request));
  }
});

async function shellFirst(request) {
  const cached = await caches.match(request, { cacheName: SHELL_CACHE, ignoreSearch: true });
  return cached ?? fetch(request);
}

async function networkFirst(request) {
  const data = await caches.open(DATA_CACHE);
  try {
    const response = await withTimeout(fetch(request, { cache: "no-cache" }), NETWORK_TIMEOUT_MS);
    if (response.ok) await data.put(request, response.clone());
    return response;
  } catch (error) {
    const cached = await data.match(request, { ignoreSearch: true });
    if (cached) return cached;
    throw error;
  }
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
