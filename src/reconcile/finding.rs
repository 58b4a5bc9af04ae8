//! One constructor per finding kind: the fields each kind carries and the sentence that
//! explains it are decided here and nowhere else.

use super::matching::Owner;
use crate::addr::ResourceInstance;
use crate::backend::settings::Mismatch;
use crate::config::{Config, Instance};
use crate::findings::{Candidate, Diff, Finding, Kind, SourceLocation, UncheckedCause};
use crate::inventory::LiveResource;

/// Where an instance is declared, relative to the configuration directory.
pub fn location(cfg: &Config, inst: &Instance) -> SourceLocation {
    let file = &*inst.pos.file;
    SourceLocation {
        file: file
            .strip_prefix(&cfg.root_dir)
            .unwrap_or(file)
            .display()
            .to_string(),
        line: inst.pos.line,
        column: inst.pos.col,
    }
}

/// The fields every finding about a declared instance shares.
fn declared(kind: Kind, cfg: &Config, inst: &Instance) -> Finding {
    let mut f = Finding::new(kind);
    f.address = Some(inst.addr.clone());
    f.tf_type = Some(inst.addr.resource.type_name.clone());
    f.location = Some(location(cfg, inst));
    f
}

/// In state and live, with live attributes that differ from state.
pub fn drifted(
    cfg: &Config,
    inst: &Instance,
    state: &str,
    live: &LiveResource,
    import_id: Option<String>,
    diff: Diff,
) -> Finding {
    let mut f = declared(Kind::Drifted, cfg, inst);
    f.state = Some(state.to_string());
    f.import_id = import_id;
    f.live_name = Some(live.name.clone());
    f.reason = Some(format!(
        "{} attribute(s) differ between state and the live resource",
        diff.changes.len()
    ));
    f.diff = Some(diff);
    f
}

/// Declared and live, absent from the selected state. `owners` are the other scanned states
/// that already manage it (then it must not be imported here).
pub fn untracked(
    cfg: &Config,
    inst: &Instance,
    live: &LiveResource,
    import_id: Option<String>,
    owners: &[Owner],
    diff: Diff,
) -> Finding {
    let mut f = declared(Kind::Untracked, cfg, inst);
    f.import_id = import_id;
    f.live_name = Some(live.name.clone());
    f.reason = Some(if owners.is_empty() {
        "declared and exists in the cloud, but not in state: `terraform apply` would try to create it and fail"
            .into()
    } else {
        format!(
            "declared and exists in the cloud, but not in this workspace's state: {} already manages it, so importing it here would put it in two states; select the workspace that manages it instead",
            owners
                .iter()
                .map(|o| format!("{} at {}", o.label, o.addr()))
                .collect::<Vec<_>>()
                .join(", ")
        )
    });
    f.state = owners.first().map(|o| o.label.to_string());
    f.diff = (!diff.is_empty()).then_some(diff);
    f
}

/// Several live resources match one declaration or state entry; never guessed.
pub fn ambiguous(
    cfg: &Config,
    inst: &Instance,
    state: Option<&str>,
    candidates: Vec<Candidate>,
) -> Finding {
    let mut f = declared(Kind::Ambiguous, cfg, inst);
    f.state = state.map(str::to_string);
    f.reason = Some(match state {
        Some(_) => format!("{} live resources match its state entry", candidates.len()),
        None => format!(
            "{} live resources match this declaration; import the right one by hand",
            candidates.len()
        ),
    });
    f.candidates = candidates;
    f
}

/// In state, gone from the cloud.
pub fn missing(cfg: &Config, inst: &Instance, state: &str, import_id: Option<String>) -> Finding {
    let mut f = declared(Kind::Missing, cfg, inst);
    f.import_id = import_id;
    f.state = Some(state.to_string());
    f.reason = Some(
        "recorded in state, but not found in the cloud: `terraform plan` will recreate it".into(),
    );
    f
}

