//! A bounded mutation fuzzer for the decoders, runnable without nightly: it mutates the
//! official sample (both the zlib bytes and the serialized text under them) and checks
//! that decoding never panics and that anything accepted round-trips.
//!
//! The quick run is part of `cargo test`; the long one is
//! `cargo test --test it fuzz_long -- --ignored --nocapture`, with
//! `B24FLOW_FUZZ_ITERATIONS` to change its length (default 100,000).

use std::io::{Read, Write};

use b24flow::bizproc::{Template, bpt, php};

use crate::bpt::fixture;

/// xorshift64*: deterministic, so a failure reproduces from its iteration number.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap()
    }
}

const INTERESTING: &[&[u8]] = &[
    b"a:999999999:{",
    b"s:18446744073709551615:\"",
    b"i:-9223372036854775809;",
    b"a:1:{i:0;a:1:{i:0;",
    b"d:NAN;",
    b"O:8:\"stdClass\":0:{}",
    b"s:1:\"\xff\";",
    b"}",
    b";",
];

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..=rng.below(4) {
        let len = out.len();
        match rng.below(7) {
            0 if len > 0 => {
                let i = rng.below(len);
                out[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                out[i] = u8::try_from(rng.below(256)).unwrap();
            }
            2 => {
                let i = rng.below(len + 1);
                out.insert(i, u8::try_from(rng.below(256)).unwrap());
            }
            3 if len > 0 => {
                let i = rng.below(len);
                let n = rng.below(len - i).min(64);
                out.drain(i..i + n);
            }
            4 => out.truncate(rng.below(len + 1)),
            5 => {
                let i = rng.below(len + 1);
                let piece = INTERESTING[rng.below(INTERESTING.len())];
                out.splice(i..i, piece.iter().copied());
            }
            _ if len > 0 => {
                // Bump a digit, which mostly lands on a length or a count.
                let i = rng.below(len);
                if out[i].is_ascii_digit() {
                    out[i] = b'0' + u8::try_from(rng.below(10)).unwrap();
                }
            }
            _ => {}
        }
    }
    out
}

fn zlib(bytes: &[u8]) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    z.write_all(bytes).unwrap();
    z.finish().unwrap()
}

/// Runs `iterations` mutations; returns how many inputs decoded successfully.
fn run(iterations: u64) -> u64 {
    let packed = fixture();
    let mut plain = Vec::new();
    flate2::read::ZlibDecoder::new(&packed[..])
        .read_to_end(&mut plain)
        .unwrap();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut accepted = 0;
    for i in 0..iterations {
        // Mostly mutate the serialized text (re-compressed, to reach the PHP parser);
        // sometimes the compressed bytes themselves.
        let input = if i % 4 == 0 {
            mutate(&mut rng, &packed)
        } else {
            zlib(&mutate(&mut rng, &plain))
        };
        let result = std::panic::catch_unwind(|| bpt::decode(&input));
        let Ok(decoded) = result else {
            panic!("iteration {i}: decode panicked");
        };
        if let Ok(value) = decoded {
            accepted += 1;
            let again = bpt::decode(&bpt::encode(&value)).unwrap();
            assert_eq!(php::encode(&again), php::encode(&value), "iteration {i}");
            let _ = bpt::to_json(&value);
            let _ = Template::from_document(&value);
        }
    }
    accepted
}

#[test]
fn fuzz_quick() {
    let accepted = run(500);
    // Some mutations (inside string contents) stay valid; most must be rejected.
    assert!(accepted > 0 && accepted < 500, "accepted {accepted}");
}

#[test]
#[ignore = "long run; use --ignored"]
fn fuzz_long() {
    let iterations = std::env::var("B24FLOW_FUZZ_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let accepted = run(iterations);
    println!("fuzz_long: {iterations} iterations, {accepted} accepted, no panics");
}
