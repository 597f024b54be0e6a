// Random playground files over a realistic KMS vocabulary: the scenarios'
// principals (account roots, users, roles, assumed-role sessions, service
// principals), every condition operator (with IfExists and the
// ForAnyValue/ForAllValues qualifiers), encryption contexts, wildcards,
// NotPrincipal / NotAction / NotResource, policy variables.
//
// The generator only produces what both engines model (see KNOWN.md,
// "Restricted"); a few probes of documented differences are kept on
// purpose, at low rates, so that the classifier's KNOWN classes stay
// exercised.

export const KEY_ACCOUNT = '111111111111'
export const OTHER_ACCOUNT = '222222222222'
export const THIRD_ACCOUNT = '333333333333'
export const REGION = 'us-west-2'
export const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab'
export const KEY_ARN = `arn:aws:kms:${REGION}:${KEY_ACCOUNT}:key/${KEY_ID}`

/** A small, fast, seedable PRNG (mulberry32). */
export function rng(seed) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const r = {
    next,
    int: (n) => Math.floor(next() * n),
    chance: (p) => next() < p,
    pick: (list) => list[Math.floor(next() * list.length)],
    // Weighted pick over [weight, value] pairs.
    weighted: (pairs) => {
      const total = pairs.reduce((s, [w]) => s + w, 0)
      let x = next() * total
      for (const [w, v] of pairs) {
        if ((x -= w) < 0) return v
      }
      return pairs[pairs.length - 1][1]
    },
    // 1..max distinct picks.
    some: (list, max) => {
      const n = 1 + Math.floor(next() * Math.min(max, list.length))
      const pool = [...list]
      const out = []
      for (let i = 0; i < n; i++) out.push(pool.splice(Math.floor(next() * pool.length), 1)[0])
      return out
    }
  }
  return r
}

const root = (a) => `arn:aws:iam::${a}:root`
const user = (a, n) => `arn:aws:iam::${a}:user/${n}`
const role = (a, n, path = '') => `arn:aws:iam::${a}:role/${path}${n}`
const session = (a, r, s) => `arn:aws:sts::${a}:assumed-role/${r}/${s}`

/** Who can call: [weight, principal]. */
export const CALLERS = [
  [3, root(KEY_ACCOUNT)],
  [6, user(KEY_ACCOUNT, 'Bob')],
  [3, user(KEY_ACCOUNT, 'Carol')],
  [3, role(KEY_ACCOUNT, 'Admin')],
  [5, session(KEY_ACCOUNT, 'Admin', 'admin-session')],
  [4, session(KEY_ACCOUNT, 'CloudTrailReadRole', 'reader')],
  [5, user(OTHER_ACCOUNT, 'Alice')],
  [3, session(OTHER_ACCOUNT, 'Reader', 'job-7')],
  [2, root(OTHER_ACCOUNT)],
  [2, user(THIRD_ACCOUNT, 'Dave')],
  [1, root(THIRD_ACCOUNT)],
  [5, 'cloudtrail.amazonaws.com'],
  [1, 'events.amazonaws.com']
]

/** Identities that may carry identity policies. */
export const IDENTITIES = [
  user(KEY_ACCOUNT, 'Bob'),
  user(KEY_ACCOUNT, 'Carol'),
  role(KEY_ACCOUNT, 'Admin'),
  role(KEY_ACCOUNT, 'CloudTrailReadRole', 'service-role/'),
  user(OTHER_ACCOUNT, 'Alice'),
  role(OTHER_ACCOUNT, 'Reader'),
  user(THIRD_ACCOUNT, 'Dave')
]

/** Principal entries a statement may name. */
const AWS_PRINCIPALS = [
  [6, root(KEY_ACCOUNT)],
  [2, KEY_ACCOUNT],
  [4, root(OTHER_ACCOUNT)],
  [2, OTHER_ACCOUNT],
  [1, root(THIRD_ACCOUNT)],
  [4, user(KEY_ACCOUNT, 'Bob')],
  [2, user(KEY_ACCOUNT, 'Carol')],
  [3, role(KEY_ACCOUNT, 'Admin')],
  [2, role(KEY_ACCOUNT, 'CloudTrailReadRole')],
  [1, role(KEY_ACCOUNT, 'CloudTrailReadRole', 'service-role/')],
  [1, session(KEY_ACCOUNT, 'Admin', 'admin-session')],
  [3, user(OTHER_ACCOUNT, 'Alice')],
  [2, role(OTHER_ACCOUNT, 'Reader')],
  [1, user(THIRD_ACCOUNT, 'Dave')],
  [1, user(KEY_ACCOUNT, 'Nobody')]
]
const SERVICES = ['cloudtrail.amazonaws.com', 'events.amazonaws.com']

/**
 * Operations requested, with whether KMS lets another account call them
 * (key-policy-modifying-external-accounts: "Cross-account permissions are
 * effective only for the following operations").
 */
