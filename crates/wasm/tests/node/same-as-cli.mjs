// The wasm package decides as the command line does.
//
//   scripts/wasm-pack && node crates/wasm/tests/node/same-as-cli.mjs
//
// For every playground file in tests/playground/*.json (and the invalid
// fixture), in English and Japanese:
//   - `simulate(text)` gives the `results` of `kmsplay simulate --format
//     json FILE`: name, decision, outcome, expect_met and reason codes,
//     exactly; and the whole report is the same JSON;
//   - `new Playground(text).simulate({trace: true})` is the same JSON too;
//   - `Playground.decide(request)` of each request of the file gives that
//     request's result (without trace);
// plus: errors thrown for broken input carry the code, line and column the
// command line prints; the `--target web` build gives the same answers as
// the Node build; the policy checks (`checkNoNewAccess`,
// `checkNoPublicAccess`, `checkAccessNotGranted`, `whoCan`,
// `checkLockout`) give the JSON of `kmsplay check … --format json` /
// `kmsplay who-can … --format json` for every playground file and example,
// and refuse what it refuses, at the same place.
//
// Environment: KMSPLAY_WASM_PKG (default target/wasm-pkg), KMSPLAY_BIN
// (default target/debug/kmsplay, else target/release/kmsplay; built with
// `cargo build -p kmsplay` when neither exists).
//
// Prints one line per failure and ends with "N passed, N failed"; exits 1
// on any failure.

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isDeepStrictEqual } from "node:util";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../../../..");
const pkg = path.resolve(root, process.env.KMSPLAY_WASM_PKG || "target/wasm-pkg");

function findCli() {
  if (process.env.KMSPLAY_BIN) return path.resolve(process.env.KMSPLAY_BIN);
  for (const p of ["target/debug/kmsplay", "target/release/kmsplay"]) {
    const full = path.join(root, p);
    if (fs.existsSync(full)) return full;
  }
  const built = spawnSync("cargo", ["build", "-q", "-p", "kmsplay"], {
    cwd: root,
    stdio: "inherit",
  });
  if (built.status !== 0) throw new Error("cargo build -p kmsplay failed");
  return path.join(root, "target/debug/kmsplay");
}

const nodeEntry = path.join(pkg, "nodejs/kmsplay_engine.js");
if (!fs.existsSync(nodeEntry)) {
  console.error(`no wasm package at ${pkg}: run scripts/wasm-pack first`);
  console.log("0 passed, 1 failed");
  process.exit(1);
}
const engine = await import(pathToFileURL(nodeEntry).href);
const web = await import(pathToFileURL(path.join(pkg, "web/kmsplay_engine.js")).href);
web.initSync({ module: fs.readFileSync(path.join(pkg, "web/kmsplay_engine_bg.wasm")) });
const cli = findCli();

let passed = 0;
let failed = 0;
function check(name, ok, detail) {
  if (ok) {
    passed++;
  } else {
    failed++;
    console.log(`FAIL ${name}${detail ? `: ${detail}` : ""}`);
  }
}

function runCli(args, input) {
  const r = spawnSync(cli, args, { input, encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  return r;
}

/** The fields the contract names, for a readable first difference. */
function essentials(results) {
  return results.map((r) => ({
    name: r.name,
    decision: r.decision,
    outcome: r.outcome,
    expect_met: r.expect_met,
    reasons: r.reasons.map((x) => x.code),
  }));
}

function firstDifference(a, b) {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (!isDeepStrictEqual(a[i], b[i])) {
      return `#${i}: wasm ${JSON.stringify(a[i])} vs cli ${JSON.stringify(b[i])}`;
    }
  }
  return "";
}

const dir = path.join(root, "tests/playground");
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => path.join(dir, f));
files.push(path.join(dir, "invalid/event-data-store-missing-comma.json"));

