// Writes a playground file with N requests, for `kmsplay simulate` at
// scale: the key, identities and policies of
// tests/playground/alice-cross-account.json, its requests repeated (each
// named anew) until there are N.
//   node bench/gen-requests.mjs 200000 > /tmp/req200000.json
import { readFileSync } from "node:fs";

const n = Number(process.argv[2] ?? 10000);
const base = JSON.parse(
  readFileSync(new URL("../tests/playground/alice-cross-account.json", import.meta.url), "utf8"),
);
const { requests, ...rest } = base;
process.stdout.write(JSON.stringify(rest, null, 2).replace(/\n}$/, ',\n  "requests": [\n'));
for (let i = 0; i < n; i++) {
  const r = { ...requests[i % requests.length], name: `${requests[i % requests.length].name ?? "request"} #${i}` };
  const item = JSON.stringify(r, null, 2).replace(/\n/g, "\n    ");
  process.stdout.write(`    ${item}${i + 1 < n ? "," : ""}\n`);
}
process.stdout.write("  ]\n}\n");
