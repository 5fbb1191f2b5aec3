//! `.bpt` bytes from anywhere (a portal, a file) must decode or fail, never panic, and
//! whatever decodes must re-encode to bytes that decode to the same value.
#![no_main]

use b24flow::bizproc::{Template, bpt};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(value) = bpt::decode(data) {
        let again = bpt::decode(&bpt::encode(&value)).expect("re-encoded value decodes");
        // NaN never equals itself; compare the serialized forms instead.
        assert_eq!(
            b24flow::bizproc::php::encode(&again),
            b24flow::bizproc::php::encode(&value)
        );
        let _ = bpt::to_json(&value);
        let _ = Template::from_document(&value);
    }
});
