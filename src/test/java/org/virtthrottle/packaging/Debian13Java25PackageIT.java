package org.virtthrottle.packaging;

/**
 * {@link Debian13PackageIT} once more with Debian 13's openjdk-25-jre-headless installed before the
 * package: `java` is then Java 25, and postinst makes the start-up archive for it.
 */
class Debian13Java25PackageIT extends Debian13PackageIT {
    @Override
    String preinstalled() {
        return "default-jre-headless openjdk-25-jre-headless";
    }

    @Override
    int javaFeature() {
        return 25;
    }
}
