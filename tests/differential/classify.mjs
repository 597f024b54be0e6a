// Compares the engine's answer with the peer's, element by element, and
// names every disagreement. A class is KNOWN when KNOWN.md documents it
// with the AWS page that settles who is right; anything else is
// unexplained and fails the run.

import { OPERATIONS } from './gen.mjs'

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
    'peer: NotIpAddress with a bare IPv4 (IPv6) address is false for an IPv6 (IPv4) caller; AWS: an address outside the range satisfies NotIpAddress'
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

function classifyStatementDiff(component, statement, detail, context, keyArn) {
  switch (component) {
    case 'principal':
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

function compareStatements(where, policy, ours, peer, callerKind, context, keyArn, out) {
  const statements = statementsOf(policy)
  for (const t of ours) {
    const p = peer.find((s) => s.i === t.i)
    const st = statements[t.i]
    if (!p || !st) {
      out.push({ where, i: t.i, component: 'missing', cls: 'trace-missing' })
      continue
    }
    const add = (component, detail) =>
      out.push({ where, i: t.i, component, cls: classifyStatementDiff(component, st, detail, context, keyArn) })
    if (where === 'key') {
      const a = norm(t.p, callerKind)
      const b = norm(p.p, callerKind)
      if (a !== b) add('principal', `${a}-vs-${b}:${callerKind}`)
    }
    if (t.a !== p.a) add('action')
    if (t.r !== p.r) add('resource')
    const conds = conditionsOf(st)
    t.c.forEach((c, j) => {
      if (c !== p.c[j]) add('condition', conds[j])
    })
  }
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
