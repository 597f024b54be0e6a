// ad-hoc look (not part of the suite)
import { chromium } from "playwright-core";
import http from "node:http"; import fs from "node:fs"; import path from "node:path";
const dist = "/work/main/dist", BASE = "/kms-policy-playground/";
const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css", ".json": "application/json", ".txt": "text/plain; charset=utf-8" };
const server = http.createServer((req, res) => {
  const url = new URL(req.url, "http://x");
  if (url.pathname === "/host.html") { res.writeHead(200, {"content-type": types[".html"]}); res.end(`<!DOCTYPE html><body style="margin:0"><iframe id=pg src="${url.searchParams.get("src")}" style="width:100%;border:0"></iframe><script>addEventListener("message",(e)=>{if(e.data&&e.data.type==="kmsplay:height")document.getElementById("pg").style.height=e.data.height+"px"})</script></body>`); return; }
  let rel = decodeURIComponent(url.pathname.slice(BASE.length)) || "index.html";
  const f = path.join(dist, rel);
  if (!fs.existsSync(f) || fs.statSync(f).isDirectory()) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { "content-type": types[path.extname(f)] || "application/octet-stream" }); fs.createReadStream(f).pipe(res);
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
const [,, name, query = "", w = "1280", h = "800", scheme = "light", policyFile = "", scenario = "", host = ""] = process.argv;
const ctx = await browser.newContext({ viewport: { width: +w, height: +h }, colorScheme: scheme, locale: query.includes("lang=ja") ? "ja-JP" : "en-US" });
const page = await ctx.newPage();
page.on("pageerror", (e) => console.log("page error:", e.message));
if (host) { await page.goto(`${origin}/host.html?src=${encodeURIComponent(origin + BASE + query)}`); await page.waitForTimeout(2500); }
else {
await page.goto(origin + BASE + query);
await page.waitForSelector("[data-testid=result-row]");
if (policyFile) { const t = fs.readFileSync(policyFile, "utf8"); await page.evaluate((t) => { const a = document.querySelector("[data-testid=policy-editor]"); a.value = t; a.dispatchEvent(new Event("input", { bubbles: true })); }, t); await page.waitForTimeout(100); }
if (scenario) { await page.selectOption("[data-testid=scenario-picker]", scenario); await page.waitForTimeout(300); }
await page.waitForTimeout(1200);
console.log((await page.$$eval(".result-name", (n) => n.map((x) => x.textContent))).join("\n"));
const k = await page.$("[data-testid=scenario-key]"); if (k) console.log("KEY:", await k.textContent());
}
await page.screenshot({ path: `/tmp/look/${name}.png`, fullPage: process.env.FULL === "1" });
await browser.close(); server.close();
