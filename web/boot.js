// Loads the page's WebAssembly. A file of its own (not an inline script)
// so that the Content-Security-Policy can allow only the page's own files.
import init from "./kmsplay-web.js";

// The page's second module (web/extras): the lifecycle, grants, events,
// records and fixes panels' work. The main module calls this on first use
// or a moment after the first render; it loads once.
let extras;
globalThis.kmsplayLoadExtras = () => {
  extras ??= import("./kmsplay-web-extras.js").then(async (module) => {
    await module.default({ module_or_path: new URL("kmsplay-web-extras_bg.wasm", import.meta.url) });
    return module;
  });
  // A failed load may be retried: forget it.
  extras.catch(() => { extras = undefined; });
  return extras;
};

// An exercise's address needs it before the first render: fetch it
// alongside the main module rather than after it.
if (new URLSearchParams(location.search).has("exercise")) globalThis.kmsplayLoadExtras();

init({ module_or_path: new URL("kmsplay-web_bg.wasm", import.meta.url) });