for (const file of files) {
  const rel = path.relative(root, file);
  const text = fs.readFileSync(file, "utf8");
  for (const lang of ["en", "ja"]) {
    const out = runCli(["--lang", lang, "simulate", "--format", "json", file]);
    let expected;
    try {
      expected = JSON.parse(out.stdout);
    } catch {
      check(`${rel} [${lang}] CLI prints JSON`, false, out.stderr.trim());
      continue;
    }
    let report;
    try {
      report = engine.simulate(text, { lang });
    } catch (e) {
      check(`${rel} [${lang}] simulate`, false, `${e.code}: ${e.message}`);
      continue;
    }
    const a = essentials(report.results);
    const b = essentials(expected.results);
    check(`${rel} [${lang}] results`, isDeepStrictEqual(a, b), firstDifference(a, b));
    check(`${rel} [${lang}] whole report`, isDeepStrictEqual(report, expected));

    const pg = new engine.Playground(text, { lang });
    check(
      `${rel} [${lang}] Playground.simulate`,
      isDeepStrictEqual(pg.simulate({ trace: true }), expected),
    );
    const plain = expected.results.map(({ trace, ...rest }) => rest);
    const requests = JSON.parse(text).requests || [];
    const decided = requests.map((r) => pg.decide(JSON.stringify(r)));
    // `request N` names come from the position in the file.
    decided.forEach((r, i) => {
      if (requests[i].name === undefined) r.name = plain[i].name;
    });
    // A request with its own session policies or endpoint, decided alone, is
    // request 0 of its own text: it names the policy that decided
    // `requests[0]…` with offsets in that text. The same policy, then, at
    // the file's position.
    const placed = plain.map((want, i) => {
      const own = requests[i].session_policies !== undefined || requests[i].vpc_endpoint !== undefined;
      const at = want.decided_by && want.decided_by.policy;
      if (!own || typeof at !== "string" || !at.startsWith(`requests[${i}].`)) return want;
      const got = decided[i].decided_by || {};
      return {
        ...want,
        decided_by: {
          ...want.decided_by,
          policy: at.replace(`requests[${i}].`, "requests[0]."),
          start: got.start,
          end: got.end,
        },
      };
    });
    check(
      `${rel} [${lang}] Playground.decide`,
      isDeepStrictEqual(decided, placed),
      firstDifference(decided, placed),
    );
    const decisions = requests.map((r) => pg.decisionOf(JSON.stringify(r)));
    check(
      `${rel} [${lang}] Playground.decisionOf`,
      isDeepStrictEqual(
        decisions,
        plain.map((r) => `${r.decision} ${r.outcome}`),
      ),
    );
    pg.free();
    if (lang === "en") {
      check(`${rel} web build`, isDeepStrictEqual(web.simulate(text), expected));
    }
  }
}

// Broken files: the thrown error carries what the command line prints as
// `-:LINE:COL: error[CODE]: …`.
const broken = [
  '{"version": 1,\n  "key": {"arn": "arn:aws:kms:us-west-2:111111111111:key/k",\n    "policy": {}}, "requests": [{"action": "kms:Decrypt"}]}',
  '{"version": 1, "key": {"arn": "arn:aws:kms:us-west-2:111111111111:key/k", "policy": {}},\n "requests": [\n  {"principal": "arn:aws:iam::111111111111:user/Bob", "action": "kms:Decrpyt"}]}',
  '{"version": 2}',
  '{"version": 1,\n "key": {"arn": "arn:aws:kms:us-west-2:111111111111:key/k" "policy": {}}}',
  "[1, 2",
];
for (const [i, text] of broken.entries()) {
  const out = runCli(["--lang", "en", "simulate", "--format", "json", "-"], text);
  const m = /^-:(\d+):(\d+): error\[([^\]]+)\]/m.exec(out.stderr);
  let thrown;
  try {
    engine.simulate(text);
  } catch (e) {
    thrown = e;
  }
  check(
    `broken file #${i + 1} is refused by both`,
    out.status === 2 && m && thrown instanceof Error,
    `cli status ${out.status}, stderr ${JSON.stringify(out.stderr)}, thrown ${thrown}`,
  );
  if (m && thrown) {
    const want = { code: m[3], line: Number(m[1]), column: Number(m[2]) };
    const got = { code: thrown.code, line: thrown.line, column: thrown.column };
    check(
      `broken file #${i + 1} error place`,
      isDeepStrictEqual(got, want),
      `wasm ${JSON.stringify(got)} vs cli ${JSON.stringify(want)}`,
    );
  }
}

