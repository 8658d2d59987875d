package io.rinpoche.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads the sample payloads under {@code src/test/resources/payloads}. */
public final class TestPayloads {

    private TestPayloads() {
    }

    /** The bytes of {@code payloads/<name>}. */
    public static byte[] bytes(String name) {
        try (InputStream in = TestPayloads.class.getResourceAsStream("/payloads/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample payload " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
