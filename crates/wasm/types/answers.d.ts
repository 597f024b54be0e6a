// Generated from the Rust answer types (kmsplay_playground::answer,
// kmsplay_analysis, kmsplay_lab::checks::CheckAnswer) by
// crates/wasm/tests/ts_types.rs: do not edit; regenerate with
// KMSPLAY_TS=write cargo test -p kmsplay-wasm --test ts_types

/** `allowed`, `explicitDeny` or `implicitDeny`: the decision from policies and grants alone. */
export type Decision = "allowed" | "explicitDeny" | "implicitDeny";

/** What KMS answers. */
export type Outcome = "Success" | "AccessDeniedException" | "NotFoundException" | "DisabledException" | "KMSInvalidStateException" | "InvalidKeyUsageException";

export type ReportAnswer = { 
/**
 * One per request, in the file's order.
 */
results: Array<RequestAnswer>, 
/**
 * What the policy parser said of every policy in the file.
 */
diagnostics: Array<DiagnosticAnswer>, 
/**
 * Counts over the results.
 */
summary: Summary, };

export type Summary = { 
/**
 * Requests.
 */
total: number, 
/**
 * Requests allowed.
 */
allowed: number, 
/**
 * Requests denied (explicitly or implicitly).
 */
denied: number, 
/**
 * Requests whose `expect` was met.
 */
expect_met: number, 
/**
 * Requests whose `expect` was not met.
 */
expect_failed: number, };

export type RequestAnswer = { 
/**
 * The request's name in the file.
 */
name: string, 
/**
 * The caller, as written.
 */
principal: string, 
/**
 * `kms:Operation`.
 */
action: string, 
/**
 * Allowed, explicit deny or implicit deny.
 */
decision: Decision, 
/**
 * What KMS answers (`Success`, `AccessDeniedException`, …).
 */
outcome: Outcome, 
/**
 * Why, the main reason first.
 */
reasons: Array<ReasonAnswer>, 
/**
 * The statements or grants that allowed it.
 */
allowed_by: Array<SourceAnswer>, 
/**
 * The statement that denied it.
 */
denied_by: SourceAnswer | null, 
/**
 * For a caller of another account: which half allowed it.
 */
cross_account: CrossAccountAnswer | null, 
/**
 * The policy type AWS names in its message (`policy_type` codes).
 */
policy_type: string, 
/**
 * The message AWS would return, for a denied request.
 */
access_denied_message: string | null, 
/**
 * The statement that decided, for a page to highlight.
 */
decided_by?: DecidedBy, 
/**
 * The request's expectation (`allowed`, `implicitDeny`, an outcome).
 */
expect?: string, 
/**
 * Whether it was met (present with `expect`).
 */
expect_met?: boolean, 
/**
 * Every statement, condition and grant considered, when asked for.
 */
trace?: TraceAnswer, };

export type ReasonAnswer = { 
/**
 * `allowed-by-key-policy`, `denied-by-scp`, …
 */
code: string, 
/**
 * The message's parameters, as the engine gave them.
 */
params: Record<string, string>, 
/**
 * The sentence, in the language asked for.
 */
message: string, };

export type SourceAnswer = { "kind": "key_policy", 
/**
 * Its index from 0.
 */
statement: number, 
/**
 * `#2 "Sid"`.
 */
label: string, } | { "kind": "identity_policy", 
/**
 * The identity's ARN.
 */
identity: string, 
/**
 * The policy's index among the identity's.
 */
policy: number, 
/**
 * The statement's index.
 */
statement: number, } | { "kind": "grant", 
/**
 * Its id.
 */
grant: string, } | { "kind": "scp", 
/**
 * The root, OU or account it is attached to.
 */
node: string, 
/**
 * The policy's index at that node.
 */
policy: number, 
/**
 * The statement's index.
 */
statement: number, } | { "kind": "rcp", 
/**
 * The root, OU or account it is attached to.
 */
node: string, 
/**
 * The policy's index at that node.
 */
policy: number, 
/**
 * The statement's index.
 */
statement: number, } | { "kind": "vpc_endpoint_policy", 
/**
 * The endpoint id.
 */
endpoint: string, 
/**
 * The statement's index.
 */
statement: number, } | { "kind": "permissions_boundary", 
/**
 * Whose boundary.
 */
identity: string, 
/**
 * The statement's index.
 */
statement: number, } | { "kind": "session_policy", 
/**
 * The session policy's index.
 */
policy: number, 
/**
 * The statement's index.
 */
statement: number, };

export type CrossAccountAnswer = { 
/**
 * The key policy allows the caller or its account.
 */
key_policy: boolean, 
/**
 * An identity policy in the caller's account allows it.
 */
identity_policy: boolean, };

