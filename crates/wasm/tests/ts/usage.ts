// A use of the package's typings: compiled with `tsc --noEmit` (never
// run) by scripts/test after scripts/wasm-pack. It fails when the answer
// types (generated from the Rust types) no longer type what the functions
// return.
import {
  simulate,
  Playground,
  checkNoNewAccess,
  checkNoPublicAccess,
  checkAccessNotGranted,
  whoCan,
  checkLockout,
  type CheckAnswer,
  type Counterexample,
  type Verdict,
  type WhoCan,
  type CallerClass,
  type ReportAnswer,
  type RequestAnswer,
  type SourceAnswer,
  type StatementAnswer,
  type Decision,
  type Outcome,
} from "@kms-policy-playground/engine";

const file = "{}";
const report: ReportAnswer = simulate(file, { lang: "en", trace: true });
const first: RequestAnswer | undefined = report.results[0];
const decision: Decision | undefined = first?.decision;
const outcome: Outcome | undefined = first?.outcome;
const met: number = report.summary.expect_met;

function where(s: SourceAnswer): string {
  switch (s.kind) {
    case "key_policy":
      return s.label;
    case "identity_policy":
      return `${s.identity} #${s.policy}/${s.statement}`;
    case "grant":
      return s.grant;
    case "scp":
    case "rcp":
      return `${s.node} #${s.policy}/${s.statement}`;
    case "vpc_endpoint_policy":
      return s.endpoint;
    case "permissions_boundary":
      return s.identity;
    case "session_policy":
      return `#${s.policy}/${s.statement}`;
  }
}

const pg = new Playground(file);
const one: RequestAnswer = pg.decide('{"principal": "arn:aws:iam::111111111111:user/Bob", "action": "kms:Decrypt"}');
const statements: StatementAnswer[] = one.trace?.key_policy ?? [];
const deniedBy: string | null = one.denied_by ? where(one.denied_by) : null;
const scps: number = one.trace?.guardrails?.scps?.length ?? 0;
const sentence: string = one.reasons.map((r) => r.message).join(" ");
const oldName: import("@kms-policy-playground/engine").Report = report;

// The policy checks.
const change: CheckAnswer = checkNoNewAccess(file, file, { lang: "ja", oldName: "old.json", newName: "new.json" });
const verdict: Verdict = change.result;
const first_request: Counterexample | undefined = change.counterexamples[0];
const caller: string | undefined = first_request?.request.principal;
const allowedBy: number | undefined = first_request?.statement;
const assumed: string[] = (first_request?.identities ?? []).map((i) => i.arn);
const pub: boolean = checkNoPublicAccess(file, { name: "key.json" }).result === "pass";
const granted: CheckAnswer = checkAccessNotGranted(file, { actions: ["kms:Decrypt"], principals: ["444455556666"] });
const why: string[] = granted.limits.map((l) => `${l.code}: ${l.subject}`);
const lock: CheckAnswer = checkLockout(file);
const keeper: string | undefined = lock.witness?.request.principal;
const who: WhoCan = whoCan(file, { action: "kms:Decrypt" });
const classes: CallerClass["class"][] = who.callers.map((c) => c.class);
const conditions: string[] = who.callers.flatMap((c) => c.statements.flatMap((s) => s.conditions.map((w) => `${w.key} ${w.operator} ${w.values.join(",")}`)));
const tried: number = change.requests_tried + lock.requests_tried;
const said: string = change.message;
const kind: "no-new-access" | "no-public-access" | "access-not-granted" | "lockout" = granted.check;

export { decision, outcome, met, statements, deniedBy, scps, sentence, oldName };
export { verdict, caller, allowedBy, assumed, pub, why, keeper, classes, conditions, tried, said, kind };
