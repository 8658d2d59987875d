package io.rinpoche.deploy.hook;

/** A hook source's configuration cannot work; start-up stops with this message, which names the source. */
public class InvalidHookSourceException extends IllegalStateException {

    public InvalidHookSourceException(String source, String problem) {
        super("hook source '" + source + "' (rinpoche.hooks.sources." + source + "): " + problem);
    }
}
