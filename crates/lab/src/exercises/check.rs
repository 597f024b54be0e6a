//! Checking the goals against what the learner typed.

use super::model::{AllowedBy, Editable, Exercise, GoalKind, Rule};
use super::parse::statements_of;
use crate::findings::{self, Finding, LintContext};
use kmsplay_json::Span;
use kmsplay_kms::{Authorization, Decision, Reason, Source};
use kmsplay_messages::{render, Lang};
use kmsplay_playground::{Expect, PlaygroundFile};
use kmsplay_policy::{parse_text, PolicyKind};
use serde_json::{json, Value};

/// Why a goal is not met: a message id and its parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detail {
    /// Message id: `reason.<code>` (the engine's explanation of a
    /// request, for request and expectations goals), `finding.<code>` /
    /// `diag.<code>` (a finding in the key policy), or
    /// `exercise.detail.<code>`.
    pub code: String,
    /// Named values for the message.
    pub params: Vec<(&'static str, String)>,
}

impl Detail {
    fn new(code: impl Into<String>) -> Detail {
        Detail {
            code: code.into(),
            params: Vec::new(),
        }
    }

    fn with(mut self, name: &'static str, value: impl Into<String>) -> Detail {
        self.params.push((name, value.into()));
        self
    }

    /// The sentence.
    pub fn message(&self, lang: Lang) -> String {
        render(lang, &self.code, &self.params)
    }
}

/// The state of one goal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalResult {
    /// Message id of the goal's sentence.
    pub text_id: String,
    /// Is it met?
    pub met: bool,
    /// For a request goal (and an `expectations` goal that is not met): the
    /// decision (`allowed`, …) or, when the goal asks for an outcome, the
    /// outcome (`Success`, `DisabledException`, …) the request got.
    pub got: Option<String>,
    /// For an `expectations` goal that is not met: the name of the first
    /// request of the starting file that does not get its `expect`.
    pub request: Option<String>,
    /// Why it is not met (None when met).
    pub detail: Option<Detail>,
    /// Where in the key policy text the problem is, when it has a place.
    pub span: Option<Span>,
}

/// Every goal's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checklist {
    /// One result per goal, in the exercise's order.
    pub goals: Vec<GoalResult>,
    /// True when every goal is met.
    pub all_met: bool,
}

impl Checklist {
    /// How many goals are met.
    pub fn met(&self) -> usize {
        self.goals.iter().filter(|g| g.met).count()
    }

    /// As JSON for a page: `{"all_met", "met", "total", "goals": [{"text_id",
    /// "text", "met", "got", "request", "detail": {"code", "params", "message"},
    /// "span": {"start", "end"}}]}`.
    pub fn to_json(&self, lang: Lang) -> Value {
        json!({
            "all_met": self.all_met,
            "met": self.met(),
            "total": self.goals.len(),
            "goals": self.goals.iter().map(|g| json!({
                "text_id": g.text_id,
                "text": kmsplay_messages::text(lang, &g.text_id),
                "met": g.met,
                "got": g.got,
                "request": g.request,
                "detail": g.detail.as_ref().map(|d| json!({
                    "code": d.code,
                    "params": Value::Object(d.params.iter().map(|(k, v)| (k.to_string(), Value::String(v.clone()))).collect()),
                    "message": d.message(lang),
                })),
                "span": g.span.map(|s| json!({ "start": s.start, "end": s.end })),
            })).collect::<Vec<_>>(),
        })
    }
}

