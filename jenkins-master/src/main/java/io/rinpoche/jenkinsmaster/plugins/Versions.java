package io.rinpoche.jenkinsmaster.plugins;

import java.util.Comparator;

/**
 * Orders Jenkins version strings as Jenkins' VersionNumber does for the forms plugins use: 2.568.3,
 * 1.9.16, 1511.v2e3cb_0008ef0, 6.3.0-126.vd066b_d896159. Parts split at '.', '-' and '_'; numbers
 * compare as numbers and rank above words; a shorter version that is a prefix ranks lower.
 */
public final class Versions {

    /** The order itself. */
    public static final Comparator<String> ORDER = Versions::compare;

    private Versions() {
    }

    public static int compare(String a, String b) {
        String[] x = a.split("[.\\-_]");
        String[] y = b.split("[.\\-_]");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = part(x[i], y[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    /** Whether {@code version} is {@code minimum} or newer. */
    public static boolean atLeast(String version, String minimum) {
        return compare(version, minimum) >= 0;
    }

    private static int part(String a, String b) {
        boolean na = a.matches("\\d+");
        boolean nb = b.matches("\\d+");
        if (na && nb) {
            return new java.math.BigInteger(a).compareTo(new java.math.BigInteger(b));
        }
        if (na != nb) {
            return na ? 1 : -1;
        }
        return a.compareTo(b);
    }
}
