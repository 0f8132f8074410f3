// Identity Pass Android: `kit` wraps the Rust core (generated Kotlin + JNA + the .so files),
// `app` is the thin shell with the `global` and `china` (no Google services) flavors.
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}
dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}
rootProject.name = "identity-pass-android"
include(":kit", ":app")
