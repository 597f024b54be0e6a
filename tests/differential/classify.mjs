// Compares the engine's answer with the peer's, element by element, and
// names every disagreement. A class is KNOWN when KNOWN.md documents it
// with the AWS page that settles who is right; anything else is
// unexplained and fails the run.

import { OPERATIONS } from './gen.mjs'
import { callerBoundary } from './peer.mjs'

/** Documented classes: name -> one-line summary (details in KNOWN.md). */
export const KNOWN = {
  'notprincipal-partial-list':
    'peer: one matching NotPrincipal entry exempts the caller (its account root exempts every user); AWS: every identity of the caller (session, role, account) must be listed',
  'date-epoch-vs-iso8601':
    'peer compares an epoch-seconds value with an ISO 8601 value (milliseconds) without converting; AWS accepts both formats',
  'resource-arn-case':
    'peer matches the resource part of a Resource ARN without case; AWS: ARNs are case-sensitive',
  'cross-account-operation':
    'peer does not model the KMS operations another account can never call, whatever the policies say',
  'set-operator-ifexists-missing-key':
    'peer ignores IfExists after ForAnyValue:/ForAllValues: when the key is missing (ForAnyValue:...IfExists is false); AWS: IfExists makes a missing key true',
  'unresolved-variable-among-values':
    'a condition lists several values and one holds a policy variable the request cannot fill: peer drops that value, the engine fails the condition (AWS: "might cause the entire statement to be invalid")',
  'arn-operator-variable-split':
    'peer splits an Arn* condition value at every colon before substituting variables, so ${aws:PrincipalAccount} in an ARN never matches',
  'ip-cidr-slash-zero': 'peer: an IPv4 /0 network contains only its own address (-1 << 32 is -1 in JavaScript); AWS: /0 is every address',
  'ip-bare-address-other-family':
    'peer: NotIpAddress with a bare IPv4 (IPv6) address is false for an IPv6 (IPv4) caller; AWS: an address outside the range satisfies NotIpAddress',
  // The rest of the evaluation chain (--chain).
  'vpce-principal-ignored':
    'peer treats every endpoint-policy statement as naming the caller; AWS: an endpoint policy controls "which AWS principals can use the endpoint" with its Principal element',
  'session-policy-session-arn':
    'a key-policy Allow names the session ARN itself: peer still requires a session policy to allow; AWS: what a resource-based policy grants to the session ARN is not limited by the session policies',
  'session-policy-wildcard-principal':
    'a key-policy Allow with Principal "*" and a session policy that does not allow: peer denies, the engine reads "*" as naming the session itself (not limited); AWS does not say',
  'boundary-wildcard-principal-role-caller':
    'a role ARN as caller, a boundary that does not allow and a key-policy Allow with Principal "*": peer lets "*" bypass the boundary, the engine reads it as a grant to the role ARN (limited); AWS does not say'
}

/**
 * Disagreements where the engine is wrong: each has an #[ignore]d failing
 * test until it is fixed. They are counted apart ("skipped"), not as
 * passes; once fixed they no longer occur and the entry can go.
 */
export const ENGINE_BUGS = {
  'missing-key-unresolved-variable':
    'crates/policy/tests/hostile.rs: missing_key_decides_before_an_unresolvable_policy_variable',
  'resource-trailing-wildcard-crosses-colons':
    'crates/policy/tests/hostile.rs: resource_trailing_wildcard_crosses_colons'
}

function norm(code, callerKind) {
  // Ours: exact/any/not-exempted/account/unmatched/owner. Peer: Match,
  // SessionRoleMatch, SessionUserMatch, AccountLevelMatch, NoMatch.
  let n
  switch (code) {
    case 'exact':
    case 'any':
    case 'not-exempted':
    case 'Match':
    case 'SessionRoleMatch':
    case 'SessionUserMatch':
      n = 'direct'
      break
    case 'account':
    case 'AccountLevelMatch':
      n = 'account'
      break
    case 'unmatched':
    case 'NoMatch':
      n = 'none'
      break
    default:
      n = code
  }
  // The root user is its account: naming the root ARN is both at once.
  if (callerKind === 'root' && n === 'account') n = 'direct'
  return n
}

