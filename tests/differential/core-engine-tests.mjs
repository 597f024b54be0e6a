// Runs @cloud-copilot/iam-simulate's own core-engine test cases
// (src/core_engine/coreEngineTests/ in its repository) through the engine.
//
//   node tests/differential/core-engine-tests.mjs /tmp/iam-simulate/src/core_engine/coreEngineTests
//   node tests/differential/core-engine-tests.mjs DIR --retarget     # also the layer files, moved to KMS
//   node tests/differential/core-engine-tests.mjs DIR --retarget --dump /tmp/core   # write disagreeing cases
//
// The test files are AGPL: they are read from a copy OUTSIDE this
// repository (pass its path) and never copied here; only this converter is
// ours. Each case is converted to a playground file (mapping below) and
// decided by the runner (./runner).
//
// Two sets:
//  - kms cases: every case whose request action is `kms:…`, from any file.
//    Compared with the file's expected response (and with the peer on the
//    same converted file).
//  - --retarget: the cases of the files about the evaluation chain (SCPs,
//    RCPs, boundaries, session policies, endpoints). None of them has a
//    kms: action, so the request is moved to KMS: its action becomes
//    kms:Decrypt, its resource the key, and every action / resource pattern
//    of every policy is rewritten the same way (a pattern that matched the
//    request matches kms:Decrypt / the key, one that did not matches
//    kms:Encrypt / another key). Their expected responses were written for
//    S3 (where a same-account identity policy suffices without a bucket
//    policy), so these are compared with the peer, run on the same
//    converted file, not with the expectation.
//
// Mapping: request.principal/action/context -> requests[0]; resource ->
// key.arn (key/… ARNs only); resourcePolicy -> key.policy (absent: for a
// kms: case a key policy with no statement, for a retargeted case the
// default key policy, "Enable IAM User Permissions", so that IAM policies
// decide as they do where no resource policy exists); identityPolicies ->
// identities[] of the caller (a session's: its role's);
// permissionBoundaries -> permissions_boundary (one); sessionPolicy ->
// session_policies; endpointPolicies -> vpc_endpoint.policy (one);
// serviceControlPolicies / resourceControlPolicies (one entry per level,
// root first) -> organization: level 0 at the root, level i at OU i, the
// account below the last OU. Their harness attaches an allow-all RCP to
// every RCP level, as the playground file does (RCPFullAWSAccess).
// Discovery-mode cases are skipped (only Strict decisions are compared).

import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { compare, isKnown } from './classify.mjs'
import { peerDecide } from './peer.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const argv = process.argv.slice(2)
const dir = argv.find((a, i) => !a.startsWith('--') && argv[i - 1] !== '--dump')
const retarget = argv.includes('--retarget')
const verbose = argv.includes('--verbose')
// --dump DIR: write each disagreeing case's converted playground file there.
const dumpDir = argv.includes('--dump') ? argv[argv.indexOf('--dump') + 1] : null
if (!dir) {
  console.error('usage: node core-engine-tests.mjs PATH/TO/src/core_engine/coreEngineTests [--retarget] [--verbose]')
  process.exit(2)
}

const LAYER_FILES = /^(scps|rcps|sessionPolicies|permissionBoundaries-.*|boundaryNotPrincipalDenyResource|endpoints\/.*|wildcardOnlyActions\/(scps|permissionBoundaries))\.json$/

function walk(d) {
  return readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith('.json') ? [join(d, e.name)] : []
  )
}

const DECISION = { Allowed: 'allowed', ExplicitlyDenied: 'explicitDeny', ImplicitlyDenied: 'implicitDeny' }

const OTHER_KEY = (account) => `arn:aws:kms:us-east-1:${account}:key/00000000-other-key`

/** A glob (IAM `*` and `?`) as a RegExp, case-insensitive or not. */
function glob(pattern, flags = '') {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, flags)
}

/** Rewrites the action and resource patterns of a policy for a request moved to KMS. */
function retargetPolicy(policy, req, keyArn, account) {
  if (!policy) return policy
  const p = JSON.parse(JSON.stringify(policy))
  const action = (a) => {
    if (a === '*') return a
    const service = a.split(':')[0].toLowerCase()
    if (service !== req.action.split(':')[0].toLowerCase()) return a
    if (!glob(a, 'i').test(req.action)) return 'kms:Encrypt'
    return /[*?]/.test(a) ? (a.endsWith(':*') ? 'kms:*' : 'kms:Decr*') : 'kms:Decrypt'
  }
  const resource = (r) => {
    if (r === '*') return r
    if (req.resource.resource !== '*' && glob(r).test(req.resource.resource)) {
      return /[*?]/.test(r) ? `arn:aws:kms:*:${account}:key/*` : keyArn
    }
    return OTHER_KEY(account)
  }
  for (const st of [p.Statement].flat()) {
    for (const k of ['Action', 'NotAction']) if (st[k] !== undefined) st[k] = Array.isArray(st[k]) ? st[k].map(action) : action(st[k])
    for (const k of ['Resource', 'NotResource']) if (st[k] !== undefined) st[k] = Array.isArray(st[k]) ? st[k].map(resource) : resource(st[k])
  }
  return p
}

