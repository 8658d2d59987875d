package io.rinpoche.deploy.model;

/** Helpers for putting untrusted text into error messages. */
public final class Texts {

    private static final int MAX = 80;

    private Texts() {
    }

    /** Shortens and de-controls a value so an error message stays one readable line. */
    public static String abbreviate(String value) {
        if (value == null) {
            return "null";
        }
        String shown = value.length() > MAX ? value.substring(0, MAX) + "..." : value;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
