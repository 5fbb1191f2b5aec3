//! The offline parser's throughput: 10,000 parses over the descriptions of every test
//! corpus (`tests/corpus/*.yaml`). Run with `cargo bench --bench parse`. Target: 10,000
//! specs well under a second.

use std::time::Instant;

use b24flow::nl::offline;

// The binary's allocator (src/main.rs), so the benchmark measures the parser as it runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(serde::Deserialize)]
struct Entry {
    text: String,
}

fn main() {
    let dir = format!("{}/tests/corpus", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("the corpus directory is readable")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    let mut texts: Vec<String> = Vec::new();
    for path in &files {
        let corpus = std::fs::read_to_string(path).expect("the corpus is readable");
        let entries: Vec<Entry> = serde_saphyr::from_str(&corpus).expect("the corpus parses");
        texts.extend(entries.into_iter().map(|e| e.text));
    }
    for round in 1..=3 {
        let start = Instant::now();
        for i in 0..10_000 {
            std::hint::black_box(offline::parse(&texts[i % texts.len()]));
        }
        println!(
            "round {round}: 10,000 parses of {} corpus descriptions in {:?}",
            texts.len(),
            start.elapsed()
        );
    }
}