/// A declared or recorded instance that could not be checked.
pub fn unchecked(
    address: ResourceInstance,
    location: Option<SourceLocation>,
    cause: UncheckedCause,
    detail: String,
) -> Finding {
    let mut f = Finding::new(Kind::Unchecked);
    f.tf_type = Some(address.resource.type_name.clone());
    f.address = Some(address);
    f.location = location;
    f.cause = Some(cause);
    f.reason = Some(detail);
    f
}

/// In state, no longer declared, and no `moved` or `removed` block says why.
pub fn orphaned(address: ResourceInstance, state: &str) -> Finding {
    let mut f = Finding::new(Kind::Orphaned);
    f.tf_type = Some(address.resource.type_name.clone());
    f.state = Some(state.to_string());
    f.reason = Some("in state but no longer declared: `terraform apply` would destroy it (add a `moved` or `removed` block if that is not what you want)".into());
    f.address = Some(address);
    f
}

/// Live, declared nowhere, recorded in no scanned state.
pub fn unmanaged(tf_type: &str, live: &LiveResource, suggested: ResourceInstance) -> Finding {
    let mut f = Finding::new(Kind::Unmanaged);
    f.tf_type = Some(tf_type.to_string());
    f.import_id = live.import_id.clone();
    f.live_name = Some(live.name.clone());
    f.suggested_address = Some(suggested);
    f.reason = Some(if live.service_managed {
        "created by a cloud service for itself (shown because of --strict)".into()
    } else {
        "exists in the cloud, but no configuration declares it and no scanned state records it"
            .into()
    });
    f
}

/// An IAM policy that opens a live resource to everyone.
pub fn public_access(live: &LiveResource, address: Option<ResourceInstance>, who: &str) -> Finding {
    let mut f = Finding::new(Kind::PublicAccess);
    f.tf_type = match &address {
        Some(a) => Some(a.resource.type_name.clone()),
        None => live.tf_type.clone(),
    };
    f.address = address;
    f.live_name = Some(live.name.clone());
    f.import_id = live.import_id.clone();
    f.reason = Some(format!("its IAM policy grants access to {who}"));
    f
}

/// The selected workspace's state is empty or missing while declared resources exist live.
pub fn empty_state(
    label: &str,
    workspace: &str,
    missing: bool,
    untracked: usize,
    elsewhere: &[String],
) -> Finding {
    let mut f = Finding::new(Kind::EmptyState);
    f.state = Some(label.to_string());
    let mut reason = format!(
        "the state of workspace {workspace:?} is {}, while {untracked} declared resource(s) exist in the cloud: \
         `terraform apply` would try to create them all and fail",
        if missing { "missing" } else { "empty" }
    );
    if !elsewhere.is_empty() {
        reason.push_str(&format!(
            "; state is recorded elsewhere: {}",
            elsewhere.join("; ")
        ));
    }
    f.reason = Some(reason);
    f
}

/// A backend setting cached by `terraform init` differs from the configuration's block.
/// The values are already redacted by the backend module when they are credentials.
pub fn backend_mismatch(m: &Mismatch) -> Finding {
    let mut f = Finding::new(Kind::BackendMismatch);
    f.reason = Some(format!(
        "backend setting {:?} is {} in the configuration but {} in the settings `terraform init` cached: run `terraform init` (with -reconfigure or -migrate-state)",
        m.key, m.declared, m.cached
    ));
    f
}

/// One live resource recorded in several scanned states.
pub fn duplicate_state(live: &LiveResource, owners: &[Owner]) -> Finding {
    let mut f = Finding::new(Kind::DuplicateState);
    f.tf_type = live.tf_type.clone();
    f.import_id = live.import_id.clone();
    f.live_name = Some(live.name.clone());
    f.address = owners.first().map(Owner::addr);
    let labels: std::collections::BTreeSet<&str> = owners.iter().map(|o| o.label).collect();
    f.reason = Some(format!(
        "recorded in {} states: {}; two states managing one resource will fight over it",
        labels.len(),
        owners
            .iter()
            .map(|o| format!("{} in {}", o.addr(), o.label))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    f
}
