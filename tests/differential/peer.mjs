// The peer: @cloud-copilot/iam-simulate's core `authorize`, called the way
// its own tests call it (src/core_engine/coreSimulatorEngine.test.ts):
// loaded policies, an AwsRequestImpl and a RequestContextImpl. Its public
// `runSimulation` is not used because it drops every context key that its
// IAM data does not list for the action, kms:EncryptionContext:* included.
//
// The request context is derived here from the playground file, on our own
// reading of the spec (shared/spec/scenarios.md §0) and AWS's KMS condition
// key pages, independently of the engine, so that the engine's derivation
// is under test too.

import { loadPolicy } from '@cloud-copilot/iam-policy'
import { authorize } from './node_modules/@cloud-copilot/iam-simulate/dist/esm/core_engine/CoreSimulatorEngine.js'
import { DiscoveryContextKeyConstraints } from './node_modules/@cloud-copilot/iam-simulate/dist/esm/context_keys/discoveryContextKeyConstraints.js'
import { AwsRequestImpl } from './node_modules/@cloud-copilot/iam-simulate/dist/esm/request/request.js'
import { RequestContextImpl } from './node_modules/@cloud-copilot/iam-simulate/dist/esm/requestContext.js'

const SIMULATION = {
  simulationMode: 'Strict',
  discoveryContextKeyConstraints: new DiscoveryContextKeyConstraints([])
}

/** Operations whose request carries an encryption context. */
const CONTEXT_OPERATIONS = new Set([
  'CreateGrant',
  'Decrypt',
  'Encrypt',
  'GenerateDataKey',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'GenerateDataKeyWithoutPlaintext',
  'ReEncryptFrom',
  'ReEncryptTo'
])

/** The caller as the spec describes it. */
export function describeCaller(principal) {
  if (principal.endsWith('.amazonaws.com')) return { kind: 'service', service: principal }
  const parts = principal.split(':')
  const account = parts[4]
  const resource = parts.slice(5).join(':')
  if (parts[2] === 'iam' && resource === 'root') return { kind: 'root', account, arn: principal }
  if (parts[2] === 'iam' && resource.startsWith('user/')) {
    return { kind: 'user', account, arn: principal, name: resource.split('/').at(-1) }
  }
  if (parts[2] === 'iam' && resource.startsWith('role/')) {
    return { kind: 'role', account, arn: principal, roleArn: principal }
  }
  if (parts[2] === 'sts' && resource.startsWith('assumed-role/')) {
    const roleName = resource.split('/')[1]
    return { kind: 'session', account, arn: principal, roleArn: `arn:${parts[1]}:iam::${account}:role/${roleName}`, roleName }
  }
  throw new Error(`caller not modelled: ${principal}`)
}

function keyAccount(file) {
  return file.key.arn.split(':')[4]
}

