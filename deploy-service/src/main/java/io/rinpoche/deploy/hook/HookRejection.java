package io.rinpoche.deploy.hook;

/** A request that is refused as a whole, with why: the web layer answers it with a problem response. */
public class HookRejection extends RuntimeException {

    /** Why a request was refused. */
    public enum Reason {
        UNKNOWN_SOURCE, TOO_LARGE, UNAUTHORIZED, MALFORMED
    }

    private final Reason reason;
    private final String source;

    public HookRejection(Reason reason, String source, String detail) {
        super(detail);
        this.reason = reason;
        this.source = source;
    }

    /** Why. */
    public Reason reason() {
        return reason;
    }

    /** The configured source the request named; null when it named none that exists. */
    public String source() {
        return source;
    }
}
