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

// In a frame (embed mode), tell the embedding page our height whenever the
// content's size changes — a render, a folded section opened, a font
// arriving — not only after a render: the page sizes the frame to fit, so
// nothing (the Requests pane least of all) is cut off.
const params = new URLSearchParams(location.search);
if (parent !== window && ["1", "true"].includes(params.get("embed"))) {
  let last = 0;
  new ResizeObserver(() => {
    const height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height !== last) {
      last = height;
      parent.postMessage({ type: "kmsplay:height", height }, "*");
    }
  }).observe(document.body);
}

init({ module_or_path: new URL("kmsplay-web_bg.wasm", import.meta.url) });
