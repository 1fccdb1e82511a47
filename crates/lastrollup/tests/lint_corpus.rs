//! `lastrollup lint` on the labelled corpus (`../shared/corpus/scripts`):
//! file-level precision and recall against LABELS.csv. A file labelled
//! `brittle` must get at least one finding, a file labelled `ok` none;
//! `unclear` files are not counted.

mod support;

#[test]
fn corpus_precision_and_recall() {
    let Some(shared) = support::shared() else {
        return;
    };
    let score = support::lint_score::score(&shared.join("corpus/scripts"));
    assert!(
        score.tp + score.fn_ >= 20,
        "too few brittle rows: the labels were not read"
    );
    score.print_and_assert(0.95);
}
