//! Injected faults: a seeded, reproducible roll per REST request.

use super::Error;

/// What can go wrong with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultKind {
    /// `500 INTERNAL_SERVER_ERROR` before the method runs.
    Status500,
    /// `503 QUERY_LIMIT_EXCEEDED` before the method runs.
    Status503,
    /// The connection drops before the method runs.
    Drop,
    /// The method runs (a write commits), then the connection drops.
    DropAfterCommit,
    /// The method runs, then `500 INTERNAL_SERVER_ERROR` is returned.
    Status500AfterCommit,
    /// A 200 reply whose body is not JSON (a broken proxy).
    Garbage,
    /// A 200 reply whose JSON body is cut short.
    Truncate,
}

impl FaultKind {
    fn parse(name: &str) -> Option<FaultKind> {
        Some(match name {
            "500" => FaultKind::Status500,
            "503" => FaultKind::Status503,
            "drop" => FaultKind::Drop,
            "drop-after-commit" => FaultKind::DropAfterCommit,
            "500-after-commit" => FaultKind::Status500AfterCommit,
            "garbage" => FaultKind::Garbage,
            "truncate" => FaultKind::Truncate,
            _ => return None,
        })
    }

    /// Whether the method runs before the fault strikes.
    pub fn after_commit(self) -> bool {
        matches!(
            self,
            FaultKind::DropAfterCommit | FaultKind::Status500AfterCommit
        )
    }
}

/// Fault probabilities and the seed of their dice.
#[derive(Debug, Clone, PartialEq)]
pub struct Faults {
    rules: Vec<(FaultKind, f64)>,
    seed: u64,
}

impl Faults {
    /// No faults.
    pub fn none() -> Faults {
        Faults {
            rules: Vec::new(),
            seed: 1,
        }
    }

    /// Faults with explicit probabilities.
    pub fn new(rules: Vec<(FaultKind, f64)>, seed: u64) -> Faults {
        Faults { rules, seed }
    }

    /// Parses `500:0.05,503:0.05,drop-after-commit:0.05,seed:7`.
    pub fn parse(spec: &str) -> Result<Faults, Error> {
        let fail = |message: String| Error::Faults {
            spec: spec.to_owned(),
            message,
        };
        let mut faults = Faults::none();
        let mut sum = 0.0;
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, value) = part
                .split_once(':')
                .ok_or_else(|| fail(format!("`{part}` has no `:`")))?;
            if name == "seed" {
                faults.seed = value
                    .parse()
                    .map_err(|_| fail(format!("seed `{value}` is not a number")))?;
                continue;
            }
            let kind = FaultKind::parse(name).ok_or_else(|| {
                fail(format!(
                    "unknown fault `{name}` (known: 500, 503, drop, drop-after-commit, 500-after-commit, garbage, truncate)"
                ))
            })?;
            let p: f64 = value
                .parse()
                .ok()
                .filter(|p: &f64| (0.0..=1.0).contains(p))
                .ok_or_else(|| fail(format!("probability `{value}` is not between 0 and 1")))?;
            sum += p;
            faults.rules.push((kind, p));
        }
        if sum > 1.0 {
            return Err(fail(format!("probabilities add up to {sum}, more than 1")));
        }
        Ok(faults)
    }

    /// Whether any fault is configured.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    pub(crate) fn dice(&self) -> Dice {
        Dice {
            state: self.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1,
        }
    }

    pub(crate) fn pick(&self, dice: &mut Dice) -> Option<FaultKind> {
        if self.rules.is_empty() {
            return None;
        }
        let roll = dice.next_unit();
        let mut acc = 0.0;
        for (kind, p) in &self.rules {
            acc += p;
            if roll < acc {
                return Some(*kind);
            }
        }
        None
    }
}

/// A small xorshift generator: reproducible from the seed, no dependency.
#[derive(Debug, Clone)]
pub(crate) struct Dice {
    state: u64,
}

impl Dice {
    pub(crate) fn seeded(seed: u64) -> Dice {
        Dice { state: seed | 1 }
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        let mut x = self.state;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.state = x;
        x
    }

    fn next_unit(&mut self) -> f64 {
        // 52 random mantissa bits under exponent 0 give a float in [1, 2).
        f64::from_bits(0x3FF0_0000_0000_0000 | (self.next_u64() >> 12)) - 1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rolls_reproducibly() {
        let faults = Faults::parse("500:0.2,drop-after-commit:0.3,seed:9").unwrap();
        let mut one = faults.dice();
        let mut two = faults.dice();
        let ra: Vec<_> = (0..50).map(|_| faults.pick(&mut one)).collect();
        let rb: Vec<_> = (0..50).map(|_| faults.pick(&mut two)).collect();
        assert_eq!(ra, rb);
        assert!(ra.contains(&Some(FaultKind::Status500)));
        assert!(ra.contains(&None));
        let mut d = Dice::seeded(3);
        for _ in 0..1000 {
            let u = d.next_unit();
            assert!((0.0..1.0).contains(&u));
        }
    }

    #[test]
    fn bad_specs() {
        assert!(Faults::parse("404:0.1").is_err());
        assert!(Faults::parse("500:2").is_err());
        assert!(Faults::parse("500:0.6,503:0.6").is_err());
        assert!(Faults::parse("500").is_err());
        assert!(Faults::parse("").unwrap().is_empty());
    }
}
