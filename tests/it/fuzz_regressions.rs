//! Replays every input saved under `tests/fixtures/fuzz-regressions/TARGET/`
//! through the same entry point as the fuzz target of that name.

use std::fs;

use crate::harness::fixtures;

/// A fuzz target's name and its entry point.
type Target = (&'static str, fn(&[u8]));

#[test]
fn saved_fuzz_inputs_never_panic() {
    let targets: [Target; 3] = [
        ("frontmatter", glossator::fuzzing::frontmatter),
        ("mentions", glossator::fuzzing::mentions),
        ("render_file", glossator::fuzzing::render_file),
    ];
    let mut replayed = 0;
    for (name, run) in targets {
        let dir = fixtures().join("fuzz-regressions").join(name);
        for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            let data = fs::read(&path).unwrap();
            let result = std::panic::catch_unwind(|| run(&data));
            assert!(result.is_ok(), "{name} panicked on {}", path.display());
            replayed += 1;
        }
    }
    assert!(replayed >= 3, "only {replayed} inputs replayed");
}
