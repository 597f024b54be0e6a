// Our wasm engine against @cloud-copilot/iam-simulate, in one Node process,
// on the same requests.
//
//   scripts/wasm-pack && (cd bench/node && npm ci) && node bench/node/compare.mjs [--disagreements] [--quick]
//
// Requests: every request of tests/playground/*.json that the peer can
// express — the key must be Enabled (the peer has no key states), no grant
// may concern the caller and no grant tokens be sent (it has no grants),
// the key reference must be the file's key — plus Alice's cross-account
// Decrypt against the synthetic 10-statement and 32 KB key policies of
// bench/fixtures.rs. Identity policies are given to both engines (the peer
// takes them).
//
// As in tests/differential (its KNOWN.md, "Modelling adaptations"): the
// account root, which has no IAM policy but every permission in its own
// account, is given an implicit `Allow * on *` identity policy.
//
// The peer derives no condition keys from a request (aws:PrincipalArn,
// kms:CallerAccount, kms:EncryptionContext:*, …), so it is given the keys
// our engine derived for that request (the trace's `context`), which
// include the request's own `context`.
//
// The peer is measured two ways:
//   - `authorize`, its core, called as its own tests call it
//     (src/core_engine/coreSimulatorEngine.test.ts): policies loaded once
//     with `loadPolicy`, then `authorize({request: new AwsRequestImpl(…),
//     …})` per request;
//   - `runSimulation`, its public API, which validates and loads every
//     policy per call and drops condition keys it does not list for the
//     action — `kms:EncryptionContext:*` among them — so its answers
//     differ where a policy reads the encryption context.
// Ours:
//   - `Playground.decide(requestJson)`: the file read once, each request's
//     JSON read, decided, and returned as a result object with reasons in
//     words (`decisionOf` returns only "decision outcome");
//   - `simulate(fileJson)`: each file's text with only those requests,
//     parsed and decided whole, traces included (as the command line's
//     JSON), and without traces.
// The peer's whole-file figure is the same work: JSON.parse of the same
// text, `loadPolicy` of its policies, `authorize` of each request.
//
// Agreement: how many requests both engines decide the same (allowed,
// explicit deny, implicit deny); printed, never a failure.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as fixtures from "./policies.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const args = new Set(process.argv.slice(2));
const QUICK = args.has("--quick");

// --- the engines -------------------------------------------------------------

const pkg = path.resolve(root, process.env.KMSPLAY_WASM_PKG || "target/wasm-pkg");
const ours = await import(pathToFileURL(path.join(pkg, "nodejs/kmsplay_engine.js")).href);

const peerDir = path.join(here, "node_modules/@cloud-copilot/iam-simulate");
const peerVersion = JSON.parse(fs.readFileSync(path.join(peerDir, "package.json"), "utf8")).version;
const dist = pathToFileURL(path.join(peerDir, "dist/esm/")).href;
// The core is not in the package's exports: import its files as its tests do.
const { authorize } = await import(new URL("core_engine/CoreSimulatorEngine.js", dist));
const { AwsRequestImpl } = await import(new URL("request/request.js", dist));
const { RequestContextImpl } = await import(new URL("requestContext.js", dist));
const { DiscoveryContextKeyConstraints } = await import(
  new URL("context_keys/discoveryContextKeyConstraints.js", dist)
);
const { runSimulation, isWildcardOnlyAction } = await import("@cloud-copilot/iam-simulate");
const { loadPolicy } = await import("@cloud-copilot/iam-policy");

const strict = () => ({
  simulationMode: "Strict",
  discoveryContextKeyConstraints: new DiscoveryContextKeyConstraints([]),
});

const PEER_RESULT = {
  Allowed: "allowed",
  ExplicitlyDenied: "explicitDeny",
  ImplicitlyDenied: "implicitDeny",
};

// --- the cases ---------------------------------------------------------------

const ROOT_IMPLICIT = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
};
const asObject = (p) => (typeof p === "string" ? JSON.parse(p) : p);
const accountOf = (arn) => arn.split(":")[4];

/**
 * One file's expressible requests: our inputs (request JSON strings, a
 * file text with only them) and the peer's (loaded policies, per request
 * principal, action, resource, context).
 */
