package io.rinpoche.deploy.hook.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Aliyun ACR triggers: the image is pulled from the region's registry host. */
class AliyunAcrAdapterTest {

    private final AliyunAcrAdapter adapter = new AliyunAcrAdapter();

    @Test
    void aPushYieldsTheImageAtTheRegionsHost() {
        HookEvents events = Samples.run(adapter, "aliyun-acr-push.json");

        assertThat(events.pushes()).singleElement().satisfies(push -> assertThat(push.image()).hasToString(
                "registry.cn-hangzhou.aliyuncs.com/rinpoche/hello-django:master-9f8e7d6"
                        + "@sha256:6f3095ea2b3eeae3895d2f0bedabc7b8928f5317e4e9ec611e4214e0090d773c"));
    }

    @Test
    void aStrangeRegionOrDigestIsMalformed() {
        assertThatThrownBy(() -> Samples.runJson(adapter, """
                {"push_data":{"tag":"1"},"repository":{"repo_full_name":"a/b","region":"evil.com/x"}}"""))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("region");
        assertThatThrownBy(() -> Samples.runJson(adapter, """
                {"push_data":{"tag":"1","digest":"md5:00"},"repository":{"repo_full_name":"a/b","region":"cn-beijing"}}"""))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("digest");
    }
}
