// Differential test: random playground files through the engine (the
// runner in ./runner, a thin wrapper over kmsplay-playground) and through
// @cloud-copilot/iam-simulate's core authorizer; every disagreement is
// classified (classify.mjs, KNOWN.md).
//
//   node tests/differential/run.mjs --cases 100000 --seed 1
//   node tests/differential/run.mjs --cases 3000 --seed 1        # the fast check for scripts/test
//   node tests/differential/run.mjs --cases 2000 --seed 7 --dump /tmp/diff   # write unexplained cases
//   node tests/differential/run.mjs --chain --cases 100000 --seed 1   # the whole evaluation chain
//
// Options: --cases N (requests, default 3000), --seed S (default 1),
// --dump DIR (write each unexplained disagreement as a playground file),
// --no-probes (leave out the documented-difference probes), --quiet,
// --chain (files with the rest of the evaluation chain: organizations, SCPs,
// RCPs, boundaries, session policies, VPC endpoints; gen.mjs chainFile),
// --chain-cases N (N chain requests after the --cases default ones, from
// their own stream of seed S, so the default run is unchanged).
// Prints the agreement rate, every class with its count, and a final
// "N passed, M failed" line; exits 1 when any case is unexplained.

import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { compare, ENGINE_BUGS, isEngineBug, isKnown } from './classify.mjs'
import { chainFile, playgroundFile, rng } from './gen.mjs'
import { peerDecide } from './peer.mjs'

const here = dirname(fileURLToPath(import.meta.url))

function args() {
  const a = process.argv.slice(2)
  const opt = { cases: 3000, seed: 1, dump: null, probes: true, quiet: false, chain: false, chainCases: 0 }
  for (let i = 0; i < a.length; i++) {
    switch (a[i]) {
      case '--cases':
        opt.cases = Number(a[++i])
        break
      case '--seed':
        opt.seed = Number(a[++i])
        break
      case '--dump':
        opt.dump = a[++i]
        break
      case '--no-probes':
        opt.probes = false
        break
      case '--quiet':
        opt.quiet = true
        break
      case '--chain':
        opt.chain = true
        break
      case '--chain-cases':
        opt.chainCases = Number(a[++i])
        break
      default:
        console.error(`unknown option ${a[i]}`)
        process.exit(2)
    }
  }
  if (opt.chain) {
    opt.chainCases = opt.cases
    opt.cases = 0
  }
  if (!Number.isInteger(opt.cases) || opt.cases < 0 || !Number.isInteger(opt.seed) || !Number.isInteger(opt.chainCases) || opt.cases + opt.chainCases < 1) {
    console.error('--cases and --seed take integers')
    process.exit(2)
  }
  return opt
}

function buildRunner() {
  const manifest = join(here, 'runner', 'Cargo.toml')
  const b = spawnSync('cargo', ['build', '--release', '--quiet', '--manifest-path', manifest], { stdio: 'inherit' })
  if (b.status !== 0) {
    console.error('differential: building the runner failed')
    process.exit(2)
  }
  return join(here, 'runner', 'target', 'release', 'kmsplay-diff-runner')
}

const opt = args()
const started = Date.now()
const r = rng(opt.seed)
const files = []
let planned = 0
while (planned < opt.cases) {
  const f = playgroundFile(r, { probes: opt.probes })
  f.requests = f.requests.slice(0, opt.cases - planned)
  planned += f.requests.length
  files.push(f)
}
// Chain files: their own stream, so that adding them changes nothing above.
const rc = rng((opt.seed ^ 0x5eed_c4a1) >>> 0)
let chainPlanned = 0
while (chainPlanned < opt.chainCases) {
  const f = chainFile(rc)
  f.requests = f.requests.slice(0, opt.chainCases - chainPlanned)
  chainPlanned += f.requests.length
  files.push(f)
}

const runner = spawn(buildRunner(), [], { stdio: ['pipe', 'pipe', 'inherit'] })
const lines = createInterface({ input: runner.stdout })
;(async () => {
  for (const f of files) {
    if (!runner.stdin.write(JSON.stringify(f) + '\n')) await new Promise((ok) => runner.stdin.once('drain', ok))
  }
  runner.stdin.end()
})()