async function prepare(label, text) {
  const file = JSON.parse(text);
  const report = ours.simulate(text, { trace: true });
  const key = file.key;
  const skipped = { state: 0, grants: 0, keyRef: 0, peerError: 0 };
  if ((key.state ?? "Enabled") !== "Enabled") {
    skipped.state = file.requests.length;
    return { label, cases: [], skipped };
  }
  let keyPolicy;
  try {
    keyPolicy = asObject(key.policy);
  } catch {
    skipped.peerError = file.requests.length;
    return { label, cases: [], skipped };
  }
  const identities = new Map((file.identities ?? []).map((i) => [i.arn, i.policies ?? []]));
  const cases = [];
  for (const [i, request] of file.requests.entries()) {
    const result = report.results[i];
    const trace = result.trace;
    if ((request.grant_tokens ?? []).length > 0 || trace.grants.some((g) => g.grantee || g.grantee_account)) {
      skipped.grants++;
      continue;
    }
    if (result.outcome === "NotFoundException") {
      skipped.keyRef++;
      continue;
    }
    let identityPolicies;
    try {
      identityPolicies = trace.identity_policies.map((ip) => ({
        name: `${ip.identity}#${ip.policy}`,
        policy: asObject(identities.get(ip.identity)[ip.policy]),
      }));
    } catch {
      skipped.peerError++;
      continue;
    }
    if (/^arn:aws[\w-]*:iam::\d{12}:root$/.test(request.principal)) {
      identityPolicies.push({ name: "root-implicit", policy: ROOT_IMPLICIT });
    }
    const action = result.action;
    const wildcardOnly = await isWildcardOnlyAction("kms", action.slice(4));
    cases.push({
      name: result.name,
      request,
      requestJson: JSON.stringify(request),
      ourDecision: result.decision,
      principal: request.principal,
      action,
      resource: wildcardOnly ? "*" : key.arn,
      wildcardOnly,
      accountId: accountOf(key.arn),
      context: trace.context,
      identityPolicies,
    });
  }
  // The peer's loaded policies, once per file (as its tests load them).
  const loadedKey = loadPolicy(keyPolicy, { name: "KeyPolicy" });
  const loadedIdentity = new Map();
  for (const c of cases) {
    c.loadedIdentity = c.identityPolicies.map((p) => {
      if (!loadedIdentity.has(p.name)) loadedIdentity.set(p.name, loadPolicy(p.policy, { name: p.name }));
      return loadedIdentity.get(p.name);
    });
  }
  // Keep only what the peer's core accepts.
  const kept = [];
  for (const c of cases) {
    try {
      c.peerDecision = PEER_RESULT[peerAuthorize(loadedKey, c).result] ?? "?";
      kept.push(c);
    } catch {
      skipped.peerError++;
    }
  }
  const only = { ...file, requests: kept.map((c) => c.request) };
  const fileText = kept.length === file.requests.length ? text : JSON.stringify(only, null, 2);
  return {
    label,
    text: fileText,
    playground: new ours.Playground(text),
    keyPolicy,
    loadedKey,
    cases: kept,
    skipped,
  };
}

function peerAuthorize(loadedKey, c, identityPolicies = c.loadedIdentity) {
  return authorize({
    request: new AwsRequestImpl(
      c.principal,
      { resource: c.resource, accountId: c.accountId },
      c.action,
      new RequestContextImpl(c.context),
      c.wildcardOnly,
    ),
    sessionPolicy: undefined,
    identityPolicies,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: loadedKey,
    permissionBoundaries: undefined,
    vpcEndpointPolicies: undefined,
    simulationParameters: strict(),
  });
}

function simulation(set, c) {
  return {
    request: {
      principal: c.principal,
      action: c.action,
      resource: { resource: c.resource, accountId: c.accountId },
      contextVariables: c.context,
    },
    identityPolicies: c.identityPolicies,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: set.keyPolicy,
  };
}

