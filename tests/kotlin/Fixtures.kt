package com.identitypass.core.tests

/**
 * Raw camera frames made from the photographs in core/tests/fixtures by the runner (with
 * `cargo run -p identity-pass-core --example camera_frame`), found as class-path resources
 * `fixtures/<name>`, and the two photos a user submits on the reference partner's page
 * (`id_document_856x540.jpg`, `face_selfie_640x480.jpg`): the desktop runner puts their folder on the class path, the Android build
 * packs it into the test APK's Java resources.
 */
object Fixtures {
    fun bytes(name: String): ByteArray =
        checkNotNull(Fixtures::class.java.classLoader?.getResourceAsStream("fixtures/$name")) {
            "fixture $name is not on the class path; run the tests through tests/run-kotlin-jvm.sh"
        }.use { it.readBytes() }

    fun exists(name: String): Boolean = Fixtures::class.java.classLoader?.getResource("fixtures/$name") != null
}
