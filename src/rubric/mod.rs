//! Rubrics: TOML data that says how evidence becomes a score. Built-ins are embedded from
//! `rubrics/`; a user passes a path for their own.

pub mod eval;
pub mod expr;
pub mod load;
pub mod model;

pub use eval::{Assessment, Status, evaluate};
pub use load::{Diagnostic, LoadError, load};
pub use model::Rubric;

/// The built-in rubrics: (name, file contents).
pub const BUILTIN: &[(&str, &str)] = &[
    ("default", include_str!("../../rubrics/default.toml")),
    ("mof", include_str!("../../rubrics/mof.toml")),
    ("osai", include_str!("../../rubrics/osai.toml")),
    ("osaid", include_str!("../../rubrics/osaid.toml")),
];

/// Resolves `--rubric NAME|PATH`: a built-in name, or a path to a TOML file.
pub fn resolve(spec: &str) -> Result<Rubric, ResolveError> {
    if let Some((name, text)) = BUILTIN.iter().find(|(name, _)| *name == spec) {
        return load(&format!("rubrics/{name}.toml"), text).map_err(ResolveError::Invalid);
    }
    let path = std::path::Path::new(spec);
    if !path.exists() && !spec.contains(['/', '\\', '.']) {
        return Err(ResolveError::Unknown {
            name: spec.to_owned(),
            near: crate::text::suggest::did_you_mean(spec, BUILTIN.iter().map(|(n, _)| *n)),
            builtins: BUILTIN
                .iter()
                .map(|(n, _)| *n)
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    let text = crate::config::read::read_text(path, crate::limits::MAX_CONFIG_FILE_BYTES).map_err(
        |e| ResolveError::Io {
            path: spec.to_owned(),
            detail: e.to_string(),
        },
    )?;
    load(spec, &text).map_err(ResolveError::Invalid)
}

#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    #[error(
        "unknown rubric `{name}`{near}: pass a built-in name ({builtins}) or a path to a rubric file"
    )]
    Unknown {
        name: String,
        /// ` (did you mean `x`?)` when a built-in name is near, else empty.
        near: String,
        builtins: String,
    },
    /// `detail` names the file.
    #[error("cannot read the rubric: {detail}")]
    Io { path: String, detail: String },
    #[error("invalid rubric:\n{0}")]
    Invalid(LoadError),
}