/** The peer's whole-file work: parse the text, load the policies, decide. */
function peerWholeFile(set) {
  const file = JSON.parse(set.text);
  const key = loadPolicy(asObject(file.key.policy), { name: "KeyPolicy" });
  const policies = new Map();
  for (const id of file.identities ?? []) {
    (id.policies ?? []).forEach((p, j) => policies.set(`${id.arn}#${j}`, loadPolicy(asObject(p), { name: `${id.arn}#${j}` })));
  }
  policies.set("root-implicit", loadPolicy(ROOT_IMPLICIT, { name: "root-implicit" }));
  let n = 0;
  for (const c of set.cases) {
    peerAuthorize(key, c, c.identityPolicies.map((p) => policies.get(p.name)));
    n++;
  }
  return n;
}

// --- timing ------------------------------------------------------------------
//
// These machines are shared: other work comes and goes. So the workloads
// of one comparison run in alternation, ROUNDS short rounds each, and each
// keeps its best round — the one least disturbed — for its rate. Both sides
// of a ratio saw the same conditions.

const ROUND_MS = QUICK ? 40 : 100;
const ROUNDS = QUICK ? 6 : 30;

/** Items per second of each workload: `{name: [fn, items per call, async?]}`. */
async function race(workloads) {
  const best = Object.fromEntries(Object.keys(workloads).map((k) => [k, 0]));
  const round = async ([fn, items, isAsync], ms) => {
    let calls = 0;
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < ms) {
      if (isAsync) await fn();
      else fn();
      calls++;
      t = performance.now();
    }
    return (calls * items * 1000) / (t - t0);
  };
  for (const w of Object.values(workloads)) await round(w, ROUND_MS); // warm-up
  for (let r = 0; r < ROUNDS; r++) {
    for (const [k, w] of Object.entries(workloads)) best[k] = Math.max(best[k], await round(w, ROUND_MS));
  }
  return best;
}

const fmt = (n) => (n >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(1));
const us = (perSecond) => (1e6 / perSecond).toFixed(perSecond > 1e5 ? 2 : 1);
function row(name, perSecond) {
  console.log(`  ${name.padEnd(58)} ${fmt(perSecond).padStart(12)} req/s ${us(perSecond).padStart(9)} µs/req`);
}

// --- run ---------------------------------------------------------------------

const dir = path.join(root, "tests/playground");
const sets = [];
for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
  sets.push(await prepare(f, fs.readFileSync(path.join(dir, f), "utf8")));
}
const total = sets.reduce((n, s) => n + s.cases.length + Object.values(s.skipped).reduce((a, b) => a + b, 0), 0);
const usable = sets.filter((s) => s.cases.length > 0);
const cases = usable.flatMap((s) => s.cases.map((c) => ({ set: s, c })));
const skipped = sets.reduce((acc, s) => {
  for (const [k, v] of Object.entries(s.skipped)) acc[k] = (acc[k] ?? 0) + v;
  return acc;
}, {});

console.log(`Node ${process.version}; ours: ${pkg} (${ours.version()}); peer: @cloud-copilot/iam-simulate ${peerVersion}`);
console.log(
  `tests/playground: ${total} requests, ${cases.length} the peer can express ` +
    `(left out: ${skipped.state} key state, ${skipped.grants} grants, ${skipped.keyRef} other key, ${skipped.peerError} peer cannot load)`,
);

// Agreement.
const agreeCore = cases.filter(({ c }) => c.peerDecision === c.ourDecision);
let simAgree = 0;
let simRefused = 0;
const simDisagree = [];
for (const { set, c } of cases) {
  const r = await runSimulation(simulation(set, c), {});
  if (r.resultType === "error") {
    simRefused++;
    continue;
  }
  const d = PEER_RESULT[r.overallResult] ?? r.overallResult;
  if (d === c.ourDecision) simAgree++;
  else simDisagree.push({ set, c, d });
}
console.log(`\nAgreement (same decision):`);
console.log(`  peer authorize (core):   ${agreeCore.length} of ${cases.length}`);
console.log(
  `  peer runSimulation:      ${simAgree} of ${cases.length - simRefused}` +
    (simRefused ? ` (${simRefused} refused by its validation)` : ""),
);
if (args.has("--disagreements")) {
  for (const { set, c } of cases.filter(({ c }) => c.peerDecision !== c.ourDecision)) {
    console.log(`    authorize: ${set.label} "${c.name}": ours ${c.ourDecision}, peer ${c.peerDecision}`);
  }
  for (const { set, c, d } of simDisagree) {
    console.log(`    runSimulation: ${set.label} "${c.name}": ours ${c.ourDecision}, peer ${d}`);
  }
}