function statementsOf(policy) {
  return [policy.Statement].flat()
}

function conditionsOf(statement) {
  const out = []
  for (const [op, keys] of Object.entries(statement.Condition ?? {})) {
    for (const [key, values] of Object.entries(keys)) out.push({ op, key, values: [values].flat() })
  }
  return out
}

const isEpoch = (v) => /^\d+$/.test(String(v))

function lookup(context, key) {
  const hit = Object.entries(context).find(([k]) => k.toLowerCase() === key.toLowerCase())
  return hit?.[1]
}

/** Does a policy value hold a variable that the context cannot fill? */
function unresolvable(value, context) {
  for (const m of String(value).matchAll(/\$\{([^}]*)\}/g)) {
    const inner = m[1].trim()
    if (['*', '?', '$'].includes(inner) || inner.includes(',')) continue
    const v = lookup(context, inner)
    if (v === undefined || Array.isArray(v)) return true
  }
  return false
}

const IPV4 = /^\d+\.\d+\.\d+\.\d+$/

function classifyCondition(cond, context) {
  const base = cond.op.replace(/^For(Any|All)Values?:/, '').replace(/IfExists$/, '')
  const reqValue = lookup(context, cond.key)
  if (reqValue === undefined && /^For/.test(cond.op) && cond.op.endsWith('IfExists')) return 'set-operator-ifexists-missing-key'
  if (reqValue === undefined && cond.values.some((v) => unresolvable(v, context))) {
    return 'missing-key-unresolved-variable'
  }
  if (reqValue !== undefined && cond.values.length > 1 && cond.values.some((v) => unresolvable(v, context))) {
    return 'unresolved-variable-among-values'
  }
  if (base.startsWith('Arn') && cond.values.some((v) => /\$\{[^}]*:[^}]*\}/.test(v))) return 'arn-operator-variable-split'
  if (base === 'IpAddress' || base === 'NotIpAddress') {
    if (cond.values.some((v) => /^[\d.]+\/0$/.test(v))) return 'ip-cidr-slash-zero'
    if (base === 'NotIpAddress' && reqValue !== undefined) {
      const v4 = [reqValue].flat().every((v) => IPV4.test(v))
      if (cond.values.some((v) => !v.includes('/') && IPV4.test(v) !== v4)) return 'ip-bare-address-other-family'
    }
  }
  if (base.startsWith('Date')) {
    if (reqValue !== undefined) {
      const reqEpoch = [reqValue].flat().every(isEpoch)
      if (cond.values.some((v) => isEpoch(v) !== reqEpoch)) return 'date-epoch-vs-iso8601'
    }
  }
  return `condition:${cond.op}:${cond.key}`
}

/**
 * A sanity check before blaming the peer for an endpoint-policy principal:
 * does the statement list the caller, its role, its account or everyone?
 * (`detail` carries the caller.)
 */
function endpointNamesCaller(statement, caller) {
  if (statement.Principal === undefined) return false
  if (statement.Principal === '*') return true
  const listed = [statement.Principal.AWS ?? []].flat()
  const names = ['*', caller.arn, caller.roleArn, caller.account, caller.account && `arn:aws:iam::${caller.account}:root`]
  return listed.some((p) => names.includes(p)) || [statement.Principal.Service ?? []].flat().includes(caller.service)
}

function classifyStatementDiff(where, component, statement, detail, context, keyArn) {
  switch (component) {
    case 'principal':
      if (where === 'vpce') return endpointNamesCaller(statement, detail) ? `principal:vpce-unmatched-but-named` : 'vpce-principal-ignored'
      return statement.NotPrincipal !== undefined ? 'notprincipal-partial-list' : `principal:${detail}`
    case 'resource': {
      const patterns = [statement.Resource ?? statement.NotResource].flat()
      if (patterns.some((p) => p !== keyArn && p.toLowerCase() === keyArn.toLowerCase())) return 'resource-arn-case'
      if (patterns.some((p) => p.startsWith('arn:') && p.split(':').length < 6 && p.endsWith('*'))) {
        return 'resource-trailing-wildcard-crosses-colons'
      }
      return 'resource'
    }
    case 'action':
      return 'action'
    default:
      return classifyCondition(detail, context)
  }
}

