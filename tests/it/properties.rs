//! Property tests: arbitrary bytes as a content file never panic, and
//! escaping holds for arbitrary strings.

use proptest::prelude::*;

use glossator::diagnostics::Diagnostics;
use glossator::{BuildOptions, build::load_and_render};

use crate::harness::Edition;

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    /// Any bytes as a part, a person or a page: a result or diagnostics, never a panic.
    #[test]
    fn any_bytes_as_a_content_file_give_a_result_or_diagnostics(
        bytes in proptest::collection::vec(any::<u8>(), 0..400),
        text in "(---\\n)?([a-z_]{1,8}: [^\\n]{0,20}\\n){0,4}(---\\n)?[^\\x00]{0,200}",
        place in 0usize..3,
    ) {
        let ed = Edition::fixture("basic");
        let rel = ["content/03-fuzz.md", "content/people/fuzz.md", "content/pages/fuzz.md"][place];
        let mut content = text.into_bytes();
        content.extend_from_slice(&bytes);
        std::fs::write(ed.root().join(rel), &content).unwrap();
        let opts = BuildOptions { write: false, ..BuildOptions::new(ed.root()) };
        let mut diags = Diagnostics::default();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| load_and_render(&opts, &mut diags)));
        prop_assert!(result.is_ok(), "panicked on {:?}", String::from_utf8_lossy(&content));
        let rendered = result.unwrap();
        prop_assert!(rendered.is_some() || diags.has_errors(), "no output and no error");
        for d in &diags.items {
            prop_assert!(!d.message.is_empty());
        }
    }

    /// Escaped text never contains markup characters outside entities.
    #[test]
    fn escaping_holds_for_arbitrary_strings(s in any::<String>()) {
        let escaped = glossator::render::esc(&s);
        prop_assert!(!escaped.contains('<') && !escaped.contains('>') && !escaped.contains('"') && !escaped.contains('\''));
        let neutral = glossator::render::neutralize_controls(escaped);
        prop_assert!(!neutral.contains('\0'));
    }
}