export const OPERATIONS = {
  Decrypt: { weight: 8, crossAccount: true, context: true },
  Encrypt: { weight: 4, crossAccount: true, context: true },
  GenerateDataKey: { weight: 6, crossAccount: true, context: true },
  GenerateDataKeyWithoutPlaintext: { weight: 2, crossAccount: true, context: true },
  GenerateDataKeyPair: { weight: 1, crossAccount: true, context: true },
  ReEncryptFrom: { weight: 2, crossAccount: true, context: true },
  ReEncryptTo: { weight: 2, crossAccount: true, context: true },
  CreateGrant: { weight: 2, crossAccount: true, context: true },
  DescribeKey: { weight: 4, crossAccount: true, context: false },
  RetireGrant: { weight: 1, crossAccount: true, context: false },
  ListGrants: { weight: 1, crossAccount: true, context: false },
  GetKeyRotationStatus: { weight: 1, crossAccount: true, context: false },
  Sign: { weight: 1, crossAccount: true, context: false },
  GenerateMac: { weight: 1, crossAccount: true, context: false },
  GetKeyPolicy: { weight: 1, crossAccount: false, context: false },
  PutKeyPolicy: { weight: 1, crossAccount: false, context: false },
  ScheduleKeyDeletion: { weight: 1, crossAccount: false, context: false },
  EnableKey: { weight: 1, crossAccount: false, context: false },
  DisableKey: { weight: 1, crossAccount: false, context: false },
  TagResource: { weight: 1, crossAccount: false, context: false }
}

const ACTIONS = [
  [6, 'kms:*'],
  [2, '*'],
  [8, 'kms:Decrypt'],
  [3, 'kms:Encrypt'],
  [4, 'kms:GenerateDataKey*'],
  [2, 'kms:GenerateDataKey'],
  [2, 'kms:ReEncrypt*'],
  [3, 'kms:DescribeKey'],
  [1, 'kms:Describe*'],
  [2, 'kms:CreateGrant'],
  [1, 'kms:*Grant*'],
  [1, 'kms:*Grants'],
  [1, 'kms:?ecrypt'],
  [1, 'kms:decrypt'],
  [1, 'kms:DECRYPT'],
  [1, 'kms:Get*'],
  [1, 'kms:*Key*'],
  [1, 'kms:ScheduleKeyDeletion'],
  [1, 'kms:PutKeyPolicy'],
  [1, 'kms:Enable*'],
  [1, 's3:GetObject']
]

const KEY_RESOURCES = [
  [14, '*'],
  [3, KEY_ARN],
  [2, `arn:aws:kms:*:${KEY_ACCOUNT}:key/*`],
  [1, `arn:aws:kms:${REGION}:${KEY_ACCOUNT}:key/1234*`],
  [1, `arn:aws:kms:*:${OTHER_ACCOUNT}:key/*`],
  [1, `arn:aws:kms:${REGION}:${KEY_ACCOUNT}:key/other-key`],
  [1, `arn:aws:kms:${REGION}:${KEY_ACCOUNT}:alias/Trail`],
  [1, `arn:aws:kms:us-east-?:${KEY_ACCOUNT}:key/*`],
  [1, `arn:aws:kms:us-west-?:*:key/${KEY_ID}`],
  [1, 'arn:aws:kms:*:*:*'],
  [1, 'arn:aws:kms:*']
]

const IDENTITY_RESOURCES = [
  [6, '*'],
  [8, KEY_ARN],
  [3, `arn:aws:kms:*:${KEY_ACCOUNT}:key/*`],
  [2, `arn:aws:kms:${REGION}:${KEY_ACCOUNT}:key/*`],
  [1, `arn:aws:kms:${REGION}:${KEY_ACCOUNT}:key/1234*`],
  [1, `arn:aws:kms:*:${OTHER_ACCOUNT}:key/*`],
  [1, `arn:aws:kms:${REGION}:${KEY_ACCOUNT}:alias/Trail`],
  [1, `arn:aws:kms:${REGION}:${KEY_ACCOUNT}:key/other-key`],
  [1, `arn:aws:kms:*:*:key/*`],
  [1, `arn:aws:kms:${REGION}:*`]
]

// --- condition keys ------------------------------------------------------
// type: string | arn | bool | numeric | date | ip | binary
// multi: multivalued in the request.
// source: derived (the simulators fill it in) | hand (given in "context") | ec (encryption context)
// req: values a request may carry; pol: values a policy may name.

const TRAIL = `arn:aws:cloudtrail:${REGION}:${KEY_ACCOUNT}:trail/Default`
const TRAIL2 = `arn:aws:cloudtrail:us-east-1:${OTHER_ACCOUNT}:trail/Audit`
const SECRET = `arn:aws:secretsmanager:us-east-1:${KEY_ACCOUNT}:secret:events!connection/conn/abc`

export const EC_KEYS = {
  Department: { req: ['IT', 'HR', 'it', 'Finance'] },
  'aws:cloudtrail:arn': { req: [TRAIL, TRAIL2] },
  SecretARN: { req: [SECRET, `arn:aws:secretsmanager:us-east-1:${KEY_ACCOUNT}:secret:other`] },
  Owner: { req: ['Bob', 'Alice', 'Carol', 'bob'] }
}

