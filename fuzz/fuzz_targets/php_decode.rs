//! The serialized-PHP layer alone, where the length and nesting checks live.
#![no_main]

use b24flow::bizproc::php;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(value) = php::decode(data) {
        assert_eq!(
            php::encode(&php::decode(&php::encode(&value)).expect("re-encoded value decodes")),
            php::encode(&value)
        );
    }
});
