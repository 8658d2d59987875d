package io.rinpoche.deploy.hook.adapter;

import io.rinpoche.deploy.hook.auth.Secrets;
import io.rinpoche.deploy.model.PushEvent;
import java.util.HexFormat;

/**
 * Event ids. Registries that name their deliveries (distribution's event id, GitHub's
 * X-GitHub-Delivery, Standard Webhooks' webhook-id) keep their id; for the others the id is derived
 * from the body, which a redelivery repeats byte for byte.
 */
final class EventIds {

    private EventIds() {
    }

    /** {@code candidate} when it is a usable id, otherwise one derived from the body. */
    static String orFromBody(String candidate, byte[] body, int index) {
        return PushEvent.isEventId(candidate) ? candidate : fromBody(body, index);
    }

    /** {@code body-<24 hex of sha256(body)>}, with {@code -index} for the 2nd, 3rd... push of one body. */
    static String fromBody(byte[] body, int index) {
        String id = "body-" + HexFormat.of().formatHex(Secrets.sha256(body)).substring(0, 24);
        return index == 0 ? id : id + "-" + index;
    }
}