export type DecidedBy = { 
/**
 * The field of the policy that holds it (`organization.scps.…`);
 * absent for the key policy.
 */
policy?: string, 
/**
 * Whether `start`/`end` are in that policy's own text (it was a
 * string) rather than in the file's; absent for the key policy.
 */
in_policy_text?: boolean, 
/**
 * The statement's index.
 */
statement: number, 
/**
 * Byte offsets of the statement.
 */
start: number, 
/**
 * End of the statement (exclusive).
 */
end: number, };

export type SpanAnswer = { 
/**
 * Byte offset of the start.
 */
start: number, 
/**
 * Byte offset of the end (exclusive).
 */
end: number, 
/**
 * Line of the start.
 */
line: number, 
/**
 * Column (in characters) of the start.
 */
column: number, 
/**
 * Line of the end.
 */
end_line: number, 
/**
 * Column of the end.
 */
end_column: number, };

export type TraceAnswer = { 
/**
 * Every condition key of the request (derived and given).
 */
context: Record<string, string | string[]>, 
/**
 * Every key-policy statement.
 */
key_policy: Array<StatementAnswer>, 
/**
 * Every identity policy of the caller.
 */
identity_policies: Array<IdentityPolicyAnswer>, 
/**
 * Every grant on the key.
 */
grants: Array<GrantAnswer>, 
/**
 * The layers beyond these, when the request has any.
 */
guardrails?: GuardrailsAnswer, };

export type ContextValueAnswer = string | Array<string>;

export type StatementAnswer = { 
/**
 * Its index from 0.
 */
statement: number, 
/**
 * Its Sid.
 */
sid: string | null, 
/**
 * `Allow` or `Deny` (none when invalid).
 */
effect: "Allow" | "Deny" | null, 
/**
 * False when the statement is malformed (it never applies).
 */
valid: boolean, 
/**
 * How the principal matched (`exact`, `account`, `unmatched`, …).
 */
principal: string, 
/**
 * The action matched.
 */
action: boolean, 
/**
 * The resource matched.
 */
resource: boolean, 
/**
 * The statement applies to the request.
 */
applies: boolean, 
/**
 * Each condition and its result.
 */
conditions: Array<ConditionAnswer>, 
/**
 * Where it is (in the key policy's trace only).
 */
span?: SpanAnswer, };

export type ConditionAnswer = { 
/**
 * `StringEquals`, `ForAnyValue:StringLike`, …
 */
operator: string, 
/**
 * The condition key.
 */
key: string, 
/**
 * The values the policy gives.
 */
policy_values: Array<string>, 
/**
 * The request's values (none when the key is absent).
 */
request_values: Array<string> | null, 
/**
 * Whether it holds.
 */
result: boolean, };

export type IdentityPolicyAnswer = { 
/**
 * The identity's ARN.
 */
identity: string, 
/**
 * The policy's index among the identity's.
 */
policy: number, 
/**
 * Its statements.
 */
statements: Array<StatementAnswer>, };

export type GrantAnswer = { 
/**
 * The grant id.
 */
grant: string, 
/**
 * The grantee is the caller (or its role).
 */
grantee: boolean, 
/**
 * The grantee is the caller's account.
 */
grantee_account: boolean, 
/**
 * The grant lists the operation.
 */
operation: boolean, 
/**
 * Its constraint holds.
 */
constraint: boolean, 
/**
 * Not pending, or its token was sent.
 */
usable: boolean, 
/**
 * The grant allows the request.
 */
applies: boolean, };

export type GuardrailsAnswer = { 
/**
 * Each node from the root to the caller's account, with its SCPs.
 */
scps?: Array<NodeAnswer>, 
/**
 * Each node from the root to the key's account, with its RCPs.
 */
rcps?: Array<NodeAnswer>, 
/**
 * The caller's permissions boundary.
 */
permissions_boundary?: BoundaryAnswer, 
/**
 * Each session policy.
 */
session_policies?: Array<LayerPolicyAnswer>, 
/**
 * The VPC endpoint the request came through.
 */
vpc_endpoint?: EndpointAnswer, };

export type NodeAnswer = { 
/**
 * Root, OU or account id.
 */
node: string, 
/**
 * Only the default policy (`FullAWSAccess` / `RCPFullAWSAccess`).
 */
default_only: boolean, 
/**
 * For SCPs: some statement at this node allows the request.
 */
allows: boolean, 
/**
 * Each attached policy.
 */
policies: Array<LayerPolicyAnswer>, };

export type LayerPolicyAnswer = { 
/**
 * Its field in the file ([`PolicySource::path`]).
 */
policy: string, 
/**
 * Statement spans are in the policy's own text (it was a string).
 */
in_policy_text: boolean, 
/**
 * Its statements.
 */
statements: Array<StatementAnswer>, };