const counts = { total: 0, agree: 0, known: 0, bugs: 0, unexplained: 0, elementOnly: 0 }
const decisionClasses = new Map()
const elementClasses = new Map()
const bump = (m, k) => m.set(k, (m.get(k) ?? 0) + 1)
let fileIndex = 0
let dumped = 0
let failed = 0
let pending = 0

for await (const line of lines) {
  const file = files[fileIndex++]
  const out = JSON.parse(line)
  if (!out.ok) {
    console.error(`runner refused a generated file: ${out.error} at ${out.path}`)
    failed += file.requests.length
    counts.total += file.requests.length
    continue
  }
  if (out.diagnostics.length) bump(elementClasses, `engine-diagnostics:${[...new Set(out.diagnostics)].join(',')}`)
  file.requests.forEach((req, i) => {
    counts.total++
    let peer
    try {
      peer = peerDecide(file, i)
    } catch (e) {
      bump(decisionClasses, `peer-error:${e.message}`)
      counts.unexplained++
      failed++
      return
    }
    const c = compare(file, req, out.results[i], peer)
    // Every class met in this case: statement parts, derived context, and
    // (when the decisions differ) what explains the decision.
    const all = new Set([...c.elementClasses, ...c.contextDiffs, ...c.decisionClasses])
    for (const cls of c.elementClasses) bump(elementClasses, cls)
    for (const cls of c.contextDiffs) bump(elementClasses, cls)
    const unexplained = [...all].some((cls) => !isKnown(cls) && !isEngineBug(cls))
    const bug = !unexplained && [...all].some(isEngineBug)
    if (c.agree) {
      counts.agree++
      if (all.size) counts.elementOnly++
    } else {
      bump(decisionClasses, c.decisionClasses.join(' + '))
      if (unexplained) counts.unexplained++
      else if (bug) counts.bugs++
      else counts.known++
    }
    if (bug) pending++
    if (unexplained) {
      failed++
      if (opt.dump && dumped < 200) {
        mkdirSync(opt.dump, { recursive: true })
        const one = { ...file, requests: [{ ...req, name: `ours ${out.results[i].decision}, peer ${peer.decision}: ${[...c.decisionClasses, ...c.elementClasses].join(' + ')}` }] }
        writeFileSync(join(opt.dump, `case-${opt.seed}-${counts.total}.json`), JSON.stringify(one, null, 2) + '\n')
        dumped++
      }
    }
  })
}

const pct = (n) => ((100 * n) / counts.total).toFixed(3)
const secs = ((Date.now() - started) / 1000).toFixed(1)
console.log(`differential: ${counts.total} requests (${opt.cases} default, ${opt.chainCases} with the evaluation chain; seed ${opt.seed}, ${files.length} playground files, ${secs}s)`)
console.log(`  decisions agree: ${counts.agree} (${pct(counts.agree)}%)`)
console.log(`  disagree, documented (KNOWN.md): ${counts.known} (${pct(counts.known)}%)`)
console.log(`  disagree, engine bugs awaiting a fix (counted as skipped): ${counts.bugs} (${pct(counts.bugs)}%)`)
console.log(`  disagree, unexplained: ${counts.unexplained} (${pct(counts.unexplained)}%)`)
console.log(`  agreement on the modelled features (agree + documented): ${pct(counts.agree + counts.known)}%`)
if (!opt.quiet) {
  const show = (title, m) => {
    if (!m.size) return
    console.log(title)
    for (const [k, n] of [...m].sort((a, b) => b[1] - a[1])) {
      const parts = k.split(' + ')
      const tag = parts.every(isKnown) ? 'KNOWN' : parts.every((p) => isKnown(p) || isEngineBug(p)) ? 'ENGINE-BUG' : 'UNEXPLAINED'
      console.log(`    ${String(n).padStart(7)}  ${tag.padEnd(11)} ${k}`)
    }
  }
  show('  decision disagreements by class:', decisionClasses)
  show('  element disagreements (statement parts, conditions, derived context) by class:', elementClasses)
  if (opt.dump && dumped) console.log(`  wrote ${dumped} unexplained cases to ${opt.dump}`)
}
if (pending) {
  console.log('  engine bugs (each has an #[ignore]d failing test):')
  for (const [cls, test] of Object.entries(ENGINE_BUGS)) console.log(`    ${cls}: ${test}`)
}
console.log(`${counts.total - failed - pending} passed, ${failed} failed, ${pending} skipped`)
process.exit(failed ? 1 : 0)
