package io.rinpoche.deploy.web.api;

import static io.rinpoche.deploy.model.Texts.required;

import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.model.ServiceName;
import io.rinpoche.deploy.requests.DesiredState;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The pins, for {@code ./platform up}: it seeds each environment with the images it built and pushed (a service
 * already pinned keeps its pin), then starts the stack with {@code --env-file} from {@code GET /api/pins/{env}}.
 */
@RestController
public class PinController {

    private final DesiredState desired;

    public PinController(DesiredState desired) {
        this.desired = desired;
    }

    @GetMapping(path = "/api/pins/{environment}", produces = MediaType.TEXT_PLAIN_VALUE)
    public String envFile(@PathVariable("environment") String environment) {
        return desired.envFile(Environment.of(environment));
    }

    @PostMapping("/api/pins/seed")
    public Seeded seed(@RequestBody Seed body) {
        Environment environment = Environment.of(required("environment", body.environment()));
        ServiceName service = ServiceName.of(required("service", body.service()));
        ImageRef image = ImageRef.parse(required("image", body.image()));
        if (image.digest() == null) {
            throw new IllegalArgumentException("a seed pins an image by digest (name@sha256:...), not " + image);
        }
        ImageRef pinned = desired.seed(environment, service, image, "platform up");
        return new Seeded(environment.name(), service.name(), pinned.toString());
    }

    /** {@code {"environment": "staging", "service": "app", "image": "127.0.0.1:5000/hello-django:0.1.0@sha256:..."}} */
    public record Seed(String environment, String service, String image) {
    }

    /** The pin the service has now: the one asked for, or the one it had. */
    public record Seeded(String environment, String service, String pinned) {
    }
}
