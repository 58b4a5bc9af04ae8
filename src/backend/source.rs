//! From what the user asked for (`--state` arguments, or nothing: the configuration's backend)
//! to open backends and the workspace to read in each.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::settings::{self, Resolved, SettingValue, SettingsError};
use super::{files, select_workspace, Backend, BackendError, LocalBackend, StdinBackend};

/// One `--state` argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceSpec {
    /// `-`: standard input.
    Stdin,
    /// `s3://bucket/key`.
    S3 { bucket: String, key: String },
    /// `gs://bucket/prefix`.
    Gcs { bucket: String, prefix: String },
    /// `http://...` or `https://...`.
    Http(String),
    /// A state file, or a directory laid out like the local backend.
    Local(PathBuf),
}

impl SourceSpec {
    pub fn parse(arg: &str) -> Result<SourceSpec, BackendError> {
        if arg == "-" {
            return Ok(SourceSpec::Stdin);
        }
        if let Some(rest) = arg.strip_prefix("s3://") {
            let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
            if bucket.is_empty() || key.is_empty() {
                return Err(BackendError::Config(format!(
                    "{arg:?}: an S3 source is s3://BUCKET/KEY, e.g. s3://my-tf-state/prod/terraform.tfstate"
                )));
            }
            return Ok(SourceSpec::S3 {
                bucket: bucket.into(),
                key: key.into(),
            });
        }
        if let Some(rest) = arg.strip_prefix("gs://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            if bucket.is_empty() {
                return Err(BackendError::Config(format!(
                    "{arg:?}: a GCS source is gs://BUCKET/PREFIX, e.g. gs://my-tf-state/terraform/state"
                )));
            }
            return Ok(SourceSpec::Gcs {
                bucket: bucket.into(),
                prefix: prefix.trim_end_matches('/').into(),
            });
        }
        if arg.starts_with("http://") || arg.starts_with("https://") {
            return Ok(SourceSpec::Http(arg.to_string()));
        }
        Ok(SourceSpec::Local(PathBuf::from(arg)))
    }
}

/// Everything needed to open the state sources of a run.
#[derive(Debug, Clone, Default)]
pub struct SourceRequest {
    /// The configuration directory (`-C`).
    pub dir: PathBuf,
    pub state_args: Vec<String>,
    pub backend_config: Vec<String>,
    pub workspace_flag: Option<String>,
    /// `TF_WORKSPACE`.
    pub env_workspace: Option<String>,
    /// `TF_DATA_DIR`, relative to `dir`; `.terraform` when unset.
    pub data_dir: Option<PathBuf>,
    /// `--http-header NAME: VALUE`.
    pub http_headers: Vec<String>,
}