/// Decides every goal of `ex` against the learner's key policy text and
/// the learner's identity policies (identity index, policy index, text;
/// policies the exercise does not let the learner edit are ignored and the
/// starting ones used).
pub fn check(
    ex: &Exercise,
    key_policy_text: &str,
    identity_policies: &[(usize, usize, String)],
) -> Checklist {
    let parsed = parse_text(key_policy_text, PolicyKind::Resource);
    let mut file = ex.file.clone();
    for (i, j, text) in identity_policies {
        let e = Editable::IdentityPolicy {
            identity: *i,
            policy: *j,
        };
        if !ex.editable.contains(&e) {
            continue;
        }
        if let Some(slot) = file
            .identities
            .get_mut(*i)
            .and_then(|id| id.policies.get_mut(*j))
        {
            *slot = parse_text(text, PolicyKind::Identity).policy;
        }
    }
    let needs_findings = ex
        .goals
        .iter()
        .any(|g| matches!(&g.kind, GoalKind::Rule(r) if r.needs_findings()));
    let found: Vec<Finding> = if needs_findings {
        findings::lint_policy(
            &parsed,
            &LintContext {
                key: Some(&file.key),
                kind: PolicyKind::Resource,
                scenario: ex.scenario.as_deref(),
            },
        )
    } else {
        Vec::new()
    };
    file.key.policy = parsed.policy;

    let goals: Vec<GoalResult> = ex
        .goals
        .iter()
        .map(|g| {
            let mut r = GoalResult {
                text_id: g.text.clone(),
                met: true,
                got: None,
                request: None,
                detail: None,
                span: None,
            };
            match &g.kind {
                GoalKind::Request {
                    expect,
                    allowed_by,
                    index,
                    ..
                } => request_goal(&file, *index, *expect, *allowed_by, &mut r),
                GoalKind::Expectations => expectations_goal(&file, ex.start_requests, &mut r),
                GoalKind::Rule(rule) => rule_goal(ex, rule, key_policy_text, &file, &found, &mut r),
            }
            r
        })
        .collect();
    Checklist {
        all_met: goals.iter().all(|g| g.met),
        goals,
    }
}

fn request_goal(
    file: &PlaygroundFile,
    index: usize,
    expect: Expect,
    allowed_by: Option<AllowedBy>,
    r: &mut GoalResult,
) {
    if let Some(spec) = file.requests.get(index) {
        request_goal_for(file, spec, expect, allowed_by, r);
    }
}

fn request_goal_for(
    file: &PlaygroundFile,
    spec: &kmsplay_playground::RequestSpec,
    expect: Expect,
    allowed_by: Option<AllowedBy>,
    r: &mut GoalResult,
) {
    let auth = kmsplay_playground::decide(file, spec, false).authorization;
    r.got = Some(match expect {
        Expect::Decision(_) => auth.decision.as_str().to_string(),
        Expect::Outcome(_) => auth.outcome.as_str().to_string(),
    });
    if !expect.met(auth.decision, auth.outcome) {
        r.met = false;
        let reason = match (expect, auth.decision) {
            // Authorized, but the key refused: its refusal is the last reason.
            (Expect::Outcome(_), Decision::Allowed) => auth.reasons.last(),
            // Denied: the near miss (a condition that did not hold) says more
            // than "nothing allows it".
            (_, Decision::ImplicitDeny) => auth
                .reasons
                .iter()
                .find(|x| x.code.contains("condition"))
                .or(auth.reasons.first()),
            _ => auth.reasons.first(),
        };
        r.detail = reason.map(|x| reason_detail(file, spec, &auth, x));
        return;
    }
    let Some(wanted) = allowed_by else { return };
    let first = auth.allowed_by.first();
    let ok = match wanted {
        AllowedBy::Grant => matches!(first, Some(Source::Grant { .. })),
        AllowedBy::KeyPolicy => matches!(first, Some(Source::KeyPolicy { .. })),
    };
    if !ok {
        r.met = false;
        r.detail = match first {
            Some(Source::KeyPolicy { statement }) => {
                Some(Detail::new("exercise.detail.allowed-by-key-policy").with(
                    "statement",
                    kmsplay_playground::statement_label(file.key.policy.as_ref(), *statement),
                ))
            }
            Some(Source::Grant { id }) => {
                Some(Detail::new("exercise.detail.allowed-by-grant").with("grant", id.clone()))
            }
            Some(Source::IdentityPolicy { identity, .. }) => Some(
                Detail::new("exercise.detail.allowed-by-identity-policy")
                    .with("identity", identity.clone()),
            ),
            // Only the key policy, IAM policies and grants allow.
            Some(_) | None => None,
        };
        if let (Some(Source::KeyPolicy { statement }), Some(p)) = (first, &file.key.policy) {
            r.span = p.statements.get(*statement).map(|s| s.span);
        }
    }
}