export type BoundaryAnswer = { 
/**
 * Its field in the file.
 */
policy: string, 
/**
 * Statement spans are in the policy's own text.
 */
in_policy_text: boolean, 
/**
 * Its statements.
 */
statements: Array<StatementAnswer>, 
/**
 * Whose boundary.
 */
identity: string, };

export type EndpointAnswer = { 
/**
 * Its policy's field (none for the default policy).
 */
policy: string | null, 
/**
 * Statement spans are in the policy's own text.
 */
in_policy_text?: boolean, 
/**
 * Its statements.
 */
statements?: Array<StatementAnswer>, 
/**
 * True for the default endpoint policy, which allows everything.
 */
default_policy?: boolean, 
/**
 * The endpoint id.
 */
endpoint: string, };

export type DiagnosticAnswer = { 
/**
 * `key`, or the policy's field.
 */
policy: string, 
/**
 * The identity whose policy or boundary it is.
 */
identity: string | null, 
/**
 * The positions are in the policy's own text (it was a string).
 */
in_policy_text: boolean, 
/**
 * That text.
 */
policy_text: string | null, 
/**
 * `unknown-action`, `json-unexpected-char`, …
 */
code: string, 
/**
 * `error`, `warning`, …
 */
severity: string, 
/**
 * The sentence, with its hint.
 */
message: string, 
/**
 * The message's parameters.
 */
params: Record<string, string>, 
/**
 * Line of the start.
 */
line: number, 
/**
 * Column of the start.
 */
column: number, 
/**
 * Line of the end.
 */
end_line: number, 
/**
 * Column of the end.
 */
end_column: number, 
/**
 * Byte offset of the start.
 */
start: number, 
/**
 * Byte offset of the end.
 */
end: number, };

export type CheckAnswer = { 
/**
 * The verdict in a sentence, in the language asked for.
 */
message: string, 
/**
 * `no-new-access`, `no-public-access`, `access-not-granted`, `lockout`.
 */
check: "no-new-access" | "no-public-access" | "access-not-granted" | "lockout", 
/**
 * The verdict.
 */
result: Verdict, 
/**
 * For a fail, the requests that break the property; for a lockout
 * fail, the key account's callers that are refused.
 */
counterexamples: Array<Counterexample>, 
/**
 * For a pass of `lockout`, a caller that can still change the policy.
 */
witness?: Counterexample, 
/**
 * Why the answer is unknown (or, with a fail, what was not tried).
 */
limits: Array<Limit>, 
/**
 * How many requests the engine decided.
 */
requests_tried: number, };

export type Verdict = "pass" | "fail" | "unknown";

export type Counterexample = { 
/**
 * A `requests[]` entry.
 */
request: { principal: string, action: string, key?: string, encryption_context?: Record<string, string>, context?: Record<string, string | string[]>, grant_tokens?: string[] }, 
/**
 * `identities[]` entries.
 */
identities: Array<{ arn: string, policies: object[] }>, 
/**
 * The key-policy statement (from 0) that allows it, when one does.
 */
statement?: number, };

export type Limit = { 
/**
 * `types`, `variable`, `patterns`, `sets`, `combinations`, `contexts`.
 */
code: string, 
/**
 * What it is about.
 */
subject: string, };

export type WhoCan = { 
/**
 * `kms:Operation`.
 */
action: string, 
/**
 * `pass` when every class of caller was decided exactly, `unknown`
 * when some requests could not be (the list may then miss some).
 */
result: Verdict, 
/**
 * Each class of caller that can be allowed.
 */
callers: Array<CallerClass>, 
/**
 * Why the list may be incomplete.
 */
limits: Array<Limit>, };

export type CallerClass = { 
/**
 * `account-iam` (the key's account, through IAM policies), `named`
 * (a principal a policy or grant names), `other-account`,
 * `organization` (a member account of the file's organization),
 * `any-account` (an account no policy names), `service`.
 */
class: string, 
/**
 * The caller's ARN (named) or service.
 */
principal?: string, 
/**
 * The account.
 */
account?: string, 
/**
 * The key-policy statements that allow it (any one suffices), each
 * with the conditions it must meet.
 */
statements: Array<StatementConditions>, 
/**
 * The grants that allow it.
 */
grants: Array<string>, 
/**
 * One allowed request.
 */
example: Counterexample, };

export type StatementConditions = { 
/**
 * Its index, from 0.
 */
index: number, 
/**
 * Its `Sid`.
 */
sid?: string, 
/**
 * Each condition: operator, key, values.
 */
conditions: Array<ConditionWords>, };

export type ConditionWords = { 
/**
 * The operator.
 */
operator: string, 
/**
 * The key.
 */
key: string, 
/**
 * The values.
 */
values: Array<string>, };
