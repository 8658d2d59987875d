package io.rinpoche.deploy.model;

/** Helpers for untrusted text: required fields, and putting it into error messages. */
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

    /** {@code value}, or an {@link IllegalArgumentException} (a 400 at the API) naming the missing {@code field}. */
    public static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing '" + field + "'");
        }
        return value;
    }
}
