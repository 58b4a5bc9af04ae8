//! `--help` of every command, compared with golden files under `testdata/help/`
//! (`TFRECON_BLESS=1` rewrites them): every change to the command line shows in review.

use crate::support;

const COMMANDS: &[&[&str]] = &[
    &[],
    &["scan"],
    &["import"],
    &["inventory"],
    &["graph"],
    &["render"],
    &["state"],
    &["state", "list"],
    &["state", "workspaces"],
];

#[test]
fn help_of_every_command_matches_its_golden_file() {
    for cmd in COMMANDS {
        let o = support::tfrecon()
            .args(*cmd)
            .arg("--help")
            .env_remove("TFRECON_CLOUDASSET_ENDPOINT")
            .env("COLUMNS", "100")
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{cmd:?} --help");
        let name = if cmd.is_empty() {
            "tfrecon".to_string()
        } else {
            cmd.join("-")
        };
        let path = support::repo()
            .join("testdata/help")
            .join(format!("{name}.txt"));
        support::golden(&path, &String::from_utf8_lossy(&o.stdout));
    }
}