function compareStatements(where, policy, ours, peer, callerKind, context, keyArn, out, offset = 0, peerCaller = undefined) {
  const statements = statementsOf(policy)
  for (const t of ours) {
    const p = peer.find((s) => s.i === t.i + offset)
    const st = statements[t.i]
    if (!p || !st) {
      out.push({ where, i: t.i, component: 'missing', cls: 'trace-missing' })
      continue
    }
    const add = (component, detail) =>
      out.push({ where, i: t.i, component, cls: classifyStatementDiff(where, component, st, detail, context, keyArn) })
    if (where === 'key') {
      const a = norm(t.p, callerKind)
      const b = norm(p.p, callerKind)
      if (a !== b) add('principal', `${a}-vs-${b}:${callerKind}`)
    }
    // The peer matches every endpoint-policy statement's principal.
    if (where === 'vpce' && t.p === 'unmatched') add('principal', peerCaller)
    if (t.a !== p.a) add('action')
    if (t.r !== p.r) add('resource')
    const conds = conditionsOf(st)
    t.c.forEach((c, j) => {
      if (c !== p.c[j]) add('condition', conds[j])
    })
  }
}

/**
 * The layers of the evaluation chain, statement by statement: SCPs and RCPs
 * node by node, the boundary, the session policies, the endpoint policy.
 */
function compareChain(file, req, ours, peer, out) {
  const c = ours.chain
  const pc = peer.chain
  const ctx = peer.context
  const keyArn = file.key.arn
  const kind = peer.caller.kind
  const org = file.organization
  const scpsApply = (c?.scps.length ?? 0) > 0
  if (scpsApply !== pc.scpApplies) out.push({ where: 'scp', component: 'layer', cls: `scp-applies:ours=${scpsApply}` })
  const rcpsApply = (c?.rcps.length ?? 0) > 0
  if (rcpsApply !== pc.rcpApplies) out.push({ where: 'rcp', component: 'layer', cls: `rcp-applies:ours=${rcpsApply}` })
  const boundary = c?.boundary != null
  if (boundary !== (peer.analysis.permissionBoundaryAnalysis !== undefined)) {
    out.push({ where: 'boundary', component: 'layer', cls: `boundary-applies:ours=${boundary}` })
  }
  if (!c) return
  for (const n of c.scps) {
    n.policies.forEach((statements, j) => {
      const peerStatements = pc.scp.filter((s) => s.policy === `scp:${n.node}:${j}`)
      compareStatements('scp', org.scps[n.node][j], statements, peerStatements, kind, ctx, keyArn, out)
    })
  }
  for (const n of c.rcps) {
    // The peer's policy 0 at each node is RCPFullAWSAccess.
    n.policies.forEach((statements, j) => {
      const peerStatements = pc.rcp.filter((s) => s.policy === `rcp:${n.node}:${j + 1}`)
      compareStatements('rcp', org.rcps[n.node][j], statements, peerStatements, kind, ctx, keyArn, out)
    })
  }
  if (c.boundary && pc.boundary.length) {
    compareStatements('boundary', callerBoundary(file, peer.caller), c.boundary, pc.boundary, kind, ctx, keyArn, out)
  }
  // The peer gets every session policy's statements as one policy.
  let offset = 0
  c.session.forEach((statements, j) => {
    compareStatements('session', req.session_policies[j], statements, pc.session, kind, ctx, keyArn, out, offset)
    offset += statementsOf(req.session_policies[j]).length
  })
  if (c.vpce) compareStatements('vpce', req.vpc_endpoint.policy, c.vpce, pc.vpce, kind, ctx, keyArn, out, 0, peer.caller)
}

