package io.rinpoche.deploy.hook.adapter;

import io.rinpoche.deploy.model.Digest;
import java.util.List;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Aliyun Container Registry triggers (https://www.alibabacloud.com/help/doc-detail/60949.htm):
 * {@code push_data.{digest,tag}} and {@code repository.{repo_full_name,region}}. ACR cannot add
 * headers or sign, so it authenticates with a token in the URL. The pull host of a personal
 * instance is {@code registry.<region>.aliyuncs.com}; enterprise instances set the source's registry.
 */
public final class AliyunAcrAdapter implements HookAdapter {

    private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,40}");

    @Override
    public HookEvents events(JsonNode payload, HookContext context) {
        String tag = Json.requiredText(payload, "push_data.tag");
        Digest digest = Json.text(payload, "push_data.digest").map(Images::digest).orElse(null);
        String repository = Json.requiredText(payload, "repository.repo_full_name");
        String region = Json.requiredText(payload, "repository.region");
        if (!REGION.matcher(region).matches()) {
            throw new MalformedPayloadException("not an Aliyun region: " + Json.shown(region));
        }
        return new HookEvents(List.of(Images.push("registry." + region + ".aliyuncs.com", repository, tag, digest,
                context.source(), EventIds.fromBody(context.body(), 0))), List.of());
    }
}