export const HAND_KEYS = {
  'kms:ViaService': {
    type: 'string',
    req: ['s3.us-west-2.amazonaws.com', 'secretsmanager.us-east-1.amazonaws.com', 'ec2.us-west-2.amazonaws.com']
  },
  'aws:SourceArn': { type: 'arn', req: [TRAIL, TRAIL2, 'arn:aws:cloudtrail:us-west-2:111111111111:eventdatastore/EDS'] },
  'aws:SourceAccount': { type: 'string', req: [KEY_ACCOUNT, OTHER_ACCOUNT] },
  'aws:SourceIp': { type: 'ip', req: ['203.0.113.7', '198.51.100.1', '2001:db8::1', '2001:db9::5'] },
  'aws:CurrentTime': {
    type: 'date',
    req: ['2025-01-01T00:00:00Z', '2026-06-15T12:30:00Z', '2024-12-31T23:59:59Z']
  },
  'aws:EpochTime': { type: 'date', req: ['1735689600', '1781526600', '1700000000'] },
  'aws:MultiFactorAuthAge': { type: 'numeric', req: ['30', '3600', '0', '86400'] },
  'aws:MultiFactorAuthPresent': { type: 'bool', req: ['true', 'false'] },
  'aws:SecureTransport': { type: 'bool', req: ['true', 'false', 'TRUE'] },
  'kms:GrantIsForAWSResource': { type: 'bool', req: ['true', 'false'] },
  'kms:GrantOperations': {
    type: 'string',
    multi: true,
    req: [['Decrypt'], ['Decrypt', 'Encrypt'], ['RetireGrant', 'Decrypt'], ['Sign']]
  },
  'kms:RecipientAttestation:ImageSha384': { type: 'binary', req: ['QUJD', 'REVG'] }
}

/** Policy-side vocabulary per key (lower-case key names are fine: keys are case-insensitive). */
const POLICY_KEYS = [
  // [weight, key, type, multi, values]
  [6, 'kms:EncryptionContext:Department', 'string', false, ['IT', 'HR', 'I*', '*T', '?T', 'it', 'Fin*']],
  [4, 'kms:EncryptionContext:aws:cloudtrail:arn', 'arn', false, [
    TRAIL, TRAIL2, `arn:aws:cloudtrail:*:${KEY_ACCOUNT}:trail/*`, 'arn:aws:cloudtrail:*:*:trail/*',
    `arn:aws:cloudtrail:*:${OTHER_ACCOUNT}:trail/*`
  ]],
  [2, 'kms:EncryptionContext:SecretARN', 'arn', false, [
    'arn:aws:secretsmanager:*:*:secret:events!connection/*', SECRET
  ]],
  [2, 'kms:EncryptionContext:Owner', 'string', false, ['${aws:username}', 'Bob', "${aws:username, 'nobody'}"]],
  [1, 'kms:encryptioncontext:department', 'string', false, ['IT', 'HR']],
  [4, 'kms:EncryptionContextKeys', 'string', true, ['Department', 'aws:cloudtrail:arn', 'SecretARN', 'Dep*', 'Owner', 'department']],
  [4, 'kms:ViaService', 'string', false, [
    's3.us-west-2.amazonaws.com', 's3.*.amazonaws.com', 'secretsmanager.*.amazonaws.com', 'ec2.*', '*.amazonaws.com'
  ]],
  [3, 'kms:CallerAccount', 'string', false, [KEY_ACCOUNT, OTHER_ACCOUNT, '${aws:PrincipalAccount}']],
  [2, 'aws:PrincipalAccount', 'string', false, [KEY_ACCOUNT, OTHER_ACCOUNT, THIRD_ACCOUNT]],
  [4, 'aws:PrincipalArn', 'arn', false, [
    `arn:aws:iam::${KEY_ACCOUNT}:role/*`, 'arn:aws:iam::*:user/Bob', root(KEY_ACCOUNT), role(KEY_ACCOUNT, 'Admin'),
    `arn:aws:iam::\${aws:PrincipalAccount}:role/Admin`, 'arn:aws:iam::*:user/*', `arn:aws:iam::${OTHER_ACCOUNT}:*`,
    `arn:aws:iam::${KEY_ACCOUNT}:user/\${aws:username}`
  ]],
  [3, 'aws:SourceArn', 'arn', false, [TRAIL, `arn:aws:cloudtrail:*:${KEY_ACCOUNT}:trail/*`, TRAIL2, 'arn:aws:cloudtrail:*:*:eventdatastore/*']],
  [2, 'aws:SourceAccount', 'string', false, [KEY_ACCOUNT, OTHER_ACCOUNT]],
  [1, 'aws:PrincipalServicePrincipal', 'string', false, ['cloudtrail.amazonaws.com', '*.amazonaws.com']],
  [2, 'aws:PrincipalIsAWSService', 'bool', false, ['true', 'false']],
  [2, 'aws:ResourceTag/Env', 'string', false, ['prod', 'dev', 'p*', 'PROD']],
  [1, 'aws:ResourceTag/EventBridgeApiDestinations', 'bool', false, ['true']],
  [1, 'kms:KeySpec', 'string', false, ['SYMMETRIC_DEFAULT', 'RSA_*']],
  [1, 'kms:KeyUsage', 'string', false, ['ENCRYPT_DECRYPT', 'SIGN_VERIFY']],
  [1, 'kms:KeyOrigin', 'string', false, ['AWS_KMS', 'EXTERNAL']],
  [2, 'kms:RequestAlias', 'string', false, ['alias/Trail', 'alias/T*', 'alias/Other']],
  [2, 'kms:ResourceAliases', 'string', true, ['alias/Trail', 'alias/Other', 'alias/*']],
  [2, 'aws:SourceIp', 'ip', false, ['203.0.113.0/24', '2001:db8::/32', '203.0.113.7', '0.0.0.0/0', '198.51.100.0/30']],
  [2, 'aws:CurrentTime', 'date', false, ['2025-06-01T00:00:00Z', '2025-01-01T00:00:00Z', '2026-01-01']],
  [1, 'aws:EpochTime', 'date', false, ['1735689600', '1750000000']],
  [2, 'aws:MultiFactorAuthAge', 'numeric', false, ['3600', '60.5', '0', '30']],
  [1, 'aws:MultiFactorAuthPresent', 'bool', false, ['true', 'false']],
  [1, 'aws:SecureTransport', 'bool', false, ['true', 'false']],
  [2, 'kms:GrantIsForAWSResource', 'bool', false, ['true', 'false']],
  [2, 'kms:GrantOperations', 'string', true, ['Decrypt', 'Encrypt', 'RetireGrant', 'Generate*']],
  [1, 'kms:RecipientAttestation:ImageSha384', 'binary', false, ['QUJD', 'REVG']],
  [1, 'aws:username', 'string', false, ['Bob', 'Alice', 'B*']]
]

