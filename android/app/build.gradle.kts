// The thin Android shell. It renders what the core says and performs platform effects; the
// two flavors differ only in the platform services they can reach.
plugins {
    alias(libs.plugins.android.application)
    alias(libs.plugins.kotlin.android)
    alias(libs.plugins.kotlin.compose)
}

val repoRoot = rootProject.projectDir.parentFile
// The raw camera frames of the UI test (class-path resources `fixtures/…`, as in the kit's tests).
val testFrames = layout.buildDirectory.dir("generated/testResources")
// The reviewer over HTTP and the fixture loader, shared with the kit's tests (tests/kotlin).
val sharedTestSources = layout.buildDirectory.dir("generated/sharedTestSources")

android {
    namespace = "com.identitypass.app"
    compileSdk = 35

    defaultConfig {
        applicationId = "com.identitypass.app"
        minSdk = 34
        targetSdk = 35
        versionCode = 1
        versionName = "0.1.0"
        testInstrumentationRunner = "androidx.test.runner.AndroidJUnitRunner"
        // The onboarding service; a deployment sets its own (-PidentityPassServiceUrl=…).
        val serviceUrl = providers.gradleProperty("identityPassServiceUrl").orElse("https://id.contoso.example").get()
        buildConfigField("String", "SERVICE_URL", "\"$serviceUrl\"")
    }

    flavorDimensions += "distribution"
    productFlavors {
        // Google Play: FCM push for review updates.
        create("global") {
            dimension = "distribution"
            buildConfigField("String", "DISTRIBUTION", "\"GLOBAL\"")
            // The Firebase project, as the google-services plugin would write it; without one
            // (a checkout with no Firebase project) Firebase stays uninitialised and the review
            // is followed by the runtime's status long-poll alone.
            resValue("string", "google_app_id", providers.gradleProperty("firebaseAppId").orElse("").get())
            resValue("string", "google_api_key", providers.gradleProperty("firebaseApiKey").orElse("").get())
            resValue("string", "project_id", providers.gradleProperty("firebaseProjectId").orElse("").get())
            resValue("string", "gcm_defaultSenderId", providers.gradleProperty("firebaseSenderId").orElse("").get())
        }
        // Mainland China: no Google Mobile Services, so no FCM; a foreground service keeps the
        // runtime's status long-poll alive while the review waits (src/china).
        create("china") {
            dimension = "distribution"
            applicationIdSuffix = ".cn"
            buildConfigField("String", "DISTRIBUTION", "\"CHINA\"")
        }
    }
    buildFeatures {
        buildConfig = true
        compose = true
    }
    buildTypes {
        release {
            isMinifyEnabled = true
            proguardFiles(getDefaultProguardFile("proguard-android-optimize.txt"))
        }
    }
    sourceSets {
        getByName("androidTest") {
            kotlin.srcDir(sharedTestSources)
            resources.srcDir(testFrames)
        }
    }
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    kotlinOptions { jvmTarget = "17" }
}

val copySharedTestSources by tasks.registering(Sync::class) {
    from(File(repoRoot, "tests/kotlin")) { include("TestService.kt", "Fixtures.kt") }
    into(sharedTestSources)
}

val makeCameraFrames by tasks.registering(Exec::class) {
    workingDir = repoRoot
    commandLine("bash", "tests/make-camera-frames.sh", testFrames.get().dir("fixtures").asFile.absolutePath)
}

// Only test builds need them (preGlobalDebugAndroidTestBuild, …): release builds make no frames.
tasks.matching { it.name.startsWith("pre") && it.name.endsWith("AndroidTestBuild") }
    .configureEach { dependsOn(copySharedTestSources, makeCameraFrames) }

dependencies {
    implementation(project(":kit"))
    implementation(libs.kotlinx.coroutines.android)
    implementation(libs.androidx.core)
    implementation(libs.androidx.activity.compose)
    implementation(libs.androidx.lifecycle.viewmodel.compose)
    implementation(libs.androidx.lifecycle.runtime.compose)
    implementation(libs.androidx.lifecycle.service)
    implementation(platform(libs.compose.bom))
    implementation(libs.compose.ui)
    implementation(libs.compose.material3)
    implementation(libs.compose.material.icons)
    implementation(libs.camerax.core)
    implementation(libs.camerax.camera2)
    implementation(libs.camerax.lifecycle)
    implementation(libs.camerax.view)
    // Android 14+ (minSdk 34) serves passkeys through the framework's Credential Manager, so
    // no credentials-play-services-auth: that would put Google Mobile Services in the china app.
    implementation(libs.credentials)
    implementation(libs.work.runtime)
    implementation(libs.browser)
    "globalImplementation"(libs.firebase.messaging)

    androidTestImplementation(platform(libs.compose.bom))
    androidTestImplementation(libs.compose.ui.test.junit4)
    androidTestImplementation(libs.androidx.test.runner)
    androidTestImplementation(libs.androidx.test.rules)
    androidTestImplementation(libs.androidx.test.ext.junit)
    androidTestImplementation(libs.kotlin.test.junit)
    debugImplementation(libs.compose.ui.test.manifest)
}
