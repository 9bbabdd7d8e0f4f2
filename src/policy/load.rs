//! Loading `openness.toml`: TOML text → checked [`Policy`], read like a rubric (raw spanned
//! document, then every field checked), every problem reported at once with
//! `file:line:column` and a snippet: unknown keys, wrong types, ids that are not Hub ids,
//! duplicates, licenses nobody knows, rules that do not exist, thresholds the rubric cannot
//! meet, dates that are not dates.

use super::Rule;
use super::date::Date;
use super::license::LicenseSpec;
use super::model::{Changes, Exception, Location, Mode, ModelSpec, Policy};
use crate::config::{Diagnostics, Field, LoadError, Table, parse_document};
use crate::hub::RepoId;
use crate::hub::model_ref::validate_revision;
use crate::licenses::KnowledgeBase;
use crate::rubric::{ResolveError, Rubric};

/// Parses and checks a policy. `file` names it in diagnostics and SARIF; `rubric` resolves the
/// `rubric` key (a built-in name or a path) to a rubric, or says why it cannot.
pub fn load(
    file: &str,
    text: &str,
    rubric: &dyn Fn(&str) -> Result<Rubric, ResolveError>,
) -> Result<Policy, LoadError> {
    let mut d = Diagnostics::new(file, text);
    // A syntax error comes alone: what the parser recovered would only add misleading errors
    // (a lost table, a key it could not read, a second message for a bad date).
    let Some(doc) = parse_document(text, &mut d) else {
        return d.finish(None);
    };
    let mut root = Table::new(doc.get_ref(), 0..0, "the policy file");
    let models = read_models(&mut root, file, &mut d);
    let policy = read_policy(&mut root, file, rubric, &mut d);
    let exceptions = read_exceptions(&mut root, file, &mut d);
    root.finish(&mut d);
    let policy = policy.map(|mut p| {
        p.models = models;
        p.exceptions = exceptions;
        p
    });
    d.finish(policy)
}

/// The 1-based line of a byte offset.
fn line_at(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

fn location(file: &str, d: &Diagnostics<'_>, field: &Field<String>) -> Location {
    Location {
        file: file.to_owned(),
        line: line_at(d.text(), field.span.start),
    }
}

fn check_repo_id(field: &Field<String>, d: &mut Diagnostics<'_>) -> Option<RepoId> {
    match RepoId::parse(&field.value) {
        Ok(id) => Some(id),
        Err(reason) => {
            d.error(
                field.span.clone(),
                format!(
                    "`{}` is not a Hub repo id (org/name): {reason}",
                    field.value
                ),
            );
            None
        }
    }
}

fn read_models(root: &mut Table<'_, '_>, file: &str, d: &mut Diagnostics<'_>) -> Vec<ModelSpec> {
    let mut models: Vec<ModelSpec> = Vec::new();
    let mut seen: Vec<(String, Field<String>)> = Vec::new();
    for mut table in root.tables("models", d) {
        let id = table.str("id", d);
        let revision = table.opt_str("revision", d);
        let reason = table.opt_str("reason", d).map(|f| f.value);
        let purpose = table.opt_str("purpose", d).map(|f| f.value);
        table.finish(d);
        if let Some(r) = &revision
            && let Err(why) = validate_revision(&r.value)
        {
            d.error(r.span.clone(), format!("`revision`: {why}"));
        }
        let Some(id) = id else { continue };
        let Some(repo) = check_repo_id(&id, d) else {
            continue;
        };
        let key = id.value.to_ascii_lowercase();
        if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
            let line = line_at(d.text(), first.span.start);
            d.error(
                id.span.clone(),
                format!(
                    "model `{}` is listed twice (first on line {line})",
                    id.value
                ),
            );
            continue;
        }
        seen.push((key, id.clone()));
        models.push(ModelSpec {
            location: location(file, d, &id),
            id: repo,
            revision: revision.map(|f| f.value),
            reason,
            purpose,
        });
    }
    models
}

