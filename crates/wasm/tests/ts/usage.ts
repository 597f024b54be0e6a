// A use of the package's typings: compiled with `tsc --noEmit` (never
// run) by scripts/test after scripts/wasm-pack. It fails when the answer
// types (generated from the Rust types) no longer type what the functions
// return.
import {
  simulate,
  Playground,
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

export { decision, outcome, met, statements, deniedBy, scps, sentence, oldName };
