// Loads the WebAssembly app and registers the service worker. Kept in a file of its own so
// the CSP needs no inline script. scripts/build rewrites the module path below to the hashed
// name of this build's glue.
import init from "../pkg/stepwise.js";

init().catch((error) => {
  const root = document.getElementById("app");
  const message = document.createElement("p");
  message.className = "boot error";
  message.setAttribute("role", "alert");
  message.textContent = `Stepwise could not start: ${error}`;
  root.replaceChildren(message);
});

// Opened at a runbook's or a drill's address (a bookmark, a link in a ticket): its files are
// fetched now, alongside the wasm, instead of once the app has started and read the index.
// The app's own requests for them then take these responses.
preloadRoute().catch(() => {});

async function preloadRoute() {
  const route = /^#\/(run|drill)\/([^/?#]+)$/.exec(location.hash);
  if (!route) return;
  const id = decodeURIComponent(route[2]);
  const base = new URL("../runbooks/", import.meta.url);
  const index = await (await fetch(new URL("index.json", base))).json();
  const drill = route[1] === "drill" ? index.drills?.find((d) => d.id === id) : undefined;
  const runbookId = drill ? drill.runbook : id;
  const runbook = index.runbooks?.find((r) => r.id === runbookId);
  for (const file of [drill?.file, runbook?.file]) {
    if (typeof file !== "string") continue;
    const link = document.createElement("link");
    link.rel = "preload";
    link.as = "fetch";
    link.crossOrigin = "anonymous";
    link.href = new URL(file, base).href;
    document.head.append(link);
  }
}

// Offline after one visit (HTTPS or localhost only: browsers keep service workers to secure
// contexts). A newer build waits until the technician chooses to reload: nothing is lost by
// reloading, since every record is already in IndexedDB.
if ("serviceWorker" in navigator) {
  registerWorker().catch((error) => console.warn(`Stepwise works online only here: ${error}`));
}

async function registerWorker() {
  const registration = await navigator.serviceWorker.register(new URL("../sw.js", import.meta.url));
  let reloading = false;
  const offer = (worker) => {
    if (!worker || !navigator.serviceWorker.controller || document.getElementById("update-banner")) return;
    const banner = document.createElement("div");
    banner.id = "update-banner";
    banner.className = "update-banner";
    banner.setAttribute("role", "status");
    const text = document.createElement("span");
    text.textContent = "A new version of Stepwise is available. Your work is saved; reloading takes a moment.";
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = "Reload now";
    button.addEventListener("click", () => {
      reloading = true;
      worker.postMessage("skip-waiting");
    });
    banner.append(text, button);
    document.body.prepend(banner);
  };
  offer(registration.waiting);
  registration.addEventListener("updatefound", () => {
    const worker = registration.installing;
    worker?.addEventListener("statechange", () => {
      if (worker.state === "installed") offer(worker);
    });
  });
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (reloading) location.reload();
  });
  // Long-open tabs hear about a new deployment too.
  setInterval(() => registration.update().catch(() => {}), 30 * 60 * 1000);
}
