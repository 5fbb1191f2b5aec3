//! Plan and apply against an emulated portal that enforces the standard plan's rate
//! limit (2 requests/s drained, burst 50), beside a naive strategy, for 10, 100 and
//! 1,000 workflows. Run with `bench/gitops.sh` (or `cargo bench --bench gitops`).
//!
//! - b24flow: the production path (`apply::apply` with batches of up to 50 commands,
//!   the client-side leaky bucket, `plan::build` over a full list).
//! - naive: one request per template, no batch, no client-side limiter, retrying when
//!   the portal answers `QUERY_LIMIT_EXCEEDED`.
//!
//! The portal's limit is the floor: with burst B and drain R per second, C calls need
//! at least max(0, C - B) / R seconds. To end in minutes, the emulator and the client
//! drain their buckets `SCALE` times faster, and the floor is scaled the same way.

use std::time::{Duration, Instant};

use b24flow::apply::{self, ApplyOptions, Journal, LiveSource};
use b24flow::bitrix::{AuthConfig, Client, ClientOptions, OAuthConfig, RetryPolicy, Stats};
use b24flow::config::{Config, RatePlan};
use b24flow::emulator::{self, App, RateLimit};
use b24flow::nl::{Outcome, offline};
use b24flow::plan::{self, Desired};

const SCALE: f64 = 20.0;
const TOKEN: &str = "bench-token";
const BURST: f64 = 50.0;
const DRAIN: f64 = 2.0;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Strategy {
    B24flow,
    Naive,
}

struct Row {
    workflows: usize,
    strategy: &'static str,
    phase: &'static str,
    calls: u64,
    refused: u64,
    wall: Duration,
    floor: Duration,
}

impl Row {
    /// A row from the client's counters before and after a phase.
    fn new(
        workflows: usize,
        strategy: &'static str,
        phase: &'static str,
        before: Stats,
        after: Stats,
        wall: Duration,
    ) -> Row {
        let calls = after.requests - before.requests;
        let refused = after.retries - before.retries;
        Row {
            workflows,
            strategy,
            phase,
            calls,
            refused,
            wall,
            floor: floor(calls - refused),
        }
    }
}

fn desired(n: usize) -> Vec<Desired> {
    let config = Config::default();
    (0..n)
        .map(|i| {
            let id = format!("w{i:04}");
            let text = format!("When a deal is won, add a comment \"Deal won, rule {i}\"");
            let Outcome::Ok { workflow } = offline::parse(&text) else {
                panic!("the bench spec parses")
            };
            let resolved =
                b24flow::resolve::resolve(&workflow.normalized(), &config).expect("it resolves");
            let mut template = b24flow::bizproc::lower(&id, &resolved);
            b24flow::build::desired(
                &id,
                &format!("workflows/{id}.txt"),
                &text,
                &mut template,
                String::new(),
            )
        })
        .collect()
}

fn floor(calls: u64) -> Duration {
    #[allow(clippy::cast_precision_loss)]
    let over = (calls as f64 - BURST).max(0.0);
    Duration::from_secs_f64(over / (DRAIN * SCALE))
}

async fn run(n: usize, strategy: Strategy, rows: &mut Vec<Row>) {
    let handle = emulator::start(emulator::Options {
        apps: vec![App {
            app_id: 1,
            client_id: "bench".into(),
            client_secret: String::new(),
            access_token: Some(TOKEN.into()),
            refresh_token: None,
            user_id: 1,
            admin: true,
        }],
        rate: Some(RateLimit::STANDARD),
        time_scale: SCALE,
        ..emulator::Options::default()
    })
    .await
    .expect("the emulator starts");
    let client = Client::new(ClientOptions {
        auth: AuthConfig::OAuth(OAuthConfig {
            portal: handle.portal_url(),
            access_token: Some(TOKEN.to_owned().into()),
            refresh_token: None,
            client_id: None,
            client_secret: None,
            token_url: None,
            credentials_file: None,
        }),
        rate: if strategy == Strategy::B24flow {
            RatePlan::Standard
        } else {
            RatePlan::Off
        },
        timeout: Duration::from_secs(60),
        // The naive client retries refused requests with the usual exponential backoff,
        // on the same faster clock as the buckets.
        retry: RetryPolicy {
            max_attempts: 40,
            base_delay: Duration::from_secs_f64(0.5 / SCALE),
            max_delay: Duration::from_secs_f64(20.0 / SCALE),
            ..RetryPolicy::default()
        },
    })
    .expect("a client")
    .with_rate_scale(SCALE);
    let name = if strategy == Strategy::B24flow {
        "b24flow"
    } else {
        "naive"
    };
    let desired = desired(n);

    // Apply to an empty portal: list, plan, write.
    let before = client.stats();
    let started = Instant::now();
    let live = client.live().await.expect("list");
    let p = plan::build("bench", &desired, &live);
    let options = ApplyOptions {
        batch: strategy == Strategy::B24flow,
        pause: Duration::from_millis(50),
        terminate_running: false,
    };
    let report = apply::apply(&client, &client, &p, &Journal::discard(), options, &|_| {}).await;
    let wall = started.elapsed();
    assert_eq!(report.failed(), 0, "{name} apply of {n} failed");
    rows.push(Row::new(n, name, "apply", before, client.stats(), wall));
    assert_eq!(handle.templates().len(), n);

    // Plan against the full portal: every page of the list, then the diff.
    let before = client.stats();
    let started = Instant::now();
    let live = client.live().await.expect("list");
    let p = plan::build("bench", &desired, &live);
    let wall = started.elapsed();
    assert!(!p.has_changes());
    rows.push(Row::new(n, name, "plan", before, client.stats(), wall));
    handle.shutdown().await;
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect::<Vec<_>>();
    let sizes = if sizes.is_empty() {
        vec![10, 100, 1000]
    } else {
        sizes
    };
    let mut rows = Vec::new();
    for &n in &sizes {
        for strategy in [Strategy::B24flow, Strategy::Naive] {
            rt.block_on(run(n, strategy, &mut rows));
            // Let the emulator's bucket of the last run drain fully (a new one starts
            // empty, but the next client shares the loopback address).
            std::thread::sleep(Duration::from_millis(200));
        }
    }
    println!(
        "Standard plan (drain {DRAIN}/s, burst {BURST}); both buckets drained {SCALE}x faster; \
         floor = max(0, accepted calls - {BURST}) / ({DRAIN} x {SCALE}) s\n"
    );
    println!(
        "| workflows | strategy | phase | REST calls | refused (503) | wall time | floor | wall / floor |"
    );
    println!("|---:|---|---|---:|---:|---:|---:|---:|");
    for r in rows {
        let ratio = if r.floor.is_zero() {
            "-".to_owned()
        } else {
            format!("{:.2}", r.wall.as_secs_f64() / r.floor.as_secs_f64())
        };
        println!(
            "| {} | {} | {} | {} | {} | {:.2} s | {:.2} s | {} |",
            r.workflows,
            r.strategy,
            r.phase,
            r.calls,
            r.refused,
            r.wall.as_secs_f64(),
            r.floor.as_secs_f64(),
            ratio,
        );
    }
}
