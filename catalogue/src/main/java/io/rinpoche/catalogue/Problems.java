package io.rinpoche.catalogue;

import java.util.ArrayList;
import java.util.List;

/** The errors found in the catalogue, each "file:line: message"; all of them are reported at once. */
final class Problems {

    private final List<String> errors = new ArrayList<>();

    void add(String where, int line, String message) {
        errors.add(where + ":" + line + ": " + message);
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    List<String> list() {
        return errors.stream().sorted(Problems::byFileAndLine).toList();
    }

    /** Throws when anything was found, so nothing is generated from a catalogue with an error. */
    void throwIfAny() {
        if (!errors.isEmpty()) {
            throw new CatalogueException(list());
        }
    }

    private static int byFileAndLine(String a, String b) {
        String[] x = a.split(":", 3);
        String[] y = b.split(":", 3);
        int file = x[0].compareTo(y[0]);
        return file != 0 ? file : Integer.compare(Integer.parseInt(x[1]), Integer.parseInt(y[1]));
    }
}