// importAws gives the playground file `kmsplay import` prints, for the
// text fixtures of tests/import (gzip stays the command line's: a
// JavaScript string holds text); a bad input is refused by both, naming it.
{
  const importDir = path.join(root, "tests/import");
  const sets = [
    ["ct-decrypt.json"],
    ["seed-004-log.json"],
    ["ct-decrypt.json", "ct-generatedatakey.json", "ct-decrypt-fail.json", "get-key-policy.json", "describe-key.json", "list-grants.json", "access-denied.txt"],
    ["lookup-events.json", "lake-query-results.json", "authorization-details.json"],
  ];
  for (const set of sets) {
    const out = spawnSync(cli, ["--lang", "en", "import", ...set], { cwd: importDir, encoding: "utf8" });
    const texts = set.map((name) => ({ name, text: fs.readFileSync(path.join(importDir, name), "utf8") }));
    let got;
    try {
      got = engine.importAws(texts);
    } catch (e) {
      got = e;
    }
    check(
      `importAws ${set.join(" ")} = kmsplay import`,
      out.status === 0 && got.files && got.files.length === 1 && got.files[0].text === out.stdout,
      `cli status ${out.status} ${out.stderr}; wasm ${got && got.message}`,
    );
    check(`importAws ${set.join(" ")} recognises every input`, got.inputs && got.inputs.length === set.length);
  }
  let thrown;
  try {
    engine.importAws(["{}", { name: "bad.json", text: fs.readFileSync(path.join(importDir, "invalid-policy-syntax.json"), "utf8") }]);
  } catch (e) {
    thrown = e;
  }
  check("importAws refuses an unrecognised input, naming it", thrown && thrown.code === "import.error.unrecognised" && thrown.path === "input 1", `${thrown && thrown.code} ${thrown && thrown.path}`);
  try {
    engine.importAws([{ name: "bad.json", text: fs.readFileSync(path.join(importDir, "invalid-policy-syntax.json"), "utf8") }]);
    thrown = undefined;
  } catch (e) {
    thrown = e;
  }
  check(
    "importAws places a policy's syntax error in the policy's text",
    thrown && thrown.code === "json-unexpected-char" && thrown.line === 17 && thrown.column === 13 && thrown.path === "bad.json",
    `${thrown && JSON.stringify({ code: thrown.code, line: thrown.line, column: thrown.column, path: thrown.path })}`,
  );
}