fn mode(field: Option<Field<String>>, default: Mode, d: &mut Diagnostics<'_>) -> Mode {
    match field {
        None => default,
        Some(f) => Mode::parse(&f.value).unwrap_or_else(|| {
            d.error(
                f.span,
                format!("`{}` is not one of \"deny\", \"warn\", \"allow\"", f.value),
            );
            default
        }),
    }
}

fn read_policy(
    root: &mut Table<'_, '_>,
    file: &str,
    resolve: &dyn Fn(&str) -> Result<Rubric, ResolveError>,
    d: &mut Diagnostics<'_>,
) -> Option<Policy> {
    let Some(mut table) = root.opt_table("policy", d) else {
        if !root.has("policy") {
            d.error(
                0..0,
                "the policy file needs a [policy] table: the rules every model must meet (see docs/policy.md, or run `openness init` for an example)",
            );
        }
        return None;
    };
    let rubric_field = table.opt_str("rubric", d);
    let rubric_name = rubric_field
        .as_ref()
        .map_or_else(|| "default".to_owned(), |f| f.value.clone());
    let rubric = match resolve(&rubric_name) {
        Ok(rubric) => Some(rubric),
        Err(why) => {
            let span = rubric_field
                .as_ref()
                .map_or(table.span(), |f| f.span.clone());
            d.error(span, why.to_string());
            None
        }
    };
    let min_score = table.opt_number("min-score", d);
    let min_class = table.opt_str("min-class", d);
    let min_verdicts = table
        .opt_table("min-verdict", d)
        .map(|mut t| {
            let map = t.string_map(d);
            t.finish(d);
            map
        })
        .unwrap_or_default();
    let kb = KnowledgeBase::embedded();
    let licenses =
        |list: Vec<Field<String>>, d: &mut Diagnostics<'_>| -> Vec<(Field<String>, LicenseSpec)> {
            list.into_iter()
                .filter_map(|f| match LicenseSpec::parse(&f.value, kb) {
                    Ok(spec) => Some((f, spec)),
                    Err(why) => {
                        d.error(f.span.clone(), why.to_string());
                        None
                    }
                })
                .collect()
        };
    let allow_list = table.str_list("allow", d);
    let allow = licenses(allow_list, d);
    let deny_list = table.str_list("deny", d);
    let deny = licenses(deny_list, d);
    for (field, spec) in &deny {
        if allow.iter().any(|(_, a)| a.overlaps(spec)) {
            d.error(
                field.span.clone(),
                format!("`{}` is both allowed and denied", field.value),
            );
        }
    }
    let switch = |t: &mut Table<'_, '_>, key: &'static str, d: &mut Diagnostics<'_>| {
        t.opt_bool(key, d).is_some_and(|f| f.value)
    };
    let deny_noncommercial = switch(&mut table, "deny-noncommercial", d);
    let deny_use_restrictions = switch(&mut table, "deny-use-restrictions", d);
    let deny_user_threshold = switch(&mut table, "deny-user-threshold", d);
    let deny_gated = switch(&mut table, "deny-gated", d);
    let deny_eu_disallowed = switch(&mut table, "deny-eu-disallowed", d);
    let deny_license_drift = switch(&mut table, "deny-license-drift", d);
    let unknown_field = table.opt_str("unknown", d);
    let unknown = mode(unknown_field, Mode::Deny, d);
    let unused_allow_field = table.opt_str("unused-allow", d);
    let unused_allow = mode(unused_allow_field, Mode::Warn, d);
    let changes = table
        .opt_table("changes", d)
        .map(|mut t| {
            let defaults = Changes::default();
            let mut read = |key: &'static str, default: Mode, d: &mut Diagnostics<'_>| {
                let field = t.opt_str(key, d);
                mode(field, default, d)
            };
            let changes = Changes {
                license_changed: read("license-changed", defaults.license_changed, d),
                revision_changed: read("revision-changed", defaults.revision_changed, d),
                score_dropped: read("score-dropped", defaults.score_dropped, d),
                model_gone: read("model-gone", defaults.model_gone, d),
                gate_added: read("gate-added", defaults.gate_added, d),
            };
            t.finish(d);
            changes
        })
        .unwrap_or_default();
    table.finish(d);

    let rubric = rubric?;
    if let Some(min) = &min_score
        && !(0.0..=rubric.max_points()).contains(&min.value)
    {
        d.error(
            min.span.clone(),
            format!(
                "`min-score` is in points of rubric `{}`, from 0 to its maximum {}",
                rubric.name,
                rubric.max_points()
            ),
        );
    }
    if let Some(class) = &min_class
        && !rubric.classes.iter().any(|c| c.id == class.value)
    {
        let known: Vec<&str> = rubric.classes.iter().map(|c| c.id.as_str()).collect();
        d.error(
            class.span.clone(),
            if known.is_empty() {
                format!(
                    "rubric `{}` has no classes (the built-in `mof` has); drop `min-class` or change `rubric`",
                    rubric.name
                )
            } else {
                format!(
                    "rubric `{}` has no class `{}`; its classes are {}",
                    rubric.name,
                    class.value,
                    known.join(", ")
                )
            },
        );
    }
    let mut policy = Policy::new(file, rubric);
    for (dim, verdict) in &min_verdicts {
        let Some(dimension) = policy.rubric.dimensions.iter().find(|x| x.id == dim.value) else {
            let known: Vec<&str> = policy
                .rubric
                .dimensions
                .iter()
                .map(|x| x.id.as_str())
                .collect();
            d.error(
                dim.span.clone(),
                format!(
                    "rubric `{}` has no dimension `{}`; its dimensions are {}",
                    policy.rubric.name,
                    dim.value,
                    known.join(", ")
                ),
            );
            continue;
        };
        let gives_verdicts = !dimension.verdicts.is_empty()
            || dimension.criteria.iter().any(|c| c.verdict.is_some());
        let order = policy.verdict_order(&dim.value);
        if !gives_verdicts || order.is_empty() {
            d.error(
                dim.span.clone(),
                format!(
                    "rubric `{}` gives dimension `{}` no verdict (the built-ins `osai` and `osaid` do); use `min-score` instead",
                    policy.rubric.name, dim.value
                ),
            );
        } else if !order.contains(&verdict.value) {
            d.error(
                verdict.span.clone(),
                format!(
                    "`{}` is not a verdict of rubric `{}`; from best to worst: {}",
                    verdict.value,
                    policy.rubric.name,
                    order.join(", ")
                ),
            );
        }
    }
    policy.rubric_name = rubric_name;
    policy.min_score = min_score.map(|f| f.value);
    policy.min_class = min_class.map(|f| f.value);
    policy.min_verdicts = min_verdicts
        .into_iter()
        .map(|(k, v)| (k.value, v.value))
        .collect();
    policy.allow_locations = allow
        .iter()
        .map(|(field, _)| location(file, d, field))
        .collect();
    policy.allow = allow.into_iter().map(|(_, s)| s).collect();
    policy.unused_allow = unused_allow;
    policy.deny = deny.into_iter().map(|(_, s)| s).collect();
    policy.deny_noncommercial = deny_noncommercial;
    policy.deny_use_restrictions = deny_use_restrictions;
    policy.deny_user_threshold = deny_user_threshold;
    policy.deny_gated = deny_gated;
    policy.deny_eu_disallowed = deny_eu_disallowed;
    policy.deny_license_drift = deny_license_drift;
    policy.unknown = unknown;
    policy.changes = changes;
    Some(policy)
}

