// Builds the seed corpora under fuzz/seeds/ from the repository's test
// fixtures: every key and identity policy of tests/playground/**/*.json
// (as the text a user would paste), and the playground files themselves.
// Run from anywhere: node fuzz/make-seeds.mjs
import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const fixtures = join(here, '..', 'tests', 'playground')

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) return files(p)
    return name.endsWith('.json') ? [p] : []
  })
}

function put(dir, text) {
  mkdirSync(dir, { recursive: true })
  const name = createHash('sha1').update(text).digest('hex')
  writeFileSync(join(dir, name), text)
}

let policies = 0
let playground = 0
for (const file of files(fixtures)) {
  const text = readFileSync(file, 'utf8')
  put(join(here, 'seeds', 'playground'), text)
  playground++
  let doc
  try {
    doc = JSON.parse(text)
  } catch {
    continue
  }
  const found = [doc?.key?.policy, ...(doc?.identities ?? []).flatMap((i) => i.policies ?? [])]
  for (const p of found) {
    if (p === undefined) continue
    put(join(here, 'seeds', 'policies'), typeof p === 'string' ? p : JSON.stringify(p, null, 2))
    policies++
  }
}
console.log(`seeds: ${policies} policies, ${playground} playground files`)

// EventBridge patterns for the `events` target: pattern, NUL, event.
const kmsEvent = (type, detail) =>
  JSON.stringify({
    version: '0',
    id: 'e1',
    'detail-type': type,
    source: 'aws.kms',
    account: '111122223333',
    time: '2026-01-01T00:00:00Z',
    region: 'us-west-2',
    resources: ['arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
    detail
  })
const events = [
  kmsEvent('KMS CMK Deletion', { 'key-id': '1234abcd-12ab-34cd-56ef-1234567890ab' }),
  kmsEvent('KMS CMK Rotation', { 'key-id': '1234abcd-12ab-34cd-56ef-1234567890ab', 'rotation-count': 2 }),
  kmsEvent('KMS Imported Key Material Expiration', { 'key-id': 'k', tags: ['a', 'b'], ip: '203.0.113.7' })
]
const patterns = [
  { source: ['aws.kms'] },
  { source: ['aws.kms'], 'detail-type': ['KMS CMK Deletion', 'KMS CMK Rotation'] },
  { resources: [{ prefix: 'arn:aws:kms:us-west-2:' }] },
  { detail: { 'key-id': [{ 'anything-but': ['x', 'y'] }] } },
  { detail: { 'rotation-count': [{ numeric: ['>', 0, '<=', 5] }] } },
  { detail: { missing: [{ exists: false }], 'key-id': [{ exists: true }] } },
  { 'detail-type': [{ wildcard: 'KMS*Deletion' }], source: [{ 'equals-ignore-case': 'AWS.KMS' }] },
  { detail: { ip: [{ cidr: '203.0.113.0/24' }] } },
  { $or: [{ source: ['aws.kms'] }, { 'detail-type': [{ suffix: 'Expiration' }] }] },
  { detail: { tags: ['b'], 'key-id': [{ 'anything-but': { prefix: 'x' } }] } }
]
let eventSeeds = 0
for (const p of patterns) {
  for (const e of events) {
    put(join(here, 'seeds', 'events'), `${JSON.stringify(p, null, 1)}\0${e}`)
    eventSeeds++
  }
}
console.log(`seeds: ${eventSeeds} event pattern pairs`)

// The `analysis` target: OLD key policy, NUL, NEW key policy, NUL, a byte
// picking the operation. Each key policy of the fixtures against the next
// one (a change to analyse) and against itself (no change), so the
// fuzzer starts from policies the checks can read.
const keyPolicies = []
for (const file of files(fixtures)) {
  let doc
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    continue
  }
  const p = doc?.key?.policy
  if (p === undefined) continue
  const text = typeof p === 'string' ? p : JSON.stringify(p, null, 1)
  if (!keyPolicies.includes(text)) keyPolicies.push(text)
}
keyPolicies.sort()
let analysisSeeds = 0
keyPolicies.forEach((old, i) => {
  const next = keyPolicies[(i + 1) % keyPolicies.length]
  for (const [a, b] of [[old, next], [old, old]]) {
    put(join(here, 'seeds', 'analysis'), `${a}\0${b}\0${String.fromCharCode(65 + (analysisSeeds % 26))}`)
    analysisSeeds++
  }
})
console.log(`seeds: ${analysisSeeds} key policy pairs for analysis`)