// Throughput on the fixtures' requests.
console.log(`\nThroughput, tests/playground (${cases.length} requests in ${usable.length} files; best of ${ROUNDS} rounds of ${ROUND_MS} ms, in alternation):`);
const n = cases.length;
const t = await race({
  decide: [() => { for (const { set, c } of cases) set.playground.decide(c.requestJson); }, n],
  decisionOf: [() => { for (const { set, c } of cases) set.playground.decisionOf(c.requestJson); }, n],
  authorize: [() => { for (const { set, c } of cases) peerAuthorize(set.loadedKey, c); }, n],
  runSimulation: [async () => { for (const { set, c } of cases) await runSimulation(simulation(set, c), {}); }, n, true],
  whole: [() => { for (const s of usable) ours.simulate(s.text); }, n],
  wholeNoTrace: [() => { for (const s of usable) ours.simulate(s.text, { trace: false }); }, n],
  peerWhole: [() => { for (const s of usable) peerWholeFile(s); }, n],
});
row("ours  Playground.decide (result object)", t.decide);
row("ours  Playground.decisionOf", t.decisionOf);
row("peer  authorize (core, policies loaded once)", t.authorize);
row("peer  runSimulation", t.runSimulation);
row("ours  simulate(file), whole files, traces (as the CLI)", t.whole);
row("ours  simulate(file, {trace: false}), whole files", t.wholeNoTrace);
row("peer  whole files: JSON.parse + loadPolicy + authorize", t.peerWhole);

const ratios = [
  ["Playground.decide / peer authorize", t.decide / t.authorize, 200],
  ["Playground.decide / peer runSimulation", t.decide / t.runSimulation],
  ["Playground.decisionOf / peer authorize", t.decisionOf / t.authorize],
  ["simulate whole files (traces) / peer whole files", t.whole / t.peerWhole, 20],
  ["simulate whole files (no traces) / peer whole files", t.wholeNoTrace / t.peerWhole, 20],
];

// The synthetic policies of the native benchmarks.
console.log(`\nThroughput, Alice's cross-account Decrypt (bench/fixtures.rs):`);
for (const [name, policy] of [
  ["10 statements", fixtures.tenStatements()],
  ["32 KB", fixtures.atLimit()],
]) {
  const text = fixtures.playgroundFile(policy);
  const pg = new ours.Playground(text);
  const set = await prepare(name, text);
  const c = set.cases[0];
  if (pg.decide(fixtures.ALICE_REQUEST).decision !== "allowed" || c.peerDecision !== "allowed") {
    throw new Error(`${name}: both engines should allow Alice`);
  }
  const r = await race({
    decide: [() => pg.decide(fixtures.ALICE_REQUEST), 1],
    authorize: [() => peerAuthorize(set.loadedKey, c), 1],
    whole: [() => ours.simulate(text, { trace: false }), 1],
    peerWhole: [() => peerWholeFile(set), 1],
  });
  row(`ours  Playground.decide: ${name}`, r.decide);
  row(`peer  authorize: ${name}`, r.authorize);
  row(`ours  simulate(file, {trace: false}): ${name}`, r.whole);
  row(`peer  whole file: ${name}`, r.peerWhole);
  ratios.push([`Playground.decide / peer authorize, ${name}`, r.decide / r.authorize, 200]);
  ratios.push([`simulate (no traces) / peer whole file, ${name}`, r.whole / r.peerWhole, 20]);
  pg.free();
}

console.log(`\nRatios (ours / peer; higher is faster):`);
for (const [name, r, target] of ratios) {
  const mark = target ? (r >= target ? `  (target ≥ ${target}×: met)` : `  (target ≥ ${target}×: NOT met)`) : "";
  console.log(`  ${name.padEnd(58)} ${r.toFixed(1).padStart(8)}×${mark}`);
}