/** The condition keys of the request, derived from the file (spec §0). */
export function deriveContext(file, req) {
  const caller = describeCaller(req.principal)
  const key = file.key
  const op = req.action.split(':')[1]
  const ctx = {}
  if (caller.kind === 'service') {
    ctx['aws:PrincipalIsAWSService'] = 'true'
    ctx['aws:PrincipalServicePrincipal'] = caller.service
  } else {
    ctx['aws:PrincipalArn'] = caller.kind === 'session' ? caller.roleArn : caller.arn
    ctx['aws:PrincipalAccount'] = caller.account
    ctx['kms:CallerAccount'] = caller.account
    ctx['aws:PrincipalIsAWSService'] = 'false'
    if (caller.kind === 'user') ctx['aws:username'] = caller.name
  }
  const spec = key.spec ?? 'SYMMETRIC_DEFAULT'
  ctx['kms:KeySpec'] = spec
  ctx['kms:KeyUsage'] = key.usage ?? 'ENCRYPT_DECRYPT'
  ctx['kms:KeyOrigin'] = key.origin ?? 'AWS_KMS'
  for (const [k, v] of Object.entries(key.tags ?? {})) ctx[`aws:ResourceTag/${k}`] = v
  if ((key.aliases ?? []).length) ctx['kms:ResourceAliases'] = [...key.aliases]
  if (req.key) {
    const alias = req.key.startsWith('alias/') ? req.key : req.key.split(':').slice(5).join(':')
    if (alias.startsWith('alias/') && (key.aliases ?? []).includes(alias)) ctx['kms:RequestAlias'] = alias
  }
  // Only symmetric encryption keys take an encryption context (CreateGrant's
  // constraints do on any key).
  const ec = req.encryption_context ?? {}
  if (CONTEXT_OPERATIONS.has(op) && Object.keys(ec).length && (spec === 'SYMMETRIC_DEFAULT' || op === 'CreateGrant')) {
    for (const [k, v] of Object.entries(ec)) ctx[`kms:EncryptionContext:${k}`] = v
    ctx['kms:EncryptionContextKeys'] = Object.keys(ec)
  }
  // The rest of the chain (playground-file.md, "The rest of the evaluation
  // chain"): the organization's keys, the endpoint's.
  const org = file.organization
  const sourceAccount = Object.entries(req.context ?? {}).find(([k]) => k.toLowerCase() === 'aws:sourceaccount')?.[1]
  if (org) {
    if (caller.kind !== 'service' && orgPath(org, caller.account)) {
      ctx['aws:PrincipalOrgID'] = org.id
      ctx['aws:PrincipalOrgPaths'] = [orgPath(org, caller.account)]
    }
    if (orgPath(org, keyAccount(file))) {
      ctx['aws:ResourceOrgID'] = org.id
      ctx['aws:ResourceOrgPaths'] = [orgPath(org, keyAccount(file))]
    }
    if (typeof sourceAccount === 'string' && orgPath(org, sourceAccount)) {
      ctx['aws:SourceOrgID'] = org.id
      ctx['aws:SourceOrgPaths'] = [orgPath(org, sourceAccount)]
    }
  }
  if (req.vpc_endpoint) {
    ctx['aws:SourceVpce'] = req.vpc_endpoint.id
    if (req.vpc_endpoint.vpc) ctx['aws:SourceVpc'] = req.vpc_endpoint.vpc
  }
  // Keys given by hand replace derived ones (in any case).
  for (const [k, v] of Object.entries(req.context ?? {})) {
    for (const existing of Object.keys(ctx)) {
      if (existing.toLowerCase() === k.toLowerCase()) delete ctx[existing]
    }
    ctx[k] = v
  }
  return ctx
}

/** An account's OU path in the organization, or undefined outside it. */
export function orgOus(org, account) {
  if (account === org.management_account) return []
  return Object.hasOwn(org.accounts ?? {}, account) ? org.accounts[account] : undefined
}

/** aws:PrincipalOrgPaths / aws:ResourceOrgPaths of an account: o-…/r-…/ou-…/ with a trailing slash. */
export function orgPath(org, account) {
  const ous = orgOus(org, account)
  if (ous === undefined) return undefined
  return `${org.id}/${org.root}/${ous.map((o) => `${o}/`).join('')}`
}

/** A service-linked role or one of its sessions (path aws-service-role/, names AWSServiceRoleFor…). */
export function isServiceLinkedRole(caller) {
  if (caller.kind === 'session') return caller.roleName.startsWith('AWSServiceRoleFor')
  if (caller.kind === 'role') return caller.arn.includes(':role/aws-service-role/') || caller.arn.split('/').at(-1).startsWith('AWSServiceRoleFor')
  return false
}

/**
 * The SCPs that apply to the caller, root first, one level per node: only
 * IAM principals of member accounts (not the management account, service
 * principals or service-linked roles). A node not listed has FullAWSAccess.
 */
export function applicableScps(file, caller) {
  const org = file.organization
  if (!org || caller.kind === 'service' || caller.account === org.management_account || isServiceLinkedRole(caller)) return []
  const ous = orgOus(org, caller.account)
  if (ous === undefined) return []
  return [org.root, ...ous, caller.account].map((node) => ({
    orgIdentifier: node,
    policies: (Object.hasOwn(org.scps ?? {}, node) ? org.scps[node] : [FULL_AWS_ACCESS]).map((p, i) => loadPolicy(p, { name: `scp:${node}:${i}` }))
  }))
}

/**
 * The RCPs that apply to the request: every caller of a key in a member
 * account (services included), with RCPFullAWSAccess at every node; not a
 * key of the management account, not kms:RetireGrant, not a
 * service-linked role's call.
 */
export function applicableRcps(file, caller, op) {
  const org = file.organization
  const account = keyAccount(file)
  if (!org || account === org.management_account || op === 'RetireGrant' || isServiceLinkedRole(caller)) return []
  const ous = orgOus(org, account)
  if (ous === undefined) return []
  return [org.root, ...ous, account].map((node) => ({
    orgIdentifier: node,
    policies: [RCP_FULL_AWS_ACCESS, ...(org.rcps?.[node] ?? [])].map((p, i) => loadPolicy(p, { name: `rcp:${node}:${i}` }))
  }))
}

const FULL_AWS_ACCESS = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }
const RCP_FULL_AWS_ACCESS = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] }