const WILDCARD = (p) => p === '*' || (typeof p === 'object' && [p.AWS].flat().includes('*'))
const namesArn = (p, arn) => typeof p === 'object' && [p.AWS].flat().includes(arn)

/** Why the decisions differ when every statement of every layer agrees. */
function chainDecisionClass(file, req, ours, peer) {
  const kind = peer.caller.kind
  const keyStatements = statementsOf(file.key.policy)
  const applying = ours.key_policy.filter((t) => t.applies && keyStatements[t.i]?.Effect === 'Allow').map((t) => keyStatements[t.i])
  const a = peer.analysis
  if (ours.decision === 'allowed' && peer.decision === 'implicitDeny' && kind === 'session' && a.sessionAnalysis && a.sessionAnalysis.result !== 'Allowed') {
    if (applying.some((st) => namesArn(st.Principal, req.principal))) return 'session-policy-session-arn'
    if (applying.some((st) => WILDCARD(st.Principal))) return 'session-policy-wildcard-principal'
  }
  if (ours.decision === 'implicitDeny' && peer.decision === 'allowed' && kind === 'role' && a.permissionBoundaryAnalysis && a.permissionBoundaryAnalysis.result !== 'Allowed') {
    if (applying.some((st) => WILDCARD(st.Principal))) return 'boundary-wildcard-principal-role-caller'
  }
  return undefined
}

/**
 * Compares one request. `ours` is the runner's result, `peer` the peer's.
 * Returns { agree, decisionClasses, elementClasses, contextDiffs }.
 */
export function compare(file, req, ours, peer) {
  const callerKind = peer.caller.kind
  const elements = []
  compareStatements('key', file.key.policy, ours.key_policy, peer.keyPolicy, callerKind, peer.context, file.key.arn, elements)
  if (callerKind !== 'root' && callerKind !== 'service') {
    // Identity policies: the caller's, in file order.
    const identity = (file.identities ?? []).find((i) => {
      const c = peer.caller
      return i.arn === c.arn || (c.kind === 'session' && i.arn.split(':')[4] === c.account && i.arn.split('/').at(-1) === c.roleName)
    })
    ours.identity.forEach((statements, n) => {
      const peerStatements = peer.identity.filter((s) => s.policy === String(n))
      compareStatements(`identity[${n}]`, identity.policies[n], statements, peerStatements, callerKind, peer.context, file.key.arn, elements)
    })
  }
  compareChain(file, req, ours, peer, elements)
  // The derived context: every key the spec says the simulator fills in.
  const contextDiffs = []
  const oursCtx = new Map(Object.entries(ours.context).map(([k, v]) => [k.toLowerCase(), v]))
  for (const [k, v] of Object.entries(peer.context)) {
    const o = oursCtx.get(k.toLowerCase())
    if (JSON.stringify(o) !== JSON.stringify(v)) contextDiffs.push(`context:${k}`)
  }
  const agree = ours.decision === peer.decision
  const decisionClasses = new Set()
  if (!agree) {
    const op = req.action.split(':')[1]
    const account = peer.caller.account
    const keyAccount = file.key.arn.split(':')[4]
    if (account && account !== keyAccount && OPERATIONS[op] && !OPERATIONS[op].crossAccount && ours.decision === 'implicitDeny') {
      decisionClasses.add('cross-account-operation')
    }
    for (const e of elements) decisionClasses.add(e.cls)
    for (const c of contextDiffs) decisionClasses.add(c)
    if (decisionClasses.size === 0) {
      const cls = chainDecisionClass(file, req, ours, peer)
      if (cls) decisionClasses.add(cls)
    }
    if (decisionClasses.size === 0) decisionClasses.add(`combination:ours=${ours.decision},peer=${peer.decision},caller=${callerKind}`)
  }
  return {
    agree,
    decisionClasses: [...decisionClasses].sort(),
    elementClasses: [...new Set(elements.map((e) => e.cls))].sort(),
    contextDiffs
  }
}

export const isKnown = (cls) => Object.hasOwn(KNOWN, cls)
export const isEngineBug = (cls) => Object.hasOwn(ENGINE_BUGS, cls)