fn read_exceptions(
    root: &mut Table<'_, '_>,
    file: &str,
    d: &mut Diagnostics<'_>,
) -> Vec<Exception> {
    let mut out = Vec::new();
    for mut table in root.tables("exceptions", d) {
        let model = table.str("model", d);
        let revision = table.opt_str("revision", d);
        let rules = table.str_list("rules", d);
        let reason = table.str("reason", d);
        let expires = table.opt_date("expires", d);
        table.finish(d);
        let mut parsed = Vec::new();
        for rule in &rules {
            match Rule::parse(&rule.value) {
                Some(r) if r.waivable() => parsed.push(r),
                Some(_) => d.error(
                    rule.span.clone(),
                    format!(
                        "rule `{}` is about exceptions and cannot be waived",
                        rule.value
                    ),
                ),
                None => {
                    let near = crate::text::suggest::did_you_mean(
                        &rule.value,
                        Rule::ALL.iter().map(|r| r.as_str()),
                    );
                    d.error(
                        rule.span.clone(),
                        format!(
                            "unknown rule `{}`{near}; rules are listed in docs/policy.md",
                            rule.value
                        ),
                    );
                }
            }
        }
        if let Some(r) = &revision
            && let Err(why) = validate_revision(&r.value)
        {
            d.error(r.span.clone(), format!("`revision`: {why}"));
        }
        if let Some(r) = &reason
            && r.value.trim().is_empty()
        {
            d.error(
                r.span.clone(),
                "an exception needs a `reason` that says why",
            );
        }
        let expires = expires.and_then(|f| match Date::parse(&f.value) {
            Ok(date) => Some(date),
            Err(why) => {
                d.error(f.span, why.to_string());
                None
            }
        });
        let (Some(model), Some(reason)) = (model, reason) else {
            continue;
        };
        if check_repo_id(&model, d).is_none() {
            continue;
        }
        out.push(Exception {
            location: location(file, d, &model),
            model: model.value,
            revision: revision.map(|f| f.value),
            rules: parsed,
            reason: reason.value,
            expires,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(name: &str) -> Result<Rubric, ResolveError> {
        crate::rubric::resolve(name)
    }

    const VALID: &str = r#"
[[models]]
id = "deepseek-ai/DeepSeek-R1"
purpose = "reasoning"

[[models]]
id = "black-forest-labs/FLUX.1-dev"
revision = "main"

[policy]
rubric = "osai"
min-score = 3
allow = ["MIT", "apache-2.0", "llama3.1"]
deny = ["cc-by-nc-4.0"]
deny-noncommercial = true
unknown = "warn"

[policy.min-verdict]
end-model-weights = "partial"

[policy.changes]
revision-changed = "allow"

[[exceptions]]
model = "black-forest-labs/FLUX.1-dev"
rules = ["deny-noncommercial"]
reason = "research prototype"
expires = 2026-12-31
"#;

    #[test]
    fn loads_a_valid_policy() {
        let p = load("openness.toml", VALID, &resolve).unwrap();
        assert_eq!(p.models.len(), 2);
        assert_eq!(p.models[0].location.line, 3);
        assert_eq!(p.models[1].revision.as_deref(), Some("main"));
        assert_eq!(p.rubric.name, "osai");
        assert_eq!(p.allow.len(), 3);
        assert!(p.deny_noncommercial && !p.deny_gated);
        assert_eq!(p.unknown, Mode::Warn);
        assert_eq!(p.changes.revision_changed, Mode::Allow);
        assert_eq!(p.changes.license_changed, Mode::Deny);
        assert_eq!(
            p.min_verdicts,
            [("end-model-weights".to_owned(), "partial".to_owned())]
        );
        assert_eq!(p.exceptions[0].rules, [Rule::DenyNoncommercial]);
        assert_eq!(p.exceptions[0].expires.unwrap().to_string(), "2026-12-31");
        assert_eq!(p.exceptions[0].location.line, 25);
    }

    #[test]
    fn reports_every_problem_with_its_position() {
        let bad = VALID
            .replace("deepseek-ai/DeepSeek-R1", "deepseek-ai/Deep Seek")
            .replace("\"MIT\"", "\"MTI-license\"")
            .replace("deny-noncommercial = true", "deny-noncomercial = true")
            .replace("unknown = \"warn\"", "unknown = \"maybe\"")
            .replace("end-model-weights = \"partial\"", "weights = \"great\"")
            .replace(
                "rules = [\"deny-noncommercial\"]",
                "rules = [\"deny-noncomercial\"]",
            )
            .replace("2026-12-31", "\"2026-02-30\"");
        let err = load("openness.toml", &bad, &resolve).unwrap_err();
        let text = err.to_string();
        for expected in [
            "openness.toml:3:6: `deepseek-ai/Deep Seek` is not a Hub repo id",
            "`MTI-license` is neither a license id",
            "unknown key `deny-noncomercial` in [policy] (did you mean `deny-noncommercial`?)",
            "`maybe` is not one of \"deny\", \"warn\", \"allow\"",
            "rubric `osai` has no dimension `weights`",
            "unknown rule `deny-noncomercial` (did you mean `deny-noncommercial`?)",
            "`2026-02-30` is not a day of the calendar",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
        }
        assert_eq!(err.diagnostics.len(), 7, "{text}");
    }

    #[test]
    fn checks_thresholds_against_the_rubric() {
        let policy = |body: &str| load("p.toml", &format!("[policy]\n{body}\n"), &resolve);
        assert!(
            policy("min-score = 101")
                .unwrap_err()
                .to_string()
                .contains("from 0 to its maximum 100")
        );
        assert!(
            policy("min-class = \"class-i\"")
                .unwrap_err()
                .to_string()
                .contains("rubric `default` has no classes")
        );
        assert!(
            policy("rubric = \"mof\"\nmin-class = \"class-iv\"")
                .unwrap_err()
                .to_string()
                .contains("its classes are class-iii, class-ii, class-i")
        );
        policy("rubric = \"mof\"\nmin-class = \"class-iii\"").unwrap();
        assert!(
            policy("[policy.min-verdict]\nweights = \"open\"")
                .unwrap_err()
                .to_string()
                .contains("gives dimension `weights` no verdict")
        );
        policy("rubric = \"osaid\"\n[policy.min-verdict]\nparameters = \"pass\"").unwrap();
        assert!(
            policy("rubric = \"nope\"")
                .unwrap_err()
                .to_string()
                .contains("unknown rubric `nope`")
        );
        assert!(
            policy("allow = [\"mit\"]\ndeny = [\"MIT\"]")
                .unwrap_err()
                .to_string()
                .contains("both allowed and denied")
        );
        assert!(
            load("p.toml", "[[models]]\nid = \"a/b\"\n", &resolve)
                .unwrap_err()
                .to_string()
                .contains("needs a [policy] table")
        );
        let dup = "[[models]]\nid = \"a/b\"\n[[models]]\nid = \"A/b\"\n[policy]\n";
        assert!(
            load("p.toml", dup, &resolve)
                .unwrap_err()
                .to_string()
                .contains("listed twice (first on line 2)")
        );
    }

    #[test]
    fn a_syntax_error_comes_alone_not_after_a_missing_policy_table() {
        let err = load(
            "p.toml",
            "[[models]]\nid = \"a/b\"\n\n[policy\nallow = [\"mit\"]\n",
            &resolve,
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(!text.contains("needs a [policy] table"), "{text}");
        assert_eq!(err.diagnostics[0].line, 4, "{text}");
        // Well-formed without [policy]: that is the problem to report.
        let err = load("p.toml", "[[models]]\nid = \"a/b\"\n", &resolve).unwrap_err();
        assert!(err.to_string().contains("needs a [policy] table"));
    }

    #[test]
    fn the_init_template_loads() {
        let p = load("openness.toml", super::super::TEMPLATE, &resolve).unwrap();
        assert!(p.deny_noncommercial);
    }
}