const OPERATORS_BY_TYPE = {
  string: ['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike'],
  arn: ['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'StringEquals', 'StringLike', 'StringNotLike'],
  bool: ['Bool', 'Bool', 'StringEquals'],
  numeric: ['NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals'],
  date: ['DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals'],
  ip: ['IpAddress', 'NotIpAddress'],
  binary: ['BinaryEquals']
}

function condition(r, probes) {
  const [, key, type, multi, values] = r.weighted(POLICY_KEYS.map((k) => [k[0], k]))
  if (r.chance(0.08)) {
    return { op: 'Null', key, values: [r.pick(['true', 'false'])] }
  }
  let op = r.pick(OPERATORS_BY_TYPE[type])
  let pvalues = r.some(values, 3)
  if (type === 'date' && probes && r.chance(0.05)) {
    // Probe: an epoch-seconds policy value against an ISO request value
    // (or the reverse). Both formats are valid for Date operators.
    pvalues = [key === 'aws:EpochTime' ? '2025-01-01T00:00:00Z' : '1735689600']
  }
  // Multivalued keys always get a set qualifier (a plain operator on a
  // multivalued key is not specified by AWS: see KNOWN.md, Restricted).
  let set = ''
  if (multi || r.chance(0.08)) set = r.pick(['ForAnyValue:', 'ForAllValues:'])
  const ifExists = r.chance(0.15) ? 'IfExists' : ''
  return { op: `${set}${op}${ifExists}`, key, values: pvalues }
}

function conditionBlock(r, probes) {
  const n = r.weighted([[5, 0], [5, 1], [3, 2], [1, 3]])
  const block = {}
  for (let i = 0; i < n; i++) {
    const c = condition(r, probes)
    block[c.op] ??= {}
    if (block[c.op][c.key] !== undefined) continue // no duplicate keys
    block[c.op][c.key] = c.values.length === 1 && r.chance(0.5) ? c.values[0] : c.values
  }
  return Object.keys(block).length ? block : undefined
}

function listOrOne(r, values) {
  return values.length === 1 && r.chance(0.6) ? values[0] : values
}

function principalElement(r) {
  return r.weighted([
    [2, () => '*'],
    [1, () => ({ AWS: '*' })],
    [12, () => ({ AWS: listOrOne(r, r.some(AWS_PRINCIPALS.map(([, p]) => p), 3)) })],
    [3, () => ({ Service: listOrOne(r, r.some(SERVICES, 2)) })],
    [1, () => ({ AWS: r.pick(AWS_PRINCIPALS)[1], Service: r.pick(SERVICES) })]
  ])()
}

function notPrincipalElement(r) {
  // NotPrincipal is used with Deny only (AWS rejects it with Allow).
  const entries = r.some(
    [
      root(KEY_ACCOUNT),
      KEY_ACCOUNT,
      user(KEY_ACCOUNT, 'Bob'),
      role(KEY_ACCOUNT, 'Admin'),
      session(KEY_ACCOUNT, 'Admin', 'admin-session'),
      root(OTHER_ACCOUNT),
      user(OTHER_ACCOUNT, 'Alice')
    ],
    4
  )
  const e = { AWS: listOrOne(r, entries) }
  if (r.chance(0.2)) e.Service = 'cloudtrail.amazonaws.com'
  return e
}

function statement(r, keyPolicy, probes) {
  const st = {}
  if (r.chance(0.3)) st.Sid = `S${r.int(1000)}`
  const deny = r.chance(keyPolicy ? 0.25 : 0.2)
  st.Effect = deny ? 'Deny' : 'Allow'
  if (keyPolicy) {
    if (deny && r.chance(0.15)) st.NotPrincipal = notPrincipalElement(r)
    else st.Principal = principalElement(r)
  }
  const actions = () => listOrOne(r, r.some(ACTIONS.map(([, a]) => a), 3))
  if (r.chance(0.12)) st.NotAction = actions()
  else st.Action = actions()
  const resources = keyPolicy ? KEY_RESOURCES : IDENTITY_RESOURCES
  const pickResources = () => {
    let list = r.some(resources.map(([, x]) => x), 2)
    if (r.next() < 0.7) list = [r.weighted(resources)]
    if (probes && r.chance(0.01)) list = [KEY_ARN.replace(KEY_ID, KEY_ID.toUpperCase())]
    return listOrOne(r, list)
  }
  if (r.chance(0.08)) st.NotResource = pickResources()
  else st.Resource = pickResources()
  const cond = conditionBlock(r, probes)
  if (cond) st.Condition = cond
  return st
}

/** The "Enable IAM User Permissions" statement of the default key policy. */
const ROOT_STATEMENT = {
  Sid: 'Enable IAM User Permissions',
  Effect: 'Allow',
  Principal: { AWS: root(KEY_ACCOUNT) },
  Action: 'kms:*',
  Resource: '*'
}

function policy(r, keyPolicy, probes) {
  const n = r.weighted([[2, 1], [4, 2], [3, 3], [2, 4], [1, 6]])
  const statements = []
  if (keyPolicy && r.chance(0.5)) statements.push(ROOT_STATEMENT)
  for (let i = 0; i < n; i++) statements.push(statement(r, keyPolicy, probes))
  return {
    Version: '2012-10-17',
    Statement: statements.length === 1 && r.chance(0.3) ? statements[0] : statements
  }
}

function request(r, probes) {
  const principal = r.weighted(CALLERS)
  const action = r.weighted(Object.entries(OPERATIONS).map(([name, o]) => [o.weight, name]))
  const req = { principal, action: `kms:${action}` }
  const ref = r.weighted([[6, null], [2, KEY_ARN], [1, KEY_ID], [2, 'alias/Trail'], [1, `arn:aws:kms:${REGION}:${KEY_ACCOUNT}:alias/Trail`]])
  if (ref) req.key = ref
  if (OPERATIONS[action].context && r.chance(0.75)) {
    const ec = {}
    for (const k of r.some(Object.keys(EC_KEYS), 3)) ec[k] = r.pick(EC_KEYS[k].req)
    req.encryption_context = ec
  }
  const ctx = {}
  for (const [k, spec] of Object.entries(HAND_KEYS)) {
    if (r.chance(0.25)) ctx[k] = r.pick(spec.req)
  }
  if (principal.endsWith('.amazonaws.com') && r.chance(0.7)) {
    ctx['aws:SourceArn'] = r.pick(HAND_KEYS['aws:SourceArn'].req)
    if (r.chance(0.5)) ctx['aws:SourceAccount'] = r.pick(HAND_KEYS['aws:SourceAccount'].req)
  }
  if (Object.keys(ctx).length) req.context = ctx
  return req
}

/**
 * One playground file with 1..4 requests. `probes` keeps the documented
 * differences (KNOWN.md) in play at low rates.
 */
export function playgroundFile(r, { probes = true } = {}) {
  const spec = r.weighted([[10, 'SYMMETRIC_DEFAULT'], [1, 'RSA_2048']])
  const key = {
    arn: KEY_ARN,
    spec,
    origin: r.weighted([[6, 'AWS_KMS'], [1, 'EXTERNAL']]),
    tags: r.chance(0.7) ? { Env: r.pick(['prod', 'dev']), EventBridgeApiDestinations: 'true' } : {},
    aliases: r.chance(0.7) ? r.some(['alias/Trail', 'alias/Other'], 2) : [],
    policy: policy(r, true, probes)
  }
  if (spec !== 'SYMMETRIC_DEFAULT') key.usage = 'ENCRYPT_DECRYPT'
  const identities = []
  for (const arn of IDENTITIES) {
    if (!r.chance(0.6)) continue
    const n = r.weighted([[1, 0], [5, 1], [2, 2]])
    const policies = []
    for (let i = 0; i < n; i++) policies.push(policy(r, false, probes))
    identities.push({ arn, policies })
  }
  const requests = []
  const n = 1 + r.int(4)
  for (let i = 0; i < n; i++) requests.push(request(r, probes))
  return { version: 1, key, identities, requests }
}

// --- the rest of the evaluation chain (--chain) ---------------------------
// Organizations (root, OUs, member accounts, the management account; callers
// and keys inside and outside), SCPs and RCPs per node, permissions
// boundaries, session policies, VPC endpoint policies, and the derived keys
// aws:PrincipalOrgID/Paths, aws:ResourceOrgID/Paths, aws:SourceOrgID/Paths,
// aws:SourceVpce, aws:SourceVpc, aws:PrincipalIsAWSService. The fields are
// those of shared/spec/playground-file.md, "The rest of the evaluation
// chain". A chain file draws from its own stream of the generator: the
// default (non-chain) run is unchanged.

export const ORG_ID = 'o-a1b2c3d4e5'
export const ORG_ROOT = 'r-a1b2'
export const OTHER_ORG_ID = 'o-zz9y8x7w6v'
export const MANAGEMENT_ACCOUNT = '999999999999'
const OU_A = 'ou-a1b2-aaaa1111'
const OU_B = 'ou-a1b2-bbbb2222'
const OU_A1 = 'ou-a1b2-cccc3333' // below OU_A
const OU_PATHS = [[4, []], [4, [OU_A]], [3, [OU_A, OU_A1]], [3, [OU_B]]]
const VPCE = 'vpce-1a2b3c4d'
const VPCE_OTHER = 'vpce-9f8e7d6c'
const VPC = 'vpc-11112222'
const VPC_OTHER = 'vpc-99998888'
const SLR_NAME = 'AWSServiceRoleForCloudTrail'

/** Chain callers: the default ones, the management account's, a service-linked role's session. */
export const CHAIN_CALLERS = [
  ...CALLERS,
  [2, user(MANAGEMENT_ACCOUNT, 'Olga')],
  [1, root(MANAGEMENT_ACCOUNT)],
  [2, session(MANAGEMENT_ACCOUNT, 'OrgAdmin', 'ops')],
  [2, session(KEY_ACCOUNT, SLR_NAME, 'CloudTrail-Session')]
]

const CHAIN_IDENTITIES = [
  ...IDENTITIES,
  user(MANAGEMENT_ACCOUNT, 'Olga'),
  role(MANAGEMENT_ACCOUNT, 'OrgAdmin'),
  role(KEY_ACCOUNT, SLR_NAME, 'aws-service-role/cloudtrail.amazonaws.com/')
]

const CHAIN_AWS_PRINCIPALS = [
  ...AWS_PRINCIPALS,
  [1, session(KEY_ACCOUNT, 'CloudTrailReadRole', 'reader')],
  [1, session(OTHER_ACCOUNT, 'Reader', 'job-7')],
  [2, root(MANAGEMENT_ACCOUNT)],
  [1, user(MANAGEMENT_ACCOUNT, 'Olga')],
  [1, role(MANAGEMENT_ACCOUNT, 'OrgAdmin')]
]

/** Condition vocabulary of the chain: the org, endpoint and principal-type keys. */
const CHAIN_POLICY_KEYS = [
  [8, 'aws:PrincipalOrgID', 'string', false, [ORG_ID, OTHER_ORG_ID, 'o-a1b2*']],
  [4, 'aws:PrincipalOrgPaths', 'string', true, [
    `${ORG_ID}/${ORG_ROOT}/${OU_A}/*`, `${ORG_ID}/${ORG_ROOT}/${OU_B}/`, `${ORG_ID}/*`, `${ORG_ID}/${ORG_ROOT}/`,
    `${ORG_ID}/${ORG_ROOT}/${OU_A}/${OU_A1}/`
  ]],
  [6, 'aws:ResourceOrgID', 'string', false, [ORG_ID, OTHER_ORG_ID, '${aws:PrincipalOrgID}']],
  [3, 'aws:ResourceOrgPaths', 'string', true, [`${ORG_ID}/${ORG_ROOT}/${OU_A}/*`, `${ORG_ID}/*`, `${ORG_ID}/${ORG_ROOT}/`]],
  [3, 'aws:SourceOrgID', 'string', false, [ORG_ID, OTHER_ORG_ID, '${aws:ResourceOrgID}']],
  [2, 'aws:SourceOrgPaths', 'string', true, [`${ORG_ID}/${ORG_ROOT}/${OU_A}/*`, `${ORG_ID}/*`]],
  [6, 'aws:SourceVpce', 'string', false, [VPCE, VPCE_OTHER, 'vpce-1a2b*']],
  [4, 'aws:SourceVpc', 'string', false, [VPC, VPC_OTHER]],
  [6, 'aws:PrincipalIsAWSService', 'bool', false, ['true', 'false']],
  [3, 'aws:PrincipalAccount', 'string', false, [KEY_ACCOUNT, OTHER_ACCOUNT, MANAGEMENT_ACCOUNT]],
  [3, 'aws:PrincipalArn', 'arn', false, [
    `arn:aws:iam::${KEY_ACCOUNT}:role/*`, 'arn:aws:iam::*:user/Bob', role(KEY_ACCOUNT, 'Admin'),
    `arn:aws:iam::*:role/aws-service-role/*`, `arn:aws:iam::${MANAGEMENT_ACCOUNT}:*`
  ]],
  [2, 'aws:SourceAccount', 'string', false, [KEY_ACCOUNT, OTHER_ACCOUNT, MANAGEMENT_ACCOUNT]],
  [2, 'kms:CallerAccount', 'string', false, [KEY_ACCOUNT, OTHER_ACCOUNT]],
  [2, 'kms:ViaService', 'string', false, ['s3.us-west-2.amazonaws.com', 'secretsmanager.*.amazonaws.com']],
  [2, 'kms:EncryptionContext:Department', 'string', false, ['IT', 'HR', 'I*']],
  [1, 'aws:username', 'string', false, ['Bob', 'Olga', 'B*']]
]

function chainCondition(r, keys = CHAIN_POLICY_KEYS) {
  const [, key, type, multi, values] = r.weighted(keys.map((k) => [k[0], k]))
  if (r.chance(0.06)) return { op: 'Null', key, values: [r.pick(['true', 'false'])] }
  const op = r.pick(OPERATORS_BY_TYPE[type])
  const pvalues = r.some(values, 2)
  let set = ''
  if (multi) set = r.pick(['ForAnyValue:', 'ForAnyValue:', 'ForAllValues:'])
  const ifExists = r.chance(0.3) ? 'IfExists' : ''
  return { op: `${set}${op}${ifExists}`, key, values: pvalues }
}

function chainConditionBlock(r, weights = [[4, 0], [5, 1], [3, 2], [1, 3]]) {
  const n = r.weighted(weights)
  const block = {}
  for (let i = 0; i < n; i++) {
    // Half from the chain's keys, half from the default vocabulary.
    const c = r.chance(0.6) ? chainCondition(r) : condition(r, false)
    block[c.op] ??= {}
    if (block[c.op][c.key] !== undefined) continue
    block[c.op][c.key] = c.values.length === 1 && r.chance(0.5) ? c.values[0] : c.values
  }
  return Object.keys(block).length ? block : undefined
}

const CONTROL_ACTIONS = [
  [6, '*'], [6, 'kms:*'], [4, 'kms:Decrypt'], [2, 'kms:Encrypt'], [3, 'kms:GenerateDataKey*'], [2, 'kms:CreateGrant'],
  [2, 'kms:DescribeKey'], [1, 'kms:RetireGrant'], [1, 'kms:*Grant*'], [1, 'kms:ScheduleKeyDeletion'], [1, 'kms:Put*'],
  [1, 's3:*'], [1, 'kms:Re*']
]
const CONTROL_RESOURCES = [
  [10, '*'], [3, KEY_ARN], [2, `arn:aws:kms:*:${KEY_ACCOUNT}:key/*`], [1, `arn:aws:kms:*:${OTHER_ACCOUNT}:key/*`],
  [1, `arn:aws:kms:${REGION}:*:key/*`], [1, `arn:aws:kms:${REGION}:${KEY_ACCOUNT}:key/other-key`]
]

/**
 * A statement of a policy of the chain. kind: scp | rcp | boundary | session | vpce.
 * SCPs, boundaries and session policies have no Principal; RCPs take
 * Principal "*" (AWS requires it) and Deny (RCPFullAWSAccess is the only
 * Allow an RCP needs); endpoint policies name principals.
 */
function chainStatement(r, kind) {
  const st = {}
  if (r.chance(0.3)) st.Sid = `C${r.int(1000)}`
  const denyRate = { scp: 0.3, rcp: 1, boundary: 0.15, session: 0.15, vpce: 0.25 }[kind]
  st.Effect = r.chance(denyRate) ? 'Deny' : 'Allow'
  if (kind === 'rcp') st.Principal = '*'
  if (kind === 'vpce') {
    // The peer ignores the endpoint policy's Principal (KNOWN.md,
    // vpce-principal-ignored): named principals only as a probe.
    st.Principal = r.chance(0.06) ? { AWS: listOrOne(r, r.some(CHAIN_AWS_PRINCIPALS.map(([, p]) => p), 2)) } : r.pick(['*', { AWS: '*' }])
  }
  const actions = () => listOrOne(r, r.some(CONTROL_ACTIONS.map(([, a]) => a), 3).slice(0, r.chance(0.6) ? 1 : 3))
  // RCPs take Action only: AWS's RCP syntax lists Version, Statement, Sid,
  // Effect, Principal, Action, Resource, NotResource and Condition, no
  // NotAction (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html).
  if (kind !== 'rcp' && r.chance(0.1)) st.NotAction = actions()
  else st.Action = kind === 'boundary' || kind === 'session' ? (r.chance(0.5) ? actions() : listOrOne(r, r.some(ACTIONS.map(([, a]) => a), 2))) : actions()
  const resources = kind === 'boundary' || kind === 'session' ? IDENTITY_RESOURCES : CONTROL_RESOURCES
  const list = r.chance(0.8) ? [r.weighted(resources)] : r.some(resources.map(([, x]) => x), 2)
  if (r.chance(0.05)) st.NotResource = listOrOne(r, list)
  else st.Resource = listOrOne(r, list)
  const cond = chainConditionBlock(r, kind === 'rcp' ? [[1, 0], [5, 1], [3, 2]] : undefined)
  if (cond) st.Condition = cond
  return st
}

const FULL_ACCESS = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }

/** The data-perimeter RCPs of the KMS RCP page, sometimes. */
const IDENTITY_PERIMETER_RCP = {
  Version: '2012-10-17',
  Statement: [{
    Sid: 'EnforceOrgIdentities',
    Effect: 'Deny',
    Principal: '*',
    Action: 'kms:*',
    Resource: '*',
    Condition: {
      StringNotEqualsIfExists: { 'aws:PrincipalOrgID': ORG_ID },
      BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' }
    }
  }]
}
const CONFUSED_DEPUTY_RCP = {
  Version: '2012-10-17',
  Statement: [{
    Sid: 'EnforceConfusedDeputyProtection',
    Effect: 'Deny',
    Principal: '*',
    Action: 'kms:*',
    Resource: '*',
    Condition: {
      StringNotEqualsIfExists: { 'aws:SourceOrgID': ORG_ID },
      Null: { 'aws:SourceAccount': 'false' },
      Bool: { 'aws:PrincipalIsAWSService': 'true' }
    }
  }]
}

function chainPolicy(r, kind) {
  if (kind === 'scp' && r.chance(0.25)) return FULL_ACCESS
  if (kind === 'rcp' && r.chance(0.15)) return r.pick([IDENTITY_PERIMETER_RCP, CONFUSED_DEPUTY_RCP])
  const n = r.weighted([[4, 1], [3, 2], [1, 3]])
  const statements = []
  // Boundaries and session policies are allow-lists: usually one broad Allow.
  if ((kind === 'boundary' || kind === 'session' || kind === 'scp') && r.chance(0.35)) {
    statements.push({ Effect: 'Allow', Action: r.pick(['kms:*', '*', 'kms:Decrypt', 'kms:GenerateDataKey*']), Resource: '*' })
  }
  if (kind === 'vpce' && r.chance(0.4)) statements.push({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' })
  for (let i = 0; i < n; i++) statements.push(chainStatement(r, kind))
  return { Version: '2012-10-17', Statement: statements.length === 1 && r.chance(0.3) ? statements[0] : statements }
}

/** A random organization around the accounts. */
function organization(r) {
  const accounts = {}
  const management = r.weighted([[6, MANAGEMENT_ACCOUNT], [1, KEY_ACCOUNT], [1, OTHER_ACCOUNT]])
  for (const [a, p] of [[KEY_ACCOUNT, 0.85], [OTHER_ACCOUNT, 0.55], [THIRD_ACCOUNT, 0.3]]) {
    if (a !== management && r.chance(p)) accounts[a] = r.weighted(OU_PATHS)
  }
  const org = { id: ORG_ID, root: ORG_ROOT, management_account: management, accounts, scps: {}, rcps: {} }
  const nodes = [ORG_ROOT, OU_A, OU_B, OU_A1, ...Object.keys(accounts)]
  for (const node of nodes) {
    if (r.chance(0.35)) {
      const n = r.weighted([[1, 0], [6, 1], [3, 2]])
      org.scps[node] = Array.from({ length: n }, () => chainPolicy(r, 'scp'))
    }
    if (r.chance(0.3)) org.rcps[node] = Array.from({ length: r.weighted([[5, 1], [1, 2]]) }, () => chainPolicy(r, 'rcp'))
  }
  return org
}

function chainRequest(r, org) {
  const req = request(r, false)
  req.principal = r.weighted(CHAIN_CALLERS)
  // A service principal's call says where it comes from.
  if (req.principal.endsWith('.amazonaws.com') && r.chance(0.5)) {
    req.context ??= {}
    req.context['aws:SourceAccount'] = r.pick([KEY_ACCOUNT, OTHER_ACCOUNT, THIRD_ACCOUNT, MANAGEMENT_ACCOUNT])
  }
  if (req.principal.includes(':assumed-role/') && r.chance(0.45)) {
    req.session_policies = Array.from({ length: r.weighted([[5, 1], [1, 2]]) }, () => chainPolicy(r, 'session'))
  }
  if (!req.principal.endsWith('.amazonaws.com') && r.chance(0.3)) {
    const ep = { id: r.weighted([[4, VPCE], [1, VPCE_OTHER]]) }
    if (r.chance(0.85)) ep.vpc = ep.id === VPCE ? VPC : VPC_OTHER
    if (r.chance(0.9)) ep.policy = chainPolicy(r, 'vpce')
    req.vpc_endpoint = ep
  }
  if (req.context) {
    // Keys the chain derives are never given by hand here.
    for (const k of Object.keys(req.context)) if (/org|vpc/i.test(k)) delete req.context[k]
    if (!Object.keys(req.context).length) delete req.context
  }
  return req
}

/**
 * One playground file with the whole evaluation chain: a default file
 * (key policy, identity policies) plus an organization, boundaries,
 * session policies and endpoints.
 */
export function chainFile(r) {
  const file = playgroundFile(r, { probes: false })
  // Key policies of the chain name more principals and org keys.
  const kp = [file.key.policy.Statement].flat()
  for (let i = 0; i < kp.length; i++) {
    if (kp[i] === ROOT_STATEMENT || !r.chance(0.35)) continue
    const st = { ...kp[i] }
    if (st.Principal !== undefined && r.chance(0.5)) st.Principal = { AWS: listOrOne(r, r.some(CHAIN_AWS_PRINCIPALS.map(([, p]) => p), 2)) }
    const cond = chainConditionBlock(r, [[1, 1], [1, 2]])
    if (cond) st.Condition = cond
    kp[i] = st
  }
  file.key.policy.Statement = Array.isArray(file.key.policy.Statement) ? kp : kp[0]
  const org = r.chance(0.9) ? organization(r) : undefined
  if (org) file.organization = org
  // Identities: the default ones plus the chain's, some with a boundary.
  const have = new Set(file.identities.map((i) => i.arn))
  for (const arn of CHAIN_IDENTITIES) {
    if (have.has(arn) || !r.chance(0.6)) continue
    const policies = [r.chance(0.5) ? FULL_ACCESS : policy(r, false, false)]
    file.identities.push({ arn, policies })
  }
  for (const id of file.identities) {
    if (r.chance(0.1)) {
      for (const p of id.policies) {
        const sts = [p.Statement].flat()
        const i = r.int(sts.length)
        const cond = chainConditionBlock(r, [[1, 1]])
        if (cond && sts[i]) sts[i] = { ...sts[i], Condition: cond }
        p.Statement = sts
      }
    }
    if (r.chance(0.4)) id.permissions_boundary = chainPolicy(r, 'boundary')
  }
  file.requests = file.requests.map(() => chainRequest(r, org))
  return file
}