/// An opened backend and the workspace selected in it.
pub struct OpenedSource {
    pub backend: Backend,
    pub workspace: String,
    /// Which rule chose the workspace (`--workspace`, `TF_WORKSPACE`, ...).
    pub workspace_origin: &'static str,
    /// How the settings were put together, when they came from the configuration.
    pub resolved: Option<Resolved>,
}

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error(transparent)]
    Settings(#[from] SettingsError),
    #[error(transparent)]
    Backend(#[from] BackendError),
}

impl SourceRequest {
    pub fn data_dir(&self) -> PathBuf {
        match &self.data_dir {
            Some(d) if d.is_absolute() => d.clone(),
            Some(d) => self.dir.join(d),
            None => self.dir.join(".terraform"),
        }
    }
}

/// Opens every requested source: each `--state`, or the configuration's backend.
pub async fn open_sources(req: &SourceRequest) -> Result<Vec<OpenedSource>, SourceError> {
    let data_dir = req.data_dir();
    let (workspace, workspace_origin) = select_workspace(
        req.workspace_flag.as_deref(),
        req.env_workspace.as_deref(),
        &data_dir,
    )?;
    let overrides = settings::parse_overrides(&req.backend_config, &req.dir)?;
    let mut out = Vec::new();
    if req.state_args.is_empty() {
        if !req.dir.is_dir() {
            return Err(BackendError::Config(format!(
                "the configuration directory {} does not exist (set it with -C DIR)",
                req.dir.display()
            ))
            .into());
        }
        let declared = settings::read_declared(&req.dir)?;
        if let Some(cloud) = &declared.cloud {
            return Err(BackendError::Unsupported(format!(
                "the configuration uses a `cloud` block ({cloud}): HCP Terraform and Terraform Enterprise \
                 workspaces are not supported yet; run `terraform state pull | tfrecon ... --state -` instead"
            ))
            .into());
        }
        let cached = settings::read_init_cache(&data_dir)?;
        let mut resolved =
            settings::resolve(declared.backend.as_ref(), cached.as_ref(), &overrides);
        add_headers(&mut resolved.settings, &req.http_headers);
        let backend = Backend::open(&resolved.kind, &resolved.settings, &req.dir).await?;
        out.push(OpenedSource {
            backend,
            workspace,
            workspace_origin,
            resolved: Some(resolved),
        });
        return Ok(out);
    }
    for arg in &req.state_args {
        let spec = SourceSpec::parse(arg)?;
        let mut settings: BTreeMap<String, SettingValue> = overrides.clone();
        let backend = match spec {
            SourceSpec::Stdin => Backend::Stdin(StdinBackend::read_stdin(&workspace)?),
            SourceSpec::Local(path) => {
                let path = if path.is_absolute() {
                    path
                } else {
                    req.dir.join(path)
                };
                if path.is_dir() {
                    Backend::Local(LocalBackend::from_settings(&BTreeMap::new(), &path)?)
                } else if path.exists() {
                    // A named pipe or device is refused here, before anything opens it.
                    files::check_not_special(&path).map_err(|cause| BackendError::Io {
                        path: path.clone(),
                        cause,
                    })?;
                    Backend::Local(LocalBackend::file(&path, &workspace))
                } else {
                    return Err(BackendError::NotFound {
                        what: "state file",
                        name: path.display().to_string(),
                        available: list_state_files(path.parent().unwrap_or(Path::new("."))),
                    }
                    .into());
                }
            }
            SourceSpec::S3 { bucket, key } => {
                settings.insert("bucket".into(), Value::String(bucket));
                settings.insert("key".into(), Value::String(key));
                Backend::open("s3", &settings, &req.dir).await?
            }
            SourceSpec::Gcs { bucket, prefix } => {
                settings.insert("bucket".into(), Value::String(bucket));
                settings.insert("prefix".into(), Value::String(prefix));
                Backend::open("gcs", &settings, &req.dir).await?
            }
            SourceSpec::Http(url) => {
                settings.insert("address".into(), Value::String(url));
                add_headers(&mut settings, &req.http_headers);
                Backend::open("http", &settings, &req.dir).await?
            }
        };
        out.push(OpenedSource {
            backend,
            workspace: workspace.clone(),
            workspace_origin,
            resolved: None,
        });
    }
    Ok(out)
}

fn add_headers(settings: &mut BTreeMap<String, SettingValue>, headers: &[String]) {
    if headers.is_empty() {
        return;
    }
    let list = settings
        .entry("headers".into())
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(items) = list {
        items.extend(headers.iter().map(|h| Value::String(h.clone())));
    }
}

fn list_state_files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "tfstate"))
                .map(|p| p.display().to_string())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_specs() {
        assert_eq!(SourceSpec::parse("-").unwrap(), SourceSpec::Stdin);
        assert_eq!(
            SourceSpec::parse("s3://b/env:/dev/k.tfstate").unwrap(),
            SourceSpec::S3 {
                bucket: "b".into(),
                key: "env:/dev/k.tfstate".into()
            }
        );
        assert_eq!(
            SourceSpec::parse("gs://b/a/b/").unwrap(),
            SourceSpec::Gcs {
                bucket: "b".into(),
                prefix: "a/b".into()
            }
        );
        assert_eq!(
            SourceSpec::parse("https://x/y").unwrap(),
            SourceSpec::Http("https://x/y".into())
        );
        assert_eq!(
            SourceSpec::parse("a/terraform.tfstate").unwrap(),
            SourceSpec::Local("a/terraform.tfstate".into())
        );
        assert!(SourceSpec::parse("s3://bucket")
            .unwrap_err()
            .to_string()
            .contains("s3://BUCKET/KEY"));
        assert!(SourceSpec::parse("gs:///x").is_err());
    }
}
