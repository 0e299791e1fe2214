// Starts Stepwise and registers the service worker. Kept in a file of its own so the CSP
// needs no inline script. scripts/build rewrites the module paths below to the hashed names
// of this build's files.
//
// Opened on the library (`#/`, the first page of most visits), the page is drawn by a small
// module of its own (crates/lite, a tenth of the web app's wasm), and the web app is
// started in its place as soon as anything else is needed: another address, a runbook file
// chosen there, or a library the small module cannot vouch for (it asks by the event
// below). Every other address starts the web app at once.

// The small module's glue, and its wasm as base64 in a script of its own (scripts/build).
// As scripts, both come from the renderer's memory cache on a repeat visit, and the wasm
// compiles synchronously, in one task: a separately fetched .wasm waited on the disk cache
// and on a compile thread, twice as long as the whole page took otherwise (README
// "Benchmarks"). Imported only on the library, so other addresses do not parse them.
const LITE = "../pkg/stepwise_lite.js";
const LITE_WASM = "../pkg/stepwise_lite_wasm.js";
const FULL = "../pkg/stepwise.js";
const FULL_WASM = "../pkg/stepwise_bg.wasm";
// Named by crates/view (hand_over::EVENT, FILE_PROPERTY, IDENTITY_NAME_KEY, LAST_INDEX_KEY).
const HAND_OVER = "stepwise:hand-over";
const HANDED_OVER_FILE = "stepwiseHandOverFile";
const IDENTITY_NAME = "stepwise.identity-name";
const LAST_INDEX = "stepwise.last-index";

const onLibrary = () => /^#?\/?$/.test(location.hash);
/** The small module while it shows the library. */
let lite = null;
let full = null;

function failed(error) {
  const root = document.getElementById("app");
  const message = document.createElement("p");
  message.className = "boot error";
  message.setAttribute("role", "alert");
  message.textContent = `Stepwise could not start: ${error}`;
  root.replaceChildren(message);
}

/** The bytes of base64 `text`. */
function bytesOf(text) {
  if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(text);
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** What the two modules left in localStorage for the small one, or null. */
function stored(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage refused: the small module waits for the server, and hands over if a name may be kept
  }
}

/** Fetched now, alongside the scripts, instead of once they ask. */
function preload(href) {
  const link = document.createElement("link");
  link.rel = "preload";
  link.as = "fetch";
  link.crossOrigin = "anonymous";
  if (href.endsWith(".wasm")) link.type = "application/wasm";
  link.href = new URL(href, import.meta.url).href;
  document.head.append(link);
}

/** The web app's wasm compiled ahead of need, or null; see `warmOnIntent`. */
let warmed = null;

/** The web app, in the small module's place if that one is showing. Started once. */
function startFull() {
  if (full) return;
  lite?.stop();
  lite = null;
  const compiled = warmed ?? Promise.resolve(undefined);
  full = Promise.all([import(FULL), compiled])
    .then(([app, module]) => app.default(module ? { module_or_path: module } : undefined))
    .catch(failed);
}

/**
 * On the library, the technician's first press (pointer down, or a key on a link or the file
 * picker) fetches and compiles the web app's wasm, and its glue: almost every action there
 * but a search leads to the web app, and a click lands a tenth of a second after its press.
 * Nothing is fetched for a visit that only looks.
 */
function warmOnIntent() {
  const warm = (event) => {
    if (event.type === "keydown" && !event.target.closest?.("a, input[type=file]")) return;
    window.removeEventListener("pointerdown", warm, true);
    window.removeEventListener("keydown", warm, true);
    if (full || warmed) return;
    import(FULL).catch(() => {});
    const wasm = fetch(new URL(FULL_WASM, import.meta.url));
    // Any failure here leaves the web app to fetch its wasm itself, and say what is wrong.
    warmed = WebAssembly.compileStreaming(wasm).catch(() => undefined);
  };
  window.addEventListener("pointerdown", warm, true);
  window.addEventListener("keydown", warm, true);
}

if (onLibrary()) {
  window.addEventListener("hashchange", () => {
    if (!onLibrary()) startFull();
  });
  window.addEventListener(HAND_OVER, (event) => {
    if (event.detail instanceof File) window[HANDED_OVER_FILE] = event.detail;
    // After the small module's own handler has returned, not from inside it.
    queueMicrotask(startFull);
  });
  warmOnIntent();
  Promise.all([import(LITE), import(LITE_WASM)])
    .then(([module, wasm]) => {
      if (full) return undefined;
      module.initSync({ module: bytesOf(wasm.default) });
      lite = module;
      return module.start(stored(IDENTITY_NAME), stored(LAST_INDEX));
    })
    .catch((error) => {
      console.warn(`Stepwise starts its full app instead: ${error}`);
      startFull();
    });
} else {
  preload(FULL_WASM);
  preload("../runbooks/priority.yaml");
  preloadRoute().catch(() => {});
  startFull();
}

// Opened at a runbook's or a drill's address (a bookmark, a link in a ticket): its files are
// fetched now, alongside the wasm, instead of once the app has started and read the index.
// The app's own requests for them then take these responses.
async function preloadRoute() {
  const route = /^#\/(run|drill)\/([^/?#]+)$/.exec(location.hash);
  if (!route) return;
  const id = decodeURIComponent(route[2]);
  // This takes the page's preload of the index, so its runbook is asked for at once; a new
  // preload of the index is left for the app, which asks for it as soon as it starts.
  const response = fetch(new URL("../runbooks/index.json", import.meta.url));
  preload("../runbooks/index.json");
  const index = await (await response).json();
  const drill = route[1] === "drill" ? index.drills?.find((d) => d.id === id) : undefined;
  const runbookId = drill ? drill.runbook : id;
  const runbook = index.runbooks?.find((r) => r.id === runbookId);
  for (const file of [drill?.file, runbook?.file]) {
    if (typeof file === "string") preload(`../runbooks/${file}`);
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
  // A browser told to block service workers (an automation setting) resolves with nothing
  // rather than refusing: the app then simply works online only, with nothing to say.
  if (!registration) return;
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