const ROOT_DELEGATION = (account) => ({
  Version: '2012-10-17',
  Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }]
})

// A kms: case without a resource policy: every KMS key has a key policy, so
// "no resource policy" can only mean one that grants nothing (without the
// "Enable IAM User Permissions" statement IAM policies give no access:
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).
const NO_KEY_GRANT = { Version: '2012-10-17', Statement: [] }

/**
 * Their harness takes two shorthands AWS's grammar does not: a Principal
 * that is a bare ARN string (AWS: "*" or a map such as {"AWS": …}:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html)
 * and endpoint-policy statements without a Principal (AWS: an endpoint
 * policy "must contain a Principal element",
 * https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html).
 * Both are written the way AWS accepts them: {"AWS": ARN}, and "*".
 */
function awsShorthands(policy, { endpoint = false } = {}) {
  if (!policy) return policy
  const p = JSON.parse(JSON.stringify(policy))
  for (const st of [p.Statement].flat()) {
    for (const k of ['Principal', 'NotPrincipal']) {
      if (typeof st[k] === 'string' && st[k] !== '*') st[k] = { AWS: st[k] }
    }
    if (endpoint && st.Principal === undefined && st.NotPrincipal === undefined) st.Principal = '*'
  }
  return p
}

function callerIdentityArn(principal) {
  const m = /^arn:(aws[\w-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(principal)
  if (m) return `arn:${m[1]}:iam::${m[2]}:role/${m[3]}`
  return principal
}

/** One test case -> { pg: playground file } or { skip: reason }. */
function convert(tc, moved) {
  if (tc.simulation?.mode && tc.simulation.mode !== 'Strict') return { skip: 'discovery mode' }
  const req = tc.request
  const principal = req.principal
  if (!principal || principal === '*' || principal === 'anonymous') return { skip: 'anonymous caller' }
  if (!/^arn:aws:(iam|sts)::\d{12}:/.test(principal) && !principal.endsWith('.amazonaws.com')) {
    return { skip: `caller not modelled: ${principal}` }
  }
  if (/:federated-user\//.test(principal) || /:(group|oidc-provider|saml-provider)\//.test(principal)) return { skip: 'federated caller' }
  const account = req.resource?.accountId ?? '123456789012'
  let keyArn
  let policies = (p) => p
  if (moved) {
    keyArn = `arn:aws:kms:us-east-1:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`
    policies = (p) => retargetPolicy(p, req, keyArn, account)
  } else {
    const r = req.resource?.resource
    if (!r || !/^arn:aws:kms:[^:]*:\d{12}:key\//.test(r)) return { skip: `resource is not a key: ${r}` }
    keyArn = r
  }
  const file = {
    version: 1,
    key: { arn: keyArn, policy: tc.resourcePolicy ? awsShorthands(policies(tc.resourcePolicy)) : moved ? ROOT_DELEGATION(account) : NO_KEY_GRANT },
    identities: [],
    requests: [{ name: tc.name, principal, action: moved ? 'kms:Decrypt' : req.action }]
  }
  if (req.context && Object.keys(req.context).length) file.requests[0].context = req.context
  const identity = { arn: callerIdentityArn(principal), policies: (tc.identityPolicies ?? []).map(policies) }
  if (tc.permissionBoundaries?.length) {
    if (tc.permissionBoundaries.length > 1) return { skip: 'more than one permissions boundary' }
    identity.permissions_boundary = policies(tc.permissionBoundaries[0])
  }
  if (!principal.endsWith('.amazonaws.com') && !/:root$/.test(principal)) file.identities.push(identity)
  else if (identity.policies.length) return { skip: 'identity policies on a root or service caller' }
  if (tc.sessionPolicy) {
    if (!principal.includes(':assumed-role/')) return { skip: 'session policy on a caller that is not a session' }
    file.requests[0].session_policies = [policies(tc.sessionPolicy)]
  }
  if (tc.endpointPolicies?.length) {
    if (tc.endpointPolicies.length > 1) return { skip: 'more than one endpoint policy' }
    file.requests[0].vpc_endpoint = { id: 'vpce-0c0e0a0b', vpc: 'vpc-0c0e0a0b', policy: awsShorthands(policies(tc.endpointPolicies[0]), { endpoint: true }) }
  }
  const scps = tc.serviceControlPolicies ?? []
  const rcps = tc.resourceControlPolicies ?? []
  if (scps.length || rcps.length) {
    const principalAccount = principal.split(':')[4]
    if (scps.length && rcps.length && principalAccount !== account) return { skip: 'SCPs and RCPs for two accounts' }
    const depth = Math.max(scps.length, rcps.length)
    const nodes = ['r-core', ...Array.from({ length: depth - 1 }, (_, i) => `ou-core-${i + 1}`)]
    const org = { id: 'o-coretests1', root: 'r-core', management_account: '000000000000', accounts: {}, scps: {}, rcps: {} }
    if (scps.length) org.accounts[principalAccount] = nodes.slice(1)
    if (rcps.length) org.accounts[account] = nodes.slice(1)
    scps.forEach((level, i) => (org.scps[nodes[i]] = (level.policies ?? []).map(policies)))
    // RCPFullAWSAccess is attached by the file format; the level's own Allow-everything statements add nothing.
    rcps.forEach((level, i) => (org.rcps[nodes[i]] = (level.policies ?? []).map(policies)))
    file.organization = org
  }
  return { pg: file }
}

function buildRunner() {
  const manifest = join(here, 'runner', 'Cargo.toml')
  const b = spawnSync('cargo', ['build', '--release', '--quiet', '--manifest-path', manifest], { stdio: 'inherit' })
  if (b.status !== 0) process.exit(2)
  return join(here, 'runner', 'target', 'release', 'kmsplay-diff-runner')
}

const cases = []
let totalKms = 0
for (const path of walk(dir).sort()) {
  const name = relative(dir, path)
  const tests = JSON.parse(readFileSync(path, 'utf8'))
  const list = Array.isArray(tests) ? tests : []
  for (const tc of list) {
    const isKms = /^kms:/i.test(tc.request?.action ?? '')
    const layer = LAYER_FILES.test(name)
    if (isKms) totalKms++
    if (isKms) cases.push({ set: 'kms', file: name, tc, ...convert(tc, false) })
    else if (retarget && layer) cases.push({ set: 'retargeted', file: name, tc, ...convert(tc, true) })
  }
}

const runnable = cases.filter((c) => c.pg && !c.skip)
const runner = spawn(buildRunner(), [], { stdio: ['pipe', 'pipe', 'inherit'] })
const lines = createInterface({ input: runner.stdout })
for (const c of runnable) runner.stdin.write(JSON.stringify(c.pg) + '\n')
runner.stdin.end()
let i = 0
for await (const line of lines) {
  const c = runnable[i++]
  const out = JSON.parse(line)
  if (!out.ok) {
    c.ours = `refused (${out.error} at ${out.path})`
    continue
  }
  c.ours = out.results[0].decision
  try {
    const peer = peerDecide(c.pg, 0)
    c.peer = peer.decision
    // Where the engine and the peer differ: the differential test's classes.
    if (c.peer !== c.ours) c.classes = compare(c.pg, c.pg.requests[0], out.results[0], peer).decisionClasses
  } catch (e) {
    c.peer = `error: ${e.message}`
  }
  c.expected = DECISION[c.tc.expected?.response] ?? c.tc.expected?.response
}

for (const set of ['kms', 'retargeted']) {
  const all = cases.filter((c) => c.set === set)
  if (!all.length && set === 'retargeted') continue
  const ran = all.filter((c) => !c.skip)
  const ref = (c) => (set === 'kms' ? c.expected : c.peer)
  const agree = ran.filter((c) => c.ours === ref(c))
  console.log(
    `${set === 'kms' ? 'kms: cases (vs. the expected response)' : 'layer files moved to KMS (vs. the peer on the same file)'}: ` +
      `${all.length} cases, ${ran.length} run, ${agree.length} agree, ${ran.length - agree.length} disagree, ${all.length - ran.length} not convertible`
  )
  const perFile = new Map()
  for (const c of all) {
    const e = perFile.get(c.file) ?? { n: 0, run: 0, agree: 0 }
    e.n++
    if (!c.skip) e.run++
    if (!c.skip && c.ours === ref(c)) e.agree++
    perFile.set(c.file, e)
  }
  for (const [f, e] of perFile) console.log(`    ${f}: ${e.n} cases, ${e.run} run, ${e.agree} agree`)
  for (const c of all) {
    if (c.skip) {
      if (verbose) console.log(`  skip  ${c.file} "${c.tc.name}": ${c.skip}`)
      continue
    }
    if (c.ours !== ref(c) && dumpDir) {
      mkdirSync(dumpDir, { recursive: true })
      writeFileSync(join(dumpDir, `${set}-${c.file.replace(/\W+/g, '_')}-${all.indexOf(c)}.json`), JSON.stringify(c.pg, null, 2) + '\n')
    }
    if (c.ours !== ref(c) || verbose) {
      const why = c.classes ? ` [${c.classes.map((k) => (isKnown(k) ? k : `UNEXPLAINED ${k}`)).join(' + ')}]` : ''
      console.log(`  ${c.ours === ref(c) ? 'agree' : 'DIFF '} ${c.file} "${c.tc.name}": ours ${c.ours}, expected ${c.expected}, peer ${c.peer}${why}`)
    }
  }
}
console.log(`(kms: actions in the whole test directory: ${totalKms}; in the SCP/RCP/boundary/session/endpoint files: ${cases.filter((c) => c.set === 'kms' && LAYER_FILES.test(c.file)).length})`)
