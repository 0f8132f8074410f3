// The thin Android shell. It renders what the core says and performs platform effects; the
// two flavors differ only in the platform services they can reach.
plugins {
    alias(libs.plugins.android.application)
    alias(libs.plugins.kotlin.android)
}

android {
    namespace = "com.identitypass.app"
    compileSdk = 35

    defaultConfig {
        applicationId = "com.identitypass.app"
        minSdk = 34
        targetSdk = 35
        versionCode = 1
        versionName = "0.1.0"
    }

    flavorDimensions += "distribution"
    productFlavors {
        // Google Play: FCM push for review updates.
        create("global") {
            dimension = "distribution"
            buildConfigField("String", "DISTRIBUTION", "\"GLOBAL\"")
        }
        // Mainland China: no Google Mobile Services, so no FCM; the core long-polls instead.
        create("china") {
            dimension = "distribution"
            applicationIdSuffix = ".cn"
            buildConfigField("String", "DISTRIBUTION", "\"CHINA\"")
        }
    }
    buildFeatures { buildConfig = true }
    buildTypes {
        release {
            isMinifyEnabled = true
            proguardFiles(getDefaultProguardFile("proguard-android-optimize.txt"))
        }
    }
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    kotlinOptions { jvmTarget = "17" }
}

dependencies {
    implementation(project(":kit"))
    implementation(libs.androidx.activity)
}