/// The engine's reason as a detail, with the parameters the playground's
/// report gives it (statement labels, caller, action).
fn reason_detail(
    file: &PlaygroundFile,
    spec: &kmsplay_playground::RequestSpec,
    auth: &Authorization,
    reason: &Reason,
) -> Detail {
    let params = kmsplay_playground::reason_params(file, spec, auth, reason)
        .into_iter()
        .map(|(name, value)| (name, value.into_owned()))
        .collect();
    Detail {
        code: format!("reason.{}", reason.code),
        params,
    }
}

fn expectations_goal(file: &PlaygroundFile, count: usize, r: &mut GoalResult) {
    for spec in file.requests.iter().take(count) {
        let Some(expect) = spec.expect else { continue };
        request_goal_for(file, spec, expect, None, r);
        if !r.met {
            r.request = Some(spec.name.clone());
            return;
        }
        r.got = None;
    }
}

fn finding_detail(f: &Finding) -> Detail {
    let id = format!("finding.{}", f.code);
    let code = if kmsplay_messages::exists(&id) {
        id
    } else {
        format!("diag.{}", f.code)
    };
    Detail {
        code,
        params: f.params.clone(),
    }
}

/// The learner's work allows nothing the starting file did not: the
/// analysis's no-new-access check (its counterexample named when not).
#[cfg(feature = "analysis")]
fn no_new_access_goal(ex: &Exercise, file: &PlaygroundFile, r: &mut GoalResult) {
    use kmsplay_analysis::{no_new_access, Setting, Verdict};
    let report = no_new_access(&Setting::from_file(&ex.file), &Setting::from_file(file));
    match (report.result, report.counterexamples.first()) {
        (Verdict::Pass, _) => {}
        (_, Some(c)) => {
            r.met = false;
            let field = |name: &str| c.request[name].as_str().unwrap_or_default().to_string();
            r.detail = Some(
                Detail::new("exercise.detail.new-access")
                    .with("principal", field("principal"))
                    .with("action", field("action")),
            );
        }
        (_, None) => {
            r.met = false;
            r.detail = Some(Detail::new("exercise.detail.new-access-unknown"));
        }
    }
}

/// Without the analysis (the `analysis` feature), the goal cannot be
/// decided: it is not met, and says why.
#[cfg(not(feature = "analysis"))]
fn no_new_access_goal(_: &Exercise, _: &PlaygroundFile, r: &mut GoalResult) {
    r.met = false;
    r.detail = Some(Detail::new("exercise.detail.new-access-unknown"));
}

fn rule_goal(
    ex: &Exercise,
    rule: &Rule,
    text: &str,
    file: &PlaygroundFile,
    found: &[Finding],
    r: &mut GoalResult,
) {
    let first = |pred: &dyn Fn(&Finding) -> bool| found.iter().find(|f| pred(f));
    let offending = match rule {
        Rule::NoPrincipalStarWithoutCondition => first(&|f| f.code == "public-principal"),
        Rule::NoFindingOfSeverity(sev) => first(&|f| sev.contains(&f.severity)),
        Rule::NoFinding(codes) => first(&|f| codes.iter().any(|c| c == f.code)),
        Rule::StatementCountAtMost(max) => {
            let count = file.key.policy.as_ref().map_or(0, |p| p.statements.len());
            if count > *max {
                r.met = false;
                r.detail = Some(
                    Detail::new("exercise.detail.statement-count")
                        .with("count", count.to_string())
                        .with("max", max.to_string()),
                );
            }
            return;
        }
        Rule::NoNewAccess => {
            no_new_access_goal(ex, file, r);
            return;
        }
        Rule::NoStatementModified => {
            let mut now: Vec<Option<Value>> = statements_of(text)
                .iter()
                .map(|s| Some(crate::merge::normalise(s)))
                .collect();
            for (label, st) in &ex.start_statements {
                match now.iter_mut().find(|n| n.as_ref() == Some(st)) {
                    Some(slot) => *slot = None,
                    None => {
                        r.met = false;
                        r.detail = Some(
                            Detail::new("exercise.detail.statement-modified")
                                .with("statement", label.clone()),
                        );
                        return;
                    }
                }
            }
            return;
        }
    };
    if let Some(f) = offending {
        r.met = false;
        r.detail = Some(finding_detail(f));
        r.span = Some(f.span);
    }
}
