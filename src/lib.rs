//! tfrecon reconciles Terraform state and configuration with the live cloud.
//!
//! Data flows one way, from inputs to reports; a module uses only modules listed below it.
//!
//! ```text
//! main.rs      args → run → exit code (0 ok, 1 error, 2 findings, 3 incomplete)
//! cli/         clap definitions and command runners; the only place clap appears or prints
//! report/      one emitter per format: text, JSON, Markdown, SARIF; import blocks, script, JSON
//! run.rs       RunConfig → states read, configuration evaluated, inventory listed, reconciled
//! reconcile/   state × configuration × live → findings and an import plan, in named phases
//! ignore.rs    .tfreconignore: findings and attribute changes taken out of a report
//! diff/        attribute diffs of paired resources, JSON-aware; where redaction is enforced
//! graph/       petgraph over the expanded configuration: dependencies, topological order
//! config/      .tf loading with spans, variables, locals, modules, count/for_each, functions
//! inventory/   live resources from Cloud Asset Inventory, AWS or snapshot files, one model
//! catalog/     per-type knowledge as data (catalog/*.toml): import IDs, identity, listing
//! state/       the state model (resources, instances, sensitive paths), the state file formats
//!              (4, and 1 to 3 upgraded as Terraform upgrades them), and `survey`: reading one
//!              or every workspace out of a backend
//! backend/     where state lives (local, stdin, s3, gcs, http, memory), workspaces, settings
//! findings.rs  findings, reports and import plans as data (kinds, codes, diffs)
//! addr.rs      addresses and instance keys, printed and parsed exactly as Terraform does
//! map.rs       a small map kept as a vector sorted by key, for the many tiny maps of a run
//! error_chain.rs  an error and its causes as one line, for backend and lister messages
//! ```
//!
//! * [`addr`] owns every address type. Everything else passes addresses as these values,
//!   never as strings.
//! * [`backend`] turns a state *source* into bytes per workspace. `backend::source` decides the
//!   sources of a run: each `--state` argument, or the configuration's backend block merged with
//!   `.terraform/terraform.tfstate` and `--backend-config` (`backend::settings`). Every backend
//!   implements the read-only `StateStore` trait; nothing there writes or locks. A state that
//!   exists but cannot be read is an error, never "no state"; every request is bounded by
//!   `backend::timeouts`; `backend::secrets` keeps credentials out of every message; workspace
//!   names follow Terraform's rule before they become a path or key.
//! * [`state`] turns those bytes into a [`state::State`]: one diagnostic per bad resource,
//!   attributes kept as raw JSON until asked for and redacted by default, sensitive paths known
//!   for every instance. `state::survey` reads one workspace as missing, empty, present or
//!   unreadable, reads every workspace of a backend, and produces the warning for an empty
//!   selected workspace while state exists elsewhere.
//! * [`findings`] is the data reconciliation produces and reports render: every finding has a
//!   kind with a stable code; errors are only for what could not be read.
//! * [`config`] loads the configuration offline: [`config::load`] parses every module with
//!   source positions (`.tf`, `.tf.json`, OpenTofu's `.tofu`), gathers variables with
//!   Terraform's precedence, loads the module tree (sources built from `const` variables
//!   included, a module calling itself refused), and evaluates the whole configuration as one
//!   graph, as Terraform does: a node per variable, local, resource, module call and output of
//!   every module, so modules may feed each other and only a true value cycle is an error.
//!   Values are explicit unknowns where only the provider knows them (never guessed, never
//!   an error), and every block expands into addressed instances with their evaluated
//!   arguments and effective provider configuration, within documented instance limits.
//! * [`graph`] joins those instances by the references and `depends_on` between them, gives
//!   the order to import or create them in, and renders dot, JSON and mermaid.
//! * [`catalog`] loads `catalog/gcp.toml`, `catalog/aws.toml` and `catalog/local.toml`
//!   (embedded) once: one row per Terraform type with its import ID templates, the provider's
//!   `id` format, identity, natural keys, diff fields, how it is listed and the conditions that
//!   mark resources a cloud service created; `local.toml` names the types with no live
//!   counterpart. It depends on nothing but serde: the inventory and reconciliation read it.
//! * [`inventory`] lists what exists live ([`inventory::collect`]): Cloud Asset Inventory
//!   scopes and snapshot files, converted through the catalog into
//!   [`inventory::LiveResource`]s, whose attributes are kept as compact JSON text
//!   ([`inventory::RawJson`]) and parsed when read. What cannot be read is an
//!   [`inventory::InventoryError`], never a silent gap. [`inventory::aws`] turns `aws`, `aws:REGION,...`, `aws:*` (every
//!   enabled region) and `aws:aggregator:NAME` (an AWS Config aggregator) scopes into
//!   inventories: Cloud Control `ListResources` per CloudFormation type of the catalog (per
//!   parent where the list handler needs one), dedicated SDK listers only for what Cloud
//!   Control cannot list; bounded concurrency, every wait within the retry budget, the call,
//!   region and permission named for everything it could not read. Attributes, import IDs,
//!   native types and service-managed marks come from the catalog alone, as for Google.
//! * [`diff`] compares a reference object (state or configuration) with the live one:
//!   Terraform-style attribute paths, JSON documents (policies, schemas) compared structurally,
//!   and every sensitive or secret value redacted, so nothing downstream can leak one.
//! * [`ignore`] parses `.tfreconignore` and filters findings and attribute changes; it reports
//!   how many findings it ignored and which drifts it emptied.
//! * [`report`] renders a [`findings::Report`] or [`findings::ImportPlan`]; it sees nothing
//!   else and decides nothing.
//! * [`reconcile`] runs as named phases: *index* (the selected state by address, the live
//!   side by identity, what the inventory covers), *match* (every state entry of every scanned
//!   state to the live side, the selected state's entries compared with what they matched, while
//!   the configuration is first evaluated on another thread), *resolve* (identities that depend on other resources' computed
//!   attributes, learnt by evaluating the configuration again with what state and the matched
//!   live resources say, only while a block reads a newly learnt value), *classify* (an
//!   explicit outcome for every declared instance, state entry and live resource, with one
//!   finding constructor per kind) and *plan* (imports in dependency order). Identity
//!   attributes of every side pass the same normalisation passes. Nothing is concluded from
//!   what could not be read: an unreadable state (or a part of one, [`reconcile::Damage`]), a
//!   failed listing, a type the catalog cannot list or an identity only known after apply make
//!   resources *unchecked*, never missing or untracked. AWS matches stay within the region of
//!   the declared resource.
//! * [`run`] is the one pipeline `scan`, `import` and `inventory` share: a [`run::RunConfig`]
//!   (the one place the run's paths and variables are resolved) → states read per workspace
//!   (present, missing or unreadable) → [`reconcile::reconcile`], which lists, indexes and
//!   matches the inventory on the calling thread while the configuration is first evaluated on
//!   another.
//! * `cli` builds the [`run::RunConfig`] from the command line, runs it and prints; library
//!   modules never print.

pub mod addr;
pub mod backend;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod diff;
pub mod error_chain;
pub mod findings;
pub mod graph;
pub mod ignore;
pub mod inventory;
pub mod map;
pub mod reconcile;
pub mod report;
pub mod run;
pub mod state;
