package io.rinpoche.deploy.model;

import java.util.Objects;
import java.util.regex.Pattern;

/** A content digest of an image manifest, {@code sha256:<64 lowercase hex>}. */
public record Digest(String value) {

    // The OCI image spec fixes the sha256 encoding to 64 lowercase hex characters:
    // https://github.com/opencontainers/image-spec/blob/main/descriptor.md#digests
    private static final Pattern SHA256 = Pattern.compile("sha256:[a-f0-9]{64}");

    public Digest {
        Objects.requireNonNull(value, "digest");
        if (!SHA256.matcher(value).matches()) {
            throw new IllegalArgumentException("not a sha256 digest: '" + Texts.abbreviate(value) + "'");
        }
    }

    /** Parses {@code sha256:<hex>}; rejects anything else with an {@link IllegalArgumentException}. */
    public static Digest parse(String value) {
        return new Digest(value);
    }

    /** True when {@code value} would parse. */
    public static boolean isDigest(String value) {
        return value != null && SHA256.matcher(value).matches();
    }

    /** The 64 hex characters after {@code sha256:}. */
    public String hex() {
        return value.substring("sha256:".length());
    }

    @Override
    public String toString() {
        return value;
    }
}
