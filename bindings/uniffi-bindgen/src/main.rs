//! `cargo run -p uniffi-bindgen -- generate --library …`: the bindgen for this workspace.
//! It is built from the same `=`-pinned uniffi as the bindings, so the generated code and the
//! scaffolding can never disagree on the contract version.

fn main() {
    uniffi::uniffi_bindgen_main()
}
