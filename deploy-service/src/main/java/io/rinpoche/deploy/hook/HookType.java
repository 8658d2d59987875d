package io.rinpoche.deploy.hook;

import io.rinpoche.deploy.hook.adapter.AliyunAcrAdapter;
import io.rinpoche.deploy.hook.adapter.DistributionAdapter;
import io.rinpoche.deploy.hook.adapter.DockerHubAdapter;
import io.rinpoche.deploy.hook.adapter.GenericAdapter;
import io.rinpoche.deploy.hook.adapter.GitHubPackageAdapter;
import io.rinpoche.deploy.hook.adapter.HarborAdapter;
import io.rinpoche.deploy.hook.adapter.HookAdapter;
import io.rinpoche.deploy.hook.adapter.QuayAdapter;

/** A payload format, with the authentication its registry can do when the config names none. */
public enum HookType {
    DISTRIBUTION(new DistributionAdapter(), AuthMode.BEARER, false),
    DOCKER_HUB(new DockerHubAdapter(), AuthMode.PATH_TOKEN, false),
    HARBOR(new HarborAdapter(), AuthMode.BEARER, false),
    ALIYUN_ACR(new AliyunAcrAdapter(), AuthMode.PATH_TOKEN, false),
    QUAY(new QuayAdapter(), AuthMode.PATH_TOKEN, false),
    GITHUB(new GitHubPackageAdapter(), AuthMode.HMAC, true),
    GENERIC(new GenericAdapter(), AuthMode.HMAC, true);

    private final HookAdapter adapter;
    private final AuthMode defaultAuth;
    private final boolean signs;

    HookType(HookAdapter adapter, AuthMode defaultAuth, boolean signs) {
        this.adapter = adapter;
        this.defaultAuth = defaultAuth;
        this.signs = signs;
    }

    /** The parser of this format. */
    public HookAdapter adapter() {
        return adapter;
    }

    /** The authentication used when a source does not name one. */
    public AuthMode defaultAuth() {
        return defaultAuth;
    }

    /** Whether this registry documents a body signature, so that {@link AuthMode#HMAC} means something. */
    public boolean signs() {
        return signs;
    }
}
