package io.rinpoche.catalogue;

import java.util.List;

/** A catalogue that cannot be used: every error, each naming its file and line. */
public final class CatalogueException extends RuntimeException {

    private final List<String> errors;

    CatalogueException(List<String> errors) {
        super(errors.size() + " error(s) in the app catalogue:\n  " + String.join("\n  ", errors));
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() {
        return errors;
    }
}
