// Loads the page's WebAssembly. A file of its own (not an inline script)
// so that the Content-Security-Policy can allow only the page's own files.
import init from "./kmsplay-web.js";

init({ module_or_path: new URL("kmsplay-web_bg.wasm", import.meta.url) });