/** The caller's permissions boundary (a session uses its role's). */
export function callerBoundary(file, caller) {
  if (caller.kind === 'service' || caller.kind === 'root') return undefined
  const identity = (file.identities ?? []).find(
    (i) => i.arn === caller.arn || (caller.kind === 'session' && sameRole(i.arn, caller.roleArn))
  )
  return identity?.permissions_boundary
}

/** Root has every permission in its own account without an IAM policy. */
const ROOT_IDENTITY_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }]
}

function sameRole(a, b) {
  const pa = a.split(':')
  const pb = b.split(':')
  return pa[4] === pb[4] && pa[5]?.startsWith('role/') && pb[5]?.startsWith('role/') && pa[5].split('/').at(-1) === pb[5].split('/').at(-1)
}

/** The caller's identity policies as the spec says (a session uses its role's). */
export function callerIdentityPolicies(file, caller) {
  if (caller.kind === 'service') return []
  if (caller.kind === 'root') return [ROOT_IDENTITY_POLICY]
  const identity = (file.identities ?? []).find(
    (i) => i.arn === caller.arn || (caller.kind === 'session' && sameRole(i.arn, caller.roleArn))
  )
  return identity?.policies ?? []
}

/** Runs the peer on request `index` of `file`. */
export function peerDecide(file, index) {
  const req = file.requests[index]
  const caller = describeCaller(req.principal)
  const context = deriveContext(file, req)
  const identityPolicies = callerIdentityPolicies(file, caller).map((p, i) => loadPolicy(p, { name: String(i) }))
  const request = new AwsRequestImpl(
    req.principal,
    { resource: file.key.arn, accountId: keyAccount(file) },
    req.action,
    new RequestContextImpl(context)
  )
  const op = req.action.split(':')[1]
  const boundary = callerBoundary(file, caller)
  // Several session policies (managed ones beside the inline one) are one
  // allow-list: the peer takes a single session policy, so their statements go in one.
  const sessionStatements = (req.session_policies ?? []).flatMap((p) => [p.Statement].flat())
  const sessionPolicy =
    caller.kind === 'session' && req.session_policies?.length
      ? loadPolicy({ Version: '2012-10-17', Statement: sessionStatements }, { name: 'SessionPolicy' })
      : undefined
  const endpointPolicy = req.vpc_endpoint?.policy
  const analysis = authorize({
    request,
    identityPolicies,
    sessionPolicy,
    serviceControlPolicies: applicableScps(file, caller),
    resourceControlPolicies: applicableRcps(file, caller, op),
    resourcePolicy: loadPolicy(file.key.policy, { name: 'KeyPolicy' }),
    permissionBoundaries: boundary ? [loadPolicy(boundary, { name: 'Boundary' })] : undefined,
    vpcEndpointPolicies: endpointPolicy ? [loadPolicy(endpointPolicy, { name: 'Endpoint' })] : undefined,
    simulationParameters: SIMULATION
  })
  const decision = { Allowed: 'allowed', ExplicitlyDenied: 'explicitDeny', ImplicitlyDenied: 'implicitDeny' }[analysis.result]
  if (!decision) throw new Error(`unexpected peer result ${analysis.result}`)
  const statements = (a) =>
    [...(a?.allowStatements ?? []), ...(a?.denyStatements ?? []), ...(a?.unmatchedStatements ?? [])]
      .map((s) => ({
        policy: s.policyId,
        i: s.statement.index() - 1,
        p: s.principalMatch,
        a: s.actionMatch,
        r: s.resourceMatch,
        c: (s.explain.conditions ?? []).map((c) => c.matches)
      }))
      .sort((x, y) => (x.policy === y.policy ? x.i - y.i : String(x.policy).localeCompare(String(y.policy))))
  return {
    decision,
    context,
    caller,
    analysis,
    keyPolicy: statements(analysis.resourceAnalysis),
    identity: statements(analysis.identityAnalysis),
    // The other layers, statement by statement: policy ids scp:NODE:i,
    // rcp:NODE:i (i = 0 is RCPFullAWSAccess), Boundary, SessionPolicy
    // (every session policy's statements in one), Endpoint.
    chain: {
      scpApplies: analysis.scpAnalysis.ouAnalysis.length > 0,
      rcpApplies: analysis.rcpAnalysis.ouAnalysis.length > 0,
      scp: analysis.scpAnalysis.ouAnalysis.flatMap(statements),
      rcp: analysis.rcpAnalysis.ouAnalysis.flatMap(statements),
      boundary: statements(analysis.permissionBoundaryAnalysis),
      session: statements(analysis.sessionAnalysis),
      vpce: statements(analysis.endpointAnalysis)
    }
  }
}