// The policy checks: the same JSON document as the command line, for
// every playground file and example (a file's name in `message` is the
// path the command line was given, so the check is told it as `name`).
{
  const checkFiles = [
    ...files.filter((f) => !f.includes(`${path.sep}invalid${path.sep}`)),
    ...fs
      .readdirSync(path.join(root, "examples"))
      .filter((f) => f.endsWith(".json"))
      .sort()
      .map((f) => path.join(root, "examples", f)),
  ];
  // The old policy of no-new-access: the key account's root only (a bare
  // policy, so it is for the other file's key).
  const oldPolicy = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "kms:*", Resource: "*" },
    ],
  });
  const scratch = fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR || "/tmp"), "kmsplay-checks-"));
  const oldFile = path.join(scratch, "old.json");
  fs.writeFileSync(oldFile, oldPolicy);
  const cliJson = (args) => {
    const out = spawnSync(cli, args, { cwd: root, encoding: "utf8", maxBuffer: 64 << 20 });
    try {
      return { status: out.status, json: JSON.parse(out.stdout), stderr: out.stderr };
    } catch {
      return { status: out.status, json: undefined, stderr: out.stderr };
    }
  };
  // A file the command line refuses (a key policy AWS would refuse) is
  // refused alike: the same code, line and column.
  const same = (label, args, call) => {
    const want = cliJson(args);
    let got;
    try {
      got = call();
    } catch (e) {
      const m = /:(\d+):(\d+): error\[([^\]]+)\]/.exec(want.stderr);
      const where = m && { code: m[3], line: Number(m[1]), column: Number(m[2]) };
      check(
        `${label} refuses as the command line does`,
        want.status === 2 && where && isDeepStrictEqual({ code: e.code, line: e.line, column: e.column }, where),
        `threw ${e.code} ${e.line}:${e.column}: ${e.message}; cli ${want.status} ${want.stderr.trim()}`,
      );
      return;
    }
    check(
      label,
      want.json !== undefined && isDeepStrictEqual(got, want.json),
      want.json === undefined
        ? `cli status ${want.status}: ${want.stderr.trim()}`
        : `wasm ${JSON.stringify(got).slice(0, 300)} vs cli ${JSON.stringify(want.json).slice(0, 300)}`,
    );
  };
  for (const file of checkFiles) {
    const rel = path.relative(root, file);
    const text = fs.readFileSync(file, "utf8");
    for (const lang of rel.includes("alice") ? ["en", "ja"] : ["en"]) {
      const L = ["--lang", lang];
      same(`${rel} [${lang}] checkNoPublicAccess`, [...L, "check", "no-public-access", rel, "--format", "json"], () =>
        engine.checkNoPublicAccess(text, { lang, name: rel }),
      );
      same(`${rel} [${lang}] checkLockout`, [...L, "check", "lockout", rel, "--format", "json"], () =>
        engine.checkLockout(text, { lang, name: rel }),
      );
      same(
        `${rel} [${lang}] checkAccessNotGranted`,
        [...L, "check", "access-not-granted", rel, "--action", "kms:Decrypt", "--action", "kms:PutKeyPolicy", "--principal", "444455556666", "--format", "json"],
        () => engine.checkAccessNotGranted(text, { lang, name: rel, actions: ["kms:Decrypt", "kms:PutKeyPolicy"], principals: ["444455556666"] }),
      );
      same(`${rel} [${lang}] whoCan`, [...L, "who-can", rel, "--action", "kms:Decrypt", "--format", "json"], () =>
        engine.whoCan(text, { lang, action: "kms:Decrypt" }),
      );
      same(
        `${rel} [${lang}] checkNoNewAccess`,
        [...L, "check", "no-new-access", oldFile, rel, "--format", "json"],
        () => engine.checkNoNewAccess(oldPolicy, text, { lang, oldName: oldFile, newName: rel }),
      );
    }
  }
  // The web build answers alike.
  {
    const rel = "examples/alice-cross-account.json";
    const text = fs.readFileSync(path.join(root, rel), "utf8");
    check(
      "web build checkNoPublicAccess",
      isDeepStrictEqual(web.checkNoPublicAccess(text, { name: rel }), engine.checkNoPublicAccess(text, { name: rel })),
    );
  }
  // What the command line refuses, the checks refuse, at the same place
  // (`-:LINE:COL: error[CODE]` on standard input).
  const refusals = [
    ["a policy that does not parse", '{"Version": "2012-10-17",\n "Statement": [{"Effect": "Allow",}]}'],
    ["a file that does not read", '{"version": 1,\n "key": {}}'],
    [
      "a file whose policy string does not parse",
      JSON.stringify({ version: 1, key: { arn: "arn:aws:kms:us-east-1:111122223333:key/k", policy: '{"Statement": [}' }, requests: [] }),
    ],
  ];
  for (const [label, text] of refusals) {
    const out = spawnSync(cli, ["--lang", "en", "check", "lockout", "-"], { input: text, encoding: "utf8" });
    const m = /^-(?: \(key\.policy\))?:(\d+):(\d+): error\[([^\]]+)\]/m.exec(out.stderr);
    let thrown;
    try {
      engine.checkLockout(text);
    } catch (e) {
      thrown = e;
    }
    check(`checkLockout refuses ${label}`, out.status === 2 && m && thrown instanceof Error, `cli ${out.status} ${out.stderr}; thrown ${thrown}`);
    if (m && thrown) {
      const want = { code: m[3], line: Number(m[1]), column: Number(m[2]) };
      const got = { code: thrown.code, line: thrown.line, column: thrown.column };
      check(`checkLockout places ${label}`, isDeepStrictEqual(got, want), `wasm ${JSON.stringify(got)} vs cli ${JSON.stringify(want)}`);
    }
  }
  {
    const a = fs.readFileSync(path.join(root, "tests/playground/alice-cross-account.json"), "utf8");
    const b = fs.readFileSync(path.join(root, "tests/playground/bob-same-account.json"), "utf8");
    const out = spawnSync(cli, ["check", "no-new-access", "tests/playground/alice-cross-account.json", "tests/playground/bob-same-account.json"], { cwd: root, encoding: "utf8" });
    let thrown;
    try {
      engine.checkNoNewAccess(a, b);
    } catch (e) {
      thrown = e;
    }
    check(
      "checkNoNewAccess refuses two files for different keys",
      out.status === 2 && /error\[different-keys\]/.test(out.stderr) && thrown && thrown.code === "different-keys" && thrown.path === "new",
      `cli ${out.status} ${out.stderr}; thrown ${thrown && thrown.code} ${thrown && thrown.path}`,
    );
    for (const [label, args, call, code] of [
      ["an unknown action", ["--action", "kms:Nope"], () => engine.checkAccessNotGranted(oldPolicy, { actions: ["kms:Nope"] }), "unknown-action"],
      ["a bad principal", ["--action", "kms:Decrypt", "--principal", "nope"], () => engine.checkAccessNotGranted(oldPolicy, { actions: ["kms:Decrypt"], principals: ["nope"] }), "bad-principal"],
    ]) {
      const out = spawnSync(cli, ["check", "access-not-granted", oldFile, ...args], { encoding: "utf8" });
      let thrown;
      try {
        call();
      } catch (e) {
        thrown = e;
      }
      check(`checkAccessNotGranted refuses ${label}`, out.status === 2 && thrown && thrown.code === code, `cli ${out.status}; thrown ${thrown && thrown.code}`);
    }
  }
  fs.rmSync(scratch, { recursive: true, force: true });
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
